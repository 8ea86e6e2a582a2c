import { EntityManager, EntityTarget, In } from 'typeorm';
import { AccountKind, AccountStatus } from '../../accounts/account.enums';
import { AccountEntity } from '../../accounts/entities/account.entity';
import type { Role } from '../../auth/principal';
import { badInput, DomainError, ErrorCode, forbidden, invariant } from '../../common/domain-error';
import { assertValidIdempotencyKey, DuplicateOperationError, executeOnce, hashRequest, StoredOperation } from '../../common/idempotency';
import { positiveAmountProblem } from '../../common/money';
import { optionalText } from '../../common/validation';
import { insertRows } from '../../database/bulk-insert';
import { lockedForShare } from '../../database/dialect';
import { BatchOutcome, GroupCommit } from '../../database/group-commit';
import { isUniqueViolation, type TransactionRunner } from '../../database/transaction-runner';
import { AccountBalances } from '../../ledger/balances';
import type { BalancesService } from '../../balances/balances.service';
import { AccountMovementEntity } from '../../balances/history/entities/account-movement.entity';
import { LedgerTransactionType, WalletFloor, WalletKind } from '../../ledger/ledger.enums';
import { GroupWithdrawnError, insufficientCredits, type LedgerService, type PostingRequest, type PostingResult } from '../../ledger/ledger.service';
import type { PartnerCustomerRecord } from './entities/partner-customer-record';
import { batchKeyOf, existingBatchKeys, recordBatches } from './transfer-batch.store';
import { TransferBatchMode, TransferBatchRowStatus } from './transfer-batch.enums';

/**
 * A partner moving credits between its own top-up balance and one of its own customers': a transfer
 * (partner → customer) or a reclaim (customer → partner). Everything lives here once, given the
 * kind: the input checks and request hash, the participants' checks, the posting, the record rows,
 * the stored answer of a replay, the dry run, and `PartnerCustomerPostings`, the one group-committed
 * executor of single operations and of batches (transfer batches; an auto-transfer is a single
 * transfer).
 */
export interface PartnerCustomerCommand {
  /** The partner whose user asks; taken from the principal, never from the input. */
  partnerAccountId: string;
  customerAccountId: string;
  amountMicros: bigint;
  idempotencyKey: string;
  note?: string | null;
  /**
   * The user who asks (its `sub` and role), kept on the record for the audit trail. Not part of the
   * request hash: a retry is the same operation whoever sends it.
   */
  actor?: PartnerActor | null;
  /** Validate and compute the balances after, moving nothing and consuming no key. */
  dryRun?: boolean;
}

export interface PartnerActor {
  userId: string;
  role: Role | null;
}

export interface PartnerCustomerResult<Row> {
  /** Null for a dry run. */
  record: Row | null;
  partnerBalancesAfter: AccountBalances;
  customerBalancesAfter: AccountBalances;
  dryRun: boolean;
}

/** What differs between the kinds: which side pays, the ledger type, the table, the customer states allowed. */
export interface PartnerCustomerKind<Row extends PartnerCustomerRecord> {
  /** `transfer` or `reclaim`: the group-commit queue, the ledger key's and the reference's prefix. */
  name: string;
  entity: new () => Row;
  transactionType: LedgerTransactionType;
  /** Whose top-up wallet is debited (floor zero): the partner's for a transfer, the customer's for a reclaim. */
  payer: 'PARTNER' | 'CUSTOMER';
  customerStatuses: readonly AccountStatus[];
  customerStatusMessage: (status: AccountStatus) => string;
  /** "transfer credits to", "reclaim credits from": the FORBIDDEN messages. */
  verbPhrase: string;
}

/** An operation past its own input checks, hashed. */
export interface PendingOperation {
  command: PartnerCustomerCommand;
  requestHash: string;
}

/**
 * An operation's own input checked (amount, note) and hashed; the key is the caller's to check (a
 * transfer batch's rows carry derived keys). Throws the refusal. Naming the caller's own account is
 * refused with the participants (`participantsProblem`), once it is known whether the caller is a partner.
 */
