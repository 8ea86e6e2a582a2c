import { EntityManager } from 'typeorm';
import { AccountKind } from '../accounts/account.enums';
import { AccountEntity } from '../accounts/entities/account.entity';
import { badInput, invariant } from '../common/domain-error';
import type { TransactionRunner } from '../database/transaction-runner';
import { AccountMovementEntity } from '../balances/history/entities/account-movement.entity';
import { CreditMovementType } from '../ledger/ledger.enums';
import { resolveReportPeriod, ReportPeriod, ReportPeriodInput } from './report-period';
import { activityTotals, ActivityTotal, balancesAt, movementActors, partnerTopUpMovements, usageHours } from './report-queries';
import {
  CustomerUsage,
  SummaryAmounts,
  SummaryLine,
  SummaryReport,
  TopUpReport,
  TopUpReportEntryKind,
  TopUpReportRow,
  TopUpReportStream,
  UsageReport,
  UsageReportRow,
} from './reports.types';

/** Rows per read when listing transfers and top-ups; bounds memory however long the list. */
const TOP_UP_PAGE_SIZE = 500;
/** The most transfer and top-up rows one GraphQL answer carries; the CSV has no limit. */
export const MAX_TOP_UP_REPORT_ROWS = 10_000;

interface ReportScope {
  partner: AccountEntity;
  /** Sorted by name, then id. */
  customers: AccountEntity[];
  /** The report is narrowed to one customer: the partner's own account and activity are left out. */
  narrowed: boolean;
}

/** Which of the partner's customers a report covers: all of them (the default), or one. */
export interface ReportScopeOptions {
  /** One of the partner's own customers (the caller has checked it with AccessPolicy.readPartnerReports). */
  customerAccountId?: string | null;
}

/**
 * The partner reports: usage, top-ups (transfers and the partner's own purchases) and the summary
 * that reconciles every customer's balance, about the partner's own customers and its own account.
 * Callers authorise first (AccessPolicy.readPartnerReports: a partner's users, any role). Sums come from the hourly rollup and
 * balances from one seek per account, so a report costs the same however many entries its period
 * holds.
 */
export class ReportsService {
  constructor(private readonly runner: TransactionRunner) {}

  async usageReport(partnerId: string, input: ReportPeriodInput, options: ReportScopeOptions = {}): Promise<UsageReport> {
    const period = resolveReportPeriod(input);
    return this.readSnapshot(async (manager) => {
      const scope = await loadScope(manager, partnerId, options);
      const hours = await usageHours(
        manager,
        scope.customers.map((customer) => customer.id),
        period,
      );
      return buildUsageReport(scope, period, hours);
    });
  }

  async summaryReport(partnerId: string, input: ReportPeriodInput, options: ReportScopeOptions = {}): Promise<SummaryReport> {
    const period = resolveReportPeriod(input);
    return this.readSnapshot(async (manager) => {
      const scope = await loadScope(manager, partnerId, options);
      const accounts = accountsOf(scope);
      const ids = accounts.map((account) => account.id);
      const opening = await balancesAt(manager, ids, period.from);
      const closing = await balancesAt(manager, ids, period.to);
      const totals = await activityTotals(manager, ids, period);
      const lines = accounts.map((account) =>
        summaryLine(account, {
          opening: totalOf(opening.get(account.id)!),
          closing: totalOf(closing.get(account.id)!),
          closingTopUp: closing.get(account.id)!.topUpMicros,
          activity: totals.get(account.id) ?? new Map(),
        }),
      );
      return { period, lines, customerTotals: sumAmounts(lines.filter((line) => line.accountKind !== AccountKind.PARTNER)) };
    });
  }

  /**
   * Each account's usage (positive micro-credits) over a period, in the order given: one rollup
   * statement for all of them. Callers authorise the accounts (the Account field resolvers only see
   * accounts the principal may read).
   */
  async usageTotals(accountIds: readonly string[], input: ReportPeriodInput): Promise<bigint[]> {
    const period = resolveReportPeriod(input);
    const totals = await this.runner.read((manager) => activityTotals(manager, [...accountIds], period));
    return accountIds.map((id) => -(totals.get(id)?.get(CreditMovementType.USAGE)?.amountMicros ?? 0n));
  }

