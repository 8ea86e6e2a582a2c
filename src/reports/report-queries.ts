import { apiKeyIdOfActor } from '../auth/principal';
import { ApiKeyEntity } from '../api-keys/entities/api-key.entity';
import { Brackets, EntityManager, In } from 'typeorm';
import { AccountMovementEntity } from '../balances/history/entities/account-movement.entity';
import { CreditMovementType } from '../ledger/ledger.enums';
import { AccountActivityHourEntity } from './entities/account-activity-hour.entity';
import { periodTiers } from './buckets';
import type { ReportPeriod } from './report-period';
import type { TopUpReportActor } from './reports.types';
import { CreditReclaimEntity } from '../partners/transfers/entities/credit-reclaim.entity';
import { CreditTransferEntity } from '../partners/transfers/entities/credit-transfer.entity';
import type { PartnerCustomerRecord } from '../partners/transfers/entities/partner-customer-record';

/**
 * The reports' reads. Each is one statement whose cost depends on the number of accounts and hours
 * in the period, never on the number of ledger entries: sums come from the rollup (whole days from the
 * daily tier, the edge hours from the hourly one), and a
 * balance at an instant is one backward index seek on account_movement (accountId, occurredAt, id).
 */

export interface ActivityTotal {
  amountMicros: bigint;
  movementCount: number;
}

/**
 * Per account and movement type, the summed rollup over the period, in one statement: the period's
 * whole UTC days from the daily tier and its edge hours from the hourly one (`periodTiers`), so a
 * year costs at most 366 + 46 rows per account, type and service however many movements it holds.
 */
export async function activityTotals(
  manager: EntityManager,
  accountIds: string[],
  period: ReportPeriod,
): Promise<Map<string, Map<CreditMovementType, ActivityTotal>>> {
  const totals = new Map<string, Map<CreditMovementType, ActivityTotal>>();
  if (accountIds.length === 0) return totals;
  const tiers = periodTiers(period.fromHour, period.toHour);
  const ranges = [
    ...(tiers.days ? [{ table: 'account_activity_day', column: 'bucketDay', range: tiers.days }] : []),
    ...tiers.hours.map((range) => ({ table: 'account_activity_hour', column: 'bucketHour', range })),
  ];
  const types = Object.values(CreditMovementType);
  const parameters: unknown[] = [];
  // Naming every type lets the primary key (accountId, movementType, bucket…) serve one range per
  // account and type, instead of reading the account's whole history of buckets.
  const arms = ranges.map(({ table, column, range }) => {
    parameters.push(...accountIds, ...types, range[0], range[1]);
    return `SELECT accountId, movementType, amountMicros, movementCount FROM ${table}
      WHERE accountId IN (${accountIds.map(() => '?').join(', ')}) AND movementType IN (${types.map(() => '?').join(', ')}) AND ${column} >= ? AND ${column} < ?`;
  });
  const rows: { accountId: string; movementType: CreditMovementType; amountMicros: unknown; movementCount: unknown }[] = await manager.query(
    `SELECT accountId, movementType, SUM(amountMicros) AS amountMicros, SUM(movementCount) AS movementCount
     FROM (${arms.join(' UNION ALL ')}) activity GROUP BY accountId, movementType`,
    parameters,
  );
  for (const row of rows) {
    const byType = totals.get(row.accountId) ?? new Map<CreditMovementType, ActivityTotal>();
    byType.set(row.movementType, { amountMicros: BigInt(String(row.amountMicros)), movementCount: Number(row.movementCount) });
    totals.set(row.accountId, byType);
  }
  return totals;
}

export interface UsageHour {
  accountId: string;
  bucketHour: number;
  service: string;
  amountMicros: bigint;
  movementCount: number;
}

/** The USAGE rollup rows of the period: at most one per account, service and hour. */
export async function usageHours(manager: EntityManager, accountIds: string[], period: ReportPeriod): Promise<UsageHour[]> {
  if (accountIds.length === 0) return [];
  const rows = await manager
    .createQueryBuilder(AccountActivityHourEntity, 'hour')
    .where('hour.accountId IN (:...accountIds)', { accountIds })
    .andWhere('hour.movementType = :type', { type: CreditMovementType.USAGE })
    .andWhere('hour.bucketHour >= :fromHour AND hour.bucketHour < :toHour', { fromHour: period.fromHour, toHour: period.toHour })
    .getMany();
  return rows.map((row) => ({ ...row, bucketHour: Number(row.bucketHour), movementCount: Number(row.movementCount) }));
}

export interface BalanceAt {
  topUpMicros: bigint;
  promotionalMicros: bigint;
}

/** Accounts per balance statement: bounds the statement's size; the count grows with accounts only. */
const BALANCE_SEEKS_PER_STATEMENT = 200;

/**
 * Each account's balances at an instant: those after its last movement strictly before it (zero
 * when it has none). Each account is its own `accountId = ? AND occurredAt < ? ORDER BY occurredAt
 * DESC, id DESC LIMIT 1`, a single backward seek on (accountId, occurredAt, id), joined by UNION ALL
 * into one statement per 200 accounts. (A correlated subquery on `account.id` would do: MariaDB
 * then walks back from the account's newest movement, through every one after the instant.)
 */
