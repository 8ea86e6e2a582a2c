import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { buildPaymentUrlSearchParams, calculateSecureHash, HashAlgorithm } from 'vnpay';
import { formatVnpayDate, parseVnpayDate, verifyVnpaySecureHash, VnpayGatewaySettings } from '../../payments/providers/vnpay.gateway';
import { formatMinorUnits } from '../../payments/providers/minor-units';
import { HttpStandIn, Router, StandInRequest, escapeHtml, parseForm, parseJson, redirect, sendHtml, sendJson } from './http';

/**
 * A local stand-in for VNPay: the payment page (checks the signed URL, lets a person pay or
 * fail), the server-to-server IPN call to the merchant followed by the browser's return, and the
 * merchant API's querydr and refund commands. Test only; listens on 127.0.0.1.
 */
export interface VnpayStandInOptions {
  tmnCode?: string;
  hashSecret?: string;
  /** The merchant's IPN endpoint, called server-to-server after each payment. */
  ipnUrl?: string;
}

export type VnpayResult = 'success' | 'failure' | 'canceled' | 'pending';

interface StandInPayment {
  request: Record<string, string>;
  /** The result parameters once the buyer finished, as sent to the IPN and the return URL. */
  result: Record<string, string> | null;
  /** vnp_Amount (dong × 100) refunded so far. */
  refundedAmount?: bigint;
}

/** One refund VNPay accepted. */
export interface VnpayRefund {
  txnRef: string;
  requestId: string;
  /** vnp_Amount: dong × 100. */
  amount: string;
  transactionType: string;
  transactionNo: string;
}

/** The refund request's fields, in the order its checksum joins them with `|` (VNPay's merchant API). */
const REFUND_REQUEST_ORDER = [
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
];
const REFUND_ANSWER_ORDER = [
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
];
/** The status query's fields, in the order its checksum joins them with `|` (VNPay's merchant API). */
const QUERY_REQUEST_ORDER = [
  'vnp_RequestId',
  'vnp_Version',
  'vnp_Command',
  'vnp_TmnCode',
  'vnp_TxnRef',
  'vnp_TransactionDate',
  'vnp_CreateDate',
  'vnp_IpAddr',
  'vnp_OrderInfo',
];
/** The status query's answer: the refund answer's fields, then the promotion's. */
const QUERY_ANSWER_ORDER = [...REFUND_ANSWER_ORDER, 'vnp_PromotionCode', 'vnp_PromotionAmount'];

export interface IpnCall {
  status: number;
  /** The merchant's JSON answer, e.g. `{ RspCode: '00', Message: 'Confirm Success' }`. */
  answer: unknown;
}

export const VNPAY_STAND_IN_TMN_CODE = 'STANDIN1';
export const VNPAY_STAND_IN_HASH_SECRET = 'STANDINSECRETSTANDINSECRETSTANDIN';

const RESULT_CODES: Record<VnpayResult, { vnp_ResponseCode: string; vnp_TransactionStatus: string }> = {
  success: { vnp_ResponseCode: '00', vnp_TransactionStatus: '00' },
  // 51: insufficient funds; 02: the transaction failed.
  failure: { vnp_ResponseCode: '51', vnp_TransactionStatus: '02' },
  // 24: the buyer cancelled on the payment page.
  canceled: { vnp_ResponseCode: '24', vnp_TransactionStatus: '02' },
  // Paid at the bank but not yet confirmed: the answer code is fine, the transaction is not.
  pending: { vnp_ResponseCode: '00', vnp_TransactionStatus: '01' },
};

let transactionCounter = 14_000_000;

