import type { ReportPeriod as ResolvedPeriod } from '../report-period';
import type { SummaryAmounts, SummaryLine, SummaryReport, TopUpReport, UsageReport } from '../reports.types';
import type { ReportPeriod } from './report-period.input';
import type { CreditSummaryLine, CreditSummaryReport, CreditSummaryTotals } from './summary-report.type';
import type { CreditTopUpReport } from './top-up-report.type';
import type { CreditUsageReport, CreditUsageRow } from './usage-report.type';

export const toReportPeriod = (period: ResolvedPeriod): ReportPeriod => ({ from: period.from, to: period.to, timeZone: period.timeZone });

export const toUsageRow = ({ amountMicros, ...row }: UsageReport['rows'][number]): CreditUsageRow => ({ ...row, amount: amountMicros });

export function toUsageReport(report: UsageReport): CreditUsageReport {
  return {
    period: toReportPeriod(report.period),
    rows: report.rows.map(toUsageRow),
    customers: report.customers.map(({ amountMicros, ...customer }) => ({ ...customer, amount: amountMicros })),
    totalUsage: report.totalMicros,
    eventCount: report.eventCount,
  };
}

export function toTopUpReport(report: TopUpReport): CreditTopUpReport {
  return {
    period: toReportPeriod(report.period),
    rows: report.rows.map(({ amountMicros, actor, ...row }) => ({
      ...row,
      amount: amountMicros,
      actor: actor?.userId ?? null,
      actorRole: actor?.role ?? null,
      actorName: actor?.name ?? null,
    })),
    customers: report.customers.map(({ amountMicros, reclaimedMicros, ...customer }) => ({ ...customer, amount: amountMicros, reclaimed: reclaimedMicros })),
    totalTransferred: report.totalTransferredMicros,
    totalReclaimed: report.totalReclaimedMicros,
    partnerTopUps: report.partnerTopUpsMicros,
  };
}

export function toSummaryTotals(amounts: SummaryAmounts): CreditSummaryTotals {
  return {
    openingBalance: amounts.openingMicros,
    transfersIn: amounts.transfersInMicros,
    topUps: amounts.topUpsMicros,
    grants: amounts.grantsMicros,
    reclaimsIn: amounts.reclaimsInMicros,
    disputesWon: amounts.disputesWonMicros,
    adjustmentsIn: amounts.adjustmentsInMicros,
    creditsIn: amounts.creditsInMicros,
    usage: amounts.usageMicros,
    expiry: amounts.expiryMicros,
    transfersOut: amounts.transfersOutMicros,
    reversals: amounts.reversalsMicros,
    refunds: amounts.refundsMicros,
    reclaimsOut: amounts.reclaimsOutMicros,
    adjustmentsOut: amounts.adjustmentsOutMicros,
    voids: amounts.voidsMicros,
    creditsOut: amounts.creditsOutMicros,
    closingBalance: amounts.closingMicros,
  };
}

export const toSummaryLine = (line: SummaryLine): CreditSummaryLine => ({
  accountId: line.accountId,
  accountName: line.accountName,
  accountKind: line.accountKind,
  ...toSummaryTotals(line),
  owedAtClose: line.owedAtCloseMicros,
});

export function toSummaryReport(report: SummaryReport): CreditSummaryReport {
  return { period: toReportPeriod(report.period), lines: report.lines.map(toSummaryLine), customerTotals: toSummaryTotals(report.customerTotals) };
}
