import { invariant } from '../../common/domain-error';
import { PaymentFailureCode } from '../providers/failure-codes';
import { PaymentEvent, PaymentMethod } from '../providers/payment-provider';
import type { TopUpEntity } from './entities/top-up.entity';
import { creditsForRefund } from './pricing';
import { isOpenStatus, isPaidStatus, paidStatusOf, TopUpStatus } from './top-up.enums';

/** What `payment_event.result` says a recorded event did. */
export type RecordedResult = 'APPLIED' | 'NO_CHANGE' | 'LATE_SUCCESS';

/**
 * What one provider event does to the top-up it names, decided from the (locked) top-up alone:
 * the payment-event decision table. `PaymentEventsService` carries it out in one transaction.
 */
export type PaymentEventDecision =
  /** Amount or currency differ from the stored charge: nothing is recorded or changed. */
  | { kind: 'AMOUNT_MISMATCH' }
  /** A refund or dispute for a top-up not paid yet: not recorded, so the provider's redelivery is. */
  | { kind: 'RETRY_LATER' }
  /** Nothing moves; the event is recorded when `record` says so (a redelivery is then a no-op). */
  | { kind: 'NO_MOVE'; answer: 'IGNORED' | 'ALREADY_FINAL'; record: RecordedResult | null }
  /** The open top-up moves to `to` (credited when SUCCEEDED); recorded as APPLIED. */
  | { kind: 'MOVE'; to: TopUpStatus; failureCode: PaymentFailureCode | null }
  /** Takes back `reversalMicros` of the credits; `status` is PARTIALLY_REFUNDED, or REFUNDED once all are taken back. */
  | { kind: 'REVERSE'; reversalMicros: bigint; reversedMicros: bigint; status: TopUpStatus }
  /** A dispute won: gives back `reinstatedMicros`, what its reversal took; the top-up's status follows what is still taken back. */
  | { kind: 'REINSTATE'; reinstatedMicros: bigint; reversedMicros: bigint; status: TopUpStatus };

/**
 * What the database holds about the event's dispute (DISPUTED and DISPUTE_WON events that name one),
 * read in the event's transaction: what the dispute's reversal took (null: none was posted), whether
 * it was given back, and whether a withdrawal event of this top-up was recorded at all.
 */
export interface DisputeRecord {
  takenMicros: bigint | null;
  givenBack: boolean;
  withdrawalRecorded: boolean;
}

type DecidingTopUp = Pick<TopUpEntity, 'status' | 'currency' | 'chargeMinor' | 'amountMicros' | 'reversedMicros' | 'refundedMicros' | 'refundedMinor'>;

const FINAL_OUTCOME_STATUS = { SUCCEEDED: TopUpStatus.SUCCEEDED, FAILED: TopUpStatus.FAILED, CANCELED: TopUpStatus.CANCELED } as const;

export function decidePaymentEvent(topUp: DecidingTopUp, event: PaymentEvent, dispute: DisputeRecord | null = null): PaymentEventDecision {
  const reversal = event.outcome === 'REFUNDED' || event.outcome === 'DISPUTED' || event.outcome === 'DISPUTE_WON';
  if (!amountMatches(event, topUp, reversal)) return { kind: 'AMOUNT_MISMATCH' };
  if (event.outcome === 'DISPUTE_WON') return decideDisputeWon(topUp, dispute);
  // Every event about one dispute (Stripe's created and funds_withdrawn) takes the credits once.
  if (event.outcome === 'DISPUTED' && dispute?.takenMicros != null) return { kind: 'NO_MOVE', answer: 'ALREADY_FINAL', record: 'NO_CHANGE' };
  if (reversal) return decideReversal(topUp, event);
  const open = isOpenStatus(topUp.status);
  if (event.outcome === 'SUCCEEDED' || event.outcome === 'FAILED' || event.outcome === 'CANCELED') {
    if (!open) {
      // A success after CANCELED/EXPIRED/FAILED: money the buyer paid that no top-up credits.
      const late = event.outcome === 'SUCCEEDED' && !isPaidStatus(topUp.status);
      return { kind: 'NO_MOVE', answer: 'ALREADY_FINAL', record: late ? 'LATE_SUCCESS' : 'NO_CHANGE' };
    }
    const to = FINAL_OUTCOME_STATUS[event.outcome];
    return { kind: 'MOVE', to, failureCode: to === TopUpStatus.SUCCEEDED ? null : failureCodeOf(event) };
  }
  if (event.outcome === 'ATTEMPT_FAILED') {
    // Back to waiting for the buyer, with why the attempt failed; the same purchase can be paid.
    if (open) return { kind: 'MOVE', to: TopUpStatus.PENDING, failureCode: failureCodeOf(event) };
    return { kind: 'NO_MOVE', answer: 'ALREADY_FINAL', record: 'NO_CHANGE' };
  }
  if (event.outcome === 'REQUIRES_ACTION') {
    if (topUp.status === TopUpStatus.PENDING) return { kind: 'MOVE', to: TopUpStatus.REQUIRES_ACTION, failureCode: null };
    return { kind: 'NO_MOVE', answer: open ? 'IGNORED' : 'ALREADY_FINAL', record: 'NO_CHANGE' };
  }
  // PROCESSING and APPROVED change no status (an approval is acted on by capturing the order).
  return { kind: 'NO_MOVE', answer: open ? 'IGNORED' : 'ALREADY_FINAL', record: null };
}