export function pendingOperationOrThrow(kind: PartnerCustomerKind<PartnerCustomerRecord>, command: PartnerCustomerCommand): PendingOperation {
  const amountProblem = positiveAmountProblem(command.amountMicros);
  if (amountProblem) throw badInput(`amount: ${amountProblem}.`, { field: 'amount' });
  const note = optionalText('note', command.note, 255);
  const requestHash = hashRequest({
    partnerAccountId: command.partnerAccountId,
    customerAccountId: command.customerAccountId,
    amountMicros: command.amountMicros,
    note,
  });
  return { command: { ...command, note }, requestHash };
}

/**
 * The refusals, in the order a person can act on them: a caller that is not a partner (a customer,
 * its own account named or not, is told only partners do this); a partner naming itself; a customer
 * that is not this partner's looks the same as one that does not exist (FORBIDDEN, no enumeration);
 * then the partner not ACTIVE; then the customer in a state the kind does not allow.
 */
export function participantsProblem(
  kind: PartnerCustomerKind<PartnerCustomerRecord>,
  accounts: Map<string, AccountEntity>,
  command: PartnerCustomerCommand,
): DomainError | null {
  const partner = accounts.get(command.partnerAccountId);
  const customer = accounts.get(command.customerAccountId);
  if (!partner || partner.kind !== AccountKind.PARTNER) return forbidden(`Only a partner account can ${kind.verbPhrase} customers.`);
  if (command.partnerAccountId === command.customerAccountId) return forbidden(`A partner cannot ${kind.verbPhrase} itself.`);
  if (!customer || customer.kind !== AccountKind.CUSTOMER || customer.partnerId !== partner.id) {
    return forbidden(`You may only ${kind.verbPhrase} your own customers.`);
  }
  if (partner.status !== AccountStatus.ACTIVE) {
    return new DomainError(ErrorCode.ACCOUNT_NOT_ACTIVE, `Your partner account is ${partner.status}; only an ACTIVE partner can ${kind.verbPhrase} customers.`);
  }
  if (!kind.customerStatuses.includes(customer.status)) {
    return new DomainError(ErrorCode.ACCOUNT_NOT_ACTIVE, kind.customerStatusMessage(customer.status), { accountId: customer.id });
  }
  return reversalHoldProblem(kind, partner, customer);
}

/**
 * An account on reversal hold owes the platform what a refund or dispute took back: no credits
 * leave it, and a partner on hold neither transfers nor reclaims until its balance is back at zero
 * or above (the ledger's floor alone would refuse only what exceeds the balance).
 */
function reversalHoldProblem(kind: PartnerCustomerKind<PartnerCustomerRecord>, partner: AccountEntity, customer: AccountEntity): DomainError | null {
  const payer = kind.payer === 'PARTNER' ? partner : customer;
  const held = [payer, partner].find((account) => account.reversalHold);
  if (!held) return null;
  const whose = held === partner ? 'Your partner account' : 'The customer';
  return new DomainError(
    ErrorCode.REVERSAL_HOLD,
    `${whose} is on reversal hold: a refund or dispute at the payment provider took back credits already spent, leaving its top-up balance below zero. No credits can ${kind.name === 'transfer' ? 'be transferred' : 'be reclaimed'} until it is back at zero or above.`,
    { accountId: held.id },
  );
}

export const ledgerKeyOf = (kind: PartnerCustomerKind<PartnerCustomerRecord>, command: PartnerCustomerCommand) =>
  `${kind.name}:${command.partnerAccountId}:${command.idempotencyKey}`;

/**
 * How far below zero the payer's top-up wallet may go: a partner's credit limit when the partner
 * pays (a transfer), nothing otherwise (a reclaim's customer pays). Read from the account row the
 * transaction already holds, so the limit costs no statement.
 */
