import { EntityManager } from 'typeorm';
import { invariant } from '../common/domain-error';
import { sqlInteger } from '../common/money';
import { movementTypeOf } from '../ledger/history/movement-type';
import { CreditMovementType } from '../ledger/ledger.enums';
import type { Posting, PostingProjection } from '../ledger/posting';
import { dialectOf } from '../database/dialect';

export const MILLISECONDS_PER_HOUR = 3_600_000;
/** What a USAGE posting that names no service is reported under. */
export const UNKNOWN_SERVICE = 'unknown';
export const MAX_SERVICE_LENGTH = 64;

/** The UTC hour bucket of an instant: whole hours since the Unix epoch. */
export const bucketHourOf = (instant: Date): number => Math.floor(instant.getTime() / MILLISECONDS_PER_HOUR);

/**
 * Keeps `account_activity_hour` in step with the ledger. It runs inside the ledger's posting, in
 * the postings' transaction, and costs one statement per batch: the batch's movements summed per
 * bucket in memory, then a multi-row upsert whose increment is done by the database
 * (`amountMicros = amountMicros + new`), so concurrent postings into the same bucket never lose an
 * update. The rows it touches belong to accounts whose wallet rows the postings already hold
 * locked, so it adds no new lock-order hazard.
 */
export class RollupWriter implements PostingProjection {
  async project(manager: EntityManager, postings: readonly Posting[]): Promise<void> {
    const buckets = new Map<string, { parameters: (string | number)[]; amountMicros: bigint; count: number }>();
    for (const { request, occurredAt, accounts } of postings) {
      for (const { accountId, netMicros } of accounts) {
        const type = movementTypeOf(request.type, netMicros);
        const parameters = [accountId, type, bucketHourOf(occurredAt), serviceDimension(request.service, type)];
        const key = JSON.stringify(parameters);
        const bucket = buckets.get(key) ?? { parameters, amountMicros: 0n, count: 0 };
        bucket.amountMicros += netMicros;
        bucket.count += 1;
        buckets.set(key, bucket);
      }
    }
    if (buckets.size === 0) return;
    // Amounts are inlined as integer literals: both drivers bind a bigint differently, and a
    // bigint prints only digits and '-'.
    const rows = [...buckets.values()];
    const placeholders = rows.map(({ amountMicros, count }) => `(?, ?, ?, ?, ${sqlInteger(amountMicros)}, ${sqlInteger(BigInt(count))})`);
    const insert = `INSERT INTO account_activity_hour (accountId, movementType, bucketHour, service, amountMicros, movementCount) VALUES ${placeholders.join(', ')}`;
    await manager.query(
      `${insert} ${upsertClause(manager)}`,
      rows.flatMap(({ parameters }) => parameters),
    );
  }
}

function upsertClause(manager: EntityManager): string {
  if (dialectOf(manager) === 'sqlite') {
    return 'ON CONFLICT (accountId, movementType, bucketHour, service) DO UPDATE SET amountMicros = amountMicros + excluded.amountMicros, movementCount = movementCount + excluded.movementCount';
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
