import type { EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import { recordAudit } from '../audit/audit-recorder';
import { AuditAction } from '../audit/audit.enums';
import { badInput, DomainError, ErrorCode, notFound } from '../common/domain-error';
import { DuplicateOperationError, executeOnce, hashRequest } from '../common/idempotency';
import { requiredText } from '../common/validation';
import { lockedForUpdate } from '../database/dialect';
import type { TransactionRunner } from '../database/transaction-runner';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletKind } from '../ledger/ledger.enums';
import type { LedgerService } from '../ledger/ledger.service';
import { PromotionalGrantEntity } from '../promotions/entities/promotional-grant.entity';
import type { ExpiryService } from '../promotions/expiry.service';
import { grantStatus, PromotionalGrantStatus } from '../promotions/grant-status';
import { MAX_GRANT_LIFETIME_MS } from '../promotions/promotions.service';
import { CorrectableWallet, CorrectionKind } from './corrections.enums';
import { type CorrectionResult, findCorrectionByKey, insertCorrection, insertPostedCorrection } from './correction-records';

export interface VoidGrantCommand {
  grantId: string;
  reason: string;
}

export interface ChangeGrantExpiryCommand {
  grantId: string;
  /** Null: the grant never expires. */
  expiresAt: Date | null;
  reason: string;
}

/**
 * The platform admin's corrections of a promotional grant: voiding what is left of it (a
 * PROMOTIONAL_VOID posting back to the PROMOTIONS wallet, once per grant) and moving its expiry
 * (no credits move). Each locks the grant row first, as usage and the expiry job do, so a void
 * racing them takes exactly what they left, and writes its correction row and audit entry in the
 * same transaction. Only an ACTIVE grant (something left, not past its expiry) can be corrected.
 */
