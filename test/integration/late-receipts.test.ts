import { DataSource } from 'typeorm';
import { sqliteDriver } from '../../src/database/sqlite-driver';
import type { StripeStandIn, VnpayStandIn } from '../../src/demo/stand-ins';
import { calendarYear } from '../../src/payments/receipts/document-number';
import { UPDATE_BILLING, VALID_BILLING } from '../support/fixtures';
import { createTestDatabase, startTestServer, TEST_DATABASE, type TestDatabaseHandle, type TestServer } from '../support/harness';
import { migratedBackBefore } from '../support/migrations';
import { pdfText } from '../support/pdf-text';
import { fetchPdf, oneTo, RECEIPT_DOCUMENTS, receiptOf, sequencesOf } from '../support/receipts';
import { type Buyer, countRows, createBuyer, createTopUp, readTopUp } from '../support/top-ups';

/** The tables of the documents, which a database written before receipts existed does not have. */
const DOCUMENT_TABLES = ['debit_note', 'credit_note', 'receipt', 'document_counter'];

/**
 * Takes the database back to before receipts existed, keeping everything else the app wrote: on
 * MariaDB the Receipts migration (and DebitNotes, which extends its table) undone, then applied again
 * as `npm run migrate` applies a pending migration; on the embedded SQLite file the tables dropped,
 * which the next start creates empty from the entities, as it does for a file of an earlier release.
 */
async function withoutReceipts(database: TestDatabaseHandle): Promise<void> {
  if (TEST_DATABASE === 'mariadb') {
    const { upgrade } = await migratedBackBefore(database, 'Receipts', 'DebitNotes');
    expect(await upgrade()).toEqual(['Receipts1796810000000', 'DebitNotes1797000000000']);
    return;
  }
  const file = new DataSource({ type: 'better-sqlite3', driver: sqliteDriver(), database: database.env.SQLITE_PATH });
  await file.initialize();
  try {
    for (const table of DOCUMENT_TABLES) await file.query(`DROP TABLE ${table}`);
  } finally {
    await file.destroy();
  }
}

/**
 * Purchases paid before receipts existed get theirs at the next start, issued late (now, in this
 * year's series, with the billing information and seller of now) and dated paid when they were paid,
 * numbered through the numbering worker. Runs on SQLite and MariaDB.
 */
