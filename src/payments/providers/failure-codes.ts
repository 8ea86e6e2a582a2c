/**
 * Why a payment did not go through, as one stable code per cause a buyer can act on. Each
 * provider's own codes (Stripe decline codes, PayPal capture reasons, VNPay response codes) are
 * classified here, in the adapters' folder, so the top-up lifecycle never sees provider wording.
 * The raw provider detail is logged where the event is applied; it never reaches the buyer.
 */
export enum PaymentFailureCode {
  /** The buyer canceled on the provider's page, or abandoned the top-up (cancelTopUp). */
  BUYER_CANCELED = 'BUYER_CANCELED',
  /** Not paid before the top-up's expiry (or the provider's payment timeout). */
  EXPIRED = 'EXPIRED',
  CARD_DECLINED = 'CARD_DECLINED',
  INSUFFICIENT_FUNDS = 'INSUFFICIENT_FUNDS',
  CARD_EXPIRED = 'CARD_EXPIRED',
  INVALID_CARD_DETAILS = 'INVALID_CARD_DETAILS',
  /** OTP, 3-D Secure or the bank's password check failed. */
  AUTHENTICATION_FAILED = 'AUTHENTICATION_FAILED',
  /** The card's or bank account's daily or per-payment limit. */
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  /** Declined by the provider itself (PayPal denied the capture, VNPay's risk checks). */
  PAYMENT_DECLINED = 'PAYMENT_DECLINED',
  /** Canceled at the provider, not by the buyer (e.g. from Stripe's dashboard). */
  PROVIDER_CANCELED = 'PROVIDER_CANCELED',
  /** The provider or the bank had a problem (maintenance, processing error). */
  PROVIDER_ERROR = 'PROVIDER_ERROR',
  /** Any other failure. */
  PAYMENT_FAILED = 'PAYMENT_FAILED',
}

/** Stripe `last_payment_error` (code and decline_code) and `cancellation_reason`. */
export function stripeFailureCode(detail: {
  code?: string | null;
  declineCode?: string | null;
  cancellationReason?: string | null;
  canceled: boolean;
}): PaymentFailureCode {
  if (detail.canceled) {
    if (detail.cancellationReason === 'requested_by_customer' || detail.cancellationReason === 'abandoned') return PaymentFailureCode.BUYER_CANCELED;
    return PaymentFailureCode.PROVIDER_CANCELED;
  }
  const byDecline: Record<string, PaymentFailureCode> = {
    insufficient_funds: PaymentFailureCode.INSUFFICIENT_FUNDS,
    expired_card: PaymentFailureCode.CARD_EXPIRED,
    incorrect_cvc: PaymentFailureCode.INVALID_CARD_DETAILS,
    incorrect_number: PaymentFailureCode.INVALID_CARD_DETAILS,
    invalid_cvc: PaymentFailureCode.INVALID_CARD_DETAILS,
    invalid_expiry_month: PaymentFailureCode.INVALID_CARD_DETAILS,
    invalid_expiry_year: PaymentFailureCode.INVALID_CARD_DETAILS,
    invalid_number: PaymentFailureCode.INVALID_CARD_DETAILS,
    card_velocity_exceeded: PaymentFailureCode.LIMIT_EXCEEDED,
    withdrawal_count_limit_exceeded: PaymentFailureCode.LIMIT_EXCEEDED,
    authentication_required: PaymentFailureCode.AUTHENTICATION_FAILED,
    payment_intent_authentication_failure: PaymentFailureCode.AUTHENTICATION_FAILED,
    processing_error: PaymentFailureCode.PROVIDER_ERROR,
    try_again_later: PaymentFailureCode.PROVIDER_ERROR,
  };
  return (
    byDecline[detail.declineCode ?? ''] ??
    byDecline[detail.code ?? ''] ??
    (detail.code === 'card_declined' ? PaymentFailureCode.CARD_DECLINED : PaymentFailureCode.PAYMENT_FAILED)
  );
}

/** PayPal: a DECLINED/DENIED capture is PayPal's or the funding source's refusal; FAILED is an error. */
export function paypalFailureCode(captureStatus: string | null | undefined): PaymentFailureCode {
  if (captureStatus === 'FAILED') return PaymentFailureCode.PROVIDER_ERROR;
  return PaymentFailureCode.PAYMENT_DECLINED;
}

/** VNPay's vnp_ResponseCode of a payment (the table in VNPay's integration guide). */
const VNPAY_RESPONSE_CODES: Record<string, PaymentFailureCode> = {
  '07': PaymentFailureCode.PAYMENT_DECLINED,
  '09': PaymentFailureCode.CARD_DECLINED,
  '10': PaymentFailureCode.AUTHENTICATION_FAILED,
  '11': PaymentFailureCode.EXPIRED,
  '12': PaymentFailureCode.CARD_DECLINED,
  '13': PaymentFailureCode.AUTHENTICATION_FAILED,
  '24': PaymentFailureCode.BUYER_CANCELED,
  '51': PaymentFailureCode.INSUFFICIENT_FUNDS,
  '65': PaymentFailureCode.LIMIT_EXCEEDED,
  '75': PaymentFailureCode.PROVIDER_ERROR,
  '79': PaymentFailureCode.AUTHENTICATION_FAILED,
};

/** vnp_ResponseCode 24: the buyer canceled on VNPay's page. */
export const VNPAY_BUYER_CANCELED = '24';

export function vnpayFailureCode(responseCode: string | undefined, transactionStatus: string | undefined): PaymentFailureCode {
  const byResponse = VNPAY_RESPONSE_CODES[responseCode ?? ''];
  if (byResponse) return byResponse;
  // 07 as a transaction status: held as suspected fraud.
  if (transactionStatus === '07') return PaymentFailureCode.PAYMENT_DECLINED;
  return PaymentFailureCode.PAYMENT_FAILED;
}
