import { registerEnumType } from 'type-graphql';

export enum AutoRechargeStatus {
  ACTIVE = 'ACTIVE',
  /** Paused by the account (pauseAutoRecharge); resumed the same way. */
  PAUSED = 'PAUSED',
  /** Turned off after AUTO_RECHARGE_MAX_FAILURES charges in a row did not go through; resumed like a pause. */
  DISABLED = 'DISABLED',
}

/** What one crossing did, from the crossing to the charge's outcome. */
export enum AutoRechargeAttemptStatus {
  /** Nothing bought: over the monthly cap, a recharge still open, or the account may not buy now. */
  SKIPPED = 'SKIPPED',
  /** The top-up exists; its off-session charge is still to be asked (the worker claims it). */
  DUE = 'DUE',
  /** Stripe was asked; its answer arrives as the top-up's status. */
  CHARGED = 'CHARGED',
  /** The issuer wants 3-D Secure: the top-up waits for the card holder. */
  REQUIRES_ACTION = 'REQUIRES_ACTION',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

/** Why a crossing bought nothing (also the `reason` of an AUTO_RECHARGE_SKIPPED event). */
export enum AutoRechargeSkipReason {
  MONTHLY_CAP_REACHED = 'MONTHLY_CAP_REACHED',
  /** An earlier auto-recharge top-up is still open (e.g. waiting for 3-D Secure). */
  TOP_UP_OPEN = 'TOP_UP_OPEN',
}

/** The auto-recharge events on the `autoRechargeEvents` subscription and on webhooks (as `AUTO_RECHARGE_<type>`). */
export enum AutoRechargeEventType {
  SUCCEEDED = 'SUCCEEDED',
  REQUIRES_ACTION = 'REQUIRES_ACTION',
  FAILED = 'FAILED',
  SKIPPED = 'SKIPPED',
  DISABLED = 'DISABLED',
  /** The rule was paused because its saved card was removed (reason: PAYMENT_METHOD_REMOVED). */
  PAUSED = 'PAUSED',
}

/** A rule disabled after too many failed charges in a row. */
export const TOO_MANY_FAILURES = 'TOO_MANY_FAILURES';
/** A rule paused because its card was removed (removeSavedPaymentMethod). */
export const PAYMENT_METHOD_REMOVED = 'PAYMENT_METHOD_REMOVED';

registerEnumType(AutoRechargeStatus, {
  name: 'AutoRechargeStatus',
  description: 'ACTIVE rules fire; PAUSED and DISABLED ones do not (pauseAutoRecharge(paused: false) resumes both).',
});
registerEnumType(AutoRechargeEventType, {
  name: 'AutoRechargeEventType',
  description: 'What happened: a charge succeeded, needs 3-D Secure, failed; a crossing was skipped; the rule was disabled.',
  valuesConfig: {
    SUCCEEDED: { description: 'The off-session charge went through; the credits were added.' },
    REQUIRES_ACTION: { description: 'The card issuer asked for 3-D Secure: complete the top-up (topUp(id).payment.clientSecret with Stripe.js).' },
    FAILED: { description: 'The charge was declined (or its top-up expired); consecutiveFailures counts it.' },
    SKIPPED: { description: 'The threshold was crossed but nothing was bought (reason: MONTHLY_CAP_REACHED, TOP_UP_OPEN, or a top-up refusal code).' },
    DISABLED: { description: 'The rule was turned off after too many failures in a row (reason: TOO_MANY_FAILURES).' },
    PAUSED: {
      description: 'The rule was paused because the saved card it charges was removed (reason: PAYMENT_METHOD_REMOVED); set it again with another card.',
    },
  },
});
