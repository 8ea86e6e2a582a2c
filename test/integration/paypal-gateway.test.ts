import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError, ErrorCode } from '../../src/common/domain-error';
import { type PaymentEvent, PaymentMethod, StartPaymentRequest, WebhookSignatureError } from '../../src/payments/providers/payment-provider';
import { PayPalPaymentGateway } from '../../src/payments/providers/paypal.gateway';
import { CertificateUnavailableError, PayPalWebhookVerifier } from '../../src/payments/providers/paypal-webhook-verifier';
import { createLoopbackHttpsAgent } from '../../src/payments/providers/loopback-tls-agent';
import { standInCertificates } from '../../src/demo/stand-ins/test-certificates';
import { PayPalStandIn } from '../../src/demo/stand-ins/paypal.stand-in';
import { redirectUrlOf } from '../support/next-action';

let counter = 0;
const nextTopUpId = () => `paypal-topup-${Date.now()}-${++counter}`;
const request = (topUpId: string, amountMinor = 1050n): StartPaymentRequest => ({
  topUpId,
  amountMinor,
  currency: 'USD',
  description: 'Credits top-up',
  returnUrl: 'http://127.0.0.1:9/paypal/return',
  cancelUrl: 'http://127.0.0.1:9/paypal/cancel',
  clientIp: '127.0.0.1',
  expiresAt: new Date(Date.now() + 15 * 60_000),
});

