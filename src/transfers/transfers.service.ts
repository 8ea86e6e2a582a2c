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
import type { LedgerService, PostingRequest, PostingResult } from '../ledger/ledger.service';
import { CreditTransferEntity } from './entities/credit-transfer.entity';

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
interface PendingTransfer {
  command: TransferCommand;
  requestHash: string;
}

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
  private readonly group: GroupCommit<PendingTransfer, TransferResult>;

  constructor(
    private readonly runner: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly balances: BalancesService,
  ) {
    this.group = new GroupCommit(runner, (manager, pending) => this.executeBatch(manager, pending), { rerunOnKeyConflict: true });
  }

  async transfer(command: TransferCommand): Promise<TransferResult> {
    const amountProblem = positiveAmountProblem(command.amountMicros);
    if (amountProblem) throw badInput(`amount: ${amountProblem}.`, { field: 'amount' });
    assertValidIdempotencyKey(command.idempotencyKey);
    const note = optionalText('note', command.note, 255);
    if (command.partnerAccountId === command.customerAccountId) throw forbidden('A partner cannot transfer credits to itself.');
    if (command.dryRun) return this.preview({ ...command, note });

    const requestHash = hashRequest({
      partnerAccountId: command.partnerAccountId,
      customerAccountId: command.customerAccountId,
      amountMicros: command.amountMicros,
      note,
    });
    return executeOnce({
      requestHash,
      // The batch reads every transfer's key in one statement and refuses a stored one first.
      lookFirst: false,
      findExisting: () => this.findByKey(command.partnerAccountId, command.idempotencyKey),
      execute: () => this.group.submit(TRANSFER_QUEUE, { command: { ...command, note }, requestHash }),
    });
  }

  /**
   * A batch of transfers in one transaction, at a constant number of statements: the stored keys and
   * the participants read once, then the ledger's set-wise posting, then one insert of the transfer
   * rows (and one read of their ids). A transfer whose key is stored answers as a replay; one that
   * fails its checks or does not fit the partner's balance is refused alone.
   */
  private async executeBatch(manager: EntityManager, pending: PendingTransfer[]): Promise<BatchOutcome<TransferResult>[]> {
    const stored = await this.ledger.existingKeys(
      manager,
      pending.map(({ command }) => ledgerKeyOf(command)),
    );
    const participantIds = pending.flatMap(({ command }) => [command.partnerAccountId, command.customerAccountId]);
    const accounts = new Map((await manager.findBy(AccountEntity, { id: In([...new Set(participantIds)]) })).map((account) => [account.id, account]));

    const outcomes: BatchOutcome<TransferResult>[] = new Array(pending.length);
    const accepted: { index: number; transfer: PendingTransfer }[] = [];
    for (const [index, transfer] of pending.entries()) {
      const refusal = stored.has(ledgerKeyOf(transfer.command))
        ? new DuplicateOperationError(transfer.command.idempotencyKey)
        : participantsProblem(accounts, transfer.command);
      if (refusal) outcomes[index] = { ok: false, error: refusal };
      else accepted.push({ index, transfer });
    }
    if (accepted.length === 0) return outcomes;
    if (pending.length === 1) {
      // A lone transfer is posted (or refused, rolling its transaction back) as it always was.
      const posting = await this.ledger.post(manager, postingOf(accepted[0].transfer));
      const [result] = await this.recordTransfers(manager, [{ transfer: accepted[0].transfer, posting }]);
      return [{ ok: true, value: result }];
    }

    const postings = await this.ledger.postBatch(
      manager,
      accepted.map(({ transfer }) => postingOf(transfer)),
      { keysChecked: true },
    );
    const posted: { index: number; transfer: PendingTransfer; posting: PostingResult }[] = [];
    for (const [position, { index, transfer }] of accepted.entries()) {
      const outcome = postings[position];
      if (outcome.ok) posted.push({ index, transfer, posting: outcome.result });
      else outcomes[index] = { ok: false, error: outcome.error };
    }
    const results = await this.recordTransfers(manager, posted);
    for (const [position, { index }] of posted.entries()) outcomes[index] = { ok: true, value: results[position] };
    return outcomes;
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
    if (partner.topUpMicros < command.amountMicros) {
      throw new DomainError(ErrorCode.INSUFFICIENT_CREDITS, 'The balance is too low for this amount.', { accountId: partner.accountId });
    }
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
      const movements = await manager.findBy(AccountMovementEntity, { transactionId: transfer.transactionId });
      const balancesAfter = (accountId: string): AccountBalances => {
        const movement = movements.find((row) => row.accountId === accountId);
        invariant(movement, `transfer ${transfer.id} has a history row for ${accountId}`);
        return { accountId, topUpMicros: movement.topUpBalanceAfterMicros, promotionalMicros: movement.promotionalBalanceAfterMicros };
      };
      return {
        requestHash: transfer.requestHash,
        result: {
          transfer,
          partnerBalancesAfter: balancesAfter(transfer.partnerAccountId),
          customerBalancesAfter: balancesAfter(transfer.customerAccountId),
          dryRun: false,
        },
      };
    });
  }
}

async function loadParticipantsOrThrow(manager: EntityManager, command: TransferCommand): Promise<void> {
  const accounts = await manager.findBy(AccountEntity, { id: In([command.partnerAccountId, command.customerAccountId]) });
  const problem = participantsProblem(new Map(accounts.map((account) => [account.id, account])), command);
  if (problem) throw problem;
}

/**
 * The refusals, in the order a person can act on them: a customer that is not this partner's looks
 * the same as one that does not exist (FORBIDDEN, no enumeration); then either side not ACTIVE.
 */
function participantsProblem(accounts: Map<string, AccountEntity>, command: TransferCommand): DomainError | null {
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
