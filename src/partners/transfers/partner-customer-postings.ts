import { EntityManager, EntityTarget, In } from 'typeorm';
import { AccountKind, AccountStatus } from '../../accounts/account.enums';
import { AccountEntity } from '../../accounts/entities/account.entity';
import type { Role } from '../../auth/principal';
import { badInput, DomainError, ErrorCode, forbidden, invariant } from '../../common/domain-error';
import { assertValidIdempotencyKey, DuplicateOperationError, executeOnce, hashRequest, StoredOperation } from '../../common/idempotency';
import { positiveAmountProblem } from '../../common/money';
import { optionalText } from '../../common/validation';
import { insertRows } from '../../database/bulk-insert';
import { BatchOutcome, GroupCommit } from '../../database/group-commit';
import { isUniqueViolation, type TransactionRunner } from '../../database/transaction-runner';
import { AccountBalances } from '../../ledger/balances';
import type { BalancesService } from '../../balances/balances.service';
import { AccountMovementEntity } from '../../balances/history/entities/account-movement.entity';
import { LedgerTransactionType, WalletFloor, WalletKind } from '../../ledger/ledger.enums';
import { insufficientCredits, type LedgerService, type PostingRequest, type PostingResult } from '../../ledger/ledger.service';
import type { PartnerCustomerRecord } from './entities/partner-customer-record';

/**
 * A partner moving credits between its own top-up balance and one of its own customers': a transfer
 * (partner → customer) or a reclaim (customer → partner). What the two kinds share lives here: the
 * input checks and request hash, the participants' checks, the posting, the record rows, the stored
 * answer of a replay and the dry run, each given the kind; and `PartnerCustomerPostings`, the group-
 * committed executor of a kind without batches (reclaims). Transfers, which also take batches, have
 * their own executor in `TransfersService` over the same pieces.
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
 * An operation's own input checked (amount, note, not the partner itself) and hashed; the key is
 * the caller's to check (a transfer batch's rows carry derived keys). Throws the refusal.
 */
export function pendingOperationOrThrow(kind: PartnerCustomerKind<PartnerCustomerRecord>, command: PartnerCustomerCommand): PendingOperation {
  const amountProblem = positiveAmountProblem(command.amountMicros);
  if (amountProblem) throw badInput(`amount: ${amountProblem}.`, { field: 'amount' });
  const note = optionalText('note', command.note, 255);
  if (command.partnerAccountId === command.customerAccountId) throw forbidden(`A partner cannot ${kind.verbPhrase} itself.`);
  const requestHash = hashRequest({
    partnerAccountId: command.partnerAccountId,
    customerAccountId: command.customerAccountId,
    amountMicros: command.amountMicros,
    note,
  });
  return { command: { ...command, note }, requestHash };
}

/**
 * The refusals, in the order a person can act on them: a customer that is not this partner's looks
 * the same as one that does not exist (FORBIDDEN, no enumeration); then the partner not ACTIVE;
 * then the customer in a state the kind does not allow.
 */
export function participantsProblem(
  kind: PartnerCustomerKind<PartnerCustomerRecord>,
  accounts: Map<string, AccountEntity>,
  command: PartnerCustomerCommand,
): DomainError | null {
  const partner = accounts.get(command.partnerAccountId);
  const customer = accounts.get(command.customerAccountId);
  if (!partner || partner.kind !== AccountKind.PARTNER) return forbidden(`Only a partner account can ${kind.verbPhrase} customers.`);
  if (!customer || customer.kind !== AccountKind.CUSTOMER || customer.partnerId !== partner.id) {
    return forbidden(`You may only ${kind.verbPhrase} your own customers.`);
  }
  if (partner.status !== AccountStatus.ACTIVE) {
    return new DomainError(ErrorCode.ACCOUNT_NOT_ACTIVE, `Your partner account is ${partner.status}; only an ACTIVE partner can ${kind.verbPhrase} customers.`);
  }
  if (!kind.customerStatuses.includes(customer.status)) {
    return new DomainError(ErrorCode.ACCOUNT_NOT_ACTIVE, kind.customerStatusMessage(customer.status), { accountId: customer.id });
  }
  return null;
}

export const ledgerKeyOf = (kind: PartnerCustomerKind<PartnerCustomerRecord>, command: PartnerCustomerCommand) =>
  `${kind.name}:${command.partnerAccountId}:${command.idempotencyKey}`;