describe('PayPal gateway against the PayPal stand-in', () => {
  const standIn = new PayPalStandIn();
  let gateway: PayPalPaymentGateway;

  beforeAll(async () => {
    await standIn.start();
    gateway = new PayPalPaymentGateway(standIn.gatewaySettings());
  });
  afterEach(() => standIn.setCaptureStatus('COMPLETED'));
  afterAll(() => standIn.stop());

  const approvedOrder = async (amountMinor = 1050n) => {
    const topUpId = nextTopUpId();
    const { providerReference: orderId } = await gateway.startPayment(request(topUpId, amountMinor));
    await standIn.approve(orderId, { deliver: false });
    return { topUpId, orderId };
  };

  describe('orders', () => {
    it('creates a CAPTURE order for the exact USD amount, with the top-up as custom_id, and returns the payer-action link', async () => {
      const topUpId = nextTopUpId();
      const started = await gateway.startPayment(request(topUpId, 1005n));
      expect(started.nextAction).toEqual({ type: 'REDIRECT_TO_URL', url: `${standIn.url}/checkoutnow?token=${started.providerReference}` });
      const order = standIn.getOrder(started.providerReference)!;
      expect(order.status).toBe('PAYER_ACTION_REQUIRED');
      expect(order.purchase_units[0]).toMatchObject({ custom_id: topUpId, reference_id: topUpId, amount: { currency_code: 'USD', value: '10.05' } });
      expect(order.experience).toEqual({ return_url: 'http://127.0.0.1:9/paypal/return', cancel_url: 'http://127.0.0.1:9/paypal/cancel' });
    });

    it('returns the same order when the same top-up is started again (PayPal-Request-Id)', async () => {
      const topUpId = nextTopUpId();
      const first = await gateway.startPayment(request(topUpId));
      expect(await gateway.startPayment(request(topUpId))).toEqual(first);
    });

    it('refuses to charge anything but USD', async () => {
      await expect(gateway.startPayment({ ...request(nextTopUpId()), currency: 'VND' })).rejects.toMatchObject({ code: ErrorCode.PAYMENT_METHOD_UNAVAILABLE });
    });

    it('reports bad client credentials as a provider error', async () => {
      const wrong = new PayPalPaymentGateway({ ...standIn.gatewaySettings(), clientSecret: 'wrong' });
      const attempt = wrong.startPayment(request(nextTopUpId()));
      await expect(attempt).rejects.toBeInstanceOf(DomainError);
      await expect(attempt).rejects.toMatchObject({ code: ErrorCode.PAYMENT_PROVIDER_ERROR });
    });

    it('does not talk to a server whose certificate is not from the trusted CA', async () => {
      const settings = standIn.gatewaySettings();
      const untrusting = new PayPalPaymentGateway({ ...settings, standIn: { ...settings.standIn!, caPem: (await otherCa()).caPem } });
      await expect(untrusting.startPayment(request(nextTopUpId()))).rejects.toMatchObject({ code: ErrorCode.PAYMENT_PROVIDER_ERROR });
    });
  });

  describe('capture', () => {
    it('reports COMPLETED as SUCCEEDED with the captured amount', async () => {
      const { topUpId, orderId } = await approvedOrder(1050n);
      expect(await gateway.capture(orderId, topUpId)).toMatchObject({
        provider: PaymentMethod.PAYPAL,
        outcome: 'SUCCEEDED',
        topUpId,
        providerReference: orderId,
        amountMinor: 1050n,
        currency: 'USD',
      });
    });

    it('reports PENDING as PROCESSING and DECLINED as FAILED', async () => {
      const pending = await approvedOrder();
      standIn.setCaptureStatus('PENDING', pending.orderId);
      expect(await gateway.capture(pending.orderId, pending.topUpId)).toMatchObject({ outcome: 'PROCESSING', reason: 'PENDING_REVIEW' });
      const declined = await approvedOrder();
      standIn.setCaptureStatus('DECLINED', declined.orderId);
      expect(await gateway.capture(declined.orderId, declined.topUpId)).toMatchObject({ outcome: 'FAILED', reason: 'DECLINED' });
    });

    it('replays its own capture and reads the order when it was captured under another request id', async () => {
      const { topUpId, orderId } = await approvedOrder();
      const first = await gateway.capture(orderId, topUpId);
      expect(await gateway.capture(orderId, topUpId)).toEqual(first);
      // A different request id reaches PayPal's 422 ORDER_ALREADY_CAPTURED: the order tells the state.
      expect(await gateway.capture(orderId, `${topUpId}-elsewhere`)).toEqual({ ...first, topUpId });
    });

    it('reports an order the buyer has not approved as still needing the buyer', async () => {
      const topUpId = nextTopUpId();
      const { providerReference: orderId } = await gateway.startPayment(request(topUpId));
      expect(await gateway.capture(orderId, topUpId)).toMatchObject({
        outcome: 'REQUIRES_ACTION',
        reason: 'ORDER_NOT_APPROVED',
        topUpId,
        providerReference: orderId,
      });
    });

    it('sends the buyer back to PayPal when the funding source is declined, then captures after a new approval', async () => {
      const { topUpId, orderId } = await approvedOrder();
      standIn.setCaptureStatus('INSTRUMENT_DECLINED', orderId);
      expect(await gateway.capture(orderId, topUpId)).toMatchObject({ outcome: 'REQUIRES_ACTION', reason: 'INSTRUMENT_DECLINED' });
      expect(standIn.getOrder(orderId)!.status).toBe('PAYER_ACTION_REQUIRED');
      await standIn.approve(orderId, { deliver: false });
      expect(await gateway.capture(orderId, topUpId)).toMatchObject({ outcome: 'SUCCEEDED', topUpId });
    });

    it('reports an unknown order as a provider error', async () => {
      await expect(gateway.capture('NOSUCHORDER', 'x')).rejects.toMatchObject({ code: ErrorCode.PAYMENT_PROVIDER_ERROR, details: { providerStatus: 404 } });
    });
  });

  describe('webhooks', () => {
    const verify = (signed: { rawBody: string; headers: Record<string, string> }) => gateway.verifyWebhook(Buffer.from(signed.rawBody), signed.headers);

    it('maps CHECKOUT.ORDER.APPROVED to APPROVED', async () => {
      const topUpId = nextTopUpId();
      const { providerReference: orderId } = await gateway.startPayment(request(topUpId, 2000n));
      const signed = await standIn.approve(orderId, { deliver: false });
      expect(await verify(signed)).toEqual({
        provider: PaymentMethod.PAYPAL,
        eventId: signed.event.id,
        outcome: 'APPROVED',
        topUpId,
        providerReference: orderId,
        amountMinor: 2000n,
        currency: 'USD',
      });
    });

    it('maps the capture events, with the order id from supplementary_data', async () => {
      const completed = await approvedOrder(1234n);
      await gateway.capture(completed.orderId, completed.topUpId);
      await standIn.settled();
      const completedEvent = standIn.webhooks.at(-1)!;
      expect(completedEvent.event.event_type).toBe('PAYMENT.CAPTURE.COMPLETED');
      expect(await verify(completedEvent)).toMatchObject({
        outcome: 'SUCCEEDED',
        topUpId: completed.topUpId,
        providerReference: completed.orderId,
        amountMinor: 1234n,
      });
      expect(await verify(await standIn.refund(completed.orderId, { deliver: false, amountMinor: 234n }))).toMatchObject({
        outcome: 'REFUNDED',
        topUpId: completed.topUpId,
        amountMinor: 234n,
      });
      // A chargeback: the dispute opens (nothing to do yet), PayPal reverses the capture (the
      // credits go), and a win for the seller names the same capture (they come back).
      const opened = await standIn.openDispute(completed.orderId, { deliver: false });
      expect(await verify(opened)).toBeNull();
      const reversed = (await verify(await standIn.reverse(completed.orderId, { deliver: false }))) as PaymentEvent | null;
      expect(reversed).toMatchObject({ outcome: 'DISPUTED', providerReference: completed.orderId, amountMinor: 1234n });
      const disputeId = (opened.event.resource as { dispute_id: string }).dispute_id;
      expect(await verify(await standIn.resolveDispute(disputeId, 'won', { deliver: false }))).toMatchObject({
        outcome: 'DISPUTE_WON',
        topUpId: completed.topUpId,
        disputeReference: reversed!.disputeReference,
        amountMinor: 1234n,
      });

      const pending = await approvedOrder();
      standIn.setCaptureStatus('PENDING', pending.orderId);
      await gateway.capture(pending.orderId, pending.topUpId);
      await standIn.settled();
      expect(await verify(standIn.webhooks.at(-1)!)).toMatchObject({ outcome: 'PROCESSING', providerReference: pending.orderId });
      expect(await verify(await standIn.settlePendingCapture(pending.orderId, 'COMPLETED', { deliver: false }))).toMatchObject({
        outcome: 'SUCCEEDED',
        topUpId: pending.topUpId,
      });

      const denied = await approvedOrder();
      standIn.setCaptureStatus('PENDING', denied.orderId);
      await gateway.capture(denied.orderId, denied.topUpId);
      expect(await verify(await standIn.settlePendingCapture(denied.orderId, 'DENIED', { deliver: false }))).toMatchObject({
        outcome: 'FAILED',
        topUpId: denied.topUpId,
      });

      const declined = await approvedOrder();
      standIn.setCaptureStatus('DECLINED', declined.orderId);
      await gateway.capture(declined.orderId, declined.topUpId);
      await standIn.settled();
      expect(standIn.webhooks.at(-1)!.event.event_type).toBe('PAYMENT.CAPTURE.DECLINED');
      expect(await verify(standIn.webhooks.at(-1)!)).toMatchObject({ outcome: 'FAILED', topUpId: declined.topUpId });
    });

    it('returns null for event types the top-ups ignore, once the signature holds', async () => {
      const signed = standIn.signWebhook({ id: 'WH-OTHER', event_type: 'CUSTOMER.DISPUTE.CREATED', resource: {} });
      expect(await verify(signed)).toBeNull();
    });

    describe('refuses', () => {
      let signed: Awaited<ReturnType<typeof standIn.approve>>;
      beforeAll(async () => {
        const { providerReference } = await gateway.startPayment(request(nextTopUpId()));
        signed = await standIn.approve(providerReference, { deliver: false });
      });
      const refuses = async (rawBody: string, headers: Record<string, string>, reason: RegExp) => {
        const attempt = gateway.verifyWebhook(Buffer.from(rawBody), headers);
        await expect(attempt).rejects.toBeInstanceOf(WebhookSignatureError);
        await expect(attempt).rejects.toThrow(reason);
      };

      it('a body changed after signing', () => {
        const tampered = signed.rawBody.replace('"value":"10.50"', '"value":"1050.00"');
        expect(tampered).not.toBe(signed.rawBody);
        return refuses(tampered, signed.headers, /does not match/);
      });
      it('a signature for another transmission', () =>
        refuses(signed.rawBody, { ...signed.headers, 'paypal-transmission-id': 'another-id' }, /does not match/));
      it('a garbage signature', () =>
        refuses(signed.rawBody, { ...signed.headers, 'paypal-transmission-sig': Buffer.from('nope').toString('base64') }, /does not match/));
      it('a missing header', () => {
        const { 'paypal-transmission-sig': _signature, ...headers } = signed.headers;
        return refuses(signed.rawBody, headers, /PAYPAL-TRANSMISSION-SIG header is missing/);
      });
      it('an algorithm other than SHA256withRSA', () => refuses(signed.rawBody, { ...signed.headers, 'paypal-auth-algo': 'SHA1withRSA' }, /unsupported/));
      it('a certificate URL on a host that is not on the allow-list', () =>
        refuses(
          signed.rawBody,
          { ...signed.headers, 'paypal-cert-url': 'https://certificates.attacker.test/v1/notifications/certs/CERT-stand-in-signing' },
          /allow-list/,
        ));
      it('a certificate URL outside the allowed path', () =>
        refuses(signed.rawBody, { ...signed.headers, 'paypal-cert-url': `https://${standIn.serverName}/elsewhere/CERT-stand-in-signing` }, /allow-list/));
      it('a certificate URL that climbs out of the allowed path', () =>
        refuses(
          signed.rawBody,
          { ...signed.headers, 'paypal-cert-url': `https://${standIn.serverName}/v1/notifications/certs/../../../elsewhere/x` },
          /allow-list/,
        ));
      it('a plain-http certificate URL', () =>
        refuses(
          signed.rawBody,
          { ...signed.headers, 'paypal-cert-url': `http://${standIn.serverName}/v1/notifications/certs/CERT-stand-in-signing` },
          /allow-list/,
        ));
      it('a correct signature by a certificate that does not chain to the trusted CA', () => {
        const forged = standIn.signWebhook(signed.event, { rogueCertificate: true });
        return refuses(forged.rawBody, forged.headers, /does not chain to a trusted root/);
      });
      it('nothing, but reports an unavailable certificate as retryable rather than as a bad signature', async () => {
        const attempt = gateway.verifyWebhook(Buffer.from(signed.rawBody), {
          ...signed.headers,
          'paypal-cert-url': `https://${standIn.serverName}/v1/notifications/certs/CERT-gone`,
        });
        await expect(attempt).rejects.toBeInstanceOf(CertificateUnavailableError);
      });
      it('a certificate for another common name', async () => {
        const picky = new PayPalPaymentGateway({ ...standIn.gatewaySettings(), webhookCertificateCommonName: 'someone-else.stand-in.test' });
        await expect(picky.verifyWebhook(Buffer.from(signed.rawBody), signed.headers)).rejects.toThrow(/not someone-else.stand-in.test/);
      });
      it('a certificate past its validity dates', async () => {
        const settings = standIn.gatewaySettings();
        const inTenYears = new Date(Date.now() + 10 * 365 * 24 * 3_600_000);
        const verifier = new PayPalWebhookVerifier({
          webhookId: settings.webhookId,
          certUrlAllowList: settings.certUrlAllowList,
          certificateCommonName: settings.webhookCertificateCommonName,
          trustedCaPem: settings.trustedCaPem,
          httpsAgent: createLoopbackHttpsAgent(settings.standIn!),
          now: () => inTenYears,
        });
        await expect(verifier.verify(Buffer.from(signed.rawBody), signed.headers)).rejects.toThrow(/validity/);
      });
      it('a webhook signed for another webhook id', async () => {
        const other = new PayPalPaymentGateway({ ...standIn.gatewaySettings(), webhookId: 'WH-SOMEONE-ELSE' });
        await expect(other.verifyWebhook(Buffer.from(signed.rawBody), signed.headers)).rejects.toThrow(/does not match/);
      });
    });
  });

  describe('the buyer in a browser', () => {
    it('approves on the page, returns to return_url with the token, and the approval webhook is delivered', async () => {
      const received: { body: Buffer; headers: http.IncomingHttpHeaders }[] = [];
      const receiver = http.createServer((incoming, response) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          received.push({ body: Buffer.concat(chunks), headers: incoming.headers });
          response.writeHead(200).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      standIn.webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/paypal`;
      try {
        const topUpId = nextTopUpId();
        const started = await gateway.startPayment(request(topUpId));
        expect(await (await fetch(redirectUrlOf(started))).text()).toContain('Pay Now');
        const approved = await fetch(`${standIn.url}/checkoutnow/approve`, {
          method: 'POST',
          body: new URLSearchParams({ token: started.providerReference }),
          redirect: 'manual',
        });
        const back = new URL(approved.headers.get('location')!);
        expect(back.origin + back.pathname).toBe('http://127.0.0.1:9/paypal/return');
        expect(back.searchParams.get('token')).toBe(started.providerReference);
        expect(back.searchParams.get('PayerID')).toBeTruthy();
        await standIn.settled();
        expect(received).toHaveLength(1);
        expect(await gateway.verifyWebhook(received[0].body, received[0].headers)).toMatchObject({ outcome: 'APPROVED', topUpId });

        const canceled = await gateway.startPayment(request(nextTopUpId()));
        const cancel = await fetch(`${standIn.url}/checkoutnow/cancel`, {
          method: 'POST',
          body: new URLSearchParams({ token: canceled.providerReference }),
          redirect: 'manual',
        });
        expect(cancel.headers.get('location')).toBe(`http://127.0.0.1:9/paypal/cancel?token=${canceled.providerReference}`);
      } finally {
        standIn.webhookUrl = undefined;
        await new Promise((resolve) => receiver.close(resolve));
      }
    });
  });
});

/** A second stand-in's CA: valid, but not the one that issued our stand-in's certificate. */
function otherCa() {
  return standInCertificates({ serverName: 'other.stand-in.test', signingCommonName: 'other-signing.stand-in.test' });
}
