import { EntityManager } from 'typeorm';
import { invariant } from '../common/domain-error';
import { sqlInteger } from '../common/money';
import { AccountMovementEntity } from '../ledger/entities/account-movement.entity';
import { CreditMovementType } from '../ledger/ledger.enums';
import type { PostingProjection, PostingRequest } from '../ledger/ledger.service';

export const MILLISECONDS_PER_HOUR = 3_600_000;
/** What a USAGE posting that names no service is reported under. */
export const UNKNOWN_SERVICE = 'unknown';
export const MAX_SERVICE_LENGTH = 64;

/** The UTC hour bucket of an instant: whole hours since the Unix epoch. */
export const bucketHourOf = (instant: Date): number => Math.floor(instant.getTime() / MILLISECONDS_PER_HOUR);

/**
 * Keeps `account_activity_hour` in step with the ledger. It runs inside `LedgerService.post`, in
 * the posting's transaction, and costs one statement per posting: a multi-row upsert whose
 * increment is done by the database (`amountMicros = amountMicros + new`), so concurrent postings
 * into the same bucket never lose an update. The rows it touches belong to accounts whose wallet
 * rows the posting already holds locked, so it adds no new lock-order hazard.
 */
export class RollupWriter implements PostingProjection {
  async record(manager: EntityManager, posting: { request: PostingRequest; movements: AccountMovementEntity[] }): Promise<void> {
    if (posting.movements.length === 0) return;
    const placeholders: string[] = [];
    const parameters: (string | number)[] = [];
    for (const movement of posting.movements) {
      // Amounts are inlined as integer literals: both drivers bind a bigint differently, and a
      // bigint prints only digits and '-'.
      placeholders.push(`(?, ?, ?, ?, ${sqlInteger(movement.amountMicros)}, 1)`);
      parameters.push(movement.accountId, movement.type, bucketHourOf(movement.occurredAt), serviceDimension(posting.request.service, movement.type));
    }
    const insert = `INSERT INTO account_activity_hour (accountId, movementType, bucketHour, service, amountMicros, movementCount) VALUES ${placeholders.join(', ')}`;
    await manager.query(`${insert} ${upsertClause(manager)}`, parameters);
  }
}

function upsertClause(manager: EntityManager): string {
  if (manager.connection.options.type === 'better-sqlite3') {
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
