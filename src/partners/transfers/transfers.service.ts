import { EntityManager, In } from 'typeorm';
import { AccountStatus } from '../../accounts/account.enums';
import { AccountEntity } from '../../accounts/entities/account.entity';
import { DomainError } from '../../common/domain-error';
import { assertValidIdempotencyKey, DuplicateOperationError, executeOnce, StoredOperation } from '../../common/idempotency';
import { BatchOutcome, GroupCommit } from '../../database/group-commit';
import type { TransactionRunner } from '../../database/transaction-runner';
import { AccountBalances } from '../../ledger/balances';
import type { BalancesService } from '../../balances/balances.service';
import { LedgerTransactionType } from '../../ledger/ledger.enums';
import { GroupWithdrawnError, type LedgerService, type PostingRequest, type PostingResult } from '../../ledger/ledger.service';
import { CreditTransferEntity } from './entities/credit-transfer.entity';
import {
  ledgerKeyOf as ledgerKeyOfKind,
  PartnerActor,
  PartnerCustomerCommand,
  PartnerCustomerKind,
  PartnerCustomerResult,
  participantsProblem as participantsProblemOfKind,
  PendingOperation,
  pendingOperationOrThrow,
  postingOf as postingOfKind,
  previewOrThrow,
  recordOperations,
  storedResultsOf as storedResultsOfKind,
} from './partner-customer-postings';
import { batchKeyOf, existingBatchKeys, recordBatches } from './transfer-batch.store';
import { TransferBatchMode, TransferBatchRowStatus } from './transfer-batch.enums';

export type TransferCommand = PartnerCustomerCommand;
export type TransferActor = PartnerActor;

export interface TransferResult {
  /** Null for a dry run. */
  transfer: CreditTransferEntity | null;
  partnerBalancesAfter: AccountBalances;
  customerBalancesAfter: AccountBalances;
  dryRun: boolean;
}

/** A transfer past its own input checks, waiting in the group commit. */
export type PendingTransfer = PendingOperation;

/** A transfer pays the customer from the partner's top-up balance; only an ACTIVE customer receives. */
const TRANSFER: PartnerCustomerKind<CreditTransferEntity> = {
  name: 'transfer',
  entity: CreditTransferEntity,
  transactionType: LedgerTransactionType.TRANSFER,
  payer: 'PARTNER',
  customerStatuses: [AccountStatus.ACTIVE],
  customerStatusMessage: (status) => `The customer account is ${status}; credits can only go to an ACTIVE customer.`,
  verbPhrase: 'transfer credits to',
};

const asTransferResult = ({ record, ...result }: PartnerCustomerResult<CreditTransferEntity>): TransferResult => ({ transfer: record, ...result });

/** A partner's batch of transfers (`TransferBatchesService`), past the checks of each row's own input. */
export interface PendingBatch {
  partnerAccountId: string;
  idempotencyKey: string;
  requestHash: string;
  mode: TransferBatchMode;
  /** Each row's transfer, or the refusal of its own input (amount, note, the partner as customer). */
  rows: (PendingTransfer | DomainError)[];
}

/** One row's fate in a batch, in the row's place. */
export type BatchRowOutcome =
  | { status: TransferBatchRowStatus.OK; result: TransferResult }
  | { status: TransferBatchRowStatus.REFUSED; error: DomainError }
  | { status: TransferBatchRowStatus.NOT_APPLIED };

/** What waits in the group commit: one transfer, or a batch (never split across transactions). */
type PendingWork = { transfer: PendingTransfer; batch?: never } | { batch: PendingBatch; transfer?: never };
type WorkResult = TransferResult | BatchRowOutcome[];

/**
 * Every transfer of the process goes through one group-commit queue: transfers that arrive while a
 * batch commits (from one hot partner or from many) are posted together, set-wise, in the next one.
 */
const TRANSFER_QUEUE = 'transfers';

/**
 * Partner → own customer credit transfers. One ledger transaction debits the partner's TOPUP
 * wallet (floor ZERO: checked against the locked balance, so no overdraft however many transfers
 * race) and credits the customer's TOPUP wallet; the transfer row is written in the same database
 * transaction, so both exist or neither does.
 */
export class TransfersService {
  private readonly group: GroupCommit<PendingWork, WorkResult>;

  constructor(
    private readonly runner: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly balances: BalancesService,
  ) {
    this.group = new GroupCommit(runner, (manager, pending) => this.executeBatch(manager, pending), {
      rerunOnKeyConflict: true,
      weightOf: (work) => work.batch?.rows.length ?? 1,
    });
  }