export class GrantCorrectionsService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly expiry: ExpiryService,
  ) {}

  /** Voids the grant's remainder. Idempotent per grant: a retry with the same reason answers the first void. */
  async voidGrant(command: VoidGrantCommand, actor: Actor): Promise<CorrectionResult> {
    const grantId = grantIdOrThrow(command.grantId);
    const reason = requiredText('reason', command.reason, { max: 255 });
    const correctionKey = `void:${grantId}`;
    const requestHash = hashRequest({ grantId, reason });
    return executeOnce({
      requestHash,
      findExisting: () => findCorrectionByKey(this.runner, correctionKey),
      keyReusedMessage: 'This grant was already voided, with another reason; the first void stands.',
      execute: () =>
        this.runner.transaction(async (manager) => {
          const grant = await this.lockedGrantOrThrow(manager, grantId);
          // Voided meanwhile by a racing request: the caller answers its void (or the reason's refusal).
          if (grant.voidedMicros > 0n) throw new DuplicateOperationError(correctionKey);
          assertActive(grant);
          const voidedMicros = grant.remainingMicros;
          const posting = await this.ledger.post(manager, {
            type: LedgerTransactionType.PROMOTIONAL_VOID,
            idempotencyKey: correctionKey,
            requestHash,
            reference: `grant:${grant.id}`,
            description: reason,
            legs: [
              { accountId: grant.accountId, walletKind: WalletKind.PROMOTIONAL, amountMicros: -voidedMicros },
              { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PROMOTIONS, amountMicros: voidedMicros },
            ],
          });
          await manager.update(PromotionalGrantEntity, { id: grant.id }, { remainingMicros: 0n, voidedMicros });
          Object.assign(grant, { remainingMicros: 0n, voidedMicros });
          const correction = await insertPostedCorrection(manager, posting, {
            kind: CorrectionKind.PROMOTIONAL_GRANT_VOID,
            accountId: grant.accountId,
            wallet: CorrectableWallet.PROMOTIONAL,
            amountMicros: -voidedMicros,
            grantId: grant.id,
            reason,
            correctionKey,
            requestHash,
          });
          await recordAudit(manager, actor, {
            action: AuditAction.PROMOTIONAL_GRANT_VOIDED,
            targetType: 'PROMOTIONAL_GRANT',
            targetId: String(grant.id),
            accountId: grant.accountId,
            before: { remainingMicros: voidedMicros },
            after: { remainingMicros: 0n, voidedMicros, correctionId: String(correction.id), transactionId: String(posting.transaction.id) },
            reason,
          });
          return { correction, grant, balancesAfter: posting.balances.get(grant.accountId)! };
        }),
    });
  }

  /**
   * Moves an ACTIVE grant's expiry, never into the past (null: it never expires). Setting the expiry
   * the grant already has changes nothing and records nothing, so a retry is harmless. Answers the
   * grant as it is after the change.
   */
  async changeExpiry(command: ChangeGrantExpiryCommand, actor: Actor): Promise<PromotionalGrantEntity> {
    const grantId = grantIdOrThrow(command.grantId);
    const reason = requiredText('reason', command.reason, { max: 255 });
    const expiresAt = command.expiresAt;
    const now = Date.now();
    if (expiresAt && (expiresAt.getTime() <= now || expiresAt.getTime() > now + MAX_GRANT_LIFETIME_MS)) {
      throw badInput('expiresAt must be in the future and at most ten years away (null: never expires).', { field: 'expiresAt' });
    }
    return this.runner.transaction(async (manager) => {
      const grant = await this.lockedGrantOrThrow(manager, grantId);
      assertActive(grant);
      const previousExpiresAt = grant.expiresAt;
      if ((previousExpiresAt?.getTime() ?? null) === (expiresAt?.getTime() ?? null)) return grant;
      await manager.update(PromotionalGrantEntity, { id: grant.id }, { expiresAt });
      grant.expiresAt = expiresAt;
      const correction = await insertCorrection(manager, {
        kind: CorrectionKind.PROMOTIONAL_GRANT_EXPIRY_CHANGE,
        accountId: grant.accountId,
        wallet: null,
        amountMicros: 0n,
        grantId: grant.id,
        previousExpiresAt,
        newExpiresAt: expiresAt,
        reason,
        correctionKey: null,
        requestHash: null,
        transactionId: null,
        createdAt: new Date(),
      });
      await recordAudit(manager, actor, {
        action: AuditAction.PROMOTIONAL_GRANT_EXPIRY_CHANGED,
        targetType: 'PROMOTIONAL_GRANT',
        targetId: String(grant.id),
        accountId: grant.accountId,
        before: { expiresAt: previousExpiresAt?.toISOString() ?? null },
        after: { expiresAt: expiresAt?.toISOString() ?? null, correctionId: String(correction.id) },
        reason,
      });
      // The lazy expiry of this process remembered the account's next expiry; it may now be sooner.
      this.runner.afterCommit(manager, () => this.expiry.forget(grant.accountId));
      return grant;
    });
  }

  private async lockedGrantOrThrow(manager: EntityManager, grantId: number): Promise<PromotionalGrantEntity> {
    const grant = await lockedForUpdate(manager.createQueryBuilder(PromotionalGrantEntity, 'promotion').where('promotion.id = :grantId', { grantId })).getOne();
    if (!grant) throw notFound(`Promotional grant ${grantId}`);
    return grant;
  }
}

function grantIdOrThrow(text: string): number {
  if (!/^[1-9][0-9]{0,14}$/.test(text)) throw notFound(`Promotional grant ${text.slice(0, 40)}`);
  return Number(text);
}

function assertActive(grant: PromotionalGrantEntity): void {
  const status = grantStatus(grant, new Date());
  if (status !== PromotionalGrantStatus.ACTIVE) {
    throw new DomainError(ErrorCode.GRANT_NOT_ACTIVE, `Promotional grant ${grant.id} is ${status}: there is nothing left of it to correct.`, {
      grantId: String(grant.id),
      status,
    });
  }
}