  /** Validates at once, so a refusal comes before the first CSV byte; rows follow lazily. */
  async topUpReportStream(partnerId: string, input: ReportPeriodInput, options: ReportScopeOptions = {}): Promise<TopUpReportStream> {
    const period = resolveReportPeriod(input);
    const { scope, totals } = await this.readSnapshot(async (manager) => {
      const loaded = await loadScope(manager, partnerId, options);
      const ids = accountsOf(loaded).map((account) => account.id);
      return { scope: loaded, totals: await activityTotals(manager, ids, period) };
    });
    const customers = scope.customers.map((customer) => {
      const received = totals.get(customer.id)?.get(CreditMovementType.TRANSFER_IN);
      const reclaimed = totals.get(customer.id)?.get(CreditMovementType.RECLAIM_OUT);
      return {
        customerId: customer.id,
        customerName: customer.name,
        amountMicros: received?.amountMicros ?? 0n,
        transferCount: received?.movementCount ?? 0,
        // Reclaim movements are negative on the customer's side; the report shows what was taken back.
        reclaimedMicros: -(reclaimed?.amountMicros ?? 0n),
        reclaimCount: reclaimed?.movementCount ?? 0,
      };
    });
    const partnerActivity = scope.narrowed ? undefined : totals.get(scope.partner.id);
    const partnerTopUpsMicros =
      (partnerActivity?.get(CreditMovementType.TOP_UP)?.amountMicros ?? 0n) +
      (partnerActivity?.get(CreditMovementType.TOP_UP_REVERSAL)?.amountMicros ?? 0n) +
      (partnerActivity?.get(CreditMovementType.REFUND)?.amountMicros ?? 0n) +
      (partnerActivity?.get(CreditMovementType.DISPUTE_WON)?.amountMicros ?? 0n);
    return {
      period,
      customers,
      totalTransferredMicros: customers.reduce((sum, customer) => sum + customer.amountMicros, 0n),
      totalReclaimedMicros: customers.reduce((sum, customer) => sum + customer.reclaimedMicros, 0n),
      partnerTopUpsMicros,
      rows: this.topUpRows(scope, period),
    };
  }

  async topUpReport(partnerId: string, input: ReportPeriodInput, options: ReportScopeOptions = {}): Promise<TopUpReport> {
    const stream = await this.topUpReportStream(partnerId, input, options);
    const rows: TopUpReportRow[] = [];
    for await (const row of stream.rows) {
      if (rows.length === MAX_TOP_UP_REPORT_ROWS) {
        throw badInput(`The period holds more than ${MAX_TOP_UP_REPORT_ROWS} transfers and top-ups; download the CSV or choose a shorter period.`, {
          field: 'period',
        });
      }
      rows.push(row);
    }
    return { ...stream, rows };
  }

  private async *topUpRows(scope: ReportScope, period: ReportPeriod): AsyncGenerator<TopUpReportRow> {
    const names = new Map([scope.partner, ...scope.customers].map((account) => [account.id, account.name]));
    let after: { occurredAt: Date; id: number } | null = null;
    for (;;) {
      const cursor = after;
      const { page, actors } = await this.runner.readReplica(async (manager) => {
        const movements: AccountMovementEntity[] = await partnerTopUpMovements(manager, {
          partnerId: scope.partner.id,
          customerId: scope.narrowed ? scope.customers[0].id : null,
          period,
          after: cursor,
          limit: TOP_UP_PAGE_SIZE,
        });
        const transactionsOf = (type: CreditMovementType) => movements.filter((movement) => movement.type === type).map((movement) => movement.transactionId);
        return {
          page: movements,
          actors: await movementActors(manager, {
            transfers: transactionsOf(CreditMovementType.TRANSFER_OUT),
            reclaims: transactionsOf(CreditMovementType.RECLAIM_IN),
          }),
        };
      });
      for (const movement of page) {
        const kind = TOP_UP_KIND_OF_MOVEMENT[movement.type];
        invariant(kind !== undefined, `movement ${movement.id} belongs in the top-up report`);
        const withCustomer = kind === TopUpReportEntryKind.TRANSFER || kind === TopUpReportEntryKind.RECLAIM;
        const accountId = withCustomer ? movement.counterpartyAccountId : scope.partner.id;
        invariant(accountId, `${kind} movement ${movement.id} names the customer`);
        yield {
          occurredAt: movement.occurredAt,
          kind,
          accountId,
          accountName: names.get(accountId) ?? '',
          // The report shows what the customer got: the partner's side of a transfer is negative (the
          // customer's positive), of a reclaim positive (the customer's negative).
          amountMicros: withCustomer ? -movement.amountMicros : movement.amountMicros,
          reference: movement.reference,
          actor: actors.get(movement.transactionId) ?? null,
        };
      }
      if (page.length < TOP_UP_PAGE_SIZE) return;
      after = page[page.length - 1];
    }
  }

