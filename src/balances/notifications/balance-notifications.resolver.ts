import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import type { PublishedEvent } from '../../common/event-definition';
import { Access, argument } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import { authorisedEvents, eventsOf, type SubscriptionServices } from '../../notifications/subscription-access';
import { BalanceChanged, type BalanceChangedPayload } from '../balance-events';
import { BalanceUpdate } from './dtos/balance-update.type';

type Context = GraphQLContext<SubscriptionServices>;

type BalanceEvent = PublishedEvent<BalanceChangedPayload>;

@Resolver()
export class BalanceNotificationsResolver {
  @Authorized(Access.readAccount(argument('accountId')))
  @Subscription(() => BalanceUpdate, {
    description: 'New balances after every credit movement of an account you may see.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { accountId: string }, Context>) => {
      const source = eventsOf(context.services.bus, BalanceChanged, args.accountId);
      return authorisedEvents(source, {
        principal: context.principal!,
        tokenExpiresAt: context.tokenExpiresAt,
        isAbout: (event) => event.accountId === args.accountId,
      });
    },
  })
  balanceChanged(@Arg('accountId', () => ID) _accountId: string, @Root() event: BalanceEvent): BalanceUpdate {
    return {
      eventId: String(event.eventId),
      accountId: event.accountId,
      totalBalance: event.totalMicros,
      topUpBalance: event.topUpMicros,
      promotionalBalance: event.promotionalMicros,
      movementType: event.movementType,
      amount: event.amountMicros,
      occurredAt: event.occurredAt,
    };
  }
}