/**
 * Takes back the refunded or disputed share of the credits, never more than is left: what the
 * provider-side reversals and the platform's own refunds have not taken yet.
 */
function decideReversal(topUp: DecidingTopUp, event: PaymentEvent): PaymentEventDecision {
  if (isOpenStatus(topUp.status)) return { kind: 'RETRY_LATER' };
  if (!isPaidStatus(topUp.status)) return { kind: 'NO_MOVE', answer: 'ALREADY_FINAL', record: 'NO_CHANGE' };
  const remainingMicros = topUp.amountMicros - topUp.reversedMicros - topUp.refundedMicros;
  // Stripe's charge.refunded carries everything refunded on the charge so far, the platform's own
  // refunds included (their credits left with them); the other events (disputes, PayPal refunds)
  // carry only their own part.
  const cumulative = event.provider === PaymentMethod.STRIPE && event.outcome === 'REFUNDED';
  const eventMinor = event.amountMinor ?? topUp.chargeMinor;
  const providerSideMinor = cumulative ? eventMinor - topUp.refundedMinor : eventMinor;
  if (providerSideMinor <= 0n) return { kind: 'NO_MOVE', answer: 'ALREADY_FINAL', record: 'NO_CHANGE' };
  const requestedMicros = creditsForRefund(providerSideMinor, topUp) - (cumulative ? topUp.reversedMicros : 0n);
  const reversalMicros = requestedMicros < remainingMicros ? requestedMicros : remainingMicros;
  if (reversalMicros <= 0n) return { kind: 'NO_MOVE', answer: 'ALREADY_FINAL', record: 'NO_CHANGE' };
  const reversedMicros = topUp.reversedMicros + reversalMicros;
  return { kind: 'REVERSE', reversalMicros, reversedMicros, status: paidStatusOf({ ...topUp, reversedMicros }) };
}

/**
 * A dispute won gives back exactly what its reversal took, once. Before the reversal was applied
 * (the events crossed), the provider is asked to redeliver; a dispute that took nothing (the
 * credits were all refunded before it) gives nothing back.
 */
function decideDisputeWon(topUp: DecidingTopUp, dispute: DisputeRecord | null): PaymentEventDecision {
  if (isOpenStatus(topUp.status)) return { kind: 'RETRY_LATER' };
  if (topUp.status !== TopUpStatus.SUCCEEDED && topUp.status !== TopUpStatus.REFUNDED) {
    return { kind: 'NO_MOVE', answer: 'ALREADY_FINAL', record: 'NO_CHANGE' };
  }
  if (dispute?.givenBack) return { kind: 'NO_MOVE', answer: 'ALREADY_FINAL', record: 'NO_CHANGE' };
  if (dispute?.takenMicros == null) {
    return dispute?.withdrawalRecorded ? { kind: 'NO_MOVE', answer: 'ALREADY_FINAL', record: 'NO_CHANGE' } : { kind: 'RETRY_LATER' };
  }
  const reinstatedMicros = -dispute.takenMicros;
  invariant(reinstatedMicros > 0n && reinstatedMicros <= topUp.reversedMicros, "a dispute's reversal took part of what the top-up shows reversed");
  const reversedMicros = topUp.reversedMicros - reinstatedMicros;
  // SUCCEEDED again, unless the platform's own refunds (or other reversals) still take part of it back.
  return { kind: 'REINSTATE', reinstatedMicros, reversedMicros, status: paidStatusOf({ ...topUp, reversedMicros }) };
}

/** Adapters classify every failure; an unclassified one (a new adapter) gets the generic code. */
function failureCodeOf(event: PaymentEvent): PaymentFailureCode {
  if (event.failureCode) return event.failureCode;
  return event.outcome === 'CANCELED' ? PaymentFailureCode.PROVIDER_CANCELED : PaymentFailureCode.PAYMENT_FAILED;
}

/** A confirmation must be for exactly the stored charge; a refund or dispute for at most it. */
function amountMatches(event: PaymentEvent, topUp: DecidingTopUp, reversal: boolean): boolean {
  if (event.currency !== null && event.currency !== topUp.currency) return false;
  if (event.amountMinor === null) return true;
  if (reversal) return event.amountMinor > 0n && event.amountMinor <= topUp.chargeMinor;
  return event.amountMinor === topUp.chargeMinor;
}
