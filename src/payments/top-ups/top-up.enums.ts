import { registerEnumType } from 'type-graphql';
import { NextActionType, PaymentMethod } from '../providers/payment-provider';

/**
 * A top-up's life. PENDING and REQUIRES_ACTION are open (the buyer may still pay); the others are
 * final. A top-up becomes final exactly once, by a conditional update from an open status, and
 * only the update that made it SUCCEEDED posts the credits.
 *
 * PARTIALLY_REFUNDED and REFUNDED are reached from SUCCEEDED when refunds or disputes took back part
 * or all of the credits (`reversedAmount` at the provider, `refundedAmount` by the platform); a
 * refund the provider refused, which gives its credits back, can take the top-up back down again.
 */
export enum TopUpStatus {
  PENDING = 'PENDING',
  REQUIRES_ACTION = 'REQUIRES_ACTION',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELED = 'CANCELED',
  EXPIRED = 'EXPIRED',
  PARTIALLY_REFUNDED = 'PARTIALLY_REFUNDED',
  REFUNDED = 'REFUNDED',
}

/** Who started a top-up: the buyer (createTopUp), or an auto-recharge rule charging a saved card. */
export enum TopUpOrigin {
  MANUAL = 'MANUAL',
  AUTO_RECHARGE = 'AUTO_RECHARGE',
}

export const OPEN_TOP_UP_STATUSES: readonly TopUpStatus[] = [TopUpStatus.PENDING, TopUpStatus.REQUIRES_ACTION];

export const isOpenStatus = (status: TopUpStatus) => OPEN_TOP_UP_STATUSES.includes(status);

/** Paid, whatever was taken back since: the statuses a refund or a dispute can be about. */
export const PAID_TOP_UP_STATUSES: readonly TopUpStatus[] = [TopUpStatus.SUCCEEDED, TopUpStatus.PARTIALLY_REFUNDED, TopUpStatus.REFUNDED];

export const isPaidStatus = (status: TopUpStatus) => PAID_TOP_UP_STATUSES.includes(status);

/**
 * The status of a paid top-up from what was taken back of its credits: by the provider (refunds
 * and disputes made there) and by the platform's own refunds.
 */
export function paidStatusOf(topUp: { amountMicros: bigint; reversedMicros: bigint; refundedMicros: bigint }): TopUpStatus {
  const takenBackMicros = topUp.reversedMicros + topUp.refundedMicros;
  if (takenBackMicros <= 0n) return TopUpStatus.SUCCEEDED;
  return takenBackMicros >= topUp.amountMicros ? TopUpStatus.REFUNDED : TopUpStatus.PARTIALLY_REFUNDED;
}

registerEnumType(TopUpStatus, {
  name: 'TopUpStatus',
  description: 'PENDING and REQUIRES_ACTION are open; SUCCEEDED, FAILED, CANCELED, EXPIRED, PARTIALLY_REFUNDED and REFUNDED are final.',
  valuesConfig: {
    PENDING: {
      description:
        'Waiting for the buyer to pay at the provider: just created, or after a 3-D Secure attempt that failed (failureCode AUTHENTICATION_FAILED), which the buyer may try again.',
    },
    REQUIRES_ACTION: { description: 'The card issuer asked for 3-D Secure / OTP; the buyer must complete it.' },
    SUCCEEDED: { description: 'Paid; the credits were added to the top-up balance (once).' },
    FAILED: {
      description:
        'The payment failed for good (a declined card, a refused PayPal capture, a failed VNPay payment); nothing was charged. Start a new top-up to retry.',
    },
    CANCELED: { description: 'Abandoned by the buyer (cancelTopUp) or canceled at the provider.' },
    EXPIRED: { description: 'Not paid in time.' },
    PARTIALLY_REFUNDED: { description: 'Paid, then part of the credits was taken back by a refund (the platform’s or the provider’s) or a dispute.' },
    REFUNDED: { description: 'Paid, then refunded or lost to a dispute in full; the credits were taken back.' },
  },
});

registerEnumType(TopUpOrigin, {
  name: 'TopUpOrigin',
  description: "MANUAL: bought with createTopUp; AUTO_RECHARGE: bought by the account's auto-recharge rule with its saved card.",
});

registerEnumType(PaymentMethod, { name: 'PaymentMethod', description: 'How a top-up is paid.' });

registerEnumType(NextActionType, {
  name: 'NextActionType',
  description: "What the console does next to let the buyer pay or save a card, as the provider answered (Stripe's next_action types).",
  valuesConfig: {
    REDIRECT_TO_URL: {
      description:
        "Send the browser to nextAction.url: PayPal's approval page, VNPay's signed payment page, or a page Stripe asks for (next_action.redirect_to_url).",
    },
    USE_STRIPE_SDK: {
      description:
        'Confirm nextAction.clientSecret with Stripe.js (stripe.confirmPayment, or stripe.confirmSetup for a card setup); Stripe.js collects the card and runs 3-D Secure.',
    },
  },
});
