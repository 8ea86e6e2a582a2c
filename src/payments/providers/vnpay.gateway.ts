import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { buildPaymentUrlSearchParams, ProductCode, VNPay, VnpLocale } from 'vnpay';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { VNPAY_BUYER_CANCELED, vnpayFailureCode } from './failure-codes';
import {
  PaymentEvent,
  NextActionType,
  PaymentMethod,
  RefundAnswer,
  RefundRequest,
  StartedPayment,
  StartPaymentRequest,
  VnpayGateway,
  VnpayTransactionQuery,
  WebhookSignatureError,
} from './payment-provider';

export interface VnpayGatewaySettings {
  /** vnp_TmnCode: the merchant terminal. */
  tmnCode: string;
  /** vnp_HashSecret: the HMAC-SHA512 key shared with VNPay. */
  hashSecret: string;
  /** The payment page, e.g. `<vnpay host>/paymentv2/vpcpay.html`. */
  paymentUrl: string;
  /** The merchant API for querydr, e.g. `<vnpay host>/merchant_webapi/api/transaction`. */
  apiUrl: string;
  locale?: 'vn' | 'en';
}

const SUCCESS = '00';
/** querydr: "transaction not found". */
const QUERY_NOT_FOUND = '91';

/** The refund request's fields, in the order VNPay's checksum joins them with `|`. */
const REFUND_REQUEST_FIELDS = [
  'vnp_RequestId',
  'vnp_Version',
  'vnp_Command',
  'vnp_TmnCode',
  'vnp_TransactionType',
  'vnp_TxnRef',
  'vnp_Amount',
  'vnp_TransactionNo',
  'vnp_TransactionDate',
  'vnp_CreateBy',
  'vnp_CreateDate',
  'vnp_IpAddr',
  'vnp_OrderInfo',
] as const;

/** The refund answer's fields, in the order of its checksum. */
export const VNPAY_REFUND_ANSWER_FIELDS = [
  'vnp_ResponseId',
  'vnp_Command',
  'vnp_ResponseCode',
  'vnp_Message',
  'vnp_TmnCode',
  'vnp_TxnRef',
  'vnp_Amount',
  'vnp_BankCode',
  'vnp_PayDate',
  'vnp_TransactionNo',
  'vnp_TransactionType',
  'vnp_TransactionStatus',
  'vnp_OrderInfo',
] as const;

/**
 * Refund answers that are VNPay's refusal of this refund: 02 (terminal), 03 (format), 91 (no such
 * transaction), 95 (the transaction did not succeed at VNPay, or cannot be refunded). The others
 * (94: this request id was seen before; 97: checksum; 99: anything else) say nothing certain about it.
 */
const REFUND_REFUSALS = new Set(['02', '03', '91', '95']);

/** vnp_TransactionType of a refund: 02 returns the whole payment, 03 part of it. */
const FULL_REFUND = '02';
const PARTIAL_REFUND = '03';

/**
 * VNPay through the `vnpay` package, with its known gaps closed here: it multiplies the amount by
 * 100 itself (so it receives dong), it leaves out vnp_ExpireDate (added), its `testMode` would
 * override the hosts (kept false), and its `isSuccess` says nothing about the signature (the
 * signature, the terminal and vnp_TransactionStatus are all checked here).
 */
export class VnpayPaymentGateway implements VnpayGateway {
  readonly method = PaymentMethod.VNPAY;
  private readonly vnpay: VNPay;

  constructor(private readonly settings: VnpayGatewaySettings) {
    const payment = new URL(settings.paymentUrl);
    const api = new URL(settings.apiUrl);
    this.vnpay = new VNPay({
      tmnCode: settings.tmnCode,
      secureSecret: settings.hashSecret,
      vnpayHost: payment.origin,
      queryDrAndRefundHost: api.origin,
      testMode: false,
      enableLog: false,
      endpoints: { paymentEndpoint: payment.pathname.slice(1), queryDrRefundEndpoint: api.pathname.slice(1) },
    });
  }

