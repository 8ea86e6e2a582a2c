import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError, ErrorCode } from '../../src/common/domain-error';
import { PaymentMethod, StartPaymentRequest, WebhookSignatureError } from '../../src/payments/providers/payment-provider';
import { StripePaymentGateway } from '../../src/payments/providers/stripe.gateway';
import { StripeStandIn } from '../../src/demo/stand-ins/stripe.stand-in';

const request = (topUpId: string, amountMinor = 1000n): StartPaymentRequest => ({
  topUpId,
  amountMinor,
  currency: 'USD',
  description: 'Credits top-up',
  returnUrl: 'http://127.0.0.1/return',
  cancelUrl: 'http://127.0.0.1/cancel',
  clientIp: '127.0.0.1',
  expiresAt: new Date(Date.now() + 15 * 60_000),
});

describe('Stripe gateway against the Stripe stand-in', () => {
  const standIn = new StripeStandIn();
  let gateway: StripePaymentGateway;
  let topUpCounter = 0;
  const nextTopUpId = () => `stripe-topup-${Date.now()}-${++topUpCounter}`;

  beforeAll(async () => {
    await standIn.start();
    gateway = new StripePaymentGateway(standIn.gatewaySettings());
  });
  afterAll(() => standIn.stop());

  it('creates a PaymentIntent and returns its client secret', async () => {
    const topUpId = nextTopUpId();
    const started = await gateway.startPayment(request(topUpId, 2500n));
    expect(started.providerReference).toMatch(/^pi_/);
    expect(started.clientSecret).toMatch(new RegExp(`^${started.providerReference}_secret_`));
    const intent = standIn.getIntent(started.providerReference)!;
    expect(intent).toMatchObject({ amount: 2500, currency: 'usd', metadata: { topUpId }, automatic_payment_methods: { enabled: true } });
    // The intent's next_action.redirect_to_url (the stand-in's card page, which confirms the intent
    // itself) becomes the next action, told where to send the buyer back.
    expect(started.nextAction).toEqual({ type: 'REDIRECT_TO_URL', url: standIn.checkoutPageUrl(started.providerReference, request(topUpId, 2500n).returnUrl) });
  });

  it('returns the same PaymentIntent when the same top-up is started again', async () => {
    const topUpId = nextTopUpId();
    const first = await gateway.startPayment(request(topUpId));
    const second = await gateway.startPayment(request(topUpId));
    expect(second).toEqual(first);
  });

  it('reports a provider error when the same top-up is started with a different amount', async () => {
    const topUpId = nextTopUpId();
    await gateway.startPayment(request(topUpId, 1000n));
    const attempt = gateway.startPayment(request(topUpId, 2000n));
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toMatchObject({ code: ErrorCode.PAYMENT_PROVIDER_ERROR, details: { providerCode: 'idempotency_error' } });
  });

  it('cancels an open intent, and quietly does nothing once it succeeded', async () => {
    const open = await gateway.startPayment(request(nextTopUpId()));
    await gateway.cancelPayment(open.providerReference);
    expect(standIn.getIntent(open.providerReference)!.status).toBe('canceled');

    const paid = await gateway.startPayment(request(nextTopUpId()));
    await standIn.succeed(paid.providerReference, { deliver: false });
    await expect(gateway.cancelPayment(paid.providerReference)).resolves.toBeUndefined();
    expect(standIn.getIntent(paid.providerReference)!.status).toBe('succeeded');
  });

  it('maps every lifecycle event of an intent to a payment event', async () => {
    const topUpId = nextTopUpId();
    const { providerReference } = await gateway.startPayment(request(topUpId, 1234n));
    const parse = (signed: { payload: string; signatureHeader: string }) => gateway.parseWebhook(Buffer.from(signed.payload), signed.signatureHeader);
    const common = { provider: PaymentMethod.STRIPE, topUpId, providerReference, currency: 'USD' };

    expect(parse(await standIn.requireAction(providerReference, { deliver: false }))).toMatchObject({ ...common, outcome: 'REQUIRES_ACTION' });
    expect(parse(await standIn.fail(providerReference, { deliver: false }))).toMatchObject({ ...common, outcome: 'FAILED', reason: 'Your card was declined.' });
    expect(parse(await standIn.processing(providerReference, { deliver: false }))).toMatchObject({ ...common, outcome: 'PROCESSING' });
    const succeeded = await standIn.succeed(providerReference, { deliver: false });
    expect(parse(succeeded)).toEqual({ ...common, eventId: succeeded.event.id, outcome: 'SUCCEEDED', amountMinor: 1234n, reason: undefined });
    expect(parse(await standIn.refund(providerReference, { deliver: false, amountMinor: 234 }))).toMatchObject({
      ...common,
      outcome: 'REFUNDED',
      amountMinor: 234n,
    });
    expect(parse(await standIn.refund(providerReference, { deliver: false }))).toMatchObject({ ...common, outcome: 'REFUNDED', amountMinor: 1234n });
    // A dispute carries no metadata of ours: the top-up is found through the PaymentIntent.
    const created = await standIn.dispute(providerReference, { deliver: false });
    const disputeId = (created.event.data.object as { id: string }).id;
    const dispute = { ...common, topUpId: null, disputeReference: disputeId, amountMinor: 1234n };
    expect(parse(created)).toMatchObject({ ...dispute, outcome: 'DISPUTED' });
    // Every event of one dispute names it: the withdrawal takes once, the win gives back once.
    expect(parse(await standIn.fundsWithdrawn(disputeId, { deliver: false }))).toMatchObject({ ...dispute, outcome: 'DISPUTED' });
    const [closed, reinstated] = await standIn.closeDispute(disputeId, 'won', { deliver: false });
    expect(parse(closed)).toMatchObject({ ...dispute, eventId: closed.event.id, outcome: 'DISPUTE_WON' });
    expect(parse(reinstated)).toMatchObject({ ...dispute, eventId: reinstated.event.id, outcome: 'DISPUTE_WON' });
  });

  it('ignores a lost dispute and an inquiry, which move no money', async () => {
    const { providerReference } = await gateway.startPayment(request(nextTopUpId()));
    await standIn.succeed(providerReference, { deliver: false });
    const parse = (signed: { payload: string; signatureHeader: string }) => gateway.parseWebhook(Buffer.from(signed.payload), signed.signatureHeader);
    const created = await standIn.dispute(providerReference, { deliver: false });
    const inquiry = JSON.parse(created.payload);
    inquiry.data.object.status = 'warning_needs_response';
    const inquiryPayload = JSON.stringify(inquiry);
    expect(parse({ payload: inquiryPayload, signatureHeader: standIn.sign(inquiryPayload) })).toBeNull();
    const disputeId = (created.event.data.object as { id: string }).id;
    const closed = await standIn.closeDispute(disputeId, 'lost', { deliver: false });
    expect(closed.map((signed) => signed.event.type)).toEqual(['charge.dispute.closed']);
    expect(parse(closed[0])).toBeNull();
  });

  it('maps cancellation', async () => {
    const { providerReference } = await gateway.startPayment(request(nextTopUpId()));
    await gateway.cancelPayment(providerReference);
    const canceled = standIn.events.at(-1)!;
    expect(canceled.event.type).toBe('payment_intent.canceled');
    expect(gateway.parseWebhook(Buffer.from(canceled.payload), canceled.signatureHeader)).toMatchObject({ outcome: 'CANCELED', providerReference });
  });

  it('ignores event types the top-ups do not use', () => {
    const payload = JSON.stringify({ id: 'evt_other', object: 'event', type: 'customer.created', data: { object: { id: 'cus_1' } } });
    expect(gateway.parseWebhook(Buffer.from(payload), standIn.sign(payload))).toBeNull();
  });

  describe('signature checks', () => {
    let signed: { payload: string; signatureHeader: string };
    beforeAll(async () => {
      const { providerReference } = await gateway.startPayment(request(nextTopUpId()));
      signed = await standIn.succeed(providerReference, { deliver: false });
    });

    it('refuses a missing signature header', () => {
      expect(() => gateway.parseWebhook(Buffer.from(signed.payload), undefined)).toThrow(WebhookSignatureError);
    });

    it('refuses a signature made with another secret', () => {
      const forged = standIn.sign(signed.payload, { secret: 'whsec_someone_else' });
      expect(() => gateway.parseWebhook(Buffer.from(signed.payload), forged)).toThrow(WebhookSignatureError);
    });

    it('refuses a body changed after signing', () => {
      const tampered = signed.payload.replace('"amount": 1000', '"amount": 100000');
      expect(tampered).not.toEqual(signed.payload);
      expect(() => gateway.parseWebhook(Buffer.from(tampered), signed.signatureHeader)).toThrow(WebhookSignatureError);
    });

    it('refuses a correctly signed event whose timestamp is older than the tolerance', () => {
      const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
      const old = standIn.sign(signed.payload, { timestamp: tenMinutesAgo });
      expect(() => gateway.parseWebhook(Buffer.from(signed.payload), old)).toThrow(WebhookSignatureError);
    });

    it('refuses a garbage header', () => {
      expect(() => gateway.parseWebhook(Buffer.from(signed.payload), 'v1=abc')).toThrow(WebhookSignatureError);
    });
  });

  it('delivers signed events to the configured webhook URL, over HTTP, byte for byte', async () => {
    const received: { body: Buffer; signature: string | undefined }[] = [];
    const receiver = http.createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        received.push({ body: Buffer.concat(chunks), signature: incoming.headers['stripe-signature'] as string | undefined });
        response.writeHead(200).end('{"received":true}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    standIn.webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`;
    try {
      const { providerReference } = await gateway.startPayment(request(nextTopUpId()));
      const signed = await standIn.succeed(providerReference);
      expect(signed.delivery).toEqual({ status: 200, body: '{"received":true}' });
      expect(received).toHaveLength(1);
      expect(gateway.parseWebhook(received[0].body, received[0].signature)).toMatchObject({ outcome: 'SUCCEEDED', providerReference });
    } finally {
      standIn.webhookUrl = undefined;
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('serves a card page and its buttons move the intent', async () => {
    const { providerReference, clientSecret } = await gateway.startPayment(request(nextTopUpId()));
    const bySecret = await fetch(`${standIn.url}/_stand-in/checkout?client_secret=${clientSecret}`, { redirect: 'manual' });
    expect(bySecret.headers.get('location')).toBe(standIn.checkoutPageUrl(providerReference));
    const page = await (await fetch(standIn.checkoutPageUrl(providerReference))).text();
    expect(page).toContain('Pay with 3-D Secure');
    const post = (action: string, fields: Record<string, string>) =>
      fetch(`${standIn.url}/_stand-in/payment_intents/${providerReference}/${action}`, {
        method: 'POST',
        body: new URLSearchParams(fields),
        redirect: 'manual',
      });
    expect((await post('requires_action', { page: '1' })).status).toBe(303);
    expect(standIn.getIntent(providerReference)!.status).toBe('requires_action');
    const finished = await post('otp', { page: '1', otp: '123456', return_url: 'http://127.0.0.1:9/console' });
    expect(standIn.getIntent(providerReference)!.status).toBe('succeeded');
    expect(await (await fetch(finished.headers.get('location')!)).text()).toContain('href="http://127.0.0.1:9/console"');
  });
});
