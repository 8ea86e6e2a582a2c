import { defineModule } from '../feature-module';
import { BalanceEventsProjection } from './balance-events.projection';
import { NotificationsResolver } from './notifications.resolver';

/**
 * Balance notifications: every posting writes its BALANCE_CHANGED rows to the outbox (a projection),
 * and the subscriptions read them from the bus. The outbox and the bus themselves are core.
 */
export const notificationsModule = defineModule({
  name: 'notifications',
  resolvers: [NotificationsResolver],
  create: ({ outbox }) => ({ projections: [new BalanceEventsProjection(outbox)] }),
});
