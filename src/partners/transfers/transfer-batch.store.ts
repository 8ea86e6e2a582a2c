import { EntityManager } from 'typeorm';
import { type DomainError, invariant } from '../../common/domain-error';
import { insertRows } from '../../database/bulk-insert';
import { TransferBatchRefusalEntity } from './entities/transfer-batch-refusal.entity';
import { TransferBatchEntity } from './entities/transfer-batch.entity';
import { type TransferBatchMode, TransferBatchRowStatus } from './transfer-batch.enums';

/** What is stored of a batch (the service's PendingBatch has it; named here so the store imports no service). */
export interface BatchRecord {
  partnerAccountId: string;
  idempotencyKey: string;
  requestHash: string;
  mode: TransferBatchMode;
  rows: readonly unknown[];
}

/** What is stored of a row's fate: the refusal of a refused row (the service's BatchRowOutcome has it). */
export type RecordedRowOutcome =
  { status: TransferBatchRowStatus.REFUSED; error: DomainError } | { status: TransferBatchRowStatus.OK | TransferBatchRowStatus.NOT_APPLIED };

/**
 * The records of applied transfer batches, written in the transaction that applied them: one
 * multi-row insert of the batches, one read of their ids, one multi-row insert of the refused rows.
 */

/** A batch's key among all partners' batches. */
export const batchKeyOf = (batch: Pick<BatchRecord, 'partnerAccountId' | 'idempotencyKey'>) => `${batch.partnerAccountId}:${batch.idempotencyKey}`;

/** The transfer key of a batch's row: `/` never appears in a client's key, so it cannot collide with one. */
export const rowKeyOf = (batchIdempotencyKey: string, rowIndex: number) => `${batchIdempotencyKey}/${rowIndex}`;

/** Which of these batches' keys are stored: one statement (none without batches). */
export async function existingBatchKeys(manager: EntityManager, batches: Pick<BatchRecord, 'partnerAccountId' | 'idempotencyKey'>[]): Promise<Set<string>> {
  if (batches.length === 0) return new Set();
  const rows = await manager.find(TransferBatchEntity, {
    select: { partnerAccountId: true, idempotencyKey: true },
    where: batches.map(({ partnerAccountId, idempotencyKey }) => ({ partnerAccountId, idempotencyKey })),
  });
  return new Set(rows.map(batchKeyOf));
}

export async function recordBatches(manager: EntityManager, applied: { batch: BatchRecord; rows: RecordedRowOutcome[] }[], createdAt: Date): Promise<void> {
  if (applied.length === 0) return;
  await insertRows(
    manager,
    TransferBatchEntity,
    applied.map(({ batch }) => ({
      partnerAccountId: batch.partnerAccountId,
      idempotencyKey: batch.idempotencyKey,
      requestHash: batch.requestHash,
      mode: batch.mode,
      rowCount: batch.rows.length,
      createdAt,
    })),
  );
  const refused = applied.filter(({ rows }) => rows.some((row) => row.status === TransferBatchRowStatus.REFUSED));
  if (refused.length === 0) return;
  const ids = await manager.find(TransferBatchEntity, {
    select: { id: true, partnerAccountId: true, idempotencyKey: true },
    where: refused.map(({ batch: { partnerAccountId, idempotencyKey } }) => ({ partnerAccountId, idempotencyKey })),
  });
  const idByKey = new Map(ids.map((row) => [batchKeyOf(row), row.id]));
  await insertRows(
    manager,
    TransferBatchRefusalEntity,
    refused.flatMap(({ batch, rows }) => {
      const batchId = idByKey.get(batchKeyOf(batch));
      invariant(batchId !== undefined, `batch ${batchKeyOf(batch)} was inserted`);
      return rows.flatMap((row, rowIndex) =>
        row.status === TransferBatchRowStatus.REFUSED ? [{ batchId, rowIndex, code: row.error.code, message: row.error.message.slice(0, 255) }] : [],
      );
    }),
  );
}

/** A stored batch and its refused rows (by row index), or null. */
export async function findBatch(
  manager: EntityManager,
  partnerAccountId: string,
  idempotencyKey: string,
): Promise<{ batch: TransferBatchEntity; refusals: Map<number, TransferBatchRefusalEntity> } | null> {
  const batch = await manager.findOneBy(TransferBatchEntity, { partnerAccountId, idempotencyKey });
  if (!batch) return null;
  const refusals = await manager.findBy(TransferBatchRefusalEntity, { batchId: batch.id });
  return { batch, refusals: new Map(refusals.map((refusal) => [refusal.rowIndex, refusal])) };
}
