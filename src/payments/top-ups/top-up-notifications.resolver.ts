import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import type { PublishedEvent } from '../../common/event-definition';
import { authorisedEvents, eventsOf } from '../../notifications/subscription-access';
import { Access } from '../../graphql/access';
import { checkedTopUp, topUpNamedBy, type TopUpsContext } from './top-ups.resolver';
import { toTopUpStatusUpdate } from './dtos/mappers';
import { TopUpStatusUpdate } from './dtos/top-up-status-update.type';
import { TopUpStatusChanged, type TopUpStatusChangedPayload } from './top-up-events';

type TopUpEvent = PublishedEvent<TopUpStatusChangedPayload>;

@Resolver()
export class TopUpNotificationsResolver {
  @Authorized(Access.readBelonging(topUpNamedBy((args) => args.topUpId)))
  @Subscription(() => TopUpStatusUpdate, {
    description: 'Payment-completion notification: every status change of a top-up of an account you may see, with the balances after it.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { topUpId: string }, TopUpsContext>) => {
      const topUp = await checkedTopUp(context, args.topUpId);
      const source = eventsOf(context.services.bus, TopUpStatusChanged, args.topUpId);
      return authorisedEvents(source, {
        principal: context.principal!,
        tokenExpiresAt: context.tokenExpiresAt,
        isAbout: (event) => event.topUpId === args.topUpId && event.accountId === topUp.accountId,
      });
    },
  })
  topUpStatusChanged(@Arg('topUpId', () => ID) _topUpId: string, @Root() event: TopUpEvent): TopUpStatusUpdate {
    return toTopUpStatusUpdate(event);
  }
}