  async startPayment(request: StartPaymentRequest): Promise<StartedPayment> {
    if (request.currency !== 'VND') {
      throw new DomainError(ErrorCode.PAYMENT_METHOD_UNAVAILABLE, 'VNPay payments are charged in VND only.');
    }
    if (request.amountMinor <= 0n || request.amountMinor * 100n > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(`a VNPay amount must be a positive number of dong, got ${request.amountMinor}`);
    }
    const paymentUrl = this.vnpay.buildPaymentUrl({
      // The package multiplies by 100 itself: it takes dong, not vnp_Amount.
      vnp_Amount: Number(request.amountMinor),
      vnp_TxnRef: request.topUpId,
      vnp_OrderInfo: asciiOnly(request.description),
      vnp_OrderType: ProductCode.Other,
      vnp_ReturnUrl: request.returnUrl,
      vnp_IpAddr: request.clientIp,
      vnp_Locale: this.settings.locale === 'en' ? VnpLocale.EN : VnpLocale.VN,
      // The package formats the creation date with the machine's local time zone; pass both dates.
      vnp_CreateDate: Number(formatVnpayDate(request.createdAt ?? new Date())),
      vnp_ExpireDate: Number(formatVnpayDate(request.expiresAt)),
    });
    return { providerReference: request.topUpId, nextAction: { type: NextActionType.REDIRECT_TO_URL, url: paymentUrl } };
  }

  /** VNPay has no cancel call; an unpaid URL simply expires at vnp_ExpireDate. */
  async cancelPayment(): Promise<void> {}

  verifyCallback(query: Record<string, string>): PaymentEvent {
    if (!verifyVnpaySecureHash(query, this.settings.hashSecret)) {
      throw new WebhookSignatureError('VNPay vnp_SecureHash does not match the parameters');
    }
    if (query.vnp_TmnCode !== this.settings.tmnCode) {
      throw new WebhookSignatureError(`VNPay callback is for terminal ${query.vnp_TmnCode}, not ours`);
    }
    const { vnp_TxnRef: txnRef, vnp_ResponseCode: responseCode, vnp_TransactionStatus: transactionStatus } = query;
    const succeeded = responseCode === SUCCESS && transactionStatus === SUCCESS;
    // The buyer pressed "cancel" on VNPay's page: a cancellation, not a failed payment.
    const canceled = !succeeded && responseCode === VNPAY_BUYER_CANCELED;
    return {
      provider: PaymentMethod.VNPAY,
      eventId: `vnpay:${txnRef}:${query.vnp_TransactionNo ?? ''}:${responseCode}:${transactionStatus}`,
      outcome: succeeded ? 'SUCCEEDED' : canceled ? 'CANCELED' : 'FAILED',
      topUpId: txnRef || null,
      providerReference: txnRef || null,
      amountMinor: dongFromVnpAmount(query.vnp_Amount),
      currency: 'VND',
      reason: succeeded ? undefined : `vnp_ResponseCode ${responseCode}, vnp_TransactionStatus ${transactionStatus}`,
      failureCode: succeeded ? undefined : vnpayFailureCode(responseCode, transactionStatus),
    };
  }

