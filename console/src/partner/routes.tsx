import { canManageBilling, isPartnerAccount, type ConsoleRoute } from '../shared/routes';
import type { Viewer } from '../shared/session';
import { CUSTOMER_DETAIL_PATH } from './customers/customers';
import { CustomerDetailScreen } from './customers/CustomerDetailScreen';
import { CustomersScreen } from './customers/CustomersScreen';
import { AutoTransferRulesScreen } from './rules/AutoTransferRulesScreen';
import { BulkTransferScreen } from './transfers/BulkTransferScreen';

/** Transfers, reclaims and auto-transfer rules are for the partner's OWNER and BILLING_ADMIN; any partner user sees the customers. */
const partnerManager = (viewer: Viewer) => isPartnerAccount(viewer) && canManageBilling(viewer);

/** The partner screens (GreenNode seed): one line per screen; App lists them after the customer screens. */
export const partnerRoutes: ConsoleRoute[] = [
  { path: '/customers', label: { en: 'Customers', vi: 'Khách hàng' }, element: CustomersScreen, visible: isPartnerAccount },
  { path: CUSTOMER_DETAIL_PATH, label: { en: 'Customer', vi: 'Khách hàng' }, element: CustomerDetailScreen, visible: isPartnerAccount, hidden: true },
  { path: '/bulk-top-up', label: { en: 'Bulk Top Up', vi: 'Nạp hàng loạt' }, element: BulkTransferScreen, visible: partnerManager },
  { path: '/auto-top-up', label: { en: 'Auto top-up', vi: 'Tự động nạp' }, element: AutoTransferRulesScreen, visible: partnerManager },
];