  async transfer(command: TransferCommand): Promise<TransferResult> {
    assertValidIdempotencyKey(command.idempotencyKey);
    const pending = pendingTransferOrThrow(command);
    if (command.dryRun) return asTransferResult(await previewOrThrow({ runner: this.runner, balances: this.balances }, TRANSFER, pending.command));
    return executeOnce({
      requestHash: pending.requestHash,
      // The batch reads every transfer's key in one statement and refuses a stored one first.
      lookFirst: false,
      findExisting: () => this.findByKey(command.partnerAccountId, command.idempotencyKey),
      execute: () => this.group.submit(TRANSFER_QUEUE, { transfer: pending }) as Promise<TransferResult>,
    });
  }

  /**
   * Applies a batch through the same group commit as single transfers, in one database transaction;
   * a batch key already stored is refused with `DuplicateOperationError` (the caller replays it).
   */
  applyBatch(batch: PendingBatch): Promise<BatchRowOutcome[]> {
    return this.group.submit(TRANSFER_QUEUE, { batch }) as Promise<BatchRowOutcome[]>;
  }

  /**
   * A batch of transfers in one transaction, at a constant number of statements: the stored keys and
   * the participants read once, then the ledger's set-wise posting, then one insert of the transfer
   * rows (and one read of their ids), and the batches' records. A transfer whose key is stored
   * answers as a replay; one that fails its checks or does not fit the partner's balance is refused
   * alone. A batch's rows are postings side by side with the single transfers; an ALL_OR_NOTHING
   * batch's rows form one all-or-nothing group of the ledger.
   */
  private async executeBatch(manager: EntityManager, pending: PendingWork[]): Promise<BatchOutcome<WorkResult>[]> {
    const transfers = pending.flatMap((work) => (work.transfer ? [work.transfer] : work.batch.rows.filter(isPendingTransfer)));
    const stored = await this.ledger.existingKeys(
      manager,
      transfers.map(({ command }) => ledgerKeyOf(command)),
    );
    const batches = pending.flatMap((work) => (work.batch ? [work.batch] : []));
    const storedBatches = await existingBatchKeys(manager, batches);
    const participantIds = transfers.flatMap(({ command }) => [command.partnerAccountId, command.customerAccountId]);
    const accounts = new Map((await manager.findBy(AccountEntity, { id: In([...new Set(participantIds)]) })).map((account) => [account.id, account]));

    const plan = planWork(pending, { stored, storedBatches, accounts });
    if (plan.postings.length === 0) return finishWork(manager, pending, plan.outcomes);
    if (pending.length === 1 && pending[0].transfer) {
      // A lone transfer is posted (or refused, rolling its transaction back) as it always was.
      const posting = await this.ledger.post(manager, postingOf(pending[0].transfer));
      const [result] = await this.recordTransfers(manager, [{ transfer: pending[0].transfer, posting }]);
      return [{ ok: true, value: result }];
    }

    const postings = await this.ledger.postBatch(
      manager,
      plan.postings.map(({ request }) => request),
      { keysChecked: true, withdrawnGroups: plan.withdrawnGroups },
    );
    const posted: { place: WorkPlace; transfer: PendingTransfer; posting: PostingResult }[] = [];
    for (const [position, { place, transfer }] of plan.postings.entries()) {
      const outcome = postings[position];
      if (outcome.ok) posted.push({ place, transfer, posting: outcome.result });
      else setOutcome(plan.outcomes, place, { ok: false, error: outcome.error });
    }
    const results = await this.recordTransfers(manager, posted);
    for (const [position, { place }] of posted.entries()) setOutcome(plan.outcomes, place, { ok: true, value: results[position] });
    return finishWork(manager, pending, plan.outcomes);
  }

  /** The transfer rows of posted transfers: one insert, their ids read back by transaction id. */
  private async recordTransfers(manager: EntityManager, posted: { transfer: PendingTransfer; posting: PostingResult }[]): Promise<TransferResult[]> {
    const results = await recordOperations(
      manager,
      TRANSFER,
      posted.map(({ transfer, posting }) => ({ operation: transfer, posting })),
    );
    return results.map(asTransferResult);
  }

  private async findByKey(partnerAccountId: string, idempotencyKey: string): Promise<StoredOperation<TransferResult> | null> {
    return this.runner.read(async (manager) => {
      const transfer = await manager.findOneBy(CreditTransferEntity, { partnerAccountId, idempotencyKey });
      if (!transfer) return null;
      const [result] = await storedResultsOf(manager, [transfer]);
      return { requestHash: transfer.requestHash, result };
    });
  }
}

/** The first answers of stored transfers, for a replay (the balances right after each one). */
export async function storedResultsOf(manager: EntityManager, transfers: CreditTransferEntity[]): Promise<TransferResult[]> {
  return (await storedResultsOfKind(manager, TRANSFER, transfers)).map(asTransferResult);
}

/** A transfer's own input checked (amount, note, not to the partner itself) and hashed; throws the refusal. */
export const pendingTransferOrThrow = (command: TransferCommand): PendingTransfer => pendingOperationOrThrow(TRANSFER, command);