export function overdraftOf(kind: PartnerCustomerKind<PartnerCustomerRecord>, accounts: Map<string, AccountEntity>, command: PartnerCustomerCommand): bigint {
  return kind.payer === 'PARTNER' ? (accounts.get(command.partnerAccountId)?.creditLimitMicros ?? 0n) : 0n;
}

/** One leg debits the payer's TOPUP wallet (floor zero, less the partner's credit limit), the other credits the other side's. */
export function postingOf(kind: PartnerCustomerKind<PartnerCustomerRecord>, { command, requestHash }: PendingOperation, overdraftMicros = 0n): PostingRequest {
  const [payerId, payeeId] =
    kind.payer === 'PARTNER' ? [command.partnerAccountId, command.customerAccountId] : [command.customerAccountId, command.partnerAccountId];
  return {
    type: kind.transactionType,
    idempotencyKey: ledgerKeyOf(kind, command),
    requestHash,
    reference: `${kind.name}:${command.idempotencyKey}`,
    description: command.note ?? null,
    legs: [
      { accountId: payerId, walletKind: WalletKind.TOPUP, amountMicros: -command.amountMicros, floor: WalletFloor.ZERO, overdraftMicros },
      { accountId: payeeId, walletKind: WalletKind.TOPUP, amountMicros: command.amountMicros },
    ],
  };
}

/** The record row of a posted operation, not yet inserted. */
function recordRowOf(manager: EntityManager, kind: PartnerCustomerKind<PartnerCustomerRecord>, operation: PendingOperation, posting: PostingResult) {
  const { command, requestHash } = operation;
  return manager.create(kind.entity as EntityTarget<PartnerCustomerRecord>, {
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
  });
}

/** An inserted record with the balances its posting left. */
function resultOf<Row extends PartnerCustomerRecord>(
  kind: PartnerCustomerKind<Row>,
  record: PartnerCustomerRecord,
  { posting, request }: { posting: PostingResult; request: PostingRequest },
): PartnerCustomerResult<Row> {
  const partnerBalancesAfter = posting.balances.get(record.partnerAccountId);
  const customerBalancesAfter = posting.balances.get(record.customerAccountId);
  invariant(partnerBalancesAfter && customerBalancesAfter, 'the posting returns both balances');
  const payerAfter = kind.payer === 'PARTNER' ? partnerBalancesAfter : customerBalancesAfter;
  invariant(payerAfter.topUpMicros >= -(request.legs[0].overdraftMicros ?? 0n), `a ${kind.name} never takes the side that pays below its floor`);
  invariant(typeof record.id === 'number', `the ${kind.name} row has its id`);
  return { record: record as Row, partnerBalancesAfter, customerBalancesAfter, dryRun: false };
}

/**
 * The first answers of stored records, for a replay: the balances after each one are those of its
 * history rows (one statement for all of them), not today's.
 */
export async function storedResultsOf<Row extends PartnerCustomerRecord>(
  manager: EntityManager,
  kind: PartnerCustomerKind<Row>,
  records: Row[],
): Promise<PartnerCustomerResult<Row>[]> {
  if (records.length === 0) return [];
  const movements = await manager.findBy(AccountMovementEntity, { transactionId: In(records.map((record) => record.transactionId)) });
  const movementOf = new Map(movements.map((movement) => [`${movement.transactionId}:${movement.accountId}`, movement]));
  return records.map((record) => {
    const balancesAfter = (accountId: string): AccountBalances => {
      const movement = movementOf.get(`${record.transactionId}:${accountId}`);
      invariant(movement, `${kind.name} ${record.id} has a history row for ${accountId}`);
      return { accountId, topUpMicros: movement.topUpBalanceAfterMicros, promotionalMicros: movement.promotionalBalanceAfterMicros };
    };
    return {
      record,
      partnerBalancesAfter: balancesAfter(record.partnerAccountId),
      customerBalancesAfter: balancesAfter(record.customerAccountId),
      dryRun: false,
    };
  });
}