export class VnpayStandIn extends HttpStandIn {
  readonly tmnCode: string;
  readonly hashSecret: string;
  ipnUrl: string | undefined;
  /** Every IPN the stand-in made, with the merchant's answer. */
  readonly ipnCalls: { query: Record<string, string>; call: IpnCall }[] = [];
  /** Every refund the stand-in accepted, oldest first. */
  readonly refunds: VnpayRefund[] = [];
  private readonly payments = new Map<string, StandInPayment>();
  private readonly refundRequestIds = new Set<string>();
  /** Transactions whose refunds the bank refuses (code 95). */
  private readonly refusingRefunds = new Set<string>();

  constructor(options: VnpayStandInOptions = {}) {
    super();
    this.tmnCode = options.tmnCode ?? VNPAY_STAND_IN_TMN_CODE;
    this.hashSecret = options.hashSecret ?? VNPAY_STAND_IN_HASH_SECRET;
    this.ipnUrl = options.ipnUrl;
  }

  gatewaySettings(): VnpayGatewaySettings {
    return {
      tmnCode: this.tmnCode,
      hashSecret: this.hashSecret,
      paymentUrl: `${this.url}/paymentv2/vpcpay.html`,
      apiUrl: `${this.url}/merchant_webapi/api/transaction`,
    };
  }

  /** The signed parameters of the payment URL the buyer opened, by vnp_TxnRef. */
  getPayment(txnRef: string): Readonly<StandInPayment> | undefined {
    return this.payments.get(txnRef);
  }

  /**
   * Registers a payment from its signed URL without a browser, exactly as opening the page would
   * (same checks). Throws with VNPay's error code when the URL is refused.
   */
  openPaymentUrl(paymentUrl: string): Record<string, string> {
    const query = Object.fromEntries(new URL(paymentUrl).searchParams);
    const problem = this.checkPaymentRequest(query);
    if (problem) throw new Error(`VNPay stand-in refused the payment URL: ${problem}`);
    if (!this.payments.has(query.vnp_TxnRef)) this.payments.set(query.vnp_TxnRef, { request: query, result: null });
    return query;
  }