/** Why a transfer may not go ahead between these accounts (see `participantsProblem` of the shared pieces). */
export const participantsProblem = (accounts: Map<string, AccountEntity>, command: TransferCommand): DomainError | null =>
  participantsProblemOfKind(TRANSFER, accounts, command);

/** Where a transfer sits in the pending work: a single transfer's place, or a batch's and its row's. */
interface WorkPlace {
  work: number;
  row?: number;
}

/** Per piece of work: its outcome, or for a batch being applied, each row's (refusals so far). */
type WorkOutcomes = (BatchOutcome<TransferResult> | BatchOutcome<TransferResult>[])[];

interface WorkPlan {
  outcomes: WorkOutcomes;
  postings: { place: WorkPlace; transfer: PendingTransfer; request: PostingRequest }[];
  /** The all-or-nothing groups already refused by a row's own checks: planned for their reasons, never posted. */
  withdrawnGroups: Set<string>;
}

/**
 * Checks every transfer against what the batch read (stored keys, participants) and lists the
 * postings of those that pass, in arrival order. A batch whose key is stored (or repeated in this
 * transaction) is refused whole, as a replay.
 */
function planWork(pending: PendingWork[], known: { stored: Set<string>; storedBatches: Set<string>; accounts: Map<string, AccountEntity> }): WorkPlan {
  const plan: WorkPlan = { outcomes: new Array(pending.length), postings: [], withdrawnGroups: new Set() };
  const batchKeys = new Set(known.storedBatches);
  for (const [work, { transfer, batch }] of pending.entries()) {
    if (transfer) {
      const refusal = known.stored.has(ledgerKeyOf(transfer.command))
        ? new DuplicateOperationError(transfer.command.idempotencyKey)
        : participantsProblem(known.accounts, transfer.command);
      if (refusal) plan.outcomes[work] = { ok: false, error: refusal };
      else plan.postings.push({ place: { work }, transfer, request: postingOf(transfer) });
      continue;
    }
    if (batchKeys.has(batchKeyOf(batch))) {
      plan.outcomes[work] = { ok: false, error: new DuplicateOperationError(batch.idempotencyKey) };
      continue;
    }
    batchKeys.add(batchKeyOf(batch));
    const group = batch.mode === TransferBatchMode.ALL_OR_NOTHING ? `batch-${work}` : undefined;
    const rows: BatchOutcome<TransferResult>[] = new Array(batch.rows.length);
    for (const [row, entry] of batch.rows.entries()) {
      if (entry instanceof DomainError) {
        rows[row] = { ok: false, error: entry };
        continue;
      }
      const refusal = participantsProblem(known.accounts, entry.command);
      if (refusal) rows[row] = { ok: false, error: refusal };
      else plan.postings.push({ place: { work, row }, transfer: entry, request: { ...postingOf(entry), allOrNothingGroup: group } });
    }
    if (group && rows.some((outcome) => !outcome.ok)) plan.withdrawnGroups.add(group);
    plan.outcomes[work] = rows;
  }
  return plan;
}

/** Each batch's outcome, its record written (refused rows included); a single transfer's as it is. */
async function finishWork(manager: EntityManager, pending: PendingWork[], outcomes: WorkOutcomes): Promise<BatchOutcome<WorkResult>[]> {
  const applied: { batch: PendingBatch; rows: BatchRowOutcome[] }[] = [];
  const finished = pending.map((work, index): BatchOutcome<WorkResult> => {
    const outcome = outcomes[index];
    if (!Array.isArray(outcome)) return outcome;
    const rows = outcome.map(batchRowOutcome);
    applied.push({ batch: work.batch!, rows });
    return { ok: true, value: rows };
  });
  await recordBatches(manager, applied, new Date());
  return finished;
}

function setOutcome(outcomes: WorkOutcomes, place: WorkPlace, outcome: BatchOutcome<TransferResult>): void {
  if (place.row === undefined) outcomes[place.work] = outcome;
  else (outcomes[place.work] as BatchOutcome<TransferResult>[])[place.row] = outcome;
}

function batchRowOutcome(outcome: BatchOutcome<TransferResult>): BatchRowOutcome {
  if (outcome.ok) return { status: TransferBatchRowStatus.OK, result: outcome.value };
  if (outcome.error instanceof GroupWithdrawnError) return { status: TransferBatchRowStatus.NOT_APPLIED };
  // Only refusals reach a row: its keys are new (the batch's key was not stored), so no replay.
  if (outcome.error instanceof DomainError) return { status: TransferBatchRowStatus.REFUSED, error: outcome.error };
  throw outcome.error;
}

const isPendingTransfer = (row: PendingTransfer | DomainError): row is PendingTransfer => !(row instanceof DomainError);

const ledgerKeyOf = (command: TransferCommand) => ledgerKeyOfKind(TRANSFER, command);
const postingOf = (transfer: PendingTransfer): PostingRequest => postingOfKind(TRANSFER, transfer);
