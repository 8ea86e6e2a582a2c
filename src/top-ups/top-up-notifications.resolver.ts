import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { authorisedEvents } from '../notifications/subscription-access';
import { Topic } from '../notifications/topics';
import type { GraphQLContext } from '../graphql/context';
import { loadVisibleTopUp } from './top-up-access';
import { toTopUpStatusUpdate } from './dtos/mappers';
import { TopUpStatusUpdate } from './dtos/top-up-status-update.type';
import type { TopUpStatusChangedPayload } from './top-up-status';

type TopUpEvent = TopUpStatusChangedPayload & Record<string, unknown> & { eventId: number };

@Resolver()
export class TopUpNotificationsResolver {
  @Subscription(() => TopUpStatusUpdate, {
    description: 'Payment-completion notification: every status change of a top-up of an account you may see, with the balances after it.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { topUpId: string }, GraphQLContext>) => {
      const topUp = await loadVisibleTopUp(context, args.topUpId);
      const source = context.services.bus.subscribe(Topic.TOP_UP_STATUS_CHANGED, args.topUpId) as AsyncIterable<TopUpEvent>;
      return authorisedEvents(source, {
        principal: context.principal!,
        tokenExpiresAt: context.tokenExpiresAt,
        isAbout: (event) => event.topUpId === args.topUpId && event.accountId === topUp.accountId,
      });
    },
  })
  topUpStatusChanged(@Arg('topUpId', () => ID) _topUpId: string, @Root() event: TopUpEvent, @Ctx() _context: GraphQLContext): TopUpStatusUpdate {
    return toTopUpStatusUpdate(event);
  }
}
