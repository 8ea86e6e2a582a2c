import type { EntityManager } from 'typeorm';
import { AccountKind } from '../accounts/account.enums';
import { AccountEntity } from '../accounts/entities/account.entity';
import type { Actor } from '../audit/actor';
import { recordAudit } from '../audit/audit-recorder';
import { AuditAction } from '../audit/audit.enums';
import { badInput, DomainError, ErrorCode, notFound } from '../common/domain-error';
import { assertValidIdempotencyKey, executeOnce, hashRequest } from '../common/idempotency';
import { formatMicros, MAX_AMOUNT_MICROS } from '../common/money';
import { requiredText } from '../common/validation';
import type { TransactionRunner } from '../database/transaction-runner';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletFloor, WalletKind } from '../ledger/ledger.enums';
import type { LedgerService } from '../ledger/ledger.service';
import { applyDraws, planConsumption, spendableGrantsForUpdate } from '../promotions/consumption';
import { PromotionalGrantEntity } from '../promotions/entities/promotional-grant.entity';
import { CorrectableWallet, CorrectionKind } from './corrections.enums';
import { type CorrectionResult, findCorrectionByKey, insertPostedCorrection } from './correction-records';

export interface AdjustBalanceCommand {
  accountId: string;
  wallet: CorrectableWallet;
  /** Signed: positive adds credits to the wallet, negative takes them out. */
  amountMicros: bigint;
  reason: string;
  idempotencyKey: string;
}

/**
 * The platform admin's adjustment of one wallet by a signed amount: one ADJUSTMENT posting against
 * the platform's CORRECTIONS wallet, its correction row and its audit entry, in one transaction,
 * once per account and key.
 *
 * The promotional wallet is the sum of the account's grants, so an adjustment of it goes through
 * them: a positive one is a grant that never expires (usage draws it last, like any such grant); a
 * negative one draws the unexpired grants in usage's order (soonest expiry first), locked, and is
 * refused with INSUFFICIENT_CREDITS when they hold less, so the wallet never goes below zero. The
 * top-up wallet has no floor for an adjustment: taking back credits that were already spent leaves
 * it negative, as a provider's claw-back does, and the account is flagged depleted.
 */
export class BalanceAdjustmentsService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly ledger: LedgerService,
  ) {}

  async adjust(command: AdjustBalanceCommand, actor: Actor): Promise<CorrectionResult> {
    const amount = command.amountMicros;
    if (amount === 0n) throw badInput('amount: an adjustment must not be zero.', { field: 'amount' });
    if (amount > MAX_AMOUNT_MICROS || -amount > MAX_AMOUNT_MICROS) {
      throw badInput(`amount: an adjustment must not exceed ${formatMicros(MAX_AMOUNT_MICROS)} credits either way.`, { field: 'amount' });
    }
    if (!Object.values(CorrectableWallet).includes(command.wallet)) throw badInput('wallet must be TOPUP or PROMOTIONAL.', { field: 'wallet' });
    assertValidIdempotencyKey(command.idempotencyKey);
    const reason = requiredText('reason', command.reason, { max: 255 });
    const correctionKey = `adjustment:${command.accountId}:${command.idempotencyKey}`;
    const requestHash = hashRequest({ accountId: command.accountId, wallet: command.wallet, amountMicros: amount, reason });
    return executeOnce({
      requestHash,
      findExisting: () => findCorrectionByKey(this.runner, correctionKey),
      execute: () => this.runner.transaction((manager) => this.adjustWithin(manager, { ...command, reason }, { correctionKey, requestHash, actor })),
    });
  }

  private async adjustWithin(
    manager: EntityManager,
    command: AdjustBalanceCommand,
    { correctionKey, requestHash, actor }: { correctionKey: string; requestHash: string; actor: Actor },
  ): Promise<CorrectionResult> {
    const { accountId, wallet, amountMicros, reason } = command;
    const account = await manager.findOneBy(AccountEntity, { id: accountId });
    if (!account || account.kind === AccountKind.SYSTEM) throw notFound(`Account ${accountId}`);
    const promotional = wallet === CorrectableWallet.PROMOTIONAL;
    // Grants are locked before the wallets (the posting locks those), the order usage takes too.
    const draws = promotional && amountMicros < 0n ? await this.drawsOrThrow(manager, accountId, -amountMicros) : [];
    const posting = await this.ledger.post(manager, {
      type: LedgerTransactionType.ADJUSTMENT,
      idempotencyKey: correctionKey,
      requestHash,
      reference: `adjustment:${command.idempotencyKey}`,
      description: reason,
      legs: [
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.CORRECTIONS, amountMicros: -amountMicros },
        {
          accountId,
          walletKind: promotional ? WalletKind.PROMOTIONAL : WalletKind.TOPUP,
          amountMicros,
          floor: promotional ? WalletFloor.ZERO : WalletFloor.NONE,
        },
      ],
    });
    await applyDraws(manager, draws);
    const grant = promotional && amountMicros > 0n ? await this.insertGrant(manager, { accountId, amountMicros, reason, posting }) : null;
    const correction = await insertPostedCorrection(manager, posting, {
      kind: CorrectionKind.ADJUSTMENT,
      accountId,
      wallet,
      amountMicros,
      grantId: grant?.id ?? null,
      reason,
      correctionKey,
      requestHash,
    });
    await recordAudit(manager, actor, {
      action: AuditAction.BALANCE_CORRECTED,
      targetType: 'ACCOUNT',
      targetId: accountId,
      accountId,
      after: { wallet, amountMicros, correctionId: String(correction.id), transactionId: String(posting.transaction.id) },
      reason,
    });
    return { correction, balancesAfter: posting.balances.get(accountId)!, grant };
  }

  /** The grants a negative promotional adjustment draws, in usage's order; refused when they hold too little. */
  private async drawsOrThrow(manager: EntityManager, accountId: string, amountMicros: bigint) {
    const grants = await spendableGrantsForUpdate(manager, { accountIds: [accountId], now: new Date() });
    const plan = planConsumption(grants, amountMicros);
    if (plan.topUpMicros > 0n) {
      throw new DomainError(
        ErrorCode.INSUFFICIENT_CREDITS,
        `The account's unexpired promotional credits (${formatMicros(plan.promotionalMicros)}) are less than this adjustment takes; the promotional balance never goes below zero.`,
        { accountId },
      );
    }
    return plan.draws;
  }

  private async insertGrant(
    manager: EntityManager,
    options: { accountId: string; amountMicros: bigint; reason: string; posting: { transaction: { id: number; createdAt: Date } } },
  ): Promise<PromotionalGrantEntity> {
    const grant = manager.create(PromotionalGrantEntity, {
      accountId: options.accountId,
      transactionId: options.posting.transaction.id,
      amountMicros: options.amountMicros,
      remainingMicros: options.amountMicros,
      expiredMicros: 0n,
      voidedMicros: 0n,
      expiresAt: null,
      reason: options.reason,
      createdAt: options.posting.transaction.createdAt,
    });
    await manager.insert(PromotionalGrantEntity, grant);
    return grant;
  }
}