/** A partner's batch (a transfer batch), past the checks of each row's own input. */
export interface PendingBatch {
  partnerAccountId: string;
  idempotencyKey: string;
  requestHash: string;
  mode: TransferBatchMode;
  /** Each row's operation, or the refusal of its own input (amount, note, the partner as customer). */
  rows: (PendingOperation | DomainError)[];
}

/** One row's fate in a batch, in the row's place. */
export type BatchRowOutcome<Result> =
  | { status: TransferBatchRowStatus.OK; result: Result }
  | { status: TransferBatchRowStatus.REFUSED; error: DomainError }
  | { status: TransferBatchRowStatus.NOT_APPLIED };

/** What waits in the group commit: one operation, or a batch (never split across transactions). */
type PendingWork = { operation: PendingOperation; batch?: never } | { batch: PendingBatch; operation?: never };

/**
 * The one executor of a kind's postings, single operations and batches alike. One ledger
 * transaction debits the payer's TOPUP wallet (floor ZERO: checked against the locked balance, so no
 * overdraft however many operations race, and never a promotional credit) and credits the other
 * side's; the record row is written in the same database transaction, so both exist or neither does.
 * Every operation and batch of the kind in the process goes through one group-commit queue: those
 * that arrive while a transaction commits (from one hot partner or from many) are posted together,
 * set-wise, in the next one.
 */
export class PartnerCustomerPostings<Row extends PartnerCustomerRecord> {
  private readonly group: GroupCommit<PendingWork, PartnerCustomerResult<Row> | BatchRowOutcome<PartnerCustomerResult<Row>>[]>;

  constructor(
    private readonly runner: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly balances: BalancesService,
    private readonly kind: PartnerCustomerKind<Row>,
  ) {
    this.group = new GroupCommit(runner, (manager, pending) => this.executeWork(manager, pending), {
      rerunOnKeyConflict: true,
      weightOf: (work) => work.batch?.rows.length ?? 1,
    });
  }

  /** One operation: checked, previewed (dry run), replayed (a stored key) or posted, once. */
  async execute(command: PartnerCustomerCommand): Promise<PartnerCustomerResult<Row>> {
    assertValidIdempotencyKey(command.idempotencyKey);
    const pending = pendingOperationOrThrow(this.kind, command);
    if (command.dryRun) {
      const [outcome] = await this.preview(command.partnerAccountId, [pending]);
      if (outcome.status === TransferBatchRowStatus.REFUSED) throw outcome.error;
      invariant(outcome.status === TransferBatchRowStatus.OK, 'a lone row is refused or fits');
      return outcome.result;
    }
    return executeOnce({
      requestHash: pending.requestHash,
      // The transaction reads every operation's key in one statement and refuses a stored one first.
      lookFirst: false,
      findExisting: () => this.findByKey(command.partnerAccountId, command.idempotencyKey),
      execute: () => this.group.submit(this.kind.name, { operation: pending }) as Promise<PartnerCustomerResult<Row>>,
    });
  }

  /**
   * Applies a batch through the same group commit as single operations, in one database
   * transaction; a batch key already stored is refused with `DuplicateOperationError` (the caller
   * replays it).
   */
  applyBatch(batch: PendingBatch): Promise<BatchRowOutcome<PartnerCustomerResult<Row>>[]> {
    return this.group.submit(this.kind.name, { batch }) as Promise<BatchRowOutcome<PartnerCustomerResult<Row>>[]>;
  }

