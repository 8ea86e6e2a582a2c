import { formatMicros } from '../common/money';
import type { CsvColumn } from './csv';
import type { SummaryLine, TopUpReportRow, UsageReportRow } from './reports.types';

/** The CSV columns: named as the GraphQL row fields, money as full-scale decimal strings. */

export const USAGE_CSV_COLUMNS: CsvColumn<UsageReportRow>[] = [
  { header: 'customerId', value: (row) => row.customerId },
  { header: 'customerName', value: (row) => row.customerName },
  { header: 'date', value: (row) => row.date },
  { header: 'service', value: (row) => row.service },
  { header: 'amount', value: (row) => formatMicros(row.amountMicros) },
  { header: 'eventCount', value: (row) => row.eventCount },
];

export const TOP_UP_CSV_COLUMNS: CsvColumn<TopUpReportRow>[] = [
  { header: 'occurredAt', value: (row) => row.occurredAt.toISOString() },
  { header: 'kind', value: (row) => row.kind },
  { header: 'accountId', value: (row) => row.accountId },
  { header: 'accountName', value: (row) => row.accountName },
  { header: 'amount', value: (row) => formatMicros(row.amountMicros) },
  { header: 'reference', value: (row) => row.reference },
  { header: 'actor', value: (row) => row.actor?.userId ?? null },
  { header: 'actorRole', value: (row) => row.actor?.role ?? null },
  { header: 'actorName', value: (row) => row.actor?.name ?? null },
];

export const SUMMARY_CSV_COLUMNS: CsvColumn<SummaryLine>[] = [
  { header: 'accountId', value: (line) => line.accountId },
  { header: 'accountName', value: (line) => line.accountName },
  { header: 'accountKind', value: (line) => line.accountKind },
  { header: 'openingBalance', value: (line) => formatMicros(line.openingMicros) },
  { header: 'transfersIn', value: (line) => formatMicros(line.transfersInMicros) },
  { header: 'topUps', value: (line) => formatMicros(line.topUpsMicros) },
  { header: 'grants', value: (line) => formatMicros(line.grantsMicros) },
  { header: 'reclaimsIn', value: (line) => formatMicros(line.reclaimsInMicros) },
  { header: 'disputesWon', value: (line) => formatMicros(line.disputesWonMicros) },
  { header: 'adjustmentsIn', value: (line) => formatMicros(line.adjustmentsInMicros) },
  { header: 'creditsIn', value: (line) => formatMicros(line.creditsInMicros) },
  { header: 'usage', value: (line) => formatMicros(line.usageMicros) },
  { header: 'expiry', value: (line) => formatMicros(line.expiryMicros) },
  { header: 'transfersOut', value: (line) => formatMicros(line.transfersOutMicros) },
  { header: 'reversals', value: (line) => formatMicros(line.reversalsMicros) },
  { header: 'refunds', value: (line) => formatMicros(line.refundsMicros) },
  { header: 'reclaimsOut', value: (line) => formatMicros(line.reclaimsOutMicros) },
  { header: 'adjustmentsOut', value: (line) => formatMicros(line.adjustmentsOutMicros) },
  { header: 'voids', value: (line) => formatMicros(line.voidsMicros) },
  { header: 'creditsOut', value: (line) => formatMicros(line.creditsOutMicros) },
  { header: 'closingBalance', value: (line) => formatMicros(line.closingMicros) },
  { header: 'owedAtClose', value: (line) => formatMicros(line.owedAtCloseMicros) },
];