/** One leg debits the payer's TOPUP wallet (floor zero), the other credits the other side's. */
export function postingOf(kind: PartnerCustomerKind<PartnerCustomerRecord>, { command, requestHash }: PendingOperation): PostingRequest {
  const [payerId, payeeId] =
    kind.payer === 'PARTNER' ? [command.partnerAccountId, command.customerAccountId] : [command.customerAccountId, command.partnerAccountId];
  return {
    type: kind.transactionType,
    idempotencyKey: ledgerKeyOf(kind, command),
    requestHash,
    reference: `${kind.name}:${command.idempotencyKey}`,
    description: command.note ?? null,
    legs: [
      { accountId: payerId, walletKind: WalletKind.TOPUP, amountMicros: -command.amountMicros, floor: WalletFloor.ZERO },
      { accountId: payeeId, walletKind: WalletKind.TOPUP, amountMicros: command.amountMicros },
    ],
  };
}

/** The record rows of posted operations: one insert, their ids read back by transaction id. */
export async function recordOperations<Row extends PartnerCustomerRecord>(
  manager: EntityManager,
  kind: PartnerCustomerKind<Row>,
  posted: { operation: PendingOperation; posting: PostingResult }[],
): Promise<PartnerCustomerResult<Row>[]> {
  if (posted.length === 0) return [];
  const table: EntityTarget<PartnerCustomerRecord> = kind.entity;
  const rows = posted.map(({ operation: { command, requestHash }, posting }) =>
    manager.create(table, {
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
      await manager.insert(table, rows[0]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateOperationError(rows[0].idempotencyKey);
      throw error;
    }
  } else {
    await insertRows(manager, table, rows);
    const ids = await manager.find(table, {
      select: { id: true, transactionId: true },
      where: { transactionId: In(rows.map((row) => row.transactionId)) },
    });
    const idByTransaction = new Map(ids.map((row) => [row.transactionId, row.id]));
    for (const row of rows) row.id = idByTransaction.get(row.transactionId)!;
  }
  return posted.map(({ posting }, position) => {
    const record = rows[position];
    const partnerBalancesAfter = posting.balances.get(record.partnerAccountId);
    const customerBalancesAfter = posting.balances.get(record.customerAccountId);
    invariant(partnerBalancesAfter && customerBalancesAfter, 'the posting returns both balances');
    const payerAfter = kind.payer === 'PARTNER' ? partnerBalancesAfter : customerBalancesAfter;
    invariant(payerAfter.topUpMicros >= 0n, `a ${kind.name} never overdraws the side that pays`);
    invariant(typeof record.id === 'number', `the ${kind.name} row has its id`);
    return { record: record as Row, partnerBalancesAfter, customerBalancesAfter, dryRun: false };
  });
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

/** The dry run: the same checks as the operation, against the committed balances, writing nothing. */
export async function previewOrThrow<Row extends PartnerCustomerRecord>(
  dependencies: { runner: TransactionRunner; balances: BalancesService },
  kind: PartnerCustomerKind<Row>,
  command: PartnerCustomerCommand,
): Promise<PartnerCustomerResult<Row>> {
  await dependencies.runner.read(async (manager) => {
    const accounts = await manager.findBy(AccountEntity, { id: In([command.partnerAccountId, command.customerAccountId]) });
    const problem = participantsProblem(kind, new Map(accounts.map((account) => [account.id, account])), command);
    if (problem) throw problem;
  });
  const [partner, customer] = await dependencies.balances.balancesOf([command.partnerAccountId, command.customerAccountId]);
  const [payer, payee] = kind.payer === 'PARTNER' ? [partner, customer] : [customer, partner];
  if (payer.topUpMicros < command.amountMicros) throw insufficientCredits(payer.accountId);
  const after = new Map([
    [payer.accountId, { ...payer, topUpMicros: payer.topUpMicros - command.amountMicros }],
    [payee.accountId, { ...payee, topUpMicros: payee.topUpMicros + command.amountMicros }],
  ]);
  return { record: null, partnerBalancesAfter: after.get(partner.accountId)!, customerBalancesAfter: after.get(customer.accountId)!, dryRun: true };
}

/**
 * The executor of a kind without batches. One ledger transaction debits the payer's TOPUP wallet
 * (floor ZERO: checked against the locked balance, so no overdraft however many operations race,
 * and never a promotional credit) and credits the other side's; the record row is written in the
 * same database transaction, so both exist or neither does. Every operation of the kind in the
 * process goes through one group-commit queue: those that arrive while a batch commits are posted
 * together, set-wise, in the next one.
 */
export class PartnerCustomerPostings<Row extends PartnerCustomerRecord> {
  private readonly group: GroupCommit<PendingOperation, PartnerCustomerResult<Row>>;

  constructor(
    private readonly runner: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly balances: BalancesService,
    private readonly kind: PartnerCustomerKind<Row>,
  ) {
    this.group = new GroupCommit(runner, (manager, pending) => this.executeBatch(manager, pending), { rerunOnKeyConflict: true });
  }

  async execute(command: PartnerCustomerCommand): Promise<PartnerCustomerResult<Row>> {
    assertValidIdempotencyKey(command.idempotencyKey);
    const pending = pendingOperationOrThrow(this.kind, command);
    if (command.dryRun) return previewOrThrow({ runner: this.runner, balances: this.balances }, this.kind, pending.command);
    return executeOnce({
      requestHash: pending.requestHash,
      // The batch reads every operation's key in one statement and refuses a stored one first.
      lookFirst: false,
      findExisting: () => this.findByKey(command.partnerAccountId, command.idempotencyKey),
      execute: () => this.group.submit(this.kind.name, pending),
    });
  }

  /**
   * A batch in one transaction, at a constant number of statements: the stored keys and the
   * participants read once, then the ledger's set-wise posting, then one insert of the record rows
   * (and one read of their ids). An operation whose key is stored answers as a replay; one that
   * fails its checks or does not fit the payer's balance is refused alone.
   */
  private async executeBatch(manager: EntityManager, pending: PendingOperation[]): Promise<BatchOutcome<PartnerCustomerResult<Row>>[]> {
    const stored = await this.ledger.existingKeys(
      manager,
      pending.map(({ command }) => ledgerKeyOf(this.kind, command)),
    );
    const participantIds = pending.flatMap(({ command }) => [command.partnerAccountId, command.customerAccountId]);
    const accounts = new Map((await manager.findBy(AccountEntity, { id: In([...new Set(participantIds)]) })).map((account) => [account.id, account]));

    const outcomes: BatchOutcome<PartnerCustomerResult<Row>>[] = new Array(pending.length);
    const accepted: { index: number; operation: PendingOperation }[] = [];
    for (const [index, operation] of pending.entries()) {
      const refusal = stored.has(ledgerKeyOf(this.kind, operation.command))
        ? new DuplicateOperationError(operation.command.idempotencyKey)
        : participantsProblem(this.kind, accounts, operation.command);
      if (refusal) outcomes[index] = { ok: false, error: refusal };
      else accepted.push({ index, operation });
    }
    if (accepted.length === 0) return outcomes;
    if (pending.length === 1) {
      // A lone operation is posted (or refused, rolling its transaction back) on its own.
      const posting = await this.ledger.post(manager, postingOf(this.kind, accepted[0].operation));
      const [result] = await recordOperations(manager, this.kind, [{ operation: accepted[0].operation, posting }]);
      return [{ ok: true, value: result }];
    }

    const postings = await this.ledger.postBatch(
      manager,
      accepted.map(({ operation }) => postingOf(this.kind, operation)),
      { keysChecked: true },
    );
    const posted: { index: number; operation: PendingOperation; posting: PostingResult }[] = [];
    for (const [position, { index, operation }] of accepted.entries()) {
      const outcome = postings[position];
      if (outcome.ok) posted.push({ index, operation, posting: outcome.result });
      else outcomes[index] = { ok: false, error: outcome.error };
    }
    const results = await recordOperations(manager, this.kind, posted);
    for (const [position, { index }] of posted.entries()) outcomes[index] = { ok: true, value: results[position] };
    return outcomes;
  }

  private async findByKey(partnerAccountId: string, idempotencyKey: string): Promise<StoredOperation<PartnerCustomerResult<Row>> | null> {
    return this.runner.read(async (manager) => {
      const table: EntityTarget<PartnerCustomerRecord> = this.kind.entity;
      const record = await manager.findOneBy(table, { partnerAccountId, idempotencyKey });
      if (!record) return null;
      const [result] = await storedResultsOf(manager, this.kind, [record as Row]);
      return { requestHash: record.requestHash, result };
    });
  }
}
