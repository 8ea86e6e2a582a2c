import type { EntityManager } from 'typeorm';
import { invariant } from '../common/domain-error';
import type { StoredOperation } from '../common/idempotency';
import type { TransactionRunner } from '../database/transaction-runner';
import type { AccountBalances } from '../ledger/balances';
import type { PostingResult } from '../ledger/posting';
import { AccountMovementEntity } from '../balances/history/entities/account-movement.entity';
import { PromotionalGrantEntity } from '../promotions/entities/promotional-grant.entity';
import { CreditCorrectionEntity } from './entities/credit-correction.entity';

/** A correction that moved credits, the account's balances right after it, and the grant it drew or voided (if one). */
export interface CorrectionResult {
  correction: CreditCorrectionEntity;
  balancesAfter: AccountBalances;
  grant: PromotionalGrantEntity | null;
}

/** Inserts a correction row (its id is set on the entity). */
export async function insertCorrection(manager: EntityManager, row: Omit<CreditCorrectionEntity, 'id'>): Promise<CreditCorrectionEntity> {
  const correction = manager.create(CreditCorrectionEntity, row);
  await manager.insert(CreditCorrectionEntity, correction);
  invariant(typeof correction.id === 'number', 'the inserted correction has an id');
  return correction;
}

/** Inserts the row of a correction that moved credits: its posting's transaction and moment, no expiry change. */
export function insertPostedCorrection(
  manager: EntityManager,
  posting: PostingResult,
  row: Pick<CreditCorrectionEntity, 'kind' | 'accountId' | 'wallet' | 'amountMicros' | 'grantId' | 'reason' | 'correctionKey' | 'requestHash'>,
): Promise<CreditCorrectionEntity> {
  return insertCorrection(manager, {
    ...row,
    previousExpiresAt: null,
    newExpiresAt: null,
    transactionId: posting.transaction.id,
    createdAt: posting.transaction.createdAt,
  });
}

/**
 * The first answer of a stored correction, for a replay: the balances right after it are those of
 * its history row, not today's; the grant as it is now.
 */
export function findCorrectionByKey(runner: TransactionRunner, correctionKey: string): Promise<StoredOperation<CorrectionResult> | null> {
  return runner.read(async (manager) => {
    const correction = await manager.findOneBy(CreditCorrectionEntity, { correctionKey });
    if (!correction) return null;
    invariant(correction.transactionId !== null, `correction ${correction.id} moved credits`);
    const movement = await manager.findOneByOrFail(AccountMovementEntity, { transactionId: correction.transactionId, accountId: correction.accountId });
    const grant = correction.grantId === null ? null : await manager.findOneByOrFail(PromotionalGrantEntity, { id: correction.grantId });
    return {
      requestHash: correction.requestHash,
      result: {
        correction,
        grant,
        balancesAfter: {
          accountId: correction.accountId,
          topUpMicros: movement.topUpBalanceAfterMicros,
          promotionalMicros: movement.promotionalBalanceAfterMicros,
        },
      },
    };
  });
}
