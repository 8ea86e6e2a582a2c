import { PaymentFailureCode } from '../../src/payments/providers/failure-codes';
import { PaymentEvent, PaymentMethod, PaymentOutcome } from '../../src/payments/providers/payment-provider';
import { decidePaymentEvent } from '../../src/payments/top-ups/payment-event-decision';
import { TopUpStatus } from '../../src/payments/top-ups/top-up.enums';

/** A USD top-up of 10 credits charged 1000 cents, as stored. */
const topUp = (status: TopUpStatus, reversedMicros = 0n, refundedMicros = 0n) => ({
  status,
  currency: 'USD' as const,
  chargeMinor: 1000n,
  amountMicros: 10_000_000n,
  reversedMicros,
  refundedMicros,
  // The platform's refunds return the same share of the charge as of the credits.
  refundedMinor: refundedMicros / 10_000n,
});

const event = (outcome: PaymentOutcome, extra: Partial<PaymentEvent> = {}): PaymentEvent => ({
  provider: PaymentMethod.STRIPE,
  eventId: 'evt_1',
  outcome,
  topUpId: 'top-up',
  providerReference: 'pi_1',
  amountMinor: 1000n,
  currency: 'USD',
  ...extra,
});

const OPEN = [TopUpStatus.PENDING, TopUpStatus.REQUIRES_ACTION];
const UNPAID_FINAL = [TopUpStatus.FAILED, TopUpStatus.CANCELED, TopUpStatus.EXPIRED];

