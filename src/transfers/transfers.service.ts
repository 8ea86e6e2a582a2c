import { EntityManager, In } from 'typeorm';
import { AccountKind, AccountStatus } from '../accounts/account.enums';
import { AccountEntity } from '../accounts/entities/account.entity';
import type { Role } from '../auth/principal';
import { badInput, DomainError, ErrorCode, forbidden, invariant } from '../common/domain-error';
import { assertValidIdempotencyKey, DuplicateOperationError, executeOnce, hashRequest, StoredOperation } from '../common/idempotency';
import { positiveAmountProblem } from '../common/money';
import { optionalText } from '../common/validation';
import { insertRows } from '../database/bulk-insert';
import { BatchOutcome, GroupCommit } from '../database/transaction-batcher';
import { isUniqueViolation, type TransactionRunner } from '../database/transaction-runner';
import { AccountBalances } from '../ledger/balances';
import type { BalancesService } from '../ledger/balances.service';
import { AccountMovementEntity } from '../ledger/entities/account-movement.entity';
import { LedgerTransactionType, WalletFloor, WalletKind } from '../ledger/ledger.enums';
import { GroupWithdrawnError, insufficientCredits, type LedgerService, type PostingRequest, type PostingResult } from '../ledger/ledger.service';
import { CreditTransferEntity } from './entities/credit-transfer.entity';
import { batchKeyOf, existingBatchKeys, recordBatches } from './transfer-batch.store';
import { TransferBatchMode, TransferBatchRowStatus } from './transfer-batch.enums';

export interface TransferCommand {
  /** The partner whose user asks; taken from the principal, never from the input. */
  partnerAccountId: string;
  customerAccountId: string;
  amountMicros: bigint;
  idempotencyKey: string;
  note?: string | null;
  /**
   * The user who asks (its `sub` and role), kept on the transfer for the audit trail. Not part of
   * the request hash: a retry is the same transfer whoever sends it.
   */
  actor?: TransferActor | null;
  /** Validate and compute the balances after, moving nothing and consuming no key. */
  dryRun?: boolean;
}

export interface TransferActor {
  userId: string;
  role: Role | null;
}

export interface TransferResult {
  /** Null for a dry run. */
  transfer: CreditTransferEntity | null;
  partnerBalancesAfter: AccountBalances;
  customerBalancesAfter: AccountBalances;
  dryRun: boolean;
}

