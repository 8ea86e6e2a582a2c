import { providerId } from './http';
import { StripeApiError } from './stripe-cards';

/** The part of a charge a refund reads and changes. */
export interface RefundableCharge {
  id: string;
  amount: number;
  amount_refunded: number;
  refunded: boolean;
  currency: string;
  payment_intent: string;
}

export type StandInRefundStatus = 'pending' | 'succeeded' | 'failed' | 'canceled';

/** A Stripe Refund object, with the fields the gateway and a reader of the events use. */
export interface StandInRefund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  currency: string;
  payment_intent: string;
  status: StandInRefundStatus;
  reason: string | null;
  metadata: Record<string, string>;
  failure_reason: string | null;
  balance_transaction: null;
  created: number;
}

/** Stripe's reasons a card refund fails after it was accepted. */
export type RefundFailureReason = 'expired_or_canceled_card' | 'lost_or_stolen_card' | 'unknown';

/**
 * Refunds as Stripe keeps them (`POST /v1/refunds`, `GET /v1/refunds/:id`): each takes part of a
 * charge's unrefunded amount at once (`amount_refunded` grows, as `charge.refunded` then shows), and
 * a refund that fails later gives its amount back to the charge. A refund answers `pending` until
 * the test control settles it: a card refund at Stripe is often `succeeded` at once, which the
 * gateway reads the same way as the later `refund.updated`.
 */
export class StripeRefundBook {
  private readonly refunds = new Map<string, StandInRefund>();

  /** Validates like Stripe (already refunded, more than is left, not an integer) and takes the amount from the charge. */
  create(charge: RefundableCharge, params: Record<string, unknown>): StandInRefund {
    const remaining = charge.amount - charge.amount_refunded;
    if (remaining === 0) {
      throw new StripeApiError(400, {
        type: 'invalid_request_error',
        code: 'charge_already_refunded',
        message: `Charge ${charge.id} has already been refunded.`,
      });
    }
    const amount = params.amount === undefined ? remaining : Number(params.amount);
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      throw new StripeApiError(400, { type: 'invalid_request_error', code: 'parameter_invalid_integer', param: 'amount', message: 'Invalid positive integer' });
    }
    if (amount > remaining) {
      throw new StripeApiError(400, {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        param: 'amount',
        message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
      });
    }
    const refund: StandInRefund = {
      id: providerId('re_'),
      object: 'refund',
      amount,
      charge: charge.id,
      currency: charge.currency,
      payment_intent: charge.payment_intent,
      status: 'pending',
      reason: typeof params.reason === 'string' ? params.reason : null,
      metadata: isStringRecord(params.metadata) ? params.metadata : {},
      failure_reason: null,
      balance_transaction: null,
      created: Math.floor(Date.now() / 1000),
    };
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    this.refunds.set(refund.id, refund);
    return refund;
  }

  get(refundId: string): StandInRefund {
    const refund = this.refunds.get(refundId);
    if (!refund) {
      throw new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'id', message: `No such refund: '${refundId}'` });
    }
    return refund;
  }

  /**
   * The card network's word: a pending refund succeeds or fails; a succeeded one can still fail
   * (the card was closed), as at Stripe. A failed refund's amount goes back to the charge.
   */
  settle(
    refundId: string,
    outcome: 'succeeded' | 'failed',
    charge: RefundableCharge,
    failureReason: RefundFailureReason = 'expired_or_canceled_card',
  ): StandInRefund {
    const refund = this.get(refundId);
    const allowed = outcome === 'succeeded' ? ['pending'] : ['pending', 'succeeded'];
    if (!allowed.includes(refund.status)) {
      throw new StripeApiError(400, {
        type: 'invalid_request_error',
        code: 'refund_unexpected_state',
        message: `Refund ${refund.id} is ${refund.status}; it cannot become ${outcome}.`,
      });
    }
    refund.status = outcome;
    if (outcome === 'failed') {
      refund.failure_reason = failureReason;
      charge.amount_refunded -= refund.amount;
      charge.refunded = false;
    }
    return refund;
  }

  /** Every refund of a payment, oldest first. */
  refundsOf(paymentIntentId: string): StandInRefund[] {
    return [...this.refunds.values()].filter((refund) => refund.payment_intent === paymentIntentId);
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((entry) => typeof entry === 'string');
}
