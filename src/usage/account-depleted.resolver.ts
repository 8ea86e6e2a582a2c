import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { authorisedEvents, type SubscriptionServices } from '../notifications/subscription-access';
import { Topic } from '../notifications/topics';
import { Access, argument } from '../graphql/access';
import type { GraphQLContext } from '../graphql/context';
import { AccountDepletion } from './dtos/usage.type';

type Context = GraphQLContext<SubscriptionServices>;

type DepletionEvent = Record<string, unknown> & { eventId: number; accountId: string; topUpMicros: string; totalMicros: string };

@Resolver()
export class AccountDepletedResolver {
  @Authorized(Access.readAccount(argument('accountId')))
  @Subscription(() => AccountDepletion, {
    description: "When usage takes the top-up balance of an account you may see (yours, your customer's; any for the admin) below zero.",
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { accountId: string }, Context>) => {
      const source = context.services.bus.subscribe(Topic.ACCOUNT_DEPLETED, args.accountId) as AsyncIterable<DepletionEvent>;
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
      topUpBalance: BigInt(event.topUpMicros),
      totalBalance: BigInt(event.totalMicros),
    };
  }
}
