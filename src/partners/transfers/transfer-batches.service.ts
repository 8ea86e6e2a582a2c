import { In } from 'typeorm';
import { badInput, DomainError, ErrorCode, invariant } from '../../common/domain-error';
import { assertValidIdempotencyKey, executeOnce, hashRequest, StoredOperation } from '../../common/idempotency';
import type { TransactionRunner } from '../../database/transaction-runner';
import { CreditTransferEntity } from './entities/credit-transfer.entity';
import { findBatch, rowKeyOf } from './transfer-batch.store';
import { TransferBatchMode, TransferBatchRowStatus } from './transfer-batch.enums';
import { PendingTransfer, pendingTransferOrThrow, TransferActor, TransferResult, TransferRowOutcome, TransfersService } from './transfers.service';

export interface TransferBatchCommand {
  /** The partner whose user asks; taken from the principal, never from the input. */
  partnerAccountId: string;
  idempotencyKey: string;
  mode: TransferBatchMode;
  rows: { customerAccountId: string; amountMicros: bigint; note?: string | null }[];
  /** Kept on every transfer of the batch; not part of the request hash (like a single transfer's). */
  actor?: TransferActor | null;
  /** Validate every row against the running balance, moving nothing and claiming no key. */
  dryRun?: boolean;
}

export interface TransferBatchRowResult {
  index: number;
  customerAccountId: string;
  amountMicros: bigint;
  outcome: TransferRowOutcome;
}

export interface TransferBatchResult {
  dryRun: boolean;
  mode: TransferBatchMode;
  rows: TransferBatchRowResult[];
  totals: { rowCount: number; okCount: number; refusedCount: number; notAppliedCount: number; amountMicros: bigint };
}

/**
 * `transferCreditsBatch`: many partner → customer transfers under one idempotency key. Each row is a
 * transfer like `transferCredits` (the same checks, the same refusal codes); the batch goes through
 * the transfers' group commit, so its rows are posted set-wise in one database transaction with the
 * other transfers waiting then. ALL_OR_NOTHING posts every row or none; EACH_ON_ITS_OWN refuses a
 * bad row alone. The batch's record (key, request hash, refused rows) is written in that same
 * transaction, so a replay answers the same rows whatever happened to the balances since.
 */
