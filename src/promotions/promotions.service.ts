import { AccountKind, AccountStatus } from '../accounts/account.enums';
import type { Actor } from '../audit/actor';
import { AuditAction } from '../audit/audit.enums';
import { recordAudit } from '../audit/audit-recorder';
import { AccountEntity } from '../accounts/entities/account.entity';
import { badInput, DomainError, ErrorCode, notFound } from '../common/domain-error';
import { assertValidIdempotencyKey, executeOnce, hashRequest } from '../common/idempotency';
import { positiveAmountProblem } from '../common/money';
import { requiredText } from '../common/validation';
import type { TransactionRunner } from '../database/transaction-runner';
import { AccountBalances } from '../ledger/balances';
import { AccountMovementEntity } from '../balances/history/entities/account-movement.entity';
import { PromotionalGrantEntity } from './entities/promotional-grant.entity';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletKind } from '../ledger/ledger.enums';
import type { LedgerService } from '../ledger/ledger.service';

export interface GrantCommand {
  accountId: string;
  amountMicros: bigint;
  expiresAt?: Date | null;
  reason: string;
  idempotencyKey: string;
}

export interface GrantResult {
  grant: PromotionalGrantEntity;
  balancesAfter: AccountBalances;
}

/** The longest a grant may run: ten years. */
export const MAX_GRANT_LIFETIME_MS = 10 * 366 * 24 * 3600 * 1000;

export class PromotionsService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly ledger: LedgerService,
  ) {}

  /** Grants promotional credits from the platform's PROMOTIONS system wallet, once per key. */
  async grant(command: GrantCommand, actor: Actor): Promise<GrantResult> {
    const problem = positiveAmountProblem(command.amountMicros);
    if (problem) throw badInput(`amount: ${problem}.`, { field: 'amount' });
    assertValidIdempotencyKey(command.idempotencyKey);
    const reason = requiredText('reason', command.reason, { max: 255 });
    const expiresAt = command.expiresAt ?? null;
    if (expiresAt && (expiresAt.getTime() <= Date.now() || expiresAt.getTime() > Date.now() + MAX_GRANT_LIFETIME_MS)) {
      throw badInput('expiresAt must be in the future and at most ten years away.', { field: 'expiresAt' });
    }
    const ledgerKey = `grant:${command.accountId}:${command.idempotencyKey}`;
    const requestHash = hashRequest({ ...command, reason, expiresAt });
    return executeOnce({
      requestHash,
      findExisting: () => this.findGrant(ledgerKey),
      execute: () =>
        this.runner.transaction(async (manager) => {
          const account = await manager.findOneBy(AccountEntity, { id: command.accountId });
          if (!account || account.kind === AccountKind.SYSTEM) throw notFound(`Account ${command.accountId}`);
          if (account.status === AccountStatus.CLOSED) {
            throw new DomainError(ErrorCode.ACCOUNT_NOT_ACTIVE, 'A closed account cannot receive credits.');
          }
          const posting = await this.ledger.post(manager, {
            type: LedgerTransactionType.PROMOTIONAL_GRANT,
            idempotencyKey: ledgerKey,
            requestHash,
            reference: `grant:${command.idempotencyKey}`,
            description: reason,
            legs: [
              { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PROMOTIONS, amountMicros: -command.amountMicros },
              { accountId: command.accountId, walletKind: WalletKind.PROMOTIONAL, amountMicros: command.amountMicros },
            ],
          });
          const grant = manager.create(PromotionalGrantEntity, {
            accountId: command.accountId,
            transactionId: posting.transaction.id,
            amountMicros: command.amountMicros,
            remainingMicros: command.amountMicros,
            expiredMicros: 0n,
            voidedMicros: 0n,
            expiresAt,
            reason,
            createdAt: posting.transaction.createdAt,
          });
          await manager.insert(PromotionalGrantEntity, grant);
          await recordAudit(manager, actor, {
            action: AuditAction.PROMOTIONAL_CREDITS_GRANTED,
            targetType: 'PROMOTIONAL_GRANT',
            targetId: String(grant.id),
            accountId: command.accountId,
            after: { amountMicros: command.amountMicros, expiresAt: expiresAt?.toISOString() ?? null, transactionId: String(posting.transaction.id) },
            reason,
          });
          return { grant, balancesAfter: posting.balances.get(command.accountId)! };
        }),
    });
  }

  private async findGrant(ledgerKey: string) {
    return this.runner.read(async (manager) => {
      const transaction = await this.ledger.findTransactionByKey(manager, ledgerKey);
      if (!transaction) return null;
      const grant = await manager.findOneByOrFail(PromotionalGrantEntity, { transactionId: transaction.id });
      const movement = await manager.findOneByOrFail(AccountMovementEntity, {
        transactionId: transaction.id,
        accountId: grant.accountId,
      });
      return {
        requestHash: transaction.requestHash,
        result: {
          grant,
          balancesAfter: {
            accountId: grant.accountId,
            topUpMicros: movement.topUpBalanceAfterMicros,
            promotionalMicros: movement.promotionalBalanceAfterMicros,
          },
        },
      };
    });
  }
}