  /**
   * The dry run of one operation or a batch's rows: each checked as it would be posted, against the
   * committed balances less the rows before it that fit (so a row that would not fit after them is
   * refused, with the code posting would give). Reads only; moves nothing and claims no key.
   */
  async preview(partnerAccountId: string, rows: (PendingOperation | DomainError)[]): Promise<BatchRowOutcome<PartnerCustomerResult<Row>>[]> {
    const customerIds = rows.flatMap((row) => (row instanceof DomainError ? [] : [row.command.customerAccountId]));
    const accounts = await this.runner.read((manager) => manager.findBy(AccountEntity, { id: In([...new Set([partnerAccountId, ...customerIds])]) }));
    const byId = new Map(accounts.map((account) => [account.id, account]));
    const checked = rows.map((row) => (row instanceof DomainError ? row : (participantsProblem(this.kind, byId, row.command) ?? row)));
    const fitting = checked.filter(isPendingOperation);
    const customers = [...new Set(fitting.map((row) => row.command.customerAccountId))];
    const balances = fitting.length === 0 ? [] : await this.balances.balancesOf([partnerAccountId, ...customers]);
    const running = new Map(balances.map((account) => [account.accountId, account]));
    return checked.map((row): BatchRowOutcome<PartnerCustomerResult<Row>> => {
      if (row instanceof DomainError) return { status: TransferBatchRowStatus.REFUSED, error: row };
      const { customerAccountId, amountMicros } = row.command;
      const [payerId, payeeId] = this.kind.payer === 'PARTNER' ? [partnerAccountId, customerAccountId] : [customerAccountId, partnerAccountId];
      const payer = running.get(payerId)!;
      if (payer.topUpMicros + overdraftOf(this.kind, byId, row.command) < amountMicros) {
        return { status: TransferBatchRowStatus.REFUSED, error: insufficientCredits(payerId) };
      }
      const payee = running.get(payeeId)!;
      running
        .set(payerId, { ...payer, topUpMicros: payer.topUpMicros - amountMicros })
        .set(payeeId, { ...payee, topUpMicros: payee.topUpMicros + amountMicros });
      const partnerBalancesAfter = running.get(partnerAccountId)!;
      const customerBalancesAfter = running.get(customerAccountId)!;
      return { status: TransferBatchRowStatus.OK, result: { record: null, partnerBalancesAfter, customerBalancesAfter, dryRun: true } };
    });
  }

  /** The first answers of stored records, for a replay (the balances right after each one). */
  storedResults(manager: EntityManager, records: Row[]): Promise<PartnerCustomerResult<Row>[]> {
    return storedResultsOf(manager, this.kind, records);
  }

  /**
   * The work in one transaction, at a constant number of statements: the stored keys, the stored
   * batch keys and the participants read once, then the ledger's set-wise posting, then one insert
   * of the record rows (and one read of their ids), and the batches' records. An operation whose key
   * is stored answers as a replay; one that fails its checks or does not fit the payer's balance is
   * refused alone. A batch's rows are postings side by side with the single operations; an
   * ALL_OR_NOTHING batch's rows form one all-or-nothing group of the ledger.
   */
  private async executeWork(
    manager: EntityManager,
    pending: PendingWork[],
  ): Promise<BatchOutcome<PartnerCustomerResult<Row> | BatchRowOutcome<PartnerCustomerResult<Row>>[]>[]> {
    const operations = pending.flatMap((work) => (work.operation ? [work.operation] : work.batch.rows.filter(isPendingOperation)));
    const stored = await this.ledger.existingKeys(
      manager,
      operations.map(({ command }) => ledgerKeyOf(this.kind, command)),
    );
    const batches = pending.flatMap((work) => (work.batch ? [work.batch] : []));
    const storedBatches = await existingBatchKeys(manager, batches);
    const participantIds = operations.flatMap(({ command }) => [command.partnerAccountId, command.customerAccountId]);
    // Read locked (shared): a partner's credit limit cannot change between this read and the posting
    // that relies on it; setCreditLimit takes the account row first and waits for these locks.
    const participants = await lockedForShare(
      manager
        .createQueryBuilder(AccountEntity, 'account')
        .where({ id: In([...new Set(participantIds)]) })
        .orderBy('account.id'),
    ).getMany();
    const accounts = new Map(participants.map((account) => [account.id, account]));

    const plan = planWork<PartnerCustomerResult<Row>>(this.kind, pending, { stored, storedBatches, accounts });
    if (plan.postings.length > 0 && pending.length === 1 && pending[0].operation) {
      return [{ ok: true, value: await this.postLone(manager, plan.postings[0]) }];
    }
    const postings = await this.ledger.postBatch(
      manager,
      plan.postings.map(({ request }) => request),
      { keysChecked: true, withdrawnGroups: plan.withdrawnGroups },
    );
    const posted: { place: WorkPlace; operation: PendingOperation; request: PostingRequest; posting: PostingResult }[] = [];
    for (const [position, { place, operation, request }] of plan.postings.entries()) {
      const outcome = postings[position];
      if (outcome.ok) posted.push({ place, operation, request, posting: outcome.result });
      else setOutcome(plan.outcomes, place, { ok: false, error: outcome.error });
    }
    const results = await this.recordOperations(manager, posted);
    for (const [position, { place }] of posted.entries()) setOutcome(plan.outcomes, place, { ok: true, value: results[position] });
    return finishWork(manager, pending, plan.outcomes);
  }

