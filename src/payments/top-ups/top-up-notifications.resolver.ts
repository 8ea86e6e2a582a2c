import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import type { PublishedEvent } from '../../common/event-definition';
import { CURRENT_STATE_EVENT_ID, currentStateFirst, subscriptionEvents } from '../../notifications/subscription-access';
import { Access } from '../../graphql/access';
import { checkedTopUp, topUpNamedBy, type TopUpsContext } from './top-ups.resolver';
import { toTopUpStatusUpdate } from './dtos/mappers';
import { TopUpStatusUpdate } from './dtos/top-up-status-update.type';
import { TopUpStatusChanged, type TopUpStatusChangedPayload } from './top-up-events';
import { statusPayload } from './top-up-status';

type TopUpEvent = PublishedEvent<TopUpStatusChangedPayload>;

/** The top-up as it is now, with the account's balances, in the shape of a status event (event id 0). */
async function currentTopUpState(context: TopUpsContext, topUpId: string): Promise<TopUpEvent> {
  const topUp = await checkedTopUp(context, topUpId);
  const [balances] = await context.services.balances.balancesOf([topUp.accountId]);
  return { ...statusPayload(topUp, balances), eventId: CURRENT_STATE_EVENT_ID };
}

/** A status event that tells nothing the current state did not (its status, refunds and failure are the same). */
const sameTopUpState = (event: TopUpEvent, current: TopUpEvent) =>
  event.status === current.status && event.reversedMicros === current.reversedMicros && (event.failureCode ?? null) === (current.failureCode ?? null);

@Resolver()
export class TopUpNotificationsResolver {
  @Authorized(Access.readBelonging(topUpNamedBy((args) => args.topUpId)))
  @Subscription(() => TopUpStatusUpdate, {
    description:
      'Payment-completion notification for a top-up of an account you may see. The first message is the top-up as it is when you subscribe (eventId 0), so a console that subscribes after the payment completed still gets the final status; then one message per status change, with the balances after it.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { topUpId: string }, TopUpsContext>) => {
      const topUp = await checkedTopUp(context, args.topUpId);
      const changes = subscriptionEvents(
        context,
        TopUpStatusChanged,
        args.topUpId,
        (event) => event.topUpId === args.topUpId && event.accountId === topUp.accountId,
      );
      return currentStateFirst(changes, {
        listening: () => context.services.bus.listening(TopUpStatusChanged.topic, args.topUpId),
        current: () => currentTopUpState(context, args.topUpId),
        sameState: sameTopUpState,
      });
    },
  })
  topUpStatusChanged(@Arg('topUpId', () => ID) _topUpId: string, @Root() event: TopUpEvent): TopUpStatusUpdate {
    return toTopUpStatusUpdate(event);
  }
}
