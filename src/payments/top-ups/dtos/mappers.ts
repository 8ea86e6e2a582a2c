import { type NextAction, NextActionType, type PaymentCurrency, PaymentMethod } from '../../providers/payment-provider';
import type { TopUpEntity } from '../entities/top-up.entity';
import { chargeMinorFor, CreditPrice, formatMinor } from '../pricing';
import { failureMessage, MessageLocale, parseFailureCode, type TopUpFailureCode } from '../failure-reasons';
import { isOpenStatus } from '../top-up.enums';
import type { TopUpOptionsResult } from '../top-up-pricing.service';
import type { TopUpStatusChangedPayload } from '../top-up-events';
import type { TopUpBlocker } from '../top-up-eligibility';
import type { TopUpBlockerCode, TopUpOptions } from './top-up-options.type';
import { toPaymentNextAction } from './next-action.type';
import type { Charge, TopUp } from './top-up.type';
import type { TopUpStatusUpdate } from './top-up-status-update.type';

export function toCharge(amountMinor: bigint, currency: PaymentCurrency, creditPrice: string): Charge {
  return { currency, amountMinor: amountMinor.toString(), amount: formatMinor(amountMinor, currency), creditPrice };
}

const chargeFor = (amountMicros: bigint, price: CreditPrice) => toCharge(chargeMinorFor(amountMicros, price), price.currency, price.text);

/** `showPayment`: the payment secrets go only to those who may pay (OWNER / BILLING_ADMIN of the account). */
export function toTopUp(topUp: TopUpEntity, options: { showPayment: boolean }): TopUp {
  const nextAction = storedNextAction(topUp);
  const payable = options.showPayment && isOpenStatus(topUp.status) && topUp.providerReference !== null && nextAction !== null;
  return {
    id: topUp.id,
    accountId: topUp.accountId,
    status: topUp.status,
    method: topUp.method,
    origin: topUp.origin,
    amount: topUp.amountMicros,
    charge: toCharge(topUp.chargeMinor, topUp.currency, topUp.creditPrice),
    reversedAmount: topUp.reversedMicros,
    refundedAmount: topUp.refundedMicros,
    providerReference: topUp.providerReference,
    payment: payable
      ? {
          method: topUp.method,
          clientSecret: topUp.clientSecret,
          approvalUrl: topUp.method === PaymentMethod.PAYPAL ? topUp.nextActionUrl : null,
          redirectUrl: topUp.method === PaymentMethod.VNPAY ? topUp.nextActionUrl : null,
          nextAction: toPaymentNextAction(nextAction, topUp.clientSecret),
        }
      : null,
    ...failureOf(topUp.failureCode, topUp.failureReason),
    createdAt: topUp.createdAt,
    updatedAt: topUp.updatedAt,
    expiresAt: topUp.expiresAt,
    completedAt: topUp.completedAt,
  };
}

/** The next action stored when the provider answered; null before. */
function storedNextAction(topUp: TopUpEntity): NextAction | null {
  if (topUp.nextActionType === NextActionType.REDIRECT_TO_URL && topUp.nextActionUrl) return { type: topUp.nextActionType, url: topUp.nextActionUrl };
  if (topUp.nextActionType === NextActionType.USE_STRIPE_SDK) return { type: topUp.nextActionType };
  return null;
}

export function toTopUpOptions(options: TopUpOptionsResult & { blockers: TopUpBlocker[] }, quotedMicros: bigint): TopUpOptions {
  return {
    canTopUp: options.blockers.length === 0,
    blockers: options.blockers.map((blocker) => ({ code: blocker.code as unknown as TopUpBlockerCode, message: blocker.message })),
    accountId: options.accountId,
    minimumAmount: options.minimumMicros,
    suggestedAmounts: options.suggestedMicros,
    quotedAmount: quotedMicros,
    methods: options.methods.map((quote) => ({
      method: quote.method,
      currency: quote.currency,
      creditPrice: quote.price.text,
      charge: chargeFor(quotedMicros, quote.price),
      suggestedCharges: options.suggestedMicros.map((amount) => ({ amount, charge: chargeFor(amount, quote.price) })),
    })),
  };
}

/** The stored code decides the message; a row from before failure codes keeps its stored text. */
function failureOf(storedCode: string | null, storedReason: string | null): { failureCode: TopUpFailureCode | null; failureReason: string | null } {
  const failureCode = parseFailureCode(storedCode);
  return { failureCode, failureReason: failureCode ? failureMessage(failureCode, MessageLocale.EN) : storedReason };
}

export function toTopUpStatusUpdate(event: TopUpStatusChangedPayload & { eventId: number }): TopUpStatusUpdate {
  return {
    eventId: String(event.eventId),
    topUpId: event.topUpId,
    accountId: event.accountId,
    status: event.status,
    amount: event.amountMicros,
    reversedAmount: event.reversedMicros,
    ...failureOf(event.failureCode ?? null, event.failureReason),
    totalBalance: event.totalMicros,
    topUpBalance: event.topUpMicros,
    promotionalBalance: event.promotionalMicros,
    occurredAt: event.occurredAt,
  };
}
