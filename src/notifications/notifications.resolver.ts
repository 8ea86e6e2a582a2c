import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { Access, argument } from '../graphql/access';
import type { GraphQLContext } from '../graphql/context';
import { BalanceUpdate } from './dtos/balance-update.type';
import { authorisedEvents, type SubscriptionServices } from './subscription-access';
import { Topic } from './topics';

type Context = GraphQLContext<SubscriptionServices>;

type BalanceEvent = Record<string, unknown> & { eventId: number; accountId: string };

@Resolver()
export class NotificationsResolver {
  @Authorized(Access.readAccount(argument('accountId')))
  @Subscription(() => BalanceUpdate, {
    description: 'New balances after every credit movement of an account you may see.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { accountId: string }, Context>) => {
      const source = context.services.bus.subscribe(Topic.BALANCE_CHANGED, args.accountId) as AsyncIterable<BalanceEvent>;
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
      totalBalance: BigInt(event.totalMicros as string),
      topUpBalance: BigInt(event.topUpMicros as string),
      promotionalBalance: BigInt(event.promotionalMicros as string),
      movementType: event.movementType as BalanceUpdate['movementType'],
      amount: BigInt(event.amountMicros as string),
      occurredAt: new Date(event.occurredAt as string),
    };
  }
}