export async function balancesAt(manager: EntityManager, accountIds: string[], instant: Date): Promise<Map<string, BalanceAt>> {
  const balances = new Map<string, BalanceAt>(accountIds.map((id) => [id, { topUpMicros: 0n, promotionalMicros: 0n }]));
  for (let start = 0; start < accountIds.length; start += BALANCE_SEEKS_PER_STATEMENT) {
    const parts: string[] = [];
    const parameters: unknown[] = [];
    accountIds.slice(start, start + BALANCE_SEEKS_PER_STATEMENT).forEach((accountId, index) => {
      const [sql, partParameters] = manager
        .createQueryBuilder(AccountMovementEntity, 'movement')
        .select('movement.accountId', 'accountId')
        .addSelect('movement.topUpBalanceAfterMicros', 'topUpMicros')
        .addSelect('movement.promotionalBalanceAfterMicros', 'promotionalMicros')
        .where('movement.accountId = :accountId AND movement.occurredAt < :instant', { accountId, instant })
        .orderBy('movement.occurredAt', 'DESC')
        .addOrderBy('movement.id', 'DESC')
        .limit(1)
        .getQueryAndParameters();
      // Wrapped, because SQLite allows no ORDER BY or LIMIT on the arms of a UNION.
      parts.push(`SELECT * FROM (${sql}) latest${index}`);
      parameters.push(...partParameters);
    });
    const rows: { accountId: string; topUpMicros: unknown; promotionalMicros: unknown }[] = await manager.query(parts.join(' UNION ALL '), parameters);
    for (const row of rows) {
      balances.set(row.accountId, { topUpMicros: BigInt(String(row.topUpMicros)), promotionalMicros: BigInt(String(row.promotionalMicros)) });
    }
  }
  return balances;
}

/** Movement types the top-up report lists from the partner's own history. */
export const TOP_UP_REPORT_TYPES = [
  CreditMovementType.TRANSFER_OUT,
  CreditMovementType.RECLAIM_IN,
  CreditMovementType.TOP_UP,
  CreditMovementType.TOP_UP_REVERSAL,
  CreditMovementType.REFUND,
  CreditMovementType.DISPUTE_WON,
  CreditMovementType.ADJUSTMENT,
];
/** The partner's movements with a customer as counterparty: what a report narrowed to one customer lists. */
const CUSTOMER_MOVEMENT_TYPES = [CreditMovementType.TRANSFER_OUT, CreditMovementType.RECLAIM_IN];

/**
 * One page, in time order, of the partner's transfers out, reclaims and own top-ups in the period;
 * with a customer, only the transfers to and reclaims from that customer.
 */
export async function partnerTopUpMovements(
  manager: EntityManager,
  context: {
    partnerId: string;
    customerId: string | null;
    period: ReportPeriod;
    after: Pick<AccountMovementEntity, 'occurredAt' | 'id'> | null;
    limit: number;
  },
): Promise<AccountMovementEntity[]> {
  const { partnerId, customerId, period, after, limit } = context;
  const query = manager.createQueryBuilder(AccountMovementEntity, 'movement').where('movement.accountId = :partnerId', { partnerId });
  if (customerId) {
    query.andWhere('movement.type IN (:...customerTypes) AND movement.counterpartyAccountId = :customerId', {
      customerTypes: CUSTOMER_MOVEMENT_TYPES,
      customerId,
    });
  } else {
    query.andWhere('movement.type IN (:...types)', { types: TOP_UP_REPORT_TYPES });
  }
  query.andWhere('movement.occurredAt >= :from AND movement.occurredAt < :to', { from: period.from, to: period.to });
  if (after) {
    query.andWhere(
      new Brackets((inner) =>
        inner
          .where('movement.occurredAt > :afterTime', { afterTime: after.occurredAt })
          .orWhere('(movement.occurredAt = :afterTime AND movement.id > :afterId)', { afterId: after.id }),
      ),
    );
  }
  return query.orderBy('movement.occurredAt', 'ASC').addOrderBy('movement.id', 'ASC').limit(limit).getMany();
}

/**
 * Who made each of a page's transfers and reclaims (by ledger transaction id), in one indexed lookup
 * per table present in the page; transfers recorded before actors were kept have none.
 */
export async function movementActors(
  manager: EntityManager,
  transactionIds: { transfers: number[]; reclaims: number[] },
): Promise<Map<number, TopUpReportActor>> {
  const actors = new Map<number, TopUpReportActor>();
  for (const [table, ids] of [
    [CreditTransferEntity, transactionIds.transfers],
    [CreditReclaimEntity, transactionIds.reclaims],
  ] as const) {
    if (ids.length === 0) continue;
    const records: PartnerCustomerRecord[] = await manager.find(table, {
      select: { transactionId: true, actorUserId: true, actorRole: true },
      where: { transactionId: In(ids) },
    });
    for (const record of records) {
      if (record.actorUserId) actors.set(record.transactionId, { userId: record.actorUserId, role: record.actorRole, name: null });
    }
  }
  await nameApiKeyActors(manager, actors);
  return actors;
}

/** Fills in the names of the API keys among the actors, in one lookup by key id. */
async function nameApiKeyActors(manager: EntityManager, actors: Map<number, TopUpReportActor>): Promise<void> {
  const keyIds = [...new Set([...actors.values()].map((actor) => apiKeyIdOfActor(actor.userId)).filter((id): id is string => id !== null))];
  if (keyIds.length === 0) return;
  const keys = await manager.find(ApiKeyEntity, { select: { id: true, name: true }, where: { id: In(keyIds) } });
  const names = new Map(keys.map((key) => [key.id, key.name]));
  for (const actor of actors.values()) {
    const keyId = apiKeyIdOfActor(actor.userId);
    if (keyId) actor.name = names.get(keyId) ?? null;
  }
}
