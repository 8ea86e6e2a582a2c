import type { PayPalStandIn, StripeStandIn } from '../../src/demo/stand-ins';
import { calendarYear } from '../../src/payments/receipts/document-number';
import { startTestServer, TestServer } from '../support/harness';
import { refundTopUp } from '../support/refunds';
import { CREDIT_NOTE, DEBIT_NOTE, oneTo, RECEIPT_DOCUMENTS, receiptOf, sequencesOf } from '../support/receipts';
import { balancesOf, type Buyer, countRows, createBuyer, createTopUp, readTopUp, waitForStatus } from '../support/top-ups';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * Debit notes: a credit note cancelled when the money it gave back returns to the seller (a dispute
 * won, a platform refund that failed after its provider confirmed it), exactly once however many
 * copies of the provider's word arrive. Runs on SQLite and MariaDB.
 */
describe('debit notes', () => {
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
    // Every document of the file so far is numbered, and each of the three series is gapless from 1.
    await server.settle();
    for (const [table, series] of [
      ['receipt', 'RC'],
      ['credit_note', 'CN'],
      ['debit_note', 'DN'],
    ] as const) {
      const sequences = await sequencesOf(server, table, series);
      expect(sequences).toEqual(oneTo(sequences.length));
      expect(await countRows(server, `SELECT COUNT(*) AS count FROM ${table}`)).toBe(sequences.length);
    }
    expect(await server.audit()).toEqual([]);
  });

  const year = () => calendarYear(new Date(), 'Asia/Ho_Chi_Minh');
  const debitNoteRows = (topUpId: string) => countRows(server, 'SELECT COUNT(*) AS count FROM debit_note WHERE topUpId = ?', [topUpId]);
  const documentsOf = async (buyer: Buyer, topUpId: string) => {
    const receipt = await receiptOf(server, buyer, topUpId);
    return (await server.ok(RECEIPT_DOCUMENTS, { id: receipt.id }, buyer.token)).receipt;
  };

  async function paidWithStripe(buyer: Buyer, amount: string) {
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount });
    expect((await stripe.succeed(topUp.providerReference)).delivery?.status).toBe(200);
    return topUp;
  }

  /** A card purchase disputed: the dispute's credit note is issued when its funds are withdrawn. */
  async function disputed(buyer: Buyer, amount: string) {
    const topUp = await paidWithStripe(buyer, amount);
    const created = await stripe.dispute(topUp.providerReference);
    expect(created.delivery?.status).toBe(200);
    return { topUp, disputeId: (created.event.data.object as { id: string }).id };
  }

  it('cancels the credit note of a dispute the seller won with a debit note naming it and its receipt, for exactly its credits and money', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const { topUp, disputeId } = await disputed(buyer, '25.5');
    const lost = await documentsOf(buyer, topUp.id);
    expect(lost.creditNotes).toEqual([expect.objectContaining({ reason: 'DISPUTE', credits: '25.500000', total: '25.50', cancelledBy: null })]);
    expect(lost.debitNotes).toEqual([]);

    await stripe.closeDispute(disputeId, 'won');
    const won = await documentsOf(buyer, topUp.id);
    const [creditNote] = won.creditNotes;
    const debitNote = {
      id: expect.any(String),
      number: expect.stringMatching(new RegExp(`^DN-${year()}-\\d{6}$`)),
      creditNoteId: creditNote.id,
      receiptId: won.id,
      topUpId: topUp.id,
      reason: 'DISPUTE_WON',
      issuedAt: expect.any(String),
      credits: '25.500000',
      currency: 'USD',
      subtotal: '25.50',
      taxRate: '0',
      tax: '0.00',
      total: '25.50',
      pdfPath: expect.stringMatching(/^\/debit-notes\/\d+\.pdf$/),
    };
    expect(won.debitNotes).toEqual([debitNote]);
    expect(creditNote.cancelledBy).toEqual(won.debitNotes[0]);
    expect(creditNote.pdfPath).toBe(`/credit-notes/${creditNote.id}.pdf`);
    expect(won.debitNotes[0].pdfPath).toBe(`/debit-notes/${won.debitNotes[0].id}.pdf`);
    expect((await server.ok(DEBIT_NOTE, { id: won.debitNotes[0].id }, buyer.token)).debitNote).toEqual(won.debitNotes[0]);
    expect((await server.ok(CREDIT_NOTE, { id: creditNote.id }, buyer.token)).creditNote).toMatchObject({
      number: creditNote.number,
      cancelledBy: { id: won.debitNotes[0].id, number: won.debitNotes[0].number },
    });
    expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'SUCCEEDED', reversedAmount: '0.000000' });
  });

  it('issues one debit note when 20 copies of the dispute-won webhook and the reinstatement arrive at once, and none for later copies', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const { topUp, disputeId } = await disputed(buyer, '40');
    const [closed, reinstated] = await stripe.closeDispute(disputeId, 'won', { deliver: false });
    const answers = await Promise.all([...Array.from({ length: 20 }, () => stripe.deliver(closed)), stripe.deliver(reinstated)]);
    expect(answers.map((answer) => answer.status)).toEqual(Array(21).fill(200));
    for (const copy of [closed, reinstated, closed]) expect((await stripe.deliver(copy)).status).toBe(200);

    expect(await debitNoteRows(topUp.id)).toBe(1);
    const { debitNotes } = await documentsOf(buyer, topUp.id);
    expect(debitNotes).toEqual([expect.objectContaining({ reason: 'DISPUTE_WON', credits: '40.000000', total: '40.00' })]);
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '40.000000' });
    await server.settle();
    expect(
      await countRows(server, `SELECT COUNT(*) AS count FROM outbox_event WHERE topic = 'DEBIT_NOTE_ISSUED' AND payload LIKE ?`, [
        `%"${debitNotes[0].number}"%`,
      ]),
    ).toBe(1);
  });

  it('cancels the credit note of a PayPal reversal when the dispute is resolved for the seller, once however often PayPal says so', async () => {
    const buyer = await createBuyer(server);
    const topUp = await createTopUp(server, buyer, { method: 'PAYPAL', amount: '20' });
    await paypal.approve(topUp.providerReference);
    await paypal.settled();
    await waitForStatus(server, buyer, topUp.id, 'SUCCEEDED');
    const opened = await paypal.openDispute(topUp.providerReference);
    expect((await paypal.reverse(topUp.providerReference)).delivery?.status).toBe(200);
    const resolved = await paypal.resolveDispute((opened.event.resource as { dispute_id: string }).dispute_id, 'won', { deliver: false });
    expect((await Promise.all(Array.from({ length: 20 }, () => paypal.deliver(resolved)))).map((answer) => answer.status)).toEqual(Array(20).fill(200));

    const documents = await documentsOf(buyer, topUp.id);
    expect(documents.creditNotes).toEqual([expect.objectContaining({ reason: 'DISPUTE', total: '20.00' })]);
    expect(documents.debitNotes).toEqual([
      expect.objectContaining({ reason: 'DISPUTE_WON', creditNoteId: documents.creditNotes[0].id, credits: '20.000000', total: '20.00' }),
    ]);
    expect(await debitNoteRows(topUp.id)).toBe(1);
  });

  it('cancels the credit note of a platform refund that fails after it succeeded, once however often Stripe says so; one that never succeeded had none to cancel', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await paidWithStripe(buyer, '30');
    const refund = (await refundTopUp(server, { topUpId: topUp.id, amount: '10' })).data.refundTopUp;
    expect((await stripe.settleRefund(refund.providerReference, 'succeeded')).delivery?.status).toBe(200);
    expect((await documentsOf(buyer, topUp.id)).creditNotes).toEqual([expect.objectContaining({ reason: 'REFUND', total: '10.00', cancelledBy: null })]);

    const failed = await stripe.settleRefund(refund.providerReference, 'failed', { deliver: false, failureReason: 'expired_or_canceled_card' });
    expect((await Promise.all(Array.from({ length: 20 }, () => stripe.deliver(failed)))).map((answer) => answer.status)).toEqual(Array(20).fill(200));
    const documents = await documentsOf(buyer, topUp.id);
    expect(documents.debitNotes).toEqual([
      expect.objectContaining({ reason: 'REFUND_FAILED', creditNoteId: documents.creditNotes[0].id, credits: '10.000000', total: '10.00' }),
    ]);
    expect(documents.creditNotes[0].cancelledBy).toEqual(documents.debitNotes[0]);
    expect(await debitNoteRows(topUp.id)).toBe(1);

    // A refund that fails before it succeeded had no credit note: nothing to cancel.
    const refused = await refundTopUp(server, { topUpId: topUp.id, amount: '5' });
    const pending = refused.data.refundTopUp;
    expect(pending.status).toBe('PENDING');
    expect((await stripe.settleRefund(pending.providerReference, 'failed', { failureReason: 'lost_or_stolen_card' })).delivery?.status).toBe(200);
    expect(await debitNoteRows(topUp.id)).toBe(1);
    expect((await documentsOf(buyer, topUp.id)).creditNotes).toHaveLength(1);
  });

  it('counts a cancelled credit note as not given back: later credit notes give back the rest of the money, adding up to the total once', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const { topUp, disputeId } = await disputed(buyer, '10');
    await stripe.closeDispute(disputeId, 'won');
    // All 10 credits are the buyer's again: refunds of 3.33 and then the other 6.67, each confirmed.
    for (const amount of ['3.33', '6.67']) {
      const refund = (await refundTopUp(server, { topUpId: topUp.id, amount })).data.refundTopUp;
      expect((await stripe.settleRefund(refund.providerReference, 'succeeded')).delivery?.status).toBe(200);
    }
    const { creditNotes, debitNotes } = await documentsOf(buyer, topUp.id);
    expect(creditNotes.map((note: { reason: string; total: string }) => [note.reason, note.total])).toEqual([
      ['DISPUTE', '10.00'],
      ['REFUND', '3.33'],
      ['REFUND', '6.67'],
    ]);
    expect(debitNotes.map((note: { total: string }) => note.total)).toEqual(['10.00']);
    expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'REFUNDED' });
  });

  it("sends CREDIT_NOTE_ISSUED and DEBIT_NOTE_ISSUED to the account's webhook endpoints once each note has its number", async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const hook = await WebhookReceiver.start();
    receivers.push(hook);
    await server.ok(
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
      { input: { accountId: buyer.accountId, url: hook.url, events: ['CREDIT_NOTE_ISSUED', 'DEBIT_NOTE_ISSUED'] } },
      buyer.token,
    );
    const { topUp, disputeId } = await disputed(buyer, '12');
    await stripe.closeDispute(disputeId, 'won');
    const { id: receiptId, creditNotes, debitNotes } = await documentsOf(buyer, topUp.id);
    const deliveries = (await hook.waitFor(2)).map((delivery) => JSON.parse(delivery.rawBody));
    const common = { receiptId, topUpId: topUp.id, amount: '12.000000', currency: 'USD', total: '12.00' };
    expect(deliveries.find((delivery) => delivery.type === 'CREDIT_NOTE_ISSUED')).toMatchObject({
      accountId: buyer.accountId,
      data: { ...common, creditNoteId: creditNotes[0].id, number: creditNotes[0].number, reason: 'DISPUTE', pdfPath: creditNotes[0].pdfPath },
    });
    expect(deliveries.find((delivery) => delivery.type === 'DEBIT_NOTE_ISSUED')).toMatchObject({
      accountId: buyer.accountId,
      data: {
        ...common,
        debitNoteId: debitNotes[0].id,
        creditNoteId: creditNotes[0].id,
        number: debitNotes[0].number,
        reason: 'DISPUTE_WON',
        issuedAt: debitNotes[0].issuedAt,
        pdfPath: debitNotes[0].pdfPath,
      },
    });
  });

  it("refuses another account's credit and debit notes, and ids that are nobody's, alike", async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const { topUp, disputeId } = await disputed(buyer, '10');
    await stripe.closeDispute(disputeId, 'won');
    const { creditNotes, debitNotes } = await documentsOf(buyer, topUp.id);
    const stranger = await createBuyer(server, { region: 'US' });
    for (const [query, id] of [
      [CREDIT_NOTE, creditNotes[0].id],
      [DEBIT_NOTE, debitNotes[0].id],
      [CREDIT_NOTE, '999999999'],
      [DEBIT_NOTE, 'not-an-id'],
    ]) {
      expect((await server.call(query, { id }, stranger.token)).errors[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});
