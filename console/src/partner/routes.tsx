import { canManageBilling, type ConsoleRoute, isPartnerAccount } from '../shared/routes';
import type { Viewer } from '../shared/session';
import { SummaryReportScreen } from './reports/SummaryReportScreen';
import { TopUpReportScreen } from './reports/TopUpReportScreen';
import { UsageReportScreen } from './reports/UsageReportScreen';
import { WebhooksScreen } from './webhooks/WebhooksScreen';

const partnerManager = (viewer: Viewer) => isPartnerAccount(viewer) && canManageBilling(viewer);

/** The partner screens (GreenNode seed): one line per screen; App lists them after the customer screens. */
export const partnerRoutes: ConsoleRoute[] = [
  { path: '/reports/usage', label: { en: 'Credit usage report', vi: 'Báo cáo sử dụng' }, element: UsageReportScreen, visible: isPartnerAccount },
  { path: '/reports/top-ups', label: { en: 'Credit top-up report', vi: 'Báo cáo nạp tín dụng' }, element: TopUpReportScreen, visible: isPartnerAccount },
  { path: '/reports/summary', label: { en: 'Credit summary report', vi: 'Báo cáo tổng hợp' }, element: SummaryReportScreen, visible: isPartnerAccount },
  { path: '/webhooks', label: { en: 'Webhooks', vi: 'Webhook' }, element: WebhooksScreen, visible: partnerManager },
];
