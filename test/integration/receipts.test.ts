import { Role } from '../../src/auth/principal';
import { calendarYear } from '../../src/payments/receipts/document-number';
import { createReceiptNumbering } from '../../src/payments/receipts/receipt-numbering';
import { TopUpEntity } from '../../src/payments/top-ups/entities/top-up.entity';
import type { PayPalStandIn, StripeStandIn } from '../../src/demo/stand-ins';
import { UPDATE_BILLING, VALID_BILLING } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { oneTo, RECEIPT, RECEIPTS, receiptOf, sequencesOf } from '../support/receipts';
import { type Buyer, countRows, createBuyer, createTopUp, ledgerTopUpCredits, waitForStatus } from '../support/top-ups';
import { autoTopUps, saveCard, SET_AUTO_RECHARGE } from '../support/auto-recharge';
import { credits, fundTopUp, RECORD_USAGE, usageEvent } from '../support/partners';
import { eventually, WebhookReceiver } from '../support/webhook-receiver';

/** Receipts and credit notes: issued by the payment paths, numbered gaplessly, read through GraphQL. Runs on SQLite and MariaDB. */
describe('receipts and credit notes', () => {
  let server: TestServer;
  let stripe: StripeStandIn;
  let paypal: PayPalStandIn;
  const receivers: WebhookReceiver[] = [];
  beforeAll(async () => {
    server = await startTestServer({ env: { WEBHOOK_POLL_INTERVAL_MS: '100' } });
    ({ stripe, paypal } = server.standIns);
  });
  afterAll(async () => {
    await server.stop();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });
  afterEach(async () => {
    // Every receipt and credit note of the file so far is numbered, and each series is gapless from 1.
    await server.settle();
    for (const [table, series] of [
      ['receipt', 'RC'],
      ['credit_note', 'CN'],
    ] as const) {
      const sequences = await sequencesOf(server, table, series);
      expect(sequences).toEqual(oneTo(sequences.length));
      expect(await countRows(server, `SELECT COUNT(*) AS count FROM ${table}`)).toBe(sequences.length);
    }
    expect(await server.audit()).toEqual([]);
  });

  async function paidWithStripe(buyer: Buyer, amount = '10') {
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount });
    expect((await stripe.succeed(topUp.providerReference)).delivery?.status).toBe(200);
    return topUp;
  }

  it('issues a numbered receipt for a Stripe purchase with the billing information, line and method as they were; a later billing change alters nothing', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '25.5' });
    expect(await receiptOf(server, buyer, topUp.id)).toBeNull();
    expect((await stripe.succeed(topUp.providerReference)).delivery?.status).toBe(200);

    const receipt = await receiptOf(server, buyer, topUp.id);
    const year = calendarYear(new Date(receipt.issuedAt), 'Asia/Ho_Chi_Minh');
    expect(receipt).toEqual({
      id: expect.any(String),
      number: expect.stringMatching(new RegExp(`^RC-${year}-\\d{6}$`)),
      accountId: buyer.accountId,
      topUpId: topUp.id,
      issuedAt: expect.any(String),
      method: 'STRIPE',
      origin: 'MANUAL',
      providerReference: topUp.providerReference,
      pdfPath: `/receipts/${receipt.id}.pdf`,
      billing: { ...VALID_BILLING, addressLine2: null, postalCode: null },
      line: { credits: '25.500000', unitPrice: '1.00', currency: 'USD', subtotal: '25.50', taxRate: '0', tax: '0.00', total: '25.50', totalMinor: '2550' },
      seller: { name: 'Credits Platform', address: null, taxCode: null },
      creditNotes: [],
    });

    const renamed = { ...VALID_BILLING, legalName: 'Renamed Holdings', taxCode: '0399999999', country: 'US', invoiceEmail: 'new@test.example' };
    await server.ok(UPDATE_BILLING, { accountId: buyer.accountId, input: renamed }, buyer.token);
    expect((await server.ok(RECEIPT, { id: receipt.id }, buyer.token)).receipt).toEqual(receipt);
    const viewer = await server.userToken(buyer.accountId, Role.VIEWER);
    const { receipts } = await server.ok(RECEIPTS, { accountId: buyer.accountId }, viewer);
    expect(receipts.edges.map((edge: { node: unknown }) => edge.node)).toEqual([receipt]);
    expect(receipts.pageInfo.hasNextPage).toBe(false);
  });

  it('issues exactly one receipt when 20 copies of the payment webhook arrive at once, and none more for later copies', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '12' });
    const succeeded = await stripe.succeed(topUp.providerReference, { deliver: false });
    const storm = await Promise.all(Array.from({ length: 20 }, () => stripe.deliver(succeeded)));
    expect(storm.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    for (let copy = 0; copy < 3; copy++) expect((await stripe.deliver(succeeded)).status).toBe(200);

    expect(await ledgerTopUpCredits(server, topUp.id)).toBe(1);
    expect(await countRows(server, 'SELECT COUNT(*) AS count FROM receipt WHERE topUpId = ?', [topUp.id])).toBe(1);
    const receipt = await receiptOf(server, buyer, topUp.id);
    expect(receipt.number).toMatch(/^RC-\d{4}-\d{6}$/);
    await server.settle();
    expect(
      await countRows(server, `SELECT COUNT(*) AS count FROM outbox_event WHERE topic = 'RECEIPT_ISSUED' AND payload LIKE ?`, [`%"${receipt.number}"%`]),
    ).toBe(1);
  });

  it('numbers the receipts of purchases paid at the same time without a gap, while a second numbering worker (another process) competes', async () => {
    const { runner, outbox, logger } = server.services;
    const rival = createReceiptNumbering({ runner, outbox, logger, pollIntervalMs: 60_000 });
    const buyers = await Promise.all(Array.from({ length: 8 }, () => createBuyer(server, { region: 'US' })));
    const topUps = await Promise.all(buyers.map((buyer) => createTopUp(server, buyer, { method: 'STRIPE', amount: '10' })));
    const events = await Promise.all(topUps.map((topUp) => stripe.succeed(topUp.providerReference, { deliver: false })));
    rival.start();
    try {
      // Each payment's webhook twice, all at once; both workers are woken by the commits.
      const answers = await Promise.all(events.flatMap((event) => [stripe.deliver(event), stripe.deliver(event)]));
      expect(answers.map((answer) => answer.status)).toEqual(Array(16).fill(200));
      await Promise.all([rival.drain(), server.services.receiptNumbering.drain()]);
    } finally {
      await rival.stop();
    }
    const numbers = await Promise.all(topUps.map(async (topUp, index) => (await receiptOf(server, buyers[index], topUp.id)).number));
    expect(new Set(numbers).size).toBe(8);
    expect(numbers.every((number) => /^RC-\d{4}-\d{6}$/.test(number))).toBe(true);
    // One RECEIPT_ISSUED per receipt, whichever worker numbered it.
    await server.settle();
    const announced = (await server.services.dataSource.query(`SELECT payload FROM outbox_event WHERE topic = 'RECEIPT_ISSUED'`)) as { payload: string }[];
    const announcedNumbers = announced.map((row) => JSON.parse(row.payload).payload.number);
    expect(numbers.filter((number) => announcedNumbers.includes(number))).toHaveLength(8);
    expect(new Set(announcedNumbers).size).toBe(announcedNumbers.length);
  });

  it('leaves no gap when a transaction that issued a receipt rolls back', async () => {
    const numberedBefore = (await sequencesOf(server, 'receipt', 'RC')).length;
    const buyer = await createBuyer(server, { region: 'US' });
    const pending = await createTopUp(server, buyer, { method: 'STRIPE', amount: '10' });
    await expect(
      server.services.runner.transaction(async (manager) => {
        const topUp = await manager.findOneByOrFail(TopUpEntity, { id: pending.id });
        await server.services.receipts.issueForPurchase(manager, { ...topUp, completedAt: new Date() });
        throw new Error('the crediting transaction failed after writing the receipt');
      }),
    ).rejects.toThrow('the crediting transaction failed');
    await server.services.receiptNumbering.drain();
    expect(await countRows(server, 'SELECT COUNT(*) AS count FROM receipt WHERE topUpId = ?', [pending.id])).toBe(0);

    const paid = await paidWithStripe(buyer);
    const receipt = await receiptOf(server, buyer, paid.id);
    expect(Number(receipt.number.split('-')[2])).toBe(numberedBefore + 1);
  });

  it('numbers a receipt whose process stopped before numbering it (as after a crash) once a numbering worker runs again', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const numbering = server.services.receiptNumbering;
    await numbering.stop();
    let topUp;
    try {
      topUp = await paidWithStripe(buyer, '11');
      // Issued with the payment, not yet numbered: a read answers it without a number rather than waiting for nothing.
      expect(await countRows(server, 'SELECT COUNT(*) AS count FROM receipt WHERE topUpId = ? AND sequence IS NULL', [topUp.id])).toBe(1);
      expect(await receiptOf(server, buyer, topUp.id)).toMatchObject({ number: null, line: { total: '11.00' } });
    } finally {
      numbering.start();
    }
    await numbering.drain();
    expect((await receiptOf(server, buyer, topUp.id)).number).toMatch(/^RC-\d{4}-\d{6}$/);
  });

  it('issues a receipt for a PayPal capture, with the order as its reference', async () => {
    const buyer = await createBuyer(server);
    const topUp = await createTopUp(server, buyer, { method: 'PAYPAL', amount: '15' });
    expect((await paypal.approve(topUp.providerReference)).delivery?.status).toBe(200);
    await paypal.settled();
    await waitForStatus(server, buyer, topUp.id, 'SUCCEEDED');
    expect(await receiptOf(server, buyer, topUp.id)).toMatchObject({
      number: expect.stringMatching(/^RC-/),
      method: 'PAYPAL',
      providerReference: topUp.providerReference,
      line: { credits: '15.000000', currency: 'USD', total: '15.00', totalMinor: '1500' },
    });
  });

  it('issues a receipt for a purchase of the auto-recharge rule, charged off-session with the saved card', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    await fundTopUp(server, buyer.accountId, credits(60));
    const paymentMethodId = await saveCard(server, buyer);
    await server.ok(
      SET_AUTO_RECHARGE,
      { input: { accountId: buyer.accountId, threshold: '50', amount: '20', monthlyCap: '100', paymentMethodId } },
      buyer.token,
    );
    const metering = await server.meteringToken();
    expect((await server.ok(RECORD_USAGE, { events: [usageEvent(buyer.accountId, '15')] }, metering)).recordUsage.appliedCount).toBe(1);
    const [topUp] = await eventually(async () => {
      const list = await autoTopUps(server, buyer);
      // Charged: Stripe's answer (the intent id) is stored on the top-up, whichever of it and the webhook came first.
      return list.length === 1 && list[0].status === 'SUCCEEDED' && list[0].providerReference ? list : undefined;
    }, 'the auto-recharge purchase');
    expect(await receiptOf(server, buyer, topUp.id)).toMatchObject({
      number: expect.stringMatching(/^RC-/),
      method: 'STRIPE',
      origin: 'AUTO_RECHARGE',
      providerReference: topUp.providerReference,
      line: { credits: '20.000000', total: '20.00', currency: 'USD' },
    });
  });

  it('issues a credit note naming the receipt for each refund and dispute, in its own series, once per provider event', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await paidWithStripe(buyer, '50');
    const receipt = await receiptOf(server, buyer, topUp.id);
    const firstRefund = await stripe.refund(topUp.providerReference, { amountMinor: 1000, deliver: false });
    const secondRefund = await stripe.refund(topUp.providerReference, { amountMinor: 1499, deliver: false });
    // Each refund three times at once (Stripe's charge.refunded carries the cumulative 10.00, then 24.99).
    for (const refund of [firstRefund, secondRefund]) {
      expect((await Promise.all([1, 2, 3].map(() => stripe.deliver(refund)))).map((answer) => answer.status)).toEqual([200, 200, 200]);
    }
    const dispute = await stripe.dispute(topUp.providerReference, { deliver: false });
    expect((await Promise.all([stripe.deliver(dispute), stripe.deliver(dispute)])).map((answer) => answer.status)).toEqual([200, 200]);

    const { receipt: after } = await server.ok(RECEIPT, { id: receipt.id }, buyer.token);
    expect({ ...after, creditNotes: [] }).toEqual(receipt);
    const year = calendarYear(new Date(), 'Asia/Ho_Chi_Minh');
    const note = (reason: string, credits: string, total: string) => ({
      id: expect.any(String),
      number: expect.stringMatching(new RegExp(`^CN-${year}-\\d{6}$`)),
      receiptId: receipt.id,
      topUpId: topUp.id,
      reason,
      issuedAt: expect.any(String),
      credits,
      currency: 'USD',
      subtotal: total,
      taxRate: '0',
      tax: '0.00',
      total,
    });
    expect(after.creditNotes).toEqual([
      note('PROVIDER_REFUND', '10.000000', '10.00'),
      note('PROVIDER_REFUND', '14.990000', '14.99'),
      note('DISPUTE', '25.010000', '25.01'),
    ]);
    const numbers = after.creditNotes.map((creditNote: { number: string }) => Number(creditNote.number.split('-')[2]));
    expect(numbers).toEqual([numbers[0], numbers[0] + 1, numbers[0] + 2]);
    expect(await countRows(server, 'SELECT COUNT(*) AS count FROM credit_note WHERE receiptId = ?', [Number(receipt.id)])).toBe(3);
  });

  it("sends RECEIPT_ISSUED to the account's webhook endpoints once the receipt has its number", async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const hook = await WebhookReceiver.start();
    receivers.push(hook);
    await server.ok(
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
      { input: { accountId: buyer.accountId, url: hook.url, events: ['RECEIPT_ISSUED'] } },
      buyer.token,
    );
    const topUp = await paidWithStripe(buyer, '10');
    const receipt = await receiptOf(server, buyer, topUp.id);
    const [delivery] = await hook.waitFor(1);
    expect(JSON.parse(delivery.rawBody)).toMatchObject({
      type: 'RECEIPT_ISSUED',
      accountId: buyer.accountId,
      data: {
        receiptId: receipt.id,
        number: receipt.number,
        topUpId: topUp.id,
        amount: '10.000000',
        currency: 'USD',
        total: '10.00',
        issuedAt: receipt.issuedAt,
        pdfPath: receipt.pdfPath,
      },
    });
  });

  it("pages an account's receipts newest first, filtered by issue time, and refuses another account's", async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUps = [];
    for (const amount of ['10', '11', '12']) topUps.push(await paidWithStripe(buyer, amount));
    const first = (await server.ok(RECEIPTS, { accountId: buyer.accountId, first: 2 }, buyer.token)).receipts;
    expect(first.edges.map((edge: any) => edge.node.topUpId)).toEqual([topUps[2].id, topUps[1].id]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await server.ok(RECEIPTS, { accountId: buyer.accountId, first: 2, after: first.pageInfo.endCursor }, buyer.token)).receipts;
    expect(second.edges.map((edge: any) => edge.node.topUpId)).toEqual([topUps[0].id]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const future = { from: new Date(Date.now() + 3_600_000).toISOString() };
    expect((await server.ok(RECEIPTS, { accountId: buyer.accountId, filter: future }, buyer.token)).receipts.edges).toEqual([]);

    const stranger = await createBuyer(server, { region: 'US' });
    const receiptId = first.edges[0].node.id;
    expect((await server.call(RECEIPT, { id: receiptId }, stranger.token)).errors[0].extensions?.code).toBe('FORBIDDEN');
    expect((await server.call(RECEIPTS, { accountId: buyer.accountId }, stranger.token)).errors[0].extensions?.code).toBe('FORBIDDEN');
    expect((await server.call(RECEIPT, { id: '999999999' }, stranger.token)).errors[0].extensions?.code).toBe('FORBIDDEN');
    expect((await server.call(RECEIPTS, { accountId: buyer.accountId, after: 'bm90LW91cnM' }, buyer.token)).errors[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
