import { canManageBilling, type ConsoleRoute, isPartnerAccount } from '../shared/routes';
import type { Viewer } from '../shared/session';
import { CUSTOMER_DETAIL_PATH } from './customers/customers';
import { CustomerDetailScreen } from './customers/CustomerDetailScreen';
import { CustomersScreen } from './customers/CustomersScreen';
import { SummaryReportScreen } from './reports/SummaryReportScreen';
import { TopUpReportScreen } from './reports/TopUpReportScreen';
import { UsageReportScreen } from './reports/UsageReportScreen';
import { AutoTransferRulesScreen } from './rules/AutoTransferRulesScreen';
import { BulkTransferScreen } from './transfers/BulkTransferScreen';
import { WebhooksScreen } from './webhooks/WebhooksScreen';

/** Transfers, reclaims, auto-transfer rules and webhooks are for the partner's OWNER and BILLING_ADMIN; any partner user sees the customers and the reports. */
const partnerManager = (viewer: Viewer) => isPartnerAccount(viewer) && canManageBilling(viewer);

/** The partner screens (GreenNode seed): one line per screen; App lists them after the customer screens. */
export const partnerRoutes: ConsoleRoute[] = [
  { path: '/customers', label: { en: 'Customers', vi: 'Khách hàng' }, element: CustomersScreen, visible: isPartnerAccount },
  { path: CUSTOMER_DETAIL_PATH, label: { en: 'Customer', vi: 'Khách hàng' }, element: CustomerDetailScreen, visible: isPartnerAccount, hidden: true },
  { path: '/bulk-top-up', label: { en: 'Bulk Top Up', vi: 'Nạp hàng loạt' }, element: BulkTransferScreen, visible: partnerManager },
  { path: '/auto-top-up', label: { en: 'Auto top-up', vi: 'Tự động nạp' }, element: AutoTransferRulesScreen, visible: partnerManager },
  { path: '/reports/usage', label: { en: 'Credit usage report', vi: 'Báo cáo sử dụng' }, element: UsageReportScreen, visible: isPartnerAccount },
  { path: '/reports/top-ups', label: { en: 'Credit top-up report', vi: 'Báo cáo nạp tín dụng' }, element: TopUpReportScreen, visible: isPartnerAccount },
  { path: '/reports/summary', label: { en: 'Credit summary report', vi: 'Báo cáo tổng hợp' }, element: SummaryReportScreen, visible: isPartnerAccount },
  { path: '/webhooks', label: { en: 'Webhooks', vi: 'Webhook' }, element: WebhooksScreen, visible: partnerManager },
];
