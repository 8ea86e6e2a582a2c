import type { AccountKind } from '../accounts/account.enums';
import type { Role } from '../auth/principal';
import type { ReportPeriod } from './report-period';

/** The rows and totals of the partner reports, in micro-credits; GraphQL and CSV render them. */

export interface UsageReportRow {
  customerId: string;
  customerName: string;
  /** The local calendar day (YYYY-MM-DD) in the report's time zone. */
  date: string;
  service: string;
  amountMicros: bigint;
  eventCount: number;
}

export interface CustomerUsage {
  customerId: string;
  customerName: string;
  amountMicros: bigint;
  eventCount: number;
}

export interface UsageReport {
  period: ReportPeriod;
  /** Sorted by customer name, customer id, date, service. */
  rows: UsageReportRow[];
  /** Every customer of the partner, with zero when it consumed nothing. */
  customers: CustomerUsage[];
  totalMicros: bigint;
  eventCount: number;
}

export enum TopUpReportEntryKind {
  /** Credits the partner transferred to a customer. */
  TRANSFER = 'TRANSFER',
  /** Credits the partner took back from a customer; negative (what the customer received). */
  RECLAIM = 'RECLAIM',
  /** Credits the partner bought for its own account. */
  TOP_UP = 'TOP_UP',
  /** A reversal (refund, chargeback) made at the provider of one of the partner's own top-ups; negative. */
  TOP_UP_REVERSAL = 'TOP_UP_REVERSAL',
  /** A refund the platform made of one of the partner's own top-ups (negative), or its credits back after the provider refused it. */
  REFUND = 'REFUND',
  /** A dispute of one of the partner's own top-ups won: the credits its reversal took, back; positive. */
  DISPUTE_WON = 'DISPUTE_WON',
  /** The platform admin's correction of the partner's own balance; signed. */
  ADJUSTMENT = 'ADJUSTMENT',
}

export interface TopUpReportRow {
  occurredAt: Date;
  kind: TopUpReportEntryKind;
  /** The customer for a transfer or a reclaim; the partner itself for its own top-ups. */
  accountId: string;
  accountName: string;
  /** Transfers, top-ups and disputes won are positive, reclaims and reversals negative. */
  amountMicros: bigint;
  reference: string | null;
  /** The partner user who made a transfer or a reclaim; null for top-ups and for transfers recorded before actors were kept. */
  actor: TopUpReportActor | null;
}

export interface TopUpReportActor {
  userId: string;
  role: Role | null;
  /** The API key's name when a key acted (`userId` is then `apikey:<id>`); null for a user. */
  name: string | null;
}

export interface CustomerTransfers {
  customerId: string;
  customerName: string;
  amountMicros: bigint;
  transferCount: number;
  /** What the partner took back from the customer (positive), and how many times. */
  reclaimedMicros: bigint;
  reclaimCount: number;
}

export interface TopUpReportTotals {
  period: ReportPeriod;
  customers: CustomerTransfers[];
  totalTransferredMicros: bigint;
  totalReclaimedMicros: bigint;
  /** The partner's own top-ups net of their reversals and refunds (and of the disputes won that gave them back). */
  partnerTopUpsMicros: bigint;
}

export interface TopUpReportStream extends TopUpReportTotals {
  /** In time order; read page by page, so any number of rows streams in bounded memory. */
  rows: AsyncIterable<TopUpReportRow>;
}

export interface TopUpReport extends TopUpReportTotals {
  rows: TopUpReportRow[];
}

/** Everything in is positive, everything out is positive; opening + in − out = closing. */
export interface SummaryAmounts {
  openingMicros: bigint;
  transfersInMicros: bigint;
  topUpsMicros: bigint;
  grantsMicros: bigint;
  /** Taken back from customers (the partner line). */
  reclaimsInMicros: bigint;
  /** Given back by disputes decided for the platform. */
  disputesWonMicros: bigint;
  /** The platform admin's adjustments of the period, when they add credits on balance (net). */
  adjustmentsInMicros: bigint;
  creditsInMicros: bigint;
  usageMicros: bigint;
  expiryMicros: bigint;
  transfersOutMicros: bigint;
  reversalsMicros: bigint;
  /** Refunds of the account's top-ups made by the platform, net of those the provider refused. */
  refundsMicros: bigint;
  /** Taken back by the partner (a customer line). */
  reclaimsOutMicros: bigint;
  /** The platform admin's adjustments of the period, when they take credits on balance (net). */
  adjustmentsOutMicros: bigint;
  /** Promotional grants' remainders voided by the platform admin. */
  voidsMicros: bigint;
  creditsOutMicros: bigint;
  closingMicros: bigint;
}

export interface SummaryLine extends SummaryAmounts {
  accountId: string;
  accountName: string;
  accountKind: AccountKind;
  /** What the account owes at the period's end: minus its top-up balance when that is below zero (a partner drawing on its credit limit), else 0. */
  owedAtCloseMicros: bigint;
}

export interface SummaryReport {
  period: ReportPeriod;
  /** The customers sorted by name and id, then the partner's own account last. */
  lines: SummaryLine[];
  /** The sum of the customer lines only: the partner's line would cancel its transfers out. */
  customerTotals: SummaryAmounts;
}