  /**
   * A lone operation is posted on its own: the ledger claims its key first (a replay racing it is
   * refused by the unique index before any wallet lock is waited for), a refusal is thrown and rolls
   * its transaction back, and the record row's insert returns its id.
   */
  private async postLone(
    manager: EntityManager,
    { operation, request }: { operation: PendingOperation; request: PostingRequest },
  ): Promise<PartnerCustomerResult<Row>> {
    const posting = await this.ledger.post(manager, request);
    const record = recordRowOf(manager, this.kind, operation, posting);
    try {
      await manager.insert(this.kind.entity as EntityTarget<PartnerCustomerRecord>, record);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateOperationError(record.idempotencyKey);
      throw error;
    }
    return resultOf(this.kind, record, { posting, request });
  }

  /** The record rows of operations posted together: one insert, their ids read back by transaction id. */
  private async recordOperations(
    manager: EntityManager,
    posted: { operation: PendingOperation; request: PostingRequest; posting: PostingResult }[],
  ): Promise<PartnerCustomerResult<Row>[]> {
    if (posted.length === 0) return [];
    const table = this.kind.entity as EntityTarget<PartnerCustomerRecord>;
    const rows = posted.map(({ operation, posting }) => recordRowOf(manager, this.kind, operation, posting));
    await insertRows(manager, table, rows);
    const ids = await manager.find(table, {
      select: { id: true, transactionId: true },
      where: { transactionId: In(rows.map((row) => row.transactionId)) },
    });
    const idByTransaction = new Map(ids.map((row) => [row.transactionId, row.id]));
    for (const row of rows) row.id = idByTransaction.get(row.transactionId)!;
    return posted.map((entry, position) => resultOf(this.kind, rows[position], entry));
  }

  private async findByKey(partnerAccountId: string, idempotencyKey: string): Promise<StoredOperation<PartnerCustomerResult<Row>> | null> {
    return this.runner.read(async (manager) => {
      const record = await manager.findOneBy(this.kind.entity as EntityTarget<PartnerCustomerRecord>, { partnerAccountId, idempotencyKey });
      if (!record) return null;
      const [result] = await storedResultsOf(manager, this.kind, [record as Row]);
      return { requestHash: record.requestHash, result };
    });
  }
}

/** Where an operation sits in the pending work: a single operation's place, or a batch's and its row's. */
interface WorkPlace {
  work: number;
  row?: number;
}

/** Per piece of work: its outcome, or for a batch being applied, each row's (refusals so far). */
type WorkOutcomes<Result> = (BatchOutcome<Result> | BatchOutcome<Result>[])[];

interface WorkPlan<Result> {
  outcomes: WorkOutcomes<Result>;
  postings: { place: WorkPlace; operation: PendingOperation; request: PostingRequest }[];
  /** The all-or-nothing groups already refused by a row's own checks: planned for their reasons, never posted. */
  withdrawnGroups: Set<string>;
}

/**
 * Checks every operation against what the transaction read (stored keys, participants) and lists
 * the postings of those that pass, in arrival order. A batch whose key is stored (or repeated in
 * this transaction) is refused whole, as a replay.
 */
