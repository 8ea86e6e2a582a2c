import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { AccountDepleted, type AccountDepletedPayload } from '../accounts/account-events';
import type { PublishedEvent } from '../common/event-definition';
import { authorisedEvents, eventsOf, type SubscriptionServices } from '../notifications/subscription-access';
import { Access, argument } from '../graphql/access';
import type { GraphQLContext } from '../graphql/context';
import { AccountDepletion } from './dtos/usage.type';

type Context = GraphQLContext<SubscriptionServices>;

type DepletionEvent = PublishedEvent<AccountDepletedPayload>;

@Resolver()
export class AccountDepletedResolver {
  @Authorized(Access.readAccount(argument('accountId')))
  @Subscription(() => AccountDepletion, {
    description: "When usage takes the top-up balance of an account you may see (yours, your customer's; any for the admin) below zero.",
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { accountId: string }, Context>) => {
      const source = eventsOf(context.services.bus, AccountDepleted, args.accountId);
      return authorisedEvents(source, {
        principal: context.principal!,
        tokenExpiresAt: context.tokenExpiresAt,
        isAbout: (event) => event.accountId === args.accountId,
      });
    },
  })
  accountDepleted(@Arg('accountId', () => ID) _accountId: string, @Root() event: DepletionEvent): AccountDepletion {
    return {
      eventId: String(event.eventId),
      accountId: event.accountId,
      topUpBalance: event.topUpMicros,
      totalBalance: event.totalMicros,
    };
  }
}
