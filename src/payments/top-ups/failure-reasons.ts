import { registerEnumType } from 'type-graphql';
import { PaymentFailureCode } from '../providers/failure-codes';

export { PaymentFailureCode as TopUpFailureCode };

/** The languages the console shows failure reasons in. */
export enum MessageLocale {
  EN = 'EN',
  VI = 'VI',
}

export interface LocalizedMessage {
  en: string;
  vi: string;
}

/**
 * What the buyer is told for each failure code, in English and Vietnamese. The console may use
 * these as they are or translate the code itself; the code is the stable part.
 */
export const FAILURE_MESSAGES: Record<PaymentFailureCode, LocalizedMessage> = {
  [PaymentFailureCode.BUYER_CANCELED]: { en: 'You canceled the payment.', vi: 'Bạn đã hủy thanh toán.' },
  [PaymentFailureCode.EXPIRED]: {
    en: 'The payment was not completed in time.',
    vi: 'Thanh toán không được hoàn tất trong thời gian cho phép.',
  },
  [PaymentFailureCode.CARD_DECLINED]: {
    en: 'Your card was declined. Try another card or contact your bank.',
    vi: 'Thẻ của bạn bị từ chối. Hãy thử thẻ khác hoặc liên hệ ngân hàng của bạn.',
  },
  [PaymentFailureCode.INSUFFICIENT_FUNDS]: {
    en: 'Your card or account does not have enough funds.',
    vi: 'Thẻ hoặc tài khoản của bạn không đủ số dư.',
  },
  [PaymentFailureCode.CARD_EXPIRED]: { en: 'Your card has expired.', vi: 'Thẻ của bạn đã hết hạn.' },
  [PaymentFailureCode.INVALID_CARD_DETAILS]: { en: 'The card details were incorrect.', vi: 'Thông tin thẻ không chính xác.' },
  [PaymentFailureCode.AUTHENTICATION_FAILED]: {
    en: 'The payment could not be verified (OTP or 3-D Secure failed).',
    vi: 'Không xác thực được thanh toán (OTP hoặc 3-D Secure không thành công).',
  },
  [PaymentFailureCode.LIMIT_EXCEEDED]: {
    en: "The payment is over your card's or bank's limit.",
    vi: 'Khoản thanh toán vượt quá hạn mức của thẻ hoặc ngân hàng.',
  },
  [PaymentFailureCode.PAYMENT_DECLINED]: {
    en: 'The payment provider declined the payment.',
    vi: 'Nhà cung cấp dịch vụ thanh toán đã từ chối giao dịch.',
  },
  [PaymentFailureCode.PROVIDER_CANCELED]: {
    en: 'The payment provider canceled the payment.',
    vi: 'Nhà cung cấp dịch vụ thanh toán đã hủy giao dịch.',
  },
  [PaymentFailureCode.PROVIDER_ERROR]: {
    en: 'The payment provider had a problem. Please try again later.',
    vi: 'Nhà cung cấp dịch vụ thanh toán gặp sự cố. Vui lòng thử lại sau.',
  },
  [PaymentFailureCode.PAYMENT_FAILED]: { en: 'The payment did not go through.', vi: 'Thanh toán không thành công.' },
};

export function failureMessage(code: PaymentFailureCode, locale: MessageLocale = MessageLocale.EN): string {
  const messages = FAILURE_MESSAGES[code] ?? FAILURE_MESSAGES[PaymentFailureCode.PAYMENT_FAILED];
  return locale === MessageLocale.VI ? messages.vi : messages.en;
}

/** A stored code from the database, or null when it is not one this version knows. */
export function parseFailureCode(value: string | null): PaymentFailureCode | null {
  return value !== null && (Object.values(PaymentFailureCode) as string[]).includes(value) ? (value as PaymentFailureCode) : null;
}

registerEnumType(PaymentFailureCode, {
  name: 'TopUpFailureCode',
  description: 'Why a top-up failed, was canceled or expired: a stable code to show or translate (failureMessage gives English and Vietnamese).',
});

registerEnumType(MessageLocale, { name: 'MessageLocale', description: 'EN: English; VI: Vietnamese.' });
