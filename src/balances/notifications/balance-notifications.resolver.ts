import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import type { PublishedEvent } from '../../common/event-definition';
import { Access, argument } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import { totalMicros } from '../../ledger/balances';
import { CURRENT_STATE_EVENT_ID, currentStateFirst, subscriptionEvents, type SubscriptionServices } from '../../notifications/subscription-access';
import type { BalancesService } from '../balances.service';
import { BalanceChanged, type BalanceChangedPayload } from '../balance-events';
import { BalanceUpdate } from './dtos/balance-update.type';

type Context = GraphQLContext<SubscriptionServices & { balances: Pick<BalancesService, 'balancesOf'> }>;

type BalanceEvent = PublishedEvent<BalanceChangedPayload>;

/** The first message: the balances when the client subscribed, with no movement. */
type CurrentBalances = Omit<BalanceEvent, 'movementType' | 'amountMicros'> & { movementType: null; amountMicros: null };

async function currentBalances(context: Context, accountId: string): Promise<CurrentBalances> {
  const [balances] = await context.services.balances.balancesOf([accountId]);
  return {
    eventId: CURRENT_STATE_EVENT_ID,
    accountId,
    topUpMicros: balances.topUpMicros,
    promotionalMicros: balances.promotionalMicros,
    totalMicros: totalMicros(balances),
    movementType: null,
    amountMicros: null,
    occurredAt: new Date(),
  };
}

/** An event whose balances are the ones already sent: a movement the first message already counted. */
const sameBalances = (event: BalanceEvent | CurrentBalances, current: BalanceEvent | CurrentBalances) =>
  event.topUpMicros === current.topUpMicros && event.promotionalMicros === current.promotionalMicros;

@Resolver()
export class BalanceNotificationsResolver {
  @Authorized(Access.readAccount(argument('accountId')))
  @Subscription(() => BalanceUpdate, {
    description:
      'Balances of an account you may see. The first message is the balances when you subscribe (eventId 0, no movementType or amount); then one message per credit movement, with the balances after it.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { accountId: string }, Context>) => {
      const changes = subscriptionEvents(context, BalanceChanged, args.accountId, (event) => event.accountId === args.accountId);
      return currentStateFirst<BalanceEvent | CurrentBalances>(changes, {
        listening: () => context.services.bus.listening(BalanceChanged.topic, args.accountId),
        current: () => currentBalances(context, args.accountId),
        sameState: sameBalances,
      });
    },
  })
  balanceChanged(@Arg('accountId', () => ID) _accountId: string, @Root() event: BalanceEvent | CurrentBalances): BalanceUpdate {
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
