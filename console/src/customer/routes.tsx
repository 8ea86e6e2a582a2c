import { isCustomerAccount, type ConsoleRoute } from '../shared/routes';
import { BalancesScreen } from './BalancesScreen';

/** The direct customer's screens (FPT seed), in navigation order. */
export const customerRoutes: ConsoleRoute[] = [
  { path: '/balances', label: { en: 'Balances', vi: 'Số dư' }, element: BalancesScreen, visible: isCustomerAccount },
];