  /**
   * Reads that must agree with each other (balances and sums) see one snapshot: a REPEATABLE READ
   * transaction on MySQL. SQLite runs every unit of work alone on its queue, which is as good.
   * Reports read the replica when one is configured: a report is about a closed or running period
   * and may trail the primary by the replica's lag; the snapshot keeps it consistent in itself.
   */
  private readSnapshot<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.runner.dialect === 'sqlite') return this.runner.read(work);
    return this.runner.readReplica((manager) => manager.transaction('REPEATABLE READ', work));
  }
}

const TOP_UP_KIND_OF_MOVEMENT: Partial<Record<CreditMovementType, TopUpReportEntryKind>> = {
  [CreditMovementType.TRANSFER_OUT]: TopUpReportEntryKind.TRANSFER,
  [CreditMovementType.RECLAIM_IN]: TopUpReportEntryKind.RECLAIM,
  [CreditMovementType.TOP_UP]: TopUpReportEntryKind.TOP_UP,
  [CreditMovementType.TOP_UP_REVERSAL]: TopUpReportEntryKind.TOP_UP_REVERSAL,
  [CreditMovementType.REFUND]: TopUpReportEntryKind.REFUND,
  [CreditMovementType.DISPUTE_WON]: TopUpReportEntryKind.DISPUTE_WON,
  [CreditMovementType.ADJUSTMENT]: TopUpReportEntryKind.ADJUSTMENT,
};

async function loadScope(manager: EntityManager, partnerId: string, options: ReportScopeOptions): Promise<ReportScope> {
  const partner = await manager.findOneBy(AccountEntity, { id: partnerId });
  invariant(partner?.kind === AccountKind.PARTNER, `the caller authorised reports of partner ${partnerId}`);
  if (options.customerAccountId != null) {
    const customer = await manager.findOneBy(AccountEntity, { id: options.customerAccountId, partnerId });
    invariant(customer, `the caller authorised reports on customer ${options.customerAccountId}`);
    return { partner, customers: [customer], narrowed: true };
  }
  const customers = await manager.find(AccountEntity, { where: { partnerId }, order: { name: 'ASC', id: 'ASC' } });
  return { partner, customers, narrowed: false };
}

/** The accounts a report lists: the customers, then (unless narrowed to one customer) the partner itself. */
function accountsOf(scope: ReportScope): AccountEntity[] {
  return scope.narrowed ? scope.customers : [...scope.customers, scope.partner];
}

function buildUsageReport(scope: ReportScope, period: ReportPeriod, hours: Awaited<ReturnType<typeof usageHours>>): UsageReport {
  const cells = new Map<string, UsageReportRow>();
  const names = new Map(scope.customers.map((customer) => [customer.id, customer.name]));
  for (const hour of hours) {
    const date = period.localDateOfHour(hour.bucketHour);
    const key = JSON.stringify([hour.accountId, date, hour.service]);
    const cell = cells.get(key) ?? {
      customerId: hour.accountId,
      customerName: names.get(hour.accountId)!,
      date,
      service: hour.service,
      amountMicros: 0n,
      eventCount: 0,
    };
    // Usage movements are negative (credits out); the report shows consumption as positive.
    cell.amountMicros -= hour.amountMicros;
    cell.eventCount += hour.movementCount;
    cells.set(key, cell);
  }
  const order = new Map(scope.customers.map((customer, index) => [customer.id, index]));
  const rows = [...cells.values()].sort(
    (a, b) => order.get(a.customerId)! - order.get(b.customerId)! || compareText(a.date, b.date) || compareText(a.service, b.service),
  );
  const customers: CustomerUsage[] = scope.customers.map((customer) => ({
    customerId: customer.id,
    customerName: customer.name,
    amountMicros: 0n,
    eventCount: 0,
  }));
  for (const row of rows) {
    const total = customers[order.get(row.customerId)!];
    total.amountMicros += row.amountMicros;
    total.eventCount += row.eventCount;
  }
  return {
    period,
    rows,
    customers,
    totalMicros: customers.reduce((sum, customer) => sum + customer.amountMicros, 0n),
    eventCount: customers.reduce((sum, customer) => sum + customer.eventCount, 0),
  };
}