describe('late receipts of purchases paid before receipts existed', () => {
  let database: TestDatabaseHandle;
  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('issues, numbers and announces one receipt per paid purchase at start-up, with the billing information and seller as they are now; later reversals name it; a restart issues none again', async () => {
    database = await createTestDatabase();
    const before = await startTestServer({ database });
    const { stripe, vnpay } = before.standIns as { stripe: StripeStandIn; vnpay: VnpayStandIn };
    const vietnamese = await createBuyer(before);
    const american = await createBuyer(before, { region: 'US' });
    const byVnpay = await createTopUp(before, vietnamese, { method: 'VNPAY', amount: '10' });
    vnpay.openPaymentUrl(byVnpay.payment.redirectUrl);
    expect((await vnpay.callIpn(vnpay.resultQuery(byVnpay.id, 'success'))).answer).toMatchObject({ RspCode: '00' });
    const byCard = await createTopUp(before, american, { method: 'STRIPE', amount: '20' });
    await stripe.succeed(byCard.providerReference);
    const refundedInPart = await createTopUp(before, american, { method: 'STRIPE', amount: '15' });
    await stripe.succeed(refundedInPart.providerReference);
    expect((await stripe.refund(refundedInPart.providerReference, { amountMinor: 500 })).delivery?.status).toBe(200);
    const unpaid = await createTopUp(before, american, { method: 'STRIPE', amount: '12' });
    const paid: [Buyer, string][] = [
      [vietnamese, byVnpay.id],
      [american, byCard.id],
      [american, refundedInPart.id],
    ];
    const paidAt = new Map<string, string>();
    for (const [buyer, topUpId] of paid) paidAt.set(topUpId, (await readTopUp(before, buyer, topUpId)).completedAt);
    // The buyer moved after paying: the late receipt is made out as the billing information is now.
    const moved = { ...VALID_BILLING, legalName: 'Trần Văn Bình', addressLine1: '5 Phố Huế', country: 'US' };
    await before.ok(UPDATE_BILLING, { accountId: american.accountId, input: moved }, american.token);
    await before.settle();
    const [{ lastEvent }] = await before.services.dataSource.query('SELECT MAX(id) AS lastEvent FROM outbox_event');
    await before.stop();
    await withoutReceipts(database);

    const restartedAt = Date.now();
    server = await startTestServer({ database, env: { RECEIPT_ISSUER_NAME: 'Mây Xanh Cloud JSC' } });
    expect(await server.services.lateReceipts.finished()).toBe(3);
    await server.settle();
    expect(await sequencesOf(server, 'receipt', 'RC')).toEqual(oneTo(3));
    const year = calendarYear(new Date(), 'Asia/Ho_Chi_Minh');
    for (const [buyer, topUpId] of paid) {
      const receipt = await receiptOf(server, buyer, topUpId);
      const documents = (await server.ok(RECEIPT_DOCUMENTS, { id: receipt.id }, buyer.token)).receipt;
      expect(receipt).toMatchObject({ number: expect.stringMatching(new RegExp(`^RC-${year}-00000[1-3]$`)), seller: { name: 'Mây Xanh Cloud JSC' } });
      expect(documents.paidAt).toBe(paidAt.get(topUpId));
      expect(new Date(documents.issuedAt).getTime()).toBeGreaterThanOrEqual(restartedAt);
      expect(documents.creditNotes).toEqual([]);
    }
    expect(await receiptOf(server, american, byCard.id)).toMatchObject({
      billing: { legalName: 'Trần Văn Bình', addressLine1: '5 Phố Huế', country: 'US' },
      line: { credits: '20.000000', currency: 'USD', total: '20.00' },
      method: 'STRIPE',
      providerReference: byCard.providerReference,
    });
    expect(await receiptOf(server, vietnamese, byVnpay.id)).toMatchObject({
      line: { currency: 'VND', total: '260000' },
      billing: { legalName: VALID_BILLING.legalName },
    });
    expect(await receiptOf(server, american, unpaid.id)).toBeNull();
    expect(await countRows(server, `SELECT COUNT(*) AS count FROM outbox_event WHERE topic = 'RECEIPT_ISSUED' AND id > ?`, [Number(lastEvent)])).toBe(3);

    // The PDF says when it was paid, beside when it was issued.
    const late = await receiptOf(server, american, byCard.id);
    const printedPaidOn = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'long' }).format(new Date(paidAt.get(byCard.id)!));
    const text = await pdfText((await fetchPdf(server, late.pdfPath, american.token)).body);
    expect(text).toContain(`Paid on: ${printedPaidOn}`);
    expect(text).toContain('Trần Văn Bình');

    // A refund made at the provider after the late receipt (10.00 refunded in all, 5.00 of it before): its credit note names it.
    // The stand-ins are the new server's: the charge the first server's made is refunded by a signed event of the same shape.
    const refunded = JSON.stringify({
      id: 'evt_refund_after_late_receipt',
      object: 'event',
      type: 'charge.refunded',
      data: {
        object: {
          id: 'ch_paid_before_receipts',
          object: 'charge',
          amount: 1500,
          amount_captured: 1500,
          amount_refunded: 1000,
          captured: true,
          currency: 'usd',
          metadata: { topUpId: refundedInPart.id },
          paid: true,
          payment_intent: refundedInPart.providerReference,
          refunded: false,
          status: 'succeeded',
        },
      },
    });
    const { stripe: stripeNow } = server.standIns;
    expect((await stripeNow.deliver({ payload: refunded, signatureHeader: stripeNow.sign(refunded) })).status).toBe(200);
    const receiptOfRefunded = await receiptOf(server, american, refundedInPart.id);
    expect(receiptOfRefunded.creditNotes).toEqual([
      expect.objectContaining({ reason: 'PROVIDER_REFUND', credits: '5.000000', total: '5.00', receiptId: receiptOfRefunded.id }),
    ]);
    expect(await server.audit()).toEqual([]);
    await server.stop();

    server = await startTestServer({ database });
    expect(await server.services.lateReceipts.finished()).toBe(0);
    expect(await countRows(server, 'SELECT COUNT(*) AS count FROM receipt')).toBe(3);
  });

  it('issues each receipt once when two processes start on the same database at once', async () => {
    database = await createTestDatabase();
    const before = await startTestServer({ database });
    const buyers = await Promise.all(Array.from({ length: 6 }, () => createBuyer(before, { region: 'US' })));
    for (const buyer of buyers) {
      const topUp = await createTopUp(before, buyer, { method: 'STRIPE', amount: '10' });
      await before.standIns.stripe.succeed(topUp.providerReference);
    }
    await before.stop();
    await withoutReceipts(database);

    const [first, second] = await Promise.all([startTestServer({ database }), startTestServer({ database })]);
    server = first;
    try {
      const issued = await Promise.all([first.services.lateReceipts.finished(), second.services.lateReceipts.finished()]);
      expect(issued[0] + issued[1]).toBe(6);
      await Promise.all([first.settle(), second.settle()]);
      expect(await sequencesOf(first, 'receipt', 'RC')).toEqual(oneTo(6));
      expect(await countRows(first, 'SELECT COUNT(DISTINCT topUpId) AS count FROM receipt')).toBe(6);
    } finally {
      await second.stop();
    }
  });
});
