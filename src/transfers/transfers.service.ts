import { EntityManager, In } from 'typeorm';
import { AccountKind, AccountStatus } from '../accounts/account.enums';
import { AccountEntity } from '../accounts/entities/account.entity';
import { badInput, DomainError, ErrorCode, forbidden, invariant } from '../common/domain-error';
import { assertValidIdempotencyKey, DuplicateOperationError, executeOnce, hashRequest, StoredOperation } from '../common/idempotency';
import { positiveAmountProblem } from '../common/money';
import { optionalText } from '../common/validation';
import { TransactionBatcher } from '../database/transaction-batcher';
import { isUniqueViolation, type TransactionRunner } from '../database/transaction-runner';
import { AccountBalances } from '../ledger/balances';
import type { BalancesService } from '../ledger/balances.service';
import { AccountMovementEntity } from '../ledger/entities/account-movement.entity';
import { LedgerTransactionType, WalletFloor, WalletKind } from '../ledger/ledger.enums';
import type { LedgerService } from '../ledger/ledger.service';
import { CreditTransferEntity } from './entities/credit-transfer.entity';

export interface TransferCommand {
  /** The partner whose user asks; taken from the principal, never from the input. */
  partnerAccountId: string;
  customerAccountId: string;
  amountMicros: bigint;
  idempotencyKey: string;
  note?: string | null;
  /** Validate and compute the balances after, moving nothing and consuming no key. */
  dryRun?: boolean;
}

export interface TransferResult {
  /** Null for a dry run. */
  transfer: CreditTransferEntity | null;
  partnerBalancesAfter: AccountBalances;
  customerBalancesAfter: AccountBalances;
  dryRun: boolean;
}

/**
 * Partner → own customer credit transfers. One ledger transaction debits the partner's TOPUP
 * wallet (floor ZERO: the conditional update in the ledger refuses an overdraft however many
 * transfers race) and credits the customer's TOPUP wallet; the transfer row is written in the
 * same database transaction, so both exist or neither does.
 */
export class TransfersService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly balances: BalancesService,
    private readonly batcher = new TransactionBatcher(runner),
  ) {}

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
      findExisting: () => this.findByKey(command.partnerAccountId, command.idempotencyKey),
      // Batched per partner: racing transfers from one hot partner share a transaction (group
      // commit) instead of queueing on its wallet's row lock one transaction at a time.
      execute: () =>
        this.batcher
          .run(`transfer:${command.partnerAccountId}`, (manager) => this.execute(manager, { ...command, note }, requestHash)),
    });
  }

  private async execute(manager: EntityManager, command: TransferCommand, requestHash: string): Promise<TransferResult> {
    await loadParticipantsOrThrow(manager, command);
    const posting = await this.ledger.post(manager, {
      type: LedgerTransactionType.TRANSFER,
      idempotencyKey: `transfer:${command.partnerAccountId}:${command.idempotencyKey}`,
      requestHash,
      reference: `transfer:${command.idempotencyKey}`,
      description: command.note ?? null,
      legs: [
        { accountId: command.partnerAccountId, walletKind: WalletKind.TOPUP, amountMicros: -command.amountMicros, floor: WalletFloor.ZERO },
        { accountId: command.customerAccountId, walletKind: WalletKind.TOPUP, amountMicros: command.amountMicros },
      ],
    });
    const transfer = manager.create(CreditTransferEntity, {
      partnerAccountId: command.partnerAccountId,
      customerAccountId: command.customerAccountId,
      amountMicros: command.amountMicros,
      note: command.note ?? null,
      idempotencyKey: command.idempotencyKey,
      requestHash,
      transactionId: posting.transaction.id,
      createdAt: posting.transaction.createdAt,
    });
    try {
      await manager.insert(CreditTransferEntity, transfer);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateOperationError(command.idempotencyKey);
      throw error;
    }
    const partnerBalancesAfter = posting.balances.get(command.partnerAccountId);
    const customerBalancesAfter = posting.balances.get(command.customerAccountId);
    invariant(partnerBalancesAfter && customerBalancesAfter, 'the posting returns both balances');
    invariant(partnerBalancesAfter.topUpMicros >= 0n, 'a transfer never overdraws the partner');
    return { transfer, partnerBalancesAfter, customerBalancesAfter, dryRun: false };
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

/**
 * The refusals, in the order a person can act on them: a customer that is not this partner's looks
 * the same as one that does not exist (FORBIDDEN, no enumeration); then either side not ACTIVE.
 */
async function loadParticipantsOrThrow(manager: EntityManager, command: TransferCommand): Promise<void> {
  const accounts = await manager.findBy(AccountEntity, { id: In([command.partnerAccountId, command.customerAccountId]) });
  const partner = accounts.find((account) => account.id === command.partnerAccountId);
  const customer = accounts.find((account) => account.id === command.customerAccountId);
  if (!partner || partner.kind !== AccountKind.PARTNER) throw forbidden('Only a partner account can transfer credits.');
  if (!customer || customer.kind !== AccountKind.CUSTOMER || customer.partnerId !== partner.id) {
    throw forbidden('You may only transfer credits to your own customers.');
  }
  if (partner.status !== AccountStatus.ACTIVE) {
    throw new DomainError(ErrorCode.ACCOUNT_NOT_ACTIVE, `Your partner account is ${partner.status}; only an ACTIVE partner can transfer credits.`);
  }
  if (customer.status !== AccountStatus.ACTIVE) {
    throw new DomainError(ErrorCode.ACCOUNT_NOT_ACTIVE, `The customer account is ${customer.status}; credits can only go to an ACTIVE customer.`, {
      accountId: customer.id,
    });
  }
}
