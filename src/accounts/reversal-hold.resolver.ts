import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import type { PublishedEvent } from '../common/event-definition';
import { subscriptionEvents, type SubscriptionServices } from '../notifications/subscription-access';
import { Access, argument } from '../graphql/access';
import type { GraphQLContext } from '../graphql/context';
import { AccountReversalHold, type AccountReversalHoldPayload } from './account-events';
import { ReversalHoldChange } from './dtos/reversal-hold.type';

type Context = GraphQLContext<SubscriptionServices>;

@Resolver()
export class ReversalHoldResolver {
  @Authorized(Access.readAccount(argument('accountId')))
  @Subscription(() => ReversalHoldChange, {
    description:
      'When a refund or dispute at the payment provider leaves the top-up balance of an account you may see below zero (held), and when it is back at zero or above (released).',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { accountId: string }, Context>) => {
      return subscriptionEvents(context, AccountReversalHold, args.accountId, (event) => event.accountId === args.accountId);
    },
  })
  accountReversalHold(@Arg('accountId', () => ID) _accountId: string, @Root() event: PublishedEvent<AccountReversalHoldPayload>): ReversalHoldChange {
    return { eventId: String(event.eventId), accountId: event.accountId, held: event.held, topUpBalance: event.topUpMicros, totalBalance: event.totalMicros };
  }
}
