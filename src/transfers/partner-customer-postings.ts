import { EntityManager, EntityTarget, In } from 'typeorm';
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
import type { LedgerService, PostingRequest, PostingResult } from '../ledger/ledger.service';
import type { PartnerCustomerRecord } from './entities/partner-customer-record';

/** A partner moving credits between its own top-up balance and one of its own customers'. */
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

/**
 * What differs between the kinds of partner ↔ customer movement: which side pays, the ledger type,
 * the table, and which account states allow it. Everything else (checks, idempotency, group commit,
 * set-wise posting, replay) is `PartnerCustomerPostings`.
 */
export interface PartnerCustomerKind<Row extends PartnerCustomerRecord> {
  /** `transfer` or `reclaim`: the group-commit queue, the ledger key's and the reference's prefix. */
  name: string;
  entity: new () => Row;
  transactionType: LedgerTransactionType;
  /** Whose top-up wallet is debited (floor zero): the partner's for a transfer, the customer's for a reclaim. */
  payer: 'PARTNER' | 'CUSTOMER';
  /** The customer states it is allowed for, and what the refusal of another says. */
  customerStatuses: readonly AccountStatus[];
  customerStatusMessage: (status: AccountStatus) => string;
  /** "transfer credits to", "reclaim credits from": the FORBIDDEN messages. */
  verbPhrase: string;
}

/** One operation past its checks, waiting in the group commit. */
interface PendingOperation {
  command: PartnerCustomerCommand;
  requestHash: string;
}

