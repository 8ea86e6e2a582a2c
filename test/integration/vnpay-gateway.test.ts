import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PaymentMethod, StartPaymentRequest, WebhookSignatureError } from '../../src/payments/providers/payment-provider';
import { asciiOnly, formatVnpayDate, parseVnpayDate, VnpayPaymentGateway } from '../../src/payments/providers/vnpay.gateway';
import { VnpayStandIn } from '../../src/demo/stand-ins/vnpay.stand-in';
import { redirectUrlOf } from '../support/next-action';

let counter = 0;
const nextTopUpId = () => `vnpay${Date.now()}${++counter}`;
const request = (topUpId: string, amountMinor = 250_000n, expiresAt = new Date(Date.now() + 15 * 60_000)): StartPaymentRequest => ({
  topUpId,
  amountMinor,
  currency: 'VND',
  description: 'Nạp tiền tài khoản đám mây',
  returnUrl: 'http://127.0.0.1:9/vnpay/return',
  cancelUrl: 'http://127.0.0.1:9/vnpay/cancel',
  clientIp: '203.0.113.7',
  expiresAt,
});

describe('VNPay gateway against the VNPay stand-in', () => {
  const standIn = new VnpayStandIn();
  let gateway: VnpayPaymentGateway;

  beforeAll(async () => {
    await standIn.start();
    gateway = new VnpayPaymentGateway(standIn.gatewaySettings());
  });
  afterAll(() => standIn.stop());

  it('builds a signed payment URL with the amount in dong x 100, an expiry date and ASCII order info', async () => {
    const topUpId = nextTopUpId();
    const expiresAt = new Date(Date.now() + 15 * 60_000);
    const started = await gateway.startPayment(request(topUpId, 250_000n, expiresAt));
    expect(started.providerReference).toBe(topUpId);
    const url = new URL(redirectUrlOf(started));
    expect(url.origin + url.pathname).toBe(`${standIn.url}/paymentv2/vpcpay.html`);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      vnp_Amount: '25000000',
      vnp_TxnRef: topUpId,
      vnp_CurrCode: 'VND',
      vnp_Command: 'pay',
      vnp_Version: '2.1.0',
      vnp_OrderInfo: 'Nap tien tai khoan dam may',
      vnp_ExpireDate: formatVnpayDate(expiresAt),
      vnp_IpAddr: '203.0.113.7',
    });
    expect(parseVnpayDate(params.vnp_ExpireDate)!.getTime()).toBe(Math.floor(expiresAt.getTime() / 1000) * 1000);
    // The stand-in checks the signature exactly as VNPay's page would.
    const page = await fetch(redirectUrlOf(started));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('250000 VND');
  });

  it('builds the very same URL again for the same top-up when given its creation time', async () => {
    const topUpId = nextTopUpId();
    const createdAt = new Date(Date.now() - 5_000);
    const expiresAt = new Date(createdAt.getTime() + 15 * 60_000);
    const first = await gateway.startPayment({ ...request(topUpId, 250_000n, expiresAt), createdAt });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = await gateway.startPayment({ ...request(topUpId, 250_000n, expiresAt), createdAt });
    expect(again.nextAction).toEqual(first.nextAction);
    expect(new URL(redirectUrlOf(first)).searchParams.get('vnp_CreateDate')).toBe(formatVnpayDate(createdAt));
  });

  it('has its payment page refuse a URL whose amount was changed', async () => {
    const started = await gateway.startPayment(request(nextTopUpId()));
    const tampered = redirectUrlOf(started).replace('vnp_Amount=25000000', 'vnp_Amount=100');
    expect((await fetch(tampered)).status).toBe(400);
  });

  it('keeps order info to characters every form-encoding writes the same way', () => {
    expect(asciiOnly('Nạp tiền (Đợt 1)*~ #42: 100% ok!')).toBe('Nap tien Dot 1 #42: 100 ok');
  });

  it('formats dates in GMT+7 whatever the machine time zone is', () => {
    expect(formatVnpayDate(new Date('2026-01-31T17:30:05Z'))).toBe('20260201003005');
  });

  describe('callbacks (IPN and return URL)', () => {
    const paidTopUp = async (amountMinor = 250_000n) => {
      const topUpId = nextTopUpId();
      const started = await gateway.startPayment(request(topUpId, amountMinor));
      standIn.openPaymentUrl(redirectUrlOf(started));
      return topUpId;
    };

    it('verifies a successful payment and reports it in dong', async () => {
      const topUpId = await paidTopUp(250_000n);
      const query = standIn.resultQuery(topUpId, 'success');
      expect(gateway.verifyCallback(query)).toEqual({
        provider: PaymentMethod.VNPAY,
        eventId: `vnpay:${topUpId}:${query.vnp_TransactionNo}:00:00`,
        outcome: 'SUCCEEDED',
        topUpId,
        providerReference: topUpId,
        amountMinor: 250_000n,
        currency: 'VND',
        reason: undefined,
      });
    });

    it.each([
      ['failure', '51', '02', 'FAILED', 'INSUFFICIENT_FUNDS'],
      ['canceled', '24', '02', 'CANCELED', 'BUYER_CANCELED'],
      ['pending', '00', '01', 'FAILED', 'PAYMENT_FAILED'],
    ] as const)('reports %s (response %s, transaction status %s) as %s with the code %s', async (result, responseCode, status, outcome, failureCode) => {
      const topUpId = await paidTopUp();
      const event = gateway.verifyCallback(standIn.resultQuery(topUpId, result));
      expect(event).toMatchObject({ outcome, failureCode, topUpId, amountMinor: 250_000n });
      expect(event.eventId).toMatch(new RegExp(`:${responseCode}:${status}$`));
    });

    it('refuses a changed amount', async () => {
      const query = standIn.resultQuery(await paidTopUp(), 'success');
      expect(() => gateway.verifyCallback({ ...query, vnp_Amount: '100' })).toThrow(WebhookSignatureError);
    });

    it('refuses a changed response code', async () => {
      const query = standIn.resultQuery(await paidTopUp(), 'failure');
      expect(() => gateway.verifyCallback({ ...query, vnp_ResponseCode: '00', vnp_TransactionStatus: '00' })).toThrow(WebhookSignatureError);
    });

    it('refuses a hash made with another secret, a missing hash and a malformed one', async () => {
      const query = standIn.resultQuery(await paidTopUp(), 'success');
      expect(() => gateway.verifyCallback(standIn.sign(query, 'someone-elses-secret'))).toThrow(WebhookSignatureError);
      const { vnp_SecureHash: _hash, ...unsigned } = query;
      expect(() => gateway.verifyCallback(unsigned)).toThrow(WebhookSignatureError);
      expect(() => gateway.verifyCallback({ ...query, vnp_SecureHash: 'zz' })).toThrow(WebhookSignatureError);
    });

    it('refuses a correctly signed callback for another terminal', async () => {
      const query = standIn.resultQuery(await paidTopUp(), 'success');
      expect(() => gateway.verifyCallback(standIn.sign({ ...query, vnp_TmnCode: 'OTHER123' }))).toThrow(WebhookSignatureError);
    });

    it('ignores parameters of ours on the return URL that VNPay did not sign', async () => {
      const query = standIn.resultQuery(await paidTopUp(), 'success');
      expect(gateway.verifyCallback({ ...query, lang: 'en' }).outcome).toBe('SUCCEEDED');
    });
  });

  it('pays through the page: IPN first, then the browser returns with the same signed parameters', async () => {
    const ipnQueries: Record<string, string>[] = [];
    const merchant = http.createServer((incoming, response) => {
      ipnQueries.push(Object.fromEntries(new URL(incoming.url!, 'http://x').searchParams));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"RspCode":"00","Message":"Confirm Success"}');
    });
    await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
    standIn.ipnUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}/webhooks/vnpay/ipn`;
    try {
      const topUpId = nextTopUpId();
      const started = await gateway.startPayment(request(topUpId));
      await fetch(redirectUrlOf(started));
      const paid = await fetch(`${standIn.url}/paymentv2/_stand-in/complete`, {
        method: 'POST',
        body: new URLSearchParams({ txnRef: topUpId, result: 'success' }),
        redirect: 'manual',
      });
      expect(paid.status).toBe(303);
      const back = new URL(paid.headers.get('location')!);
      expect(back.origin + back.pathname).toBe('http://127.0.0.1:9/vnpay/return');
      expect(ipnQueries).toHaveLength(1);
      expect(gateway.verifyCallback(ipnQueries[0])).toMatchObject({ outcome: 'SUCCEEDED', topUpId });
      expect(gateway.verifyCallback(Object.fromEntries(back.searchParams))).toEqual(gateway.verifyCallback(ipnQueries[0]));
      expect(standIn.ipnCalls.at(-1)!.call.answer).toEqual({ RspCode: '00', Message: 'Confirm Success' });
    } finally {
      standIn.ipnUrl = undefined;
      await new Promise((resolve) => merchant.close(resolve));
    }
  });

  describe('querydr', () => {
    it('reports a paid transaction, an unpaid one, and an unknown one', async () => {
      const topUpId = nextTopUpId();
      const startedAt = new Date();
      standIn.openPaymentUrl(redirectUrlOf(await gateway.startPayment(request(topUpId))));
      const query = { topUpId, transactionDate: startedAt, clientIp: '127.0.0.1' };
      expect(await gateway.queryTransaction(query)).toMatchObject({ outcome: 'PROCESSING', topUpId });
      standIn.resultQuery(topUpId, 'success');
      expect(await gateway.queryTransaction(query)).toMatchObject({ outcome: 'SUCCEEDED', topUpId, amountMinor: 250_000n, currency: 'VND' });
      expect(await gateway.queryTransaction({ ...query, topUpId: 'never-opened' })).toBeNull();
    });

    it('refuses an answer signed with another secret', async () => {
      const impostor = new VnpayPaymentGateway({ ...standIn.gatewaySettings(), hashSecret: 'not-the-stand-in-secret' });
      await expect(impostor.queryTransaction({ topUpId: 'x', transactionDate: new Date(), clientIp: '127.0.0.1' })).rejects.toBeInstanceOf(
        WebhookSignatureError,
      );
    });
  });
});
