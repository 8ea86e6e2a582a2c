import { ACCOUNT_ENTITIES } from '../accounts/accounts.entities';
import { LEDGER_ENTITIES } from '../ledger/ledger.entities';
import { NOTIFICATION_ENTITIES } from '../notifications/notifications.entities';
import { TOP_UP_ENTITIES } from '../top-ups/top-ups.entities';
import { REPORT_ENTITIES } from '../reports/reports.entities';
import { TRANSFER_ENTITIES } from '../transfers/transfers.entities';
import { USAGE_ENTITIES } from '../usage/usage.entities';
import { BALANCE_THRESHOLD_ENTITIES } from '../balance-thresholds/balance-thresholds.entities';
import { WEBHOOK_ENTITIES } from '../outbound-webhooks/outbound-webhooks.entities';
import { AUTO_TRANSFER_ENTITIES } from '../auto-transfers/auto-transfers.entities';
import { AUTO_RECHARGE_ENTITIES } from '../auto-recharge/auto-recharge.entities';
import { API_KEY_ENTITIES } from '../api-keys/api-keys.entities';
import { AUDIT_ENTITIES } from '../audit/audit.entities';

/**
 * Every table the product owns, collected from the features (each exports its own list), so that
 * src/database/ imports no feature. A new feature adds its list here.
 */
export const ENTITIES = [
  ...ACCOUNT_ENTITIES,
  ...LEDGER_ENTITIES,
  ...NOTIFICATION_ENTITIES,
  ...TOP_UP_ENTITIES,
  ...REPORT_ENTITIES,
  ...TRANSFER_ENTITIES,
  ...USAGE_ENTITIES,
  ...BALANCE_THRESHOLD_ENTITIES,
  ...WEBHOOK_ENTITIES,
  ...AUTO_TRANSFER_ENTITIES,
  ...AUTO_RECHARGE_ENTITIES,
  ...API_KEY_ENTITIES,
  ...AUDIT_ENTITIES,
];