  /**
   * The signed result parameters VNPay would send to the IPN and the return URL for a payment
   * that was opened. Tests may change them afterwards to play an attacker.
   */
  resultQuery(txnRef: string, result: VnpayResult = 'success'): Record<string, string> {
    const payment = this.payments.get(txnRef);
    if (!payment) throw new Error(`no VNPay payment ${txnRef} was opened on the stand-in`);
    const { request } = payment;
    const fields: Record<string, string> = {
      vnp_Amount: request.vnp_Amount,
      vnp_BankCode: 'NCB',
      vnp_BankTranNo: result === 'success' || result === 'pending' ? `VNP${transactionCounter + 1}` : '',
      vnp_CardType: 'ATM',
      vnp_OrderInfo: request.vnp_OrderInfo,
      vnp_PayDate: formatVnpayDate(new Date()),
      vnp_TmnCode: this.tmnCode,
      vnp_TransactionNo: result === 'canceled' ? '0' : String(++transactionCounter),
      vnp_TxnRef: txnRef,
      ...RESULT_CODES[result],
    };
    const signed = this.sign(Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== '')));
    payment.result = signed;
    return signed;
  }

  /**
   * Adds vnp_SecureHash to any parameters (optionally with another secret, to forge one). Signed
   * with the `vnpay` package's own canonical string and HMAC, so the gateway's verification is
   * checked against an independent implementation.
   */
  sign(fields: Record<string, string>, secret = this.hashSecret): Record<string, string> {
    const unsigned = { ...fields };
    delete unsigned.vnp_SecureHash;
    const canonical = buildPaymentUrlSearchParams(unsigned).toString();
    const hash = calculateSecureHash({ secureSecret: secret, data: canonical, hashAlgorithm: HashAlgorithm.SHA512, bufferEncode: 'utf-8' });
    return { ...unsigned, vnp_SecureHash: hash };
  }

  /** The merchant API's checksum (querydr, refund): HMAC-SHA512 of the fields in `order`, joined with `|` (absent ones empty). */
  private pipeChecksum(fields: Record<string, string>, order: readonly string[]): string {
    return createHmac('sha512', this.hashSecret)
      .update(order.map((key) => fields[key] ?? '').join('|'))
      .digest('hex');
  }

  /** Calls the merchant's IPN URL with the given (possibly tampered) parameters, as VNPay does. */
  async callIpn(query: Record<string, string>, ipnUrl = this.ipnUrl): Promise<IpnCall> {
    if (!ipnUrl) throw new Error('the VNPay stand-in has no IPN URL');
    const url = new URL(ipnUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    let call: IpnCall;
    try {
      const response = await fetch(url);
      const text = await response.text();
      call = { status: response.status, answer: safeJson(text) };
    } catch (error) {
      call = { status: 0, answer: `IPN call failed: ${(error as Error).message}` };
    }
    this.ipnCalls.push({ query, call });
    return call;
  }

  /** The return URL the browser is sent to after paying, carrying the same signed parameters. */
  returnUrl(query: Record<string, string>): string {
    const payment = this.payments.get(query.vnp_TxnRef);
    if (!payment) throw new Error(`no VNPay payment ${query.vnp_TxnRef}`);
    const url = new URL(payment.request.vnp_ReturnUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.toString();
  }

  // ---- Wire protocol -----------------------------------------------------------------------

  protected routes(): Router {
    return new Router()
      .add('GET', '/paymentv2/vpcpay.html', (request, response) => this.paymentPage(request, response))
      .add('POST', '/paymentv2/_stand-in/complete', (request, response) => this.complete(request, response))
      .add('POST', '/merchant_webapi/api/transaction', (request, response) =>
        parseJson(request.rawBody).vnp_Command === 'refund' ? this.refund(request, response) : this.queryDr(request, response),
      )
      .add('POST', '/_stand-in/payments/:txnRef/result', (request, response) => this.controlResult(request, response));
  }

  private checkPaymentRequest(query: Record<string, string>): string | null {
    if (!verifyVnpaySecureHash(query, this.hashSecret)) return '70: invalid signature (Sai chu ky)';
    if (query.vnp_TmnCode !== this.tmnCode) return '02: unknown merchant terminal';
    if (query.vnp_Version !== '2.1.0' || query.vnp_Command !== 'pay' || query.vnp_CurrCode !== 'VND') return '03: bad version, command or currency';
    if (!/^\d+00$/.test(query.vnp_Amount ?? '')) return '03: vnp_Amount must be dong x 100';
    if (!query.vnp_TxnRef || !query.vnp_ReturnUrl || !query.vnp_IpAddr || !query.vnp_OrderInfo) return '03: missing parameters';
    const expires = parseVnpayDate(query.vnp_ExpireDate ?? '');
    if (!expires) return '03: vnp_ExpireDate is missing or not yyyyMMddHHmmss';
    if (expires.getTime() < Date.now()) return '11: the payment time has expired';
    return null;
  }

  private paymentPage(request: StandInRequest, response: ServerResponse): void {
    const query = Object.fromEntries(request.url.searchParams);
    const problem = this.checkPaymentRequest(query);
    if (problem) return sendHtml(response, 400, page('Payment refused', `<p class="error">Error ${escapeHtml(problem)}</p>`));
    if (!this.payments.has(query.vnp_TxnRef)) this.payments.set(query.vnp_TxnRef, { request: query, result: null });
    const amount = formatMinorUnits(BigInt(query.vnp_Amount) / 100n, 0);
    const button = (result: VnpayResult, label: string) =>
      `<form method="post" action="/paymentv2/_stand-in/complete"><input type="hidden" name="txnRef" value="${escapeHtml(query.vnp_TxnRef)}"><input type="hidden" name="result" value="${result}"><button>${label}</button></form>`;
    sendHtml(
      response,
      200,
      page(
        'VNPay (stand-in)',
        `<p>${escapeHtml(query.vnp_OrderInfo)}</p><p>Amount: <b>${escapeHtml(amount)} VND</b></p>` +
          button('success', 'Pay') +
          button('failure', 'Fail (insufficient funds)') +
          button('canceled', 'Cancel'),
      ),
    );
  }

  /** The buyer finished: VNPay calls the IPN first, then sends the browser back. */
  private async complete(request: StandInRequest, response: ServerResponse): Promise<void> {
    const form = parseForm(request.rawBody);
    const result = (['success', 'failure', 'canceled', 'pending'] as const).find((candidate) => candidate === form.result) ?? 'failure';
    const payment = this.payments.get(form.txnRef);
    if (!payment) return sendHtml(response, 404, page('Unknown payment', '<p>No such payment.</p>'));
    if (payment.result) return redirect(response, this.returnUrl(payment.result));
    const query = this.resultQuery(form.txnRef, result);
    if (this.ipnUrl) await this.callIpn(query);
    redirect(response, this.returnUrl(query));
  }

  private async controlResult(request: StandInRequest, response: ServerResponse): Promise<void> {
    const body = request.headers['content-type']?.includes('json') ? parseJson(request.rawBody) : parseForm(request.rawBody);
    const result = (['success', 'failure', 'canceled', 'pending'] as const).find((candidate) => candidate === body.result) ?? 'success';
    try {
      const query = this.resultQuery(request.params.txnRef, result);
      const ipn = body.deliver === false || body.deliver === 'false' ? undefined : this.ipnUrl ? await this.callIpn(query) : undefined;
      sendJson(response, 200, { query, returnUrl: this.returnUrl(query), ipn });
    } catch (error) {
      sendJson(response, 404, { error: (error as Error).message });
    }
  }

  /** From now on VNPay refuses every refund of this transaction (code 95), as it does one it cannot refund. */
  refuseRefunds(txnRef: string): void {
    this.refusingRefunds.add(txnRef);
  }

  /**
   * The refund command: signed both ways over `|`-joined fields; 97 (checksum), 02 (terminal), 94
   * (a request id seen before), 91 (no such transaction), 95 (not a successful payment, more than
   * is left, a full refund of a partly refunded payment, or refused), else 00.
   */
  private refund(request: StandInRequest, response: ServerResponse): void {
    const body = parseJson(request.rawBody) as Record<string, string | number | undefined>;
    const text = (key: string) => (body[key] === undefined ? '' : String(body[key]));
    const requestFields = Object.fromEntries(REFUND_REQUEST_ORDER.map((key) => [key, text(key)]));
    const answer = (fields: Record<string, string>) => {
      const complete: Record<string, string> = {
        vnp_ResponseId: `R${Date.now()}`,
        vnp_Command: 'refund',
        vnp_TmnCode: this.tmnCode,
        vnp_TxnRef: text('vnp_TxnRef'),
        vnp_Amount: text('vnp_Amount'),
        vnp_OrderInfo: text('vnp_OrderInfo'),
        vnp_TransactionType: text('vnp_TransactionType'),
        ...fields,
      };
      sendJson(response, 200, { ...complete, vnp_SecureHash: this.pipeChecksum(complete, REFUND_ANSWER_ORDER) });
    };
    if (text('vnp_SecureHash') !== this.pipeChecksum(requestFields, REFUND_REQUEST_ORDER))
      return answer({ vnp_ResponseCode: '97', vnp_Message: 'Invalid checksum' });
    if (text('vnp_TmnCode') !== this.tmnCode) return answer({ vnp_ResponseCode: '02', vnp_Message: 'Merchant is not valid' });
    if (this.refundRequestIds.has(text('vnp_RequestId'))) return answer({ vnp_ResponseCode: '94', vnp_Message: 'Duplicate request' });
    this.refundRequestIds.add(text('vnp_RequestId'));
    const payment = this.payments.get(text('vnp_TxnRef'));
    // VNPay finds the transaction by its reference and the date its payment URL was created.
    if (!payment || payment.request.vnp_CreateDate !== text('vnp_TransactionDate'))
      return answer({ vnp_ResponseCode: '91', vnp_Message: 'Transaction not found' });
    const paid = payment.result?.vnp_ResponseCode === '00' && payment.result.vnp_TransactionStatus === '00';
    const amount = /^\d{1,18}$/.test(text('vnp_Amount')) ? BigInt(text('vnp_Amount')) : 0n;
    const refunded = payment.refundedAmount ?? 0n;
    const left = BigInt(payment.request.vnp_Amount) - refunded;
    const full = text('vnp_TransactionType') === '02';
    const refused = !paid || amount <= 0n || amount > left || (full && (refunded > 0n || amount !== left)) || this.refusingRefunds.has(text('vnp_TxnRef'));
    if (refused) return answer({ vnp_ResponseCode: '95', vnp_Message: 'Refund refused' });
    payment.refundedAmount = refunded + amount;
    const refund: VnpayRefund = {
      txnRef: text('vnp_TxnRef'),
      requestId: text('vnp_RequestId'),
      amount: text('vnp_Amount'),
      transactionType: text('vnp_TransactionType'),
      transactionNo: String(++transactionCounter),
    };
    this.refunds.push(refund);
    answer({
      vnp_ResponseCode: '00',
      vnp_Message: 'Refund success',
      vnp_BankCode: payment.result?.vnp_BankCode ?? '',
      vnp_PayDate: formatVnpayDate(new Date()),
      vnp_TransactionNo: refund.transactionNo,
      // 05: VNPay is processing the refund with the bank.
      vnp_TransactionStatus: '05',
    });
  }

  /** querydr: the request and the answer are each signed over a `|`-joined list of fields. */
  private queryDr(request: StandInRequest, response: ServerResponse): void {
    const body = parseJson(request.rawBody) as Record<string, string | number | undefined>;
    const text = (key: string) => (body[key] === undefined ? '' : String(body[key]));
    const requestFields = Object.fromEntries(QUERY_REQUEST_ORDER.map((key) => [key, text(key)]));
    const answer = (fields: Record<string, string>) => {
      const complete: Record<string, string> = { vnp_ResponseId: `R${Date.now()}`, vnp_Command: 'querydr', vnp_TmnCode: this.tmnCode, ...fields };
      sendJson(response, 200, { ...complete, vnp_SecureHash: this.pipeChecksum(complete, QUERY_ANSWER_ORDER) });
    };
    if (body.vnp_Command !== 'querydr' || text('vnp_SecureHash') !== this.pipeChecksum(requestFields, QUERY_REQUEST_ORDER)) {
      return answer({ vnp_ResponseCode: '97', vnp_Message: 'Invalid checksum' });
    }
    if (body.vnp_TmnCode !== this.tmnCode) return answer({ vnp_ResponseCode: '02', vnp_Message: 'Merchant is not valid' });
    const payment = this.payments.get(text('vnp_TxnRef'));
    if (!payment) return answer({ vnp_ResponseCode: '91', vnp_Message: 'Transaction not found' });
    const result = payment.result;
    answer({
      vnp_ResponseCode: '00',
      vnp_Message: 'QueryDR Success',
      vnp_TxnRef: payment.request.vnp_TxnRef,
      vnp_Amount: payment.request.vnp_Amount,
      vnp_OrderInfo: payment.request.vnp_OrderInfo,
      vnp_BankCode: result?.vnp_BankCode ?? '',
      vnp_PayDate: result?.vnp_PayDate ?? '',
      vnp_TransactionNo: result?.vnp_TransactionNo ?? '0',
      vnp_TransactionType: '01',
      // 01: not completed yet (the buyer has not paid).
      vnp_TransactionStatus: result?.vnp_TransactionStatus ?? '01',
    });
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p><small>Test stand-in: no real payment is made.</small></p>${body}</body></html>`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