  /**
   * Refunds part or all of a payment (`vnp_Command=refund` on the merchant API, signed both ways).
   * The request id derives from our refund (one refund, one request id: a retry is VNPay's 94, a
   * duplicate, never a second refund). 00 is the refund accepted; VNPay sends no later event.
   * The `vnpay` package's refund helper signs unreliably, so the request is built here.
   */
  async refund(request: RefundRequest): Promise<RefundAnswer> {
    const fields: Record<string, string> = {
      vnp_RequestId: request.refundId.replace(/-/g, '').slice(0, 32),
      vnp_Version: '2.1.0',
      vnp_Command: 'refund',
      vnp_TmnCode: this.settings.tmnCode,
      vnp_TransactionType: request.wholeCharge ? FULL_REFUND : PARTIAL_REFUND,
      vnp_TxnRef: request.paymentReference,
      vnp_Amount: String(request.amountMinor * 100n),
      vnp_TransactionNo: '',
      vnp_TransactionDate: formatVnpayDate(request.paymentStartedAt),
      vnp_CreateBy: 'credits-platform',
      vnp_CreateDate: formatVnpayDate(new Date()),
      vnp_IpAddr: '127.0.0.1',
      vnp_OrderInfo: asciiOnly(`Refund ${request.refundId}`),
    };
    let answer: Record<string, string>;
    try {
      const response = await fetch(this.settings.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...fields, vnp_SecureHash: signVnpayFields(fields, REFUND_REQUEST_FIELDS, this.settings.hashSecret) }),
        signal: AbortSignal.timeout(20_000),
      });
      if (!response.ok) throw new Error(`VNPay answered HTTP ${response.status}`);
      answer = Object.fromEntries(Object.entries((await response.json()) as Record<string, unknown>).map(([key, value]) => [key, String(value ?? '')]));
    } catch (error) {
      throw new DomainError(ErrorCode.PAYMENT_PROVIDER_ERROR, 'VNPay did not answer the refund request.', {
        provider: PaymentMethod.VNPAY,
        providerMessage: (error as Error).message,
      });
    }
    return this.refundAnswerOf(answer);
  }

  private refundAnswerOf(answer: Record<string, string>): RefundAnswer {
    const expected = Buffer.from(signVnpayFields(answer, VNPAY_REFUND_ANSWER_FIELDS, this.settings.hashSecret), 'hex');
    const received = Buffer.from(/^[0-9a-fA-F]{128}$/.test(answer.vnp_SecureHash ?? '') ? answer.vnp_SecureHash.toLowerCase() : '', 'hex');
    if (received.length !== expected.length || !timingSafeEqual(expected, received)) {
      throw new DomainError(ErrorCode.PAYMENT_PROVIDER_ERROR, 'The VNPay refund answer is not signed by VNPay.', { provider: PaymentMethod.VNPAY });
    }
    const code = answer.vnp_ResponseCode;
    if (code === SUCCESS) return { providerRefundReference: answer.vnp_TransactionNo || null, outcome: 'SUCCEEDED' };
    if (REFUND_REFUSALS.has(code)) return { providerRefundReference: null, outcome: 'FAILED', reason: `vnp_ResponseCode ${code}` };
    throw new DomainError(ErrorCode.PAYMENT_PROVIDER_ERROR, `VNPay answered the refund with code ${code}.`, {
      provider: PaymentMethod.VNPAY,
      providerCode: code,
    });
  }

  /**
   * Asks VNPay for a payment's state (querydr), for when no IPN arrived. Null when VNPay does not
   * know the transaction. The answer's signature is required: the package accepts an unsigned one.
   */
  async queryTransaction(query: VnpayTransactionQuery): Promise<PaymentEvent | null> {
    const answer = await this.vnpay.queryDr({
      vnp_RequestId: randomUUID().replace(/-/g, ''),
      vnp_TxnRef: query.topUpId,
      vnp_OrderInfo: asciiOnly(`querydr ${query.topUpId}`),
      vnp_TransactionDate: Number(formatVnpayDate(query.transactionDate)),
      vnp_CreateDate: Number(formatVnpayDate(new Date())),
      vnp_IpAddr: query.clientIp,
      vnp_TransactionNo: 0,
    });
    if (!answer.vnp_SecureHash || !answer.isVerified) {
      throw new WebhookSignatureError('VNPay querydr answer is not correctly signed');
    }
    const responseCode = String(answer.vnp_ResponseCode);
    if (responseCode === QUERY_NOT_FOUND) return null;
    if (responseCode !== SUCCESS) {
      throw new DomainError(ErrorCode.PAYMENT_PROVIDER_ERROR, `VNPay querydr failed with code ${responseCode}.`, { provider: PaymentMethod.VNPAY });
    }
    const status = String(answer.vnp_TransactionStatus);
    return {
      provider: PaymentMethod.VNPAY,
      eventId: `vnpay-querydr:${answer.vnp_TxnRef}:${answer.vnp_TransactionNo}:${status}`,
      outcome: status === SUCCESS ? 'SUCCEEDED' : status === '01' ? 'PROCESSING' : 'FAILED',
      topUpId: String(answer.vnp_TxnRef),
      providerReference: String(answer.vnp_TxnRef),
      amountMinor: dongFromVnpAmount(String(answer.vnp_Amount)),
      currency: 'VND',
      reason: status === SUCCESS ? undefined : `vnp_TransactionStatus ${status}`,
      failureCode: status === SUCCESS || status === '01' ? undefined : vnpayFailureCode(undefined, status),
    };
  }
}