export class TransferBatchesService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly transfers: TransfersService,
    private readonly maxRows: number,
  ) {}

  async transferBatch(command: TransferBatchCommand): Promise<TransferBatchResult> {
    assertValidIdempotencyKey(command.idempotencyKey);
    if (command.rows.length === 0 || command.rows.length > this.maxRows) {
      throw badInput(`A transfer batch holds 1 to ${this.maxRows} rows (TRANSFER_BATCH_MAX_ROWS); this one has ${command.rows.length}.`, {
        field: 'rows',
        maxRows: this.maxRows,
      });
    }
    const rows = command.rows.map((row, index) => pendingRow(command, row, index));
    if (command.dryRun) return resultOf(command, await this.preview(command, rows), true);

    const requestHash = hashRequest({
      partnerAccountId: command.partnerAccountId,
      mode: command.mode,
      rows: command.rows.map((row) => ({ customerAccountId: row.customerAccountId, amountMicros: row.amountMicros, note: row.note ?? null })),
    });
    const outcomes = await executeOnce({
      requestHash,
      // The group commit reads the batch's key with the other keys and refuses a stored one first.
      lookFirst: false,
      keyReusedMessage:
        'This idempotency key was already used for a different transfer batch (another mode, or other rows or order). Use a new key for a new batch.',
      findExisting: () => this.findByKey(command),
      execute: () =>
        this.transfers.applyBatch({
          partnerAccountId: command.partnerAccountId,
          idempotencyKey: command.idempotencyKey,
          requestHash,
          mode: command.mode,
          rows,
        }),
    });
    return resultOf(command, outcomes, false);
  }

  /**
   * The dry run: every row checked as the batch would check it (the executor's preview, the rows
   * before it that fit included); an ALL_OR_NOTHING batch with a refused row would apply none.
   */
  private async preview(command: TransferBatchCommand, rows: (PendingTransfer | DomainError)[]): Promise<TransferRowOutcome[]> {
    const outcomes = await this.transfers.preview(command.partnerAccountId, rows);
    const refused = outcomes.some((outcome) => outcome.status === TransferBatchRowStatus.REFUSED);
    if (command.mode !== TransferBatchMode.ALL_OR_NOTHING || !refused) return outcomes;
    return outcomes.map((outcome) => (outcome.status === TransferBatchRowStatus.OK ? { status: TransferBatchRowStatus.NOT_APPLIED } : outcome));
  }

  /**
   * A stored batch's rows as first answered: a refused row from its record, a row whose transfer
   * exists as that transfer (balances from its history rows), any other row as not applied.
   */
  private async findByKey(command: TransferBatchCommand): Promise<StoredOperation<TransferRowOutcome[]> | null> {
    return this.runner.read(async (manager) => {
      const stored = await findBatch(manager, command.partnerAccountId, command.idempotencyKey);
      if (!stored) return null;
      const { batch, refusals } = stored;
      const rowKeys = Array.from({ length: batch.rowCount }, (_, index) => rowKeyOf(batch.idempotencyKey, index)).filter((_, index) => !refusals.has(index));
      const transfers =
        rowKeys.length === 0 ? [] : await manager.findBy(CreditTransferEntity, { partnerAccountId: batch.partnerAccountId, idempotencyKey: In(rowKeys) });
      const results = await this.transfers.storedResults(manager, transfers);
      const resultByKey = new Map<string, TransferResult>(transfers.map((transfer, position) => [transfer.idempotencyKey, results[position]]));
      const outcomes = Array.from({ length: batch.rowCount }, (_, index): TransferRowOutcome => {
        const refusal = refusals.get(index);
        if (refusal) return { status: TransferBatchRowStatus.REFUSED, error: new DomainError(refusal.code as ErrorCode, refusal.message) };
        const result = resultByKey.get(rowKeyOf(batch.idempotencyKey, index));
        return result ? { status: TransferBatchRowStatus.OK, result } : { status: TransferBatchRowStatus.NOT_APPLIED };
      });
      return { requestHash: batch.requestHash, result: outcomes };
    });
  }
}

/** A row as a transfer with its derived key, or the refusal of its own input. */
function pendingRow(command: TransferBatchCommand, row: TransferBatchCommand['rows'][number], index: number): PendingTransfer | DomainError {
  try {
    return pendingTransferOrThrow({
      partnerAccountId: command.partnerAccountId,
      customerAccountId: row.customerAccountId,
      amountMicros: row.amountMicros,
      note: row.note,
      idempotencyKey: rowKeyOf(command.idempotencyKey, index),
      actor: command.actor,
    });
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

function resultOf(command: TransferBatchCommand, outcomes: TransferRowOutcome[], dryRun: boolean): TransferBatchResult {
  invariant(outcomes.length === command.rows.length, 'one outcome per row');
  const rows = command.rows.map((row, index) => ({
    index,
    customerAccountId: row.customerAccountId,
    amountMicros: row.amountMicros,
    outcome: outcomes[index],
  }));
  const count = (status: TransferBatchRowStatus) => outcomes.filter((outcome) => outcome.status === status).length;
  return {
    dryRun,
    mode: command.mode,
    rows,
    totals: {
      rowCount: rows.length,
      okCount: count(TransferBatchRowStatus.OK),
      refusedCount: count(TransferBatchRowStatus.REFUSED),
      notAppliedCount: count(TransferBatchRowStatus.NOT_APPLIED),
      amountMicros: rows.reduce((sum, row) => (row.outcome.status === TransferBatchRowStatus.OK ? sum + row.amountMicros : sum), 0n),
    },
  };
}
