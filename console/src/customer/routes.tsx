import { canManageBilling, isCustomerAccount, type ConsoleRoute } from '../shared/routes';
import type { Viewer } from '../shared/session';
import { AutoRechargeScreen } from './AutoRechargeScreen';
import { BalancesScreen } from './BalancesScreen';
import { BillingInfoScreen } from './BillingInfoForm';
import { GrantsScreen } from './GrantsScreen';
import { HistoryScreen } from './HistoryScreen';
import { PurchasesScreen } from './PurchasesScreen';
import { ThresholdsScreen } from './ThresholdsScreen';
import { TOP_UP_RETURN_PATH, TopUpReturnScreen } from './TopUpReturnScreen';
import { TopUpScreen } from './TopUpScreen';

const billingManager = (viewer: Viewer) => isCustomerAccount(viewer) && canManageBilling(viewer);

/** The direct customer's screens (FPT seed), in navigation order. */
export const customerRoutes: ConsoleRoute[] = [
  { path: '/balances', label: { en: 'Balances', vi: 'Số dư' }, element: BalancesScreen, visible: isCustomerAccount },
  { path: '/top-up', label: { en: 'Add credit', vi: 'Nạp tín dụng' }, element: TopUpScreen, visible: isCustomerAccount },
  { path: TOP_UP_RETURN_PATH, label: { en: 'Payment', vi: 'Thanh toán' }, element: TopUpReturnScreen, visible: isCustomerAccount, hidden: true },
  { path: '/history', label: { en: 'Credit history', vi: 'Lịch sử tín dụng' }, element: HistoryScreen, visible: isCustomerAccount },
  { path: '/purchases', label: { en: 'Purchases', vi: 'Giao dịch mua' }, element: PurchasesScreen, visible: isCustomerAccount },
  { path: '/promotions', label: { en: 'Promotional credits', vi: 'Tín dụng khuyến mãi' }, element: GrantsScreen, visible: isCustomerAccount },
  { path: '/billing', label: { en: 'Billing information', vi: 'Thông tin thanh toán' }, element: BillingInfoScreen, visible: billingManager },
  { path: '/auto-recharge', label: { en: 'Auto-recharge', vi: 'Tự động nạp' }, element: AutoRechargeScreen, visible: billingManager },
  { path: '/alerts', label: { en: 'Low-balance alerts', vi: 'Cảnh báo số dư thấp' }, element: ThresholdsScreen, visible: billingManager },
];