/** A transfer past its checks, waiting in the group commit. */
export interface PendingTransfer {
  command: TransferCommand;
  requestHash: string;
}

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
    if (command.dryRun) return this.preview(pending.command);
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
    if (posted.length === 0) return [];
    const rows = posted.map(({ transfer: { command, requestHash }, posting }) =>
      manager.create(CreditTransferEntity, {
        partnerAccountId: command.partnerAccountId,
        customerAccountId: command.customerAccountId,
        amountMicros: command.amountMicros,
        note: command.note ?? null,
        idempotencyKey: command.idempotencyKey,
        requestHash,
        actorUserId: command.actor?.userId ?? null,
        actorRole: command.actor?.role ?? null,
        transactionId: posting.transaction.id,
        createdAt: posting.transaction.createdAt,
      }),
    );
    if (rows.length === 1) {
      try {
        await manager.insert(CreditTransferEntity, rows[0]);
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateOperationError(rows[0].idempotencyKey);
        throw error;
      }
    } else {
      await insertRows(manager, CreditTransferEntity, rows);
      const ids = await manager.find(CreditTransferEntity, {
        select: { id: true, transactionId: true },
        where: { transactionId: In(rows.map((row) => row.transactionId)) },
      });
      const idByTransaction = new Map(ids.map((row) => [row.transactionId, row.id]));
      for (const row of rows) row.id = idByTransaction.get(row.transactionId)!;
    }
    return posted.map(({ posting }, position) => resultOf(rows[position], posting));
  }

  /** The dry run: the same checks as the transfer, against the committed balances, writing nothing. */
  private async preview(command: TransferCommand): Promise<TransferResult> {
    await this.runner.read((manager) => loadParticipantsOrThrow(manager, command));
    const [partner, customer] = await this.balances.balancesOf([command.partnerAccountId, command.customerAccountId]);
    if (partner.topUpMicros < command.amountMicros) throw insufficientCredits(partner.accountId);
    return {
      transfer: null,
      partnerBalancesAfter: { ...partner, topUpMicros: partner.topUpMicros - command.amountMicros },
      customerBalancesAfter: { ...customer, topUpMicros: customer.topUpMicros + command.amountMicros },
      dryRun: true,
    };
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

/**
 * The first answers of stored transfers, for a replay: the balances after each one are those of
 * its history rows (one statement for all of them), not today's.
 */
export async function storedResultsOf(manager: EntityManager, transfers: CreditTransferEntity[]): Promise<TransferResult[]> {
  if (transfers.length === 0) return [];
  const movements = await manager.findBy(AccountMovementEntity, { transactionId: In(transfers.map((transfer) => transfer.transactionId)) });
  const movementOf = new Map(movements.map((movement) => [`${movement.transactionId}:${movement.accountId}`, movement]));
  return transfers.map((transfer) => {
    const balancesAfter = (accountId: string): AccountBalances => {
      const movement = movementOf.get(`${transfer.transactionId}:${accountId}`);
      invariant(movement, `transfer ${transfer.id} has a history row for ${accountId}`);
      return { accountId, topUpMicros: movement.topUpBalanceAfterMicros, promotionalMicros: movement.promotionalBalanceAfterMicros };
    };
    return {
      transfer,
      partnerBalancesAfter: balancesAfter(transfer.partnerAccountId),
      customerBalancesAfter: balancesAfter(transfer.customerAccountId),
      dryRun: false,
    };
  });
}

/**
 * A transfer's own input checked (amount, note, not to the partner itself) and hashed; the key is
 * the caller's to check (a batch's rows carry derived keys). Throws the refusal.
 */
export function pendingTransferOrThrow(command: TransferCommand): PendingTransfer {
  const amountProblem = positiveAmountProblem(command.amountMicros);
  if (amountProblem) throw badInput(`amount: ${amountProblem}.`, { field: 'amount' });
  const note = optionalText('note', command.note, 255);
  if (command.partnerAccountId === command.customerAccountId) throw forbidden('A partner cannot transfer credits to itself.');
  const requestHash = hashRequest({
    partnerAccountId: command.partnerAccountId,
    customerAccountId: command.customerAccountId,
    amountMicros: command.amountMicros,
    note,
  });
  return { command: { ...command, note }, requestHash };
}

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

async function loadParticipantsOrThrow(manager: EntityManager, command: TransferCommand): Promise<void> {
  const accounts = await manager.findBy(AccountEntity, { id: In([command.partnerAccountId, command.customerAccountId]) });
  const problem = participantsProblem(new Map(accounts.map((account) => [account.id, account])), command);
  if (problem) throw problem;
}

/**
 * The refusals, in the order a person can act on them: a customer that is not this partner's looks
 * the same as one that does not exist (FORBIDDEN, no enumeration); then either side not ACTIVE.
 */
export function participantsProblem(accounts: Map<string, AccountEntity>, command: TransferCommand): DomainError | null {
  const partner = accounts.get(command.partnerAccountId);
  const customer = accounts.get(command.customerAccountId);
  if (!partner || partner.kind !== AccountKind.PARTNER) return forbidden('Only a partner account can transfer credits.');
  if (!customer || customer.kind !== AccountKind.CUSTOMER || customer.partnerId !== partner.id) {
    return forbidden('You may only transfer credits to your own customers.');
  }
  if (partner.status !== AccountStatus.ACTIVE) {
    return new DomainError(ErrorCode.ACCOUNT_NOT_ACTIVE, `Your partner account is ${partner.status}; only an ACTIVE partner can transfer credits.`);
  }
  if (customer.status !== AccountStatus.ACTIVE) {
    return new DomainError(ErrorCode.ACCOUNT_NOT_ACTIVE, `The customer account is ${customer.status}; credits can only go to an ACTIVE customer.`, {
      accountId: customer.id,
    });
  }
  return null;
}

const ledgerKeyOf = (command: TransferCommand) => `transfer:${command.partnerAccountId}:${command.idempotencyKey}`;

function postingOf({ command, requestHash }: PendingTransfer): PostingRequest {
  return {
    type: LedgerTransactionType.TRANSFER,
    idempotencyKey: ledgerKeyOf(command),
    requestHash,
    reference: `transfer:${command.idempotencyKey}`,
    description: command.note ?? null,
    legs: [
      { accountId: command.partnerAccountId, walletKind: WalletKind.TOPUP, amountMicros: -command.amountMicros, floor: WalletFloor.ZERO },
      { accountId: command.customerAccountId, walletKind: WalletKind.TOPUP, amountMicros: command.amountMicros },
    ],
  };
}

function resultOf(transfer: CreditTransferEntity, posting: PostingResult): TransferResult {
  const partnerBalancesAfter = posting.balances.get(transfer.partnerAccountId);
  const customerBalancesAfter = posting.balances.get(transfer.customerAccountId);
  invariant(partnerBalancesAfter && customerBalancesAfter, 'the posting returns both balances');
  invariant(partnerBalancesAfter.topUpMicros >= 0n, 'a transfer never overdraws the partner');
  invariant(typeof transfer.id === 'number', 'the transfer row has its id');
  return { transfer, partnerBalancesAfter, customerBalancesAfter, dryRun: false };
}
