import type { CreditCorrectionEntity } from '../entities/credit-correction.entity';
import { CreditCorrection } from './correction.type';

export function toCreditCorrection(correction: CreditCorrectionEntity): CreditCorrection {
  return Object.assign(new CreditCorrection(), {
    id: String(correction.id),
    kind: correction.kind,
    accountId: correction.accountId,
    wallet: correction.wallet,
    amount: correction.amountMicros,
    grantId: correction.grantId === null ? null : String(correction.grantId),
    previousExpiresAt: correction.previousExpiresAt,
    newExpiresAt: correction.newExpiresAt,
    reason: correction.reason,
    createdAt: correction.createdAt,
  });
}