/**
 * Partner ↔ own-customer credit movements of one kind. One ledger transaction debits the payer's
 * TOPUP wallet (floor ZERO: checked against the locked balance, so no overdraft however many
 * operations race, and never a promotional credit) and credits the other side's TOPUP wallet; the
 * record row is written in the same database transaction, so both exist or neither does.
 *
 * Every operation of a kind in the process goes through one group-commit queue: operations that
 * arrive while a batch commits (from one hot partner or from many) are posted together, set-wise,
 * in the next one.
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
    const amountProblem = positiveAmountProblem(command.amountMicros);
    if (amountProblem) throw badInput(`amount: ${amountProblem}.`, { field: 'amount' });
    assertValidIdempotencyKey(command.idempotencyKey);
    const note = optionalText('note', command.note, 255);
    if (command.partnerAccountId === command.customerAccountId) throw forbidden(`A partner cannot ${this.kind.verbPhrase} itself.`);
    if (command.dryRun) return this.preview({ ...command, note });

    const requestHash = hashRequest({
      partnerAccountId: command.partnerAccountId,
      customerAccountId: command.customerAccountId,
      amountMicros: command.amountMicros,
      note,
    });
    return executeOnce({
      requestHash,
      // The batch reads every operation's key in one statement and refuses a stored one first.
      lookFirst: false,
      findExisting: () => this.findByKey(command.partnerAccountId, command.idempotencyKey),
      execute: () => this.group.submit(this.kind.name, { command: { ...command, note }, requestHash }),
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
      pending.map(({ command }) => this.ledgerKeyOf(command)),
    );
    const participantIds = pending.flatMap(({ command }) => [command.partnerAccountId, command.customerAccountId]);
    const accounts = new Map((await manager.findBy(AccountEntity, { id: In([...new Set(participantIds)]) })).map((account) => [account.id, account]));

    const outcomes: BatchOutcome<PartnerCustomerResult<Row>>[] = new Array(pending.length);
    const accepted: { index: number; operation: PendingOperation }[] = [];
    for (const [index, operation] of pending.entries()) {
      const refusal = stored.has(this.ledgerKeyOf(operation.command))
        ? new DuplicateOperationError(operation.command.idempotencyKey)
        : this.participantsProblem(accounts, operation.command);
      if (refusal) outcomes[index] = { ok: false, error: refusal };
      else accepted.push({ index, operation });
    }
    if (accepted.length === 0) return outcomes;
    if (pending.length === 1) {
      // A lone operation is posted (or refused, rolling its transaction back) as it always was.
      const posting = await this.ledger.post(manager, this.postingOf(accepted[0].operation));
      const [result] = await this.record(manager, [{ operation: accepted[0].operation, posting }]);
      return [{ ok: true, value: result }];
    }

    const postings = await this.ledger.postBatch(
      manager,
      accepted.map(({ operation }) => this.postingOf(operation)),
      { keysChecked: true },
    );
    const posted: { index: number; operation: PendingOperation; posting: PostingResult }[] = [];
    for (const [position, { index, operation }] of accepted.entries()) {
      const outcome = postings[position];
      if (outcome.ok) posted.push({ index, operation, posting: outcome.result });
      else outcomes[index] = { ok: false, error: outcome.error };
    }
    const results = await this.record(manager, posted);
    for (const [position, { index }] of posted.entries()) outcomes[index] = { ok: true, value: results[position] };
    return outcomes;
  }

  /** The record rows of posted operations: one insert, their ids read back by transaction id. */
  private async record(manager: EntityManager, posted: { operation: PendingOperation; posting: PostingResult }[]): Promise<PartnerCustomerResult<Row>[]> {
    if (posted.length === 0) return [];
    const rows = posted.map(({ operation: { command, requestHash }, posting }) =>
      manager.create(this.table, {
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
        await manager.insert(this.table, rows[0]);
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateOperationError(rows[0].idempotencyKey);
        throw error;
      }
    } else {
      await insertRows(manager, this.table, rows);
      const ids = await manager.find(this.table, {
        select: { id: true, transactionId: true },
        where: { transactionId: In(rows.map((row) => row.transactionId)) },
      });
      const idByTransaction = new Map(ids.map((row) => [row.transactionId, row.id]));
      for (const row of rows) row.id = idByTransaction.get(row.transactionId)!;
    }
    return posted.map(({ posting }, position) => this.resultOf(rows[position], posting));
  }

  /** The dry run: the same checks as the operation, against the committed balances, writing nothing. */
  private async preview(command: PartnerCustomerCommand): Promise<PartnerCustomerResult<Row>> {
    await this.runner.read(async (manager) => {
      const accounts = await manager.findBy(AccountEntity, { id: In([command.partnerAccountId, command.customerAccountId]) });
      const problem = this.participantsProblem(new Map(accounts.map((account) => [account.id, account])), command);
      if (problem) throw problem;
    });
    const [partner, customer] = await this.balances.balancesOf([command.partnerAccountId, command.customerAccountId]);
    const [payer, payee] = this.kind.payer === 'PARTNER' ? [partner, customer] : [customer, partner];
    if (payer.topUpMicros < command.amountMicros) {
      throw new DomainError(ErrorCode.INSUFFICIENT_CREDITS, 'The balance is too low for this amount.', { accountId: payer.accountId });
    }
    const after = new Map([
      [payer.accountId, { ...payer, topUpMicros: payer.topUpMicros - command.amountMicros }],
      [payee.accountId, { ...payee, topUpMicros: payee.topUpMicros + command.amountMicros }],
    ]);
    return {
      record: null,
      partnerBalancesAfter: after.get(partner.accountId)!,
      customerBalancesAfter: after.get(customer.accountId)!,
      dryRun: true,
    };
  }

  private async findByKey(partnerAccountId: string, idempotencyKey: string): Promise<StoredOperation<PartnerCustomerResult<Row>> | null> {
    return this.runner.read(async (manager) => {
      const record = await manager.findOneBy(this.table, { partnerAccountId, idempotencyKey });
      if (!record) return null;
      const movements = await manager.findBy(AccountMovementEntity, { transactionId: record.transactionId });
      const balancesAfter = (accountId: string): AccountBalances => {
        const movement = movements.find((row) => row.accountId === accountId);
        invariant(movement, `${this.kind.name} ${record.id} has a history row for ${accountId}`);
        return { accountId, topUpMicros: movement.topUpBalanceAfterMicros, promotionalMicros: movement.promotionalBalanceAfterMicros };
      };
      return {
        requestHash: record.requestHash,
        result: {
          record: record as Row,
          partnerBalancesAfter: balancesAfter(record.partnerAccountId),
          customerBalancesAfter: balancesAfter(record.customerAccountId),
          dryRun: false,
        },
      };
    });
  }

  /**
   * The refusals, in the order a person can act on them: a customer that is not this partner's looks
   * the same as one that does not exist (FORBIDDEN, no enumeration); then the partner not ACTIVE;
   * then the customer in a state this kind does not allow.
   */
  private participantsProblem(accounts: Map<string, AccountEntity>, command: PartnerCustomerCommand): DomainError | null {
    const partner = accounts.get(command.partnerAccountId);
    const customer = accounts.get(command.customerAccountId);
    if (!partner || partner.kind !== AccountKind.PARTNER) return forbidden(`Only a partner account can ${this.kind.verbPhrase} customers.`);
    if (!customer || customer.kind !== AccountKind.CUSTOMER || customer.partnerId !== partner.id) {
      return forbidden(`You may only ${this.kind.verbPhrase} your own customers.`);
    }
    if (partner.status !== AccountStatus.ACTIVE) {
      return new DomainError(
        ErrorCode.ACCOUNT_NOT_ACTIVE,
        `Your partner account is ${partner.status}; only an ACTIVE partner can ${this.kind.verbPhrase} customers.`,
      );
    }
    if (!this.kind.customerStatuses.includes(customer.status)) {
      return new DomainError(ErrorCode.ACCOUNT_NOT_ACTIVE, this.kind.customerStatusMessage(customer.status), { accountId: customer.id });
    }
    return null;
  }

  private ledgerKeyOf(command: PartnerCustomerCommand): string {
    return `${this.kind.name}:${command.partnerAccountId}:${command.idempotencyKey}`;
  }

  private postingOf({ command, requestHash }: PendingOperation): PostingRequest {
    const [payerId, payeeId] =
      this.kind.payer === 'PARTNER' ? [command.partnerAccountId, command.customerAccountId] : [command.customerAccountId, command.partnerAccountId];
    return {
      type: this.kind.transactionType,
      idempotencyKey: this.ledgerKeyOf(command),
      requestHash,
      reference: `${this.kind.name}:${command.idempotencyKey}`,
      description: command.note ?? null,
      legs: [
        { accountId: payerId, walletKind: WalletKind.TOPUP, amountMicros: -command.amountMicros, floor: WalletFloor.ZERO },
        { accountId: payeeId, walletKind: WalletKind.TOPUP, amountMicros: command.amountMicros },
      ],
    };
  }

  private resultOf(record: PartnerCustomerRecord, posting: PostingResult): PartnerCustomerResult<Row> {
    const partnerBalancesAfter = posting.balances.get(record.partnerAccountId);
    const customerBalancesAfter = posting.balances.get(record.customerAccountId);
    invariant(partnerBalancesAfter && customerBalancesAfter, 'the posting returns both balances');
    const payerAfter = this.kind.payer === 'PARTNER' ? partnerBalancesAfter : customerBalancesAfter;
    invariant(payerAfter.topUpMicros >= 0n, `a ${this.kind.name} never overdraws the side that pays`);
    invariant(typeof record.id === 'number', `the ${this.kind.name} row has its id`);
    return { record: record as Row, partnerBalancesAfter, customerBalancesAfter, dryRun: false };
  }

  /** The kind's table, typed by the columns every kind shares. */
  private get table(): EntityTarget<PartnerCustomerRecord> {
    return this.kind.entity;
  }
}
