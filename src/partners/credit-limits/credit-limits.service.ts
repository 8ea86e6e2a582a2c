import { AccountKind } from '../../accounts/account.enums';
import { AccountDepleted, CreditLimitChanged } from '../../accounts/account-events';
import { AccountEntity } from '../../accounts/entities/account.entity';
import type { Actor } from '../../audit/actor';
import { recordAudit } from '../../audit/audit-recorder';
import { AuditAction } from '../../audit/audit.enums';
import { balancesWithin } from '../../balances/balances.service';
import { badInput, notFound } from '../../common/domain-error';
import { formatMicros, MAX_AMOUNT_MICROS } from '../../common/money';
import { requiredText } from '../../common/validation';
import { lockedForUpdate } from '../../database/dialect';
import type { TransactionRunner } from '../../database/transaction-runner';
import { type AccountBalances, totalMicros } from '../../ledger/balances';
import { WalletEntity } from '../../ledger/entities/wallet.entity';
import type { OutboxService } from '../../notifications/outbox.service';

export interface SetCreditLimitCommand {
  partnerAccountId: string;
  limitMicros: bigint;
  reason: string;
}

export interface CreditLimitResult {
  creditLimitMicros: bigint;
  balances: AccountBalances;
}

/**
 * A partner's credit limit, set by the platform admin: how far below zero its top-up wallet may go
 * through transfers, bulk transfers and auto-transfers (the partner-customer executor reads it with
 * the partner's account row and gives it to the ledger as the leg's overdraft). Nothing else (usage,
 * reclaims, refunds) ever uses it. Lowering it below what the partner owes takes nothing back; the
 * next transfers are refused until the partner is back within it, and the account is flagged
 * depleted meanwhile, as the depletion projection would.
 */
export class CreditLimitsService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly outbox: OutboxService,
  ) {}

  /** Sets the limit (0 removes it). Setting the limit the partner already has changes and records nothing. */
  async setLimit(command: SetCreditLimitCommand, actor: Actor): Promise<CreditLimitResult> {
    const limitMicros = command.limitMicros;
    if (limitMicros < 0n || limitMicros > MAX_AMOUNT_MICROS) {
      throw badInput(`limit must be 0 to ${formatMicros(MAX_AMOUNT_MICROS)} credits.`, { field: 'limit' });
    }
    const reason = requiredText('reason', command.reason, { max: 255 });
    return this.runner.transaction(async (manager) => {
      // The account row first (a transfer reads its partner's limit locked in share mode, so it either
      // posts before this change or waits and posts under the new limit), then the wallets as a posting
      // locks them, so the flag below agrees with every posting that commits before or after this change.
      const partner = await lockedForUpdate(
        manager.createQueryBuilder(AccountEntity, 'account').where('account.id = :id', { id: command.partnerAccountId }),
      ).getOne();
      if (!partner || partner.kind === AccountKind.SYSTEM) throw notFound(`Account ${command.partnerAccountId}`);
      if (partner.kind !== AccountKind.PARTNER) throw badInput('Only a partner account has a credit limit.', { field: 'partnerAccountId' });
      await lockedForUpdate(
        manager.createQueryBuilder(WalletEntity, 'wallet').where('wallet.accountId = :id', { id: partner.id }).orderBy('wallet.id'),
      ).getMany();
      const [balances] = await balancesWithin(manager, [partner.id]);
      if (partner.creditLimitMicros === limitMicros) return { creditLimitMicros: limitMicros, balances };
      const depleted = balances.topUpMicros < -limitMicros;
      const now = new Date();
      await manager.update(AccountEntity, { id: partner.id }, { creditLimitMicros: limitMicros, depleted, updatedAt: now });
      // Written after the wallets are locked: ordered with the partner's postings (available-credit thresholds rely on it).
      await this.outbox.emit(manager, CreditLimitChanged, [
        {
          accountId: partner.id,
          limitBeforeMicros: partner.creditLimitMicros,
          limitMicros,
          topUpMicros: balances.topUpMicros,
          totalMicros: totalMicros(balances),
          occurredAt: now,
        },
      ]);
      if (depleted && !partner.depleted) {
        await this.outbox.emit(manager, AccountDepleted, [{ accountId: partner.id, topUpMicros: balances.topUpMicros, totalMicros: totalMicros(balances) }]);
      }
      await recordAudit(manager, actor, {
        action: AuditAction.CREDIT_LIMIT_SET,
        targetType: 'ACCOUNT',
        targetId: partner.id,
        accountId: partner.id,
        before: { creditLimitMicros: partner.creditLimitMicros },
        after: { creditLimitMicros: limitMicros },
        reason,
      });
      return { creditLimitMicros: limitMicros, balances };
    });
  }
}