describe('the payment-event decision table', () => {
  describe('a failed attempt that may be tried again (ATTEMPT_FAILED: a wrong 3-D Secure code)', () => {
    it.each(OPEN)("moves an open %s top-up back to PENDING with the attempt's failure code, keeping it open", (status) => {
      expect(decidePaymentEvent(topUp(status), event('ATTEMPT_FAILED', { failureCode: PaymentFailureCode.AUTHENTICATION_FAILED }))).toEqual({
        kind: 'MOVE',
        to: TopUpStatus.PENDING,
        failureCode: PaymentFailureCode.AUTHENTICATION_FAILED,
      });
    });

    it.each([...UNPAID_FINAL, TopUpStatus.SUCCEEDED, TopUpStatus.REFUNDED])('changes nothing on a %s top-up', (status) => {
      expect(decidePaymentEvent(topUp(status), event('ATTEMPT_FAILED'))).toEqual({ kind: 'NO_MOVE', answer: 'ALREADY_FINAL', record: 'NO_CHANGE' });
    });
  });

  describe('a confirmation (SUCCEEDED, FAILED, CANCELED)', () => {
    it.each(OPEN)('moves an open %s top-up to the outcome, with the failure code for a failure', (status) => {
      expect(decidePaymentEvent(topUp(status), event('SUCCEEDED'))).toEqual({ kind: 'MOVE', to: TopUpStatus.SUCCEEDED, failureCode: null });
      expect(decidePaymentEvent(topUp(status), event('FAILED', { failureCode: PaymentFailureCode.CARD_DECLINED }))).toEqual({
        kind: 'MOVE',
        to: TopUpStatus.FAILED,
        failureCode: PaymentFailureCode.CARD_DECLINED,
      });
    });

    it('gives an unclassified failure the generic code, and a cancellation the provider-canceled one', () => {
      expect(decidePaymentEvent(topUp(TopUpStatus.PENDING), event('FAILED'))).toMatchObject({ failureCode: PaymentFailureCode.PAYMENT_FAILED });
      expect(decidePaymentEvent(topUp(TopUpStatus.PENDING), event('CANCELED'))).toMatchObject({
        to: TopUpStatus.CANCELED,
        failureCode: PaymentFailureCode.PROVIDER_CANCELED,
      });
    });

    it.each(UNPAID_FINAL)('records a success after %s as a late success to refund by hand, changing nothing', (status) => {
      expect(decidePaymentEvent(topUp(status), event('SUCCEEDED'))).toEqual({ kind: 'NO_MOVE', answer: 'ALREADY_FINAL', record: 'LATE_SUCCESS' });
    });

    it.each([TopUpStatus.SUCCEEDED, TopUpStatus.PARTIALLY_REFUNDED, TopUpStatus.REFUNDED])(
      'records a repeated or contrary word about a %s top-up as no change',
      (status) => {
        for (const outcome of ['SUCCEEDED', 'FAILED', 'CANCELED'] as const) {
          expect(decidePaymentEvent(topUp(status), event(outcome))).toEqual({ kind: 'NO_MOVE', answer: 'ALREADY_FINAL', record: 'NO_CHANGE' });
        }
      },
    );

    it('refuses an amount or currency that differs from the stored charge, recording nothing', () => {
      expect(decidePaymentEvent(topUp(TopUpStatus.PENDING), event('SUCCEEDED', { amountMinor: 999n }))).toEqual({ kind: 'AMOUNT_MISMATCH' });
      expect(decidePaymentEvent(topUp(TopUpStatus.PENDING), event('SUCCEEDED', { currency: 'VND' }))).toEqual({ kind: 'AMOUNT_MISMATCH' });
      expect(decidePaymentEvent(topUp(TopUpStatus.PENDING), event('SUCCEEDED', { amountMinor: null, currency: null }))).toMatchObject({ kind: 'MOVE' });
    });
  });

  describe('REQUIRES_ACTION, PROCESSING and APPROVED', () => {
    it('moves only a PENDING top-up to REQUIRES_ACTION', () => {
      expect(decidePaymentEvent(topUp(TopUpStatus.PENDING), event('REQUIRES_ACTION'))).toEqual({
        kind: 'MOVE',
        to: TopUpStatus.REQUIRES_ACTION,
        failureCode: null,
      });
      expect(decidePaymentEvent(topUp(TopUpStatus.REQUIRES_ACTION), event('REQUIRES_ACTION'))).toEqual({
        kind: 'NO_MOVE',
        answer: 'IGNORED',
        record: 'NO_CHANGE',
      });
      expect(decidePaymentEvent(topUp(TopUpStatus.SUCCEEDED), event('REQUIRES_ACTION'))).toEqual({
        kind: 'NO_MOVE',
        answer: 'ALREADY_FINAL',
        record: 'NO_CHANGE',
      });
    });

    it.each(['PROCESSING', 'APPROVED'] as const)('changes nothing and records nothing for %s', (outcome) => {
      expect(decidePaymentEvent(topUp(TopUpStatus.PENDING), event(outcome))).toEqual({ kind: 'NO_MOVE', answer: 'IGNORED', record: null });
      expect(decidePaymentEvent(topUp(TopUpStatus.EXPIRED), event(outcome))).toEqual({ kind: 'NO_MOVE', answer: 'ALREADY_FINAL', record: null });
    });
  });

  describe('refunds and disputes', () => {
    it.each(OPEN)('asks for a redelivery of a refund for a %s top-up (not paid yet)', (status) => {
      expect(decidePaymentEvent(topUp(status), event('REFUNDED'))).toEqual({ kind: 'RETRY_LATER' });
    });

    it.each(UNPAID_FINAL)('records a refund for a %s top-up as no change', (status) => {
      expect(decidePaymentEvent(topUp(status), event('REFUNDED'))).toEqual({ kind: 'NO_MOVE', answer: 'ALREADY_FINAL', record: 'NO_CHANGE' });
    });

    it('takes back the refunded share (PARTIALLY_REFUNDED), and marks the top-up REFUNDED once everything is taken back', () => {
      expect(decidePaymentEvent(topUp(TopUpStatus.SUCCEEDED), event('REFUNDED', { amountMinor: 250n }))).toEqual({
        kind: 'REVERSE',
        reversalMicros: 2_500_000n,
        reversedMicros: 2_500_000n,
        status: TopUpStatus.PARTIALLY_REFUNDED,
      });
      expect(decidePaymentEvent(topUp(TopUpStatus.SUCCEEDED), event('REFUNDED'))).toMatchObject({ reversalMicros: 10_000_000n, status: TopUpStatus.REFUNDED });
    });

    it("reverses only the difference of Stripe's cumulative refund amount, and nothing when it is already taken back", () => {
      const partlyRefunded = topUp(TopUpStatus.SUCCEEDED, 2_500_000n);
      expect(decidePaymentEvent(partlyRefunded, event('REFUNDED', { amountMinor: 600n }))).toMatchObject({
        reversalMicros: 3_500_000n,
        reversedMicros: 6_000_000n,
      });
      expect(decidePaymentEvent(partlyRefunded, event('REFUNDED', { amountMinor: 250n }))).toEqual({
        kind: 'NO_MOVE',
        answer: 'ALREADY_FINAL',
        record: 'NO_CHANGE',
      });
    });

    it('adds up PayPal refunds and disputes (each carries its own part), never beyond what is left', () => {
      const partlyRefunded = topUp(TopUpStatus.SUCCEEDED, 8_000_000n);
      expect(decidePaymentEvent(partlyRefunded, event('REFUNDED', { provider: PaymentMethod.PAYPAL, amountMinor: 100n }))).toMatchObject({
        reversalMicros: 1_000_000n,
        status: TopUpStatus.PARTIALLY_REFUNDED,
      });
      expect(decidePaymentEvent(partlyRefunded, event('DISPUTED', { amountMinor: 500n }))).toMatchObject({
        reversalMicros: 2_000_000n,
        reversedMicros: 10_000_000n,
        status: TopUpStatus.REFUNDED,
      });
    });

    it("does not take back the platform's own refund again when Stripe's cumulative charge.refunded counts it", () => {
      // The platform refunded 4 credits (400 cents); the charge now shows 400 cents refunded.
      const refundedByPlatform = topUp(TopUpStatus.PARTIALLY_REFUNDED, 0n, 4_000_000n);
      expect(decidePaymentEvent(refundedByPlatform, event('REFUNDED', { amountMinor: 400n }))).toEqual({
        kind: 'NO_MOVE',
        answer: 'ALREADY_FINAL',
        record: 'NO_CHANGE',
      });
      // A dashboard refund of 300 cents more: only those 3 credits are reversed.
      expect(decidePaymentEvent(refundedByPlatform, event('REFUNDED', { amountMinor: 700n }))).toEqual({
        kind: 'REVERSE',
        reversalMicros: 3_000_000n,
        reversedMicros: 3_000_000n,
        status: TopUpStatus.PARTIALLY_REFUNDED,
      });
    });

    it('reverses a dispute only up to what the platform has not refunded already', () => {
      const refundedByPlatform = topUp(TopUpStatus.PARTIALLY_REFUNDED, 0n, 6_000_000n);
      expect(decidePaymentEvent(refundedByPlatform, event('DISPUTED'))).toEqual({
        kind: 'REVERSE',
        reversalMicros: 4_000_000n,
        reversedMicros: 4_000_000n,
        status: TopUpStatus.REFUNDED,
      });
      expect(decidePaymentEvent(topUp(TopUpStatus.REFUNDED, 0n, 10_000_000n), event('DISPUTED'))).toEqual({
        kind: 'NO_MOVE',
        answer: 'ALREADY_FINAL',
        record: 'NO_CHANGE',
      });
    });

    it('takes a dispute once: a second event about a dispute whose reversal is posted is no change', () => {
      const taken = { takenMicros: -10_000_000n, givenBack: false, withdrawalRecorded: true };
      expect(decidePaymentEvent(topUp(TopUpStatus.REFUNDED, 10_000_000n), event('DISPUTED', { disputeReference: 'dp_1' }), taken)).toEqual({
        kind: 'NO_MOVE',
        answer: 'ALREADY_FINAL',
        record: 'NO_CHANGE',
      });
      const none = { takenMicros: null, givenBack: false, withdrawalRecorded: false };
      expect(decidePaymentEvent(topUp(TopUpStatus.SUCCEEDED), event('DISPUTED', { disputeReference: 'dp_1' }), none)).toMatchObject({
        kind: 'REVERSE',
        reversalMicros: 10_000_000n,
      });
    });

    it('refuses a refund of nothing or of more than the charge', () => {
      expect(decidePaymentEvent(topUp(TopUpStatus.SUCCEEDED), event('REFUNDED', { amountMinor: 0n }))).toEqual({ kind: 'AMOUNT_MISMATCH' });
      expect(decidePaymentEvent(topUp(TopUpStatus.SUCCEEDED), event('REFUNDED', { amountMinor: 1001n }))).toEqual({ kind: 'AMOUNT_MISMATCH' });
    });
  });

  describe('a dispute won', () => {
    const won = (extra: Partial<PaymentEvent> = {}) => event('DISPUTE_WON', { disputeReference: 'dp_1', ...extra });

    it('gives back exactly what the dispute took; the status follows what is still taken back', () => {
      const record = { takenMicros: -6_000_000n, givenBack: false, withdrawalRecorded: true };
      // 4 of the 10 credits stay taken back by a refund made at the provider.
      expect(decidePaymentEvent(topUp(TopUpStatus.REFUNDED, 10_000_000n), won(), record)).toEqual({
        kind: 'REINSTATE',
        reinstatedMicros: 6_000_000n,
        reversedMicros: 4_000_000n,
        status: TopUpStatus.PARTIALLY_REFUNDED,
      });
      // The dispute took them all: SUCCEEDED again.
      const all = { takenMicros: -10_000_000n, givenBack: false, withdrawalRecorded: true };
      expect(decidePaymentEvent(topUp(TopUpStatus.REFUNDED, 10_000_000n), won(), all)).toEqual({
        kind: 'REINSTATE',
        reinstatedMicros: 10_000_000n,
        reversedMicros: 0n,
        status: TopUpStatus.SUCCEEDED,
      });
      // The platform refunded 3 of them before the dispute took the other 7: still partly refunded.
      const rest = { takenMicros: -7_000_000n, givenBack: false, withdrawalRecorded: true };
      expect(decidePaymentEvent(topUp(TopUpStatus.REFUNDED, 7_000_000n, 3_000_000n), won(), rest)).toEqual({
        kind: 'REINSTATE',
        reinstatedMicros: 7_000_000n,
        reversedMicros: 0n,
        status: TopUpStatus.PARTIALLY_REFUNDED,
      });
    });

    it('gives back nothing twice', () => {
      const record = { takenMicros: -6_000_000n, givenBack: true, withdrawalRecorded: true };
      expect(decidePaymentEvent(topUp(TopUpStatus.SUCCEEDED, 4_000_000n), won(), record)).toEqual({
        kind: 'NO_MOVE',
        answer: 'ALREADY_FINAL',
        record: 'NO_CHANGE',
      });
    });

    it('asks for redelivery before the withdrawal was applied, and gives nothing back for a dispute that took nothing', () => {
      expect(decidePaymentEvent(topUp(TopUpStatus.SUCCEEDED), won(), { takenMicros: null, givenBack: false, withdrawalRecorded: false })).toEqual({
        kind: 'RETRY_LATER',
      });
      expect(decidePaymentEvent(topUp(TopUpStatus.REFUNDED, 10_000_000n), won(), { takenMicros: null, givenBack: false, withdrawalRecorded: true })).toEqual({
        kind: 'NO_MOVE',
        answer: 'ALREADY_FINAL',
        record: 'NO_CHANGE',
      });
    });

    it.each(OPEN)('asks for redelivery for a %s top-up', (status) => {
      expect(decidePaymentEvent(topUp(status), won(), null)).toEqual({ kind: 'RETRY_LATER' });
    });

    it('refuses an amount or currency that the top-up was never charged', () => {
      expect(decidePaymentEvent(topUp(TopUpStatus.REFUNDED, 10_000_000n), won({ currency: 'VND' }), null)).toEqual({ kind: 'AMOUNT_MISMATCH' });
      expect(decidePaymentEvent(topUp(TopUpStatus.REFUNDED, 10_000_000n), won({ amountMinor: 1001n }), null)).toEqual({ kind: 'AMOUNT_MISMATCH' });
    });
  });
});
