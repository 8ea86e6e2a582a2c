import { EntityManager } from 'typeorm';
import { invariant } from '../common/domain-error';
import { sqlInteger } from '../common/money';
import { movementTypeOf } from '../balances/history/movement-type';
import { CreditMovementType } from '../ledger/ledger.enums';
import type { Posting, PostingProjection } from '../ledger/posting';
import { dialectOf } from '../database/dialect';
import { bucketDayOfHour, bucketHourOf } from './buckets';

/** What a USAGE posting that names no service is reported under. */
export const UNKNOWN_SERVICE = 'unknown';
export const MAX_SERVICE_LENGTH = 64;

interface Bucket {
  accountId: string;
  type: CreditMovementType;
  bucket: number;
  service: string;
  amountMicros: bigint;
  count: number;
}

/**
 * Keeps the rollup (`account_activity_hour` and its daily tier `account_activity_day`) in step with
 * the ledger. It runs inside the ledger's posting, in the postings' transaction, and costs two
 * statements per batch: the batch's movements summed per bucket in memory, then one multi-row
 * upsert per table whose increment is done by the database (`amountMicros = amountMicros + new`),
 * so concurrent postings into the same bucket never lose an update. The rows it touches belong to
 * accounts whose wallet rows the postings already hold locked, so it adds no new lock-order hazard.
 */
export class RollupWriter implements PostingProjection {
  async project(manager: EntityManager, postings: readonly Posting[]): Promise<void> {
    const hours = new Map<string, Bucket>();
    const days = new Map<string, Bucket>();
    for (const { request, occurredAt, accounts } of postings) {
      const hour = bucketHourOf(occurredAt);
      const day = bucketDayOfHour(hour);
      for (const { accountId, netMicros } of accounts) {
        const type = movementTypeOf(request.type, netMicros);
        const service = serviceDimension(request.service, type);
        add(hours, { accountId, type, bucket: hour, service, amountMicros: netMicros, count: 1 });
        add(days, { accountId, type, bucket: day, service, amountMicros: netMicros, count: 1 });
      }
    }
    if (hours.size === 0) return;
    await upsert(manager, 'account_activity_hour', 'bucketHour', [...hours.values()]);
    await upsert(manager, 'account_activity_day', 'bucketDay', [...days.values()]);
  }
}

function add(buckets: Map<string, Bucket>, movement: Bucket): void {
  const key = `${movement.accountId}\u0000${movement.type}\u0000${movement.bucket}\u0000${movement.service}`;
  const bucket = buckets.get(key);
  if (!bucket) buckets.set(key, movement);
  else {
    bucket.amountMicros += movement.amountMicros;
    bucket.count += movement.count;
  }
}

async function upsert(manager: EntityManager, table: string, bucketColumn: string, rows: Bucket[]): Promise<void> {
  // Amounts are inlined as integer literals: both drivers bind a bigint differently, and a
  // bigint prints only digits and '-'.
  const placeholders = rows.map(({ amountMicros, count }) => `(?, ?, ?, ?, ${sqlInteger(amountMicros)}, ${sqlInteger(BigInt(count))})`);
  await manager.query(
    `INSERT INTO ${table} (accountId, movementType, ${bucketColumn}, service, amountMicros, movementCount) VALUES ${placeholders.join(', ')} ${upsertClause(manager, bucketColumn)}`,
    rows.flatMap(({ accountId, type, bucket, service }) => [accountId, type, bucket, service]),
  );
}

function upsertClause(manager: EntityManager, bucketColumn: string): string {
  if (dialectOf(manager) === 'sqlite') {
    return `ON CONFLICT (accountId, movementType, ${bucketColumn}, service) DO UPDATE SET amountMicros = amountMicros + excluded.amountMicros, movementCount = movementCount + excluded.movementCount`;
  }
  return 'ON DUPLICATE KEY UPDATE amountMicros = amountMicros + VALUES(amountMicros), movementCount = movementCount + VALUES(movementCount)';
}

/** Usage is broken down by service; an absent or blank name (older callers) is `unknown`. */
function serviceDimension(service: string | null | undefined, type: CreditMovementType): string {
  if (type !== CreditMovementType.USAGE) return '';
  const name = (service ?? '').trim();
  invariant(name.length <= MAX_SERVICE_LENGTH, `a usage service name has at most ${MAX_SERVICE_LENGTH} characters`);
  return name === '' ? UNKNOWN_SERVICE : name;
}