function planWork<Result>(
  kind: PartnerCustomerKind<PartnerCustomerRecord>,
  pending: PendingWork[],
  known: { stored: Set<string>; storedBatches: Set<string>; accounts: Map<string, AccountEntity> },
): WorkPlan<Result> {
  const plan: WorkPlan<Result> = { outcomes: new Array(pending.length), postings: [], withdrawnGroups: new Set() };
  const batchKeys = new Set(known.storedBatches);
  for (const [work, { operation, batch }] of pending.entries()) {
    if (operation) {
      const refusal = known.stored.has(ledgerKeyOf(kind, operation.command))
        ? new DuplicateOperationError(operation.command.idempotencyKey)
        : participantsProblem(kind, known.accounts, operation.command);
      if (refusal) plan.outcomes[work] = { ok: false, error: refusal };
      else plan.postings.push({ place: { work }, operation, request: postingOf(kind, operation, overdraftOf(kind, known.accounts, operation.command)) });
      continue;
    }
    if (batchKeys.has(batchKeyOf(batch))) {
      plan.outcomes[work] = { ok: false, error: new DuplicateOperationError(batch.idempotencyKey) };
      continue;
    }
    batchKeys.add(batchKeyOf(batch));
    const group = batch.mode === TransferBatchMode.ALL_OR_NOTHING ? `batch-${work}` : undefined;
    const rows: BatchOutcome<Result>[] = new Array(batch.rows.length);
    for (const [row, entry] of batch.rows.entries()) {
      if (entry instanceof DomainError) {
        rows[row] = { ok: false, error: entry };
        continue;
      }
      const refusal = participantsProblem(kind, known.accounts, entry.command);
      if (refusal) rows[row] = { ok: false, error: refusal };
      else
        plan.postings.push({
          place: { work, row },
          operation: entry,
          request: { ...postingOf(kind, entry, overdraftOf(kind, known.accounts, entry.command)), allOrNothingGroup: group },
        });
    }
    if (group && rows.some((outcome) => !outcome.ok)) plan.withdrawnGroups.add(group);
    plan.outcomes[work] = rows;
  }
  return plan;
}

/** Each batch's outcome, its record written (refused rows included); a single operation's as it is. */
async function finishWork<Result>(
  manager: EntityManager,
  pending: PendingWork[],
  outcomes: WorkOutcomes<Result>,
): Promise<BatchOutcome<Result | BatchRowOutcome<Result>[]>[]> {
  const applied: { batch: PendingBatch; rows: BatchRowOutcome<Result>[] }[] = [];
  const finished = pending.map((work, index): BatchOutcome<Result | BatchRowOutcome<Result>[]> => {
    const outcome = outcomes[index];
    if (!Array.isArray(outcome)) return outcome;
    const rows = outcome.map(batchRowOutcome);
    applied.push({ batch: work.batch!, rows });
    return { ok: true, value: rows };
  });
  await recordBatches(manager, applied, new Date());
  return finished;
}

function setOutcome<Result>(outcomes: WorkOutcomes<Result>, place: WorkPlace, outcome: BatchOutcome<Result>): void {
  if (place.row === undefined) outcomes[place.work] = outcome;
  else (outcomes[place.work] as BatchOutcome<Result>[])[place.row] = outcome;
}

function batchRowOutcome<Result>(outcome: BatchOutcome<Result>): BatchRowOutcome<Result> {
  if (outcome.ok) return { status: TransferBatchRowStatus.OK, result: outcome.value };
  if (outcome.error instanceof GroupWithdrawnError) return { status: TransferBatchRowStatus.NOT_APPLIED };
  // Only refusals reach a row: its keys are new (the batch's key was not stored), so no replay.
  if (outcome.error instanceof DomainError) return { status: TransferBatchRowStatus.REFUSED, error: outcome.error };
  throw outcome.error;
}

const isPendingOperation = (row: PendingOperation | DomainError): row is PendingOperation => !(row instanceof DomainError);
