import type { OutboxMessage } from '../../notifications/topics';
import { Topic } from '../../notifications/topics';
import { AutoTransferFiringStatus, AutoTransferRefusalCode } from './auto-transfer.enums';
import type { AutoTransferFiringEntity } from './entities/auto-transfer-firing.entity';

/**
 * What an AUTO_TRANSFER_OUTCOME outbox event carries (money as
 * micro-credit strings). `accountId` is the partner's: the notice goes to the partner.
 */
export interface AutoTransferOutcomePayload {
  accountId: string;
  ruleId: string;
  firingId: string;
  customerAccountId: string;
  status: AutoTransferFiringStatus.SUCCEEDED | AutoTransferFiringStatus.REFUSED;
  amountMicros: string | null;
  transferId: string | null;
  refusalCode: AutoTransferRefusalCode | null;
  message: string | null;
  thresholdMicros: string | null;
  targetMicros: string | null;
  /** The customer's total balance right after the movement that crossed. */
  totalAfterMicros: string;
  crossedAt: string;
  occurredAt: string;
}

/** The outbox message announcing how a firing ended. */
export function outcomeMessage(firing: AutoTransferFiringEntity, completedAt: Date): OutboxMessage {
  const succeeded = firing.status === AutoTransferFiringStatus.SUCCEEDED;
  const payload: AutoTransferOutcomePayload = {
    accountId: firing.partnerAccountId,
    ruleId: String(firing.ruleId),
    firingId: String(firing.id),
    customerAccountId: firing.customerAccountId,
    status: succeeded ? AutoTransferFiringStatus.SUCCEEDED : AutoTransferFiringStatus.REFUSED,
    amountMicros: firing.amountMicros === null ? null : firing.amountMicros.toString(),
    transferId: firing.transferId === null ? null : String(firing.transferId),
    refusalCode: firing.refusalCode,
    message: firing.message,
    thresholdMicros: firing.thresholdMicros === null ? null : firing.thresholdMicros.toString(),
    targetMicros: firing.targetMicros === null ? null : firing.targetMicros.toString(),
    totalAfterMicros: firing.totalAfterMicros.toString(),
    crossedAt: firing.crossedAt.toISOString(),
    occurredAt: completedAt.toISOString(),
  };
  return { topic: Topic.AUTO_TRANSFER_OUTCOME, key: firing.partnerAccountId, payload: { ...payload } };
}
