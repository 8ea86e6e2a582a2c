import { defineModule } from '../../feature-module';
import { BalanceChanged } from '../balance-events';
import { BalanceEventsProjection } from './balance-events.projection';
import { BalanceNotificationsResolver } from './balance-notifications.resolver';

/**
 * Balance notifications: every posting writes its BALANCE_CHANGED events to the outbox (a
 * projection), and the `balanceChanged` subscription reads them from the bus. The outbox and the
 * bus themselves are core (src/notifications/).
 */
export const balanceNotificationsModule = defineModule({
  name: 'balance-notifications',
  events: [BalanceChanged],
  resolvers: [BalanceNotificationsResolver],
  create: ({ outbox }) => ({ projections: [new BalanceEventsProjection(outbox)] }),
});