/** VNPay's merchant-API checksum: hex HMAC-SHA512 over the named fields' values joined by `|` (a missing one is empty). */
export function signVnpayFields(fields: Record<string, string>, order: readonly string[], hashSecret: string): string {
  return createHmac('sha512', hashSecret)
    .update(order.map((key) => fields[key] ?? '').join('|'))
    .digest('hex');
}

/**
 * VNPay's checksum: hex HMAC-SHA512 over the vnp_ parameters (without the hash itself) sorted by
 * name and form-encoded (spaces as "+"), the canonical string the `vnpay` package builds.
 * Compared in constant time.
 */
export function verifyVnpaySecureHash(query: Record<string, string>, hashSecret: string): boolean {
  const received = query.vnp_SecureHash;
  if (typeof received !== 'string' || !/^[0-9a-fA-F]{128}$/.test(received)) return false;
  const expected = Buffer.from(signVnpayParameters(query, hashSecret), 'hex');
  return timingSafeEqual(expected, Buffer.from(received.toLowerCase(), 'hex'));
}

export function signVnpayParameters(query: Record<string, string>, hashSecret: string): string {
  const signed = Object.fromEntries(
    Object.entries(query).filter(([key]) => key.startsWith('vnp_') && key !== 'vnp_SecureHash' && key !== 'vnp_SecureHashType'),
  );
  const canonical = buildPaymentUrlSearchParams(signed).toString();
  return createHmac('sha512', hashSecret).update(Buffer.from(canonical, 'utf8')).digest('hex');
}

/** `yyyyMMddHHmmss` in GMT+7, whatever the server's own time zone is. */
export function formatVnpayDate(date: Date): string {
  const shifted = new Date(date.getTime() + 7 * 3_600_000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${shifted.getUTCFullYear()}${pad(shifted.getUTCMonth() + 1)}${pad(shifted.getUTCDate())}` +
    `${pad(shifted.getUTCHours())}${pad(shifted.getUTCMinutes())}${pad(shifted.getUTCSeconds())}`
  );
}

/**
 * When VNPay says a payment was started: the vnp_CreateDate of its signed payment URL (querydr and
 * refunds name the transaction by it), else the top-up's creation.
 */
export function vnpayCreateDate(topUp: { nextActionUrl: string | null; createdAt: Date }): Date {
  const signed = topUp.nextActionUrl ? new URL(topUp.nextActionUrl).searchParams.get('vnp_CreateDate') : null;
  return (signed && parseVnpayDate(signed)) || topUp.createdAt;
}

/** Parses a GMT+7 `yyyyMMddHHmmss`; null when it is not one. */
export function parseVnpayDate(text: string): Date | null {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) - 7 * 3_600_000);
}

/** vnp_Amount is dong × 100 as digits; anything else is refused rather than rounded. */
function dongFromVnpAmount(vnpAmount: string | undefined): bigint {
  if (!vnpAmount || !/^\d{1,18}$/.test(vnpAmount)) throw new RangeError(`vnp_Amount "${vnpAmount}" is not a whole number`);
  const hundredths = BigInt(vnpAmount);
  if (hundredths % 100n !== 0n) throw new RangeError(`vnp_Amount ${vnpAmount} is not a whole number of dong`);
  return hundredths / 100n;
}

/**
 * vnp_OrderInfo must be plain ASCII without accents ("Nạp tiền" → "Nap tien"). Punctuation is kept
 * only where every form-encoding (VNPay's samples, PHP's urlencode, URLSearchParams) agrees, so
 * both sides hash the same bytes.
 */
export function asciiOnly(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 _.,:#/-]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, 255);
}