function summaryLine(
  account: AccountEntity,
  data: { opening: bigint; closing: bigint; closingTopUp: bigint; activity: Map<CreditMovementType, ActivityTotal> },
): SummaryLine {
  const sum = (type: CreditMovementType) => data.activity.get(type)?.amountMicros ?? 0n;
  const amounts = {
    transfersInMicros: sum(CreditMovementType.TRANSFER_IN),
    topUpsMicros: sum(CreditMovementType.TOP_UP),
    grantsMicros: sum(CreditMovementType.PROMOTIONAL_GRANT),
    reclaimsInMicros: sum(CreditMovementType.RECLAIM_IN),
    disputesWonMicros: sum(CreditMovementType.DISPUTE_WON),
    usageMicros: -sum(CreditMovementType.USAGE),
    expiryMicros: -sum(CreditMovementType.PROMOTIONAL_EXPIRY),
    transfersOutMicros: -sum(CreditMovementType.TRANSFER_OUT),
    reversalsMicros: -sum(CreditMovementType.TOP_UP_REVERSAL),
    refundsMicros: -sum(CreditMovementType.REFUND),
    reclaimsOutMicros: -sum(CreditMovementType.RECLAIM_OUT),
    // The rollup keeps the net of a type per bucket: adjustments in both directions show as their net, on its side.
    adjustmentsInMicros: positivePart(sum(CreditMovementType.ADJUSTMENT)),
    adjustmentsOutMicros: positivePart(-sum(CreditMovementType.ADJUSTMENT)),
    voidsMicros: -sum(CreditMovementType.PROMOTIONAL_VOID),
  };
  const creditsInMicros =
    amounts.transfersInMicros +
    amounts.topUpsMicros +
    amounts.grantsMicros +
    amounts.reclaimsInMicros +
    amounts.disputesWonMicros +
    amounts.adjustmentsInMicros;
  const creditsOutMicros =
    amounts.usageMicros +
    amounts.expiryMicros +
    amounts.transfersOutMicros +
    amounts.reversalsMicros +
    amounts.refundsMicros +
    amounts.reclaimsOutMicros +
    amounts.adjustmentsOutMicros +
    amounts.voidsMicros;
  // The rollup and the balance history are written in the same transaction as the entries, so they
  // can only disagree through a bug (or rows written before the rollup existed, without a backfill).
  invariant(
    data.opening + creditsInMicros - creditsOutMicros === data.closing,
    `account ${account.id}: opening ${data.opening} + in ${creditsInMicros} - out ${creditsOutMicros} = closing ${data.closing}`,
  );
  return {
    accountId: account.id,
    accountName: account.name,
    accountKind: account.kind,
    openingMicros: data.opening,
    ...amounts,
    creditsInMicros,
    creditsOutMicros,
    closingMicros: data.closing,
    owedAtCloseMicros: positivePart(-data.closingTopUp),
  };
}

const SUMMARY_AMOUNT_KEYS = [
  'openingMicros',
  'transfersInMicros',
  'topUpsMicros',
  'grantsMicros',
  'reclaimsInMicros',
  'disputesWonMicros',
  'adjustmentsInMicros',
  'creditsInMicros',
  'usageMicros',
  'expiryMicros',
  'transfersOutMicros',
  'reversalsMicros',
  'refundsMicros',
  'reclaimsOutMicros',
  'adjustmentsOutMicros',
  'voidsMicros',
  'creditsOutMicros',
  'closingMicros',
] as const satisfies readonly (keyof SummaryAmounts)[];

function sumAmounts(lines: SummaryAmounts[]): SummaryAmounts {
  const totals = Object.fromEntries(SUMMARY_AMOUNT_KEYS.map((key) => [key, 0n])) as unknown as SummaryAmounts;
  for (const line of lines) for (const key of SUMMARY_AMOUNT_KEYS) totals[key] += line[key];
  return totals;
}

const positivePart = (micros: bigint) => (micros > 0n ? micros : 0n);
const totalOf = (balance: { topUpMicros: bigint; promotionalMicros: bigint }) => balance.topUpMicros + balance.promotionalMicros;
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
