import { DataSource } from 'typeorm';
import { sqliteDriver } from '../../src/database/sqlite-driver';
import type { StripeStandIn } from '../../src/demo/stand-ins';
import { createTestDatabase, startTestServer, TEST_DATABASE, type TestDatabaseHandle, type TestServer } from '../support/harness';
import { migratedBackBefore } from '../support/migrations';
import { refundTopUp } from '../support/refunds';
import { oneTo, RECEIPT_DOCUMENTS, receiptOf, sequencesOf } from '../support/receipts';
import { type Buyer, countRows, createBuyer, createTopUp, readTopUp } from '../support/top-ups';

/**
 * Takes the database back to before debit notes existed, keeping everything else the app wrote: on
 * MariaDB the DebitNotes migration undone (its table and its series' counters), then applied again as
 * `npm run migrate` applies a pending migration; on the embedded SQLite file the table dropped, which
 * the next start creates empty, and the series' counters deleted.
 */
async function withoutDebitNotes(database: TestDatabaseHandle): Promise<void> {
  if (TEST_DATABASE === 'mariadb') {
    const { upgrade } = await migratedBackBefore(database, 'DebitNotes');
    expect(await upgrade()).toEqual(['DebitNotes1797000000000']);
    return;
  }
  const file = new DataSource({ type: 'better-sqlite3', driver: sqliteDriver(), database: database.env.SQLITE_PATH });
  await file.initialize();
  try {
    await file.query('DROP TABLE debit_note');
    await file.query("DELETE FROM document_counter WHERE kind = 'DEBIT_NOTE'");
  } finally {
    await file.destroy();
  }
}

/**
 * Credits given back before debit notes existed (a dispute won, a confirmed refund the provider then
 * refused) left their credit notes standing; each gets its debit note at the next start, once.
 * Runs on SQLite and MariaDB.
 */
describe('late debit notes of credits given back before debit notes existed', () => {
  let database: TestDatabaseHandle;
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0).reverse()) await server.stop();
    await database?.drop();
  });

  const documentsOf = async (server: TestServer, buyer: Buyer, topUpId: string) =>
    (await server.ok(RECEIPT_DOCUMENTS, { id: (await receiptOf(server, buyer, topUpId)).id }, buyer.token)).receipt;

  async function paid(server: TestServer, buyer: Buyer, amount: string) {
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount });
    expect((await server.standIns.stripe.succeed(topUp.providerReference)).delivery?.status).toBe(200);
    return topUp;
  }

  /** A card purchase disputed and then won at the stand-in. */
  async function disputedAndWon(server: TestServer, buyer: Buyer, amount: string) {
    const stripe: StripeStandIn = server.standIns.stripe;
    const topUp = await paid(server, buyer, amount);
    const created = await stripe.dispute(topUp.providerReference);
    expect(created.delivery?.status).toBe(200);
    await stripe.closeDispute((created.event.data.object as { id: string }).id, 'won');
    return topUp;
  }

  it('cancels every credit note whose credits came back, at start-up; the purchase can then be refunded in full; a restart issues none', async () => {
    database = await createTestDatabase();
    // The first process stays up: its Stripe stand-in holds the charges (in memory), so the refund at the end goes through it.
    const first = await startTestServer({ database });
    servers.push(first);
    const { stripe } = first.standIns;
    const buyer = await createBuyer(first, { region: 'US' });
    const won = await disputedAndWon(first, buyer, '10');
    const refused = await paid(first, buyer, '30');
    const refund = (await refundTopUp(first, { topUpId: refused.id, amount: '10' })).data.refundTopUp;
    expect((await stripe.settleRefund(refund.providerReference, 'succeeded')).delivery?.status).toBe(200);
    expect((await stripe.settleRefund(refund.providerReference, 'failed', { failureReason: 'expired_or_canceled_card' })).delivery?.status).toBe(200);
    const lost = await paid(first, buyer, '20');
    expect((await stripe.dispute(lost.providerReference)).delivery?.status).toBe(200);
    await first.settle();
    expect(await countRows(first, 'SELECT COUNT(*) AS count FROM debit_note')).toBe(2);

    await withoutDebitNotes(database);
    const [{ lastEvent }] = await first.services.dataSource.query('SELECT MAX(id) AS lastEvent FROM outbox_event');

    const restarted = await startTestServer({ database });
    servers.push(restarted);
    expect(await restarted.services.lateDebitNotes.finished()).toBe(2);
    await restarted.settle();
    expect(await sequencesOf(restarted, 'debit_note', 'DN')).toEqual(oneTo(2));
    const afterWin = await documentsOf(restarted, buyer, won.id);
    expect(afterWin.debitNotes).toEqual([
      expect.objectContaining({ reason: 'DISPUTE_WON', creditNoteId: afterWin.creditNotes[0].id, credits: '10.000000', total: '10.00' }),
    ]);
    expect(afterWin.creditNotes[0].cancelledBy).toEqual(afterWin.debitNotes[0]);
    const afterRefusal = await documentsOf(restarted, buyer, refused.id);
    expect(afterRefusal.debitNotes).toEqual([
      expect.objectContaining({ reason: 'REFUND_FAILED', creditNoteId: afterRefusal.creditNotes[0].id, credits: '10.000000', total: '10.00' }),
    ]);
    // A dispute lost gave nothing back: its credit note stands.
    expect((await documentsOf(restarted, buyer, lost.id)).creditNotes).toEqual([expect.objectContaining({ reason: 'DISPUTE', cancelledBy: null })]);
    expect(await countRows(restarted, `SELECT COUNT(*) AS count FROM outbox_event WHERE topic = 'DEBIT_NOTE_ISSUED' AND id > ?`, [Number(lastEvent)])).toBe(2);

    // The purchase whose dispute was won is refunded in full: its credit note is the second, and the standing notes give back its total once.
    const full = await refundTopUp(first, { topUpId: won.id, amount: '10' });
    expect(full.errors).toEqual([]);
    expect((await stripe.settleRefund(full.data.refundTopUp.providerReference, 'succeeded')).delivery?.status).toBe(200);
    expect(await readTopUp(restarted, buyer, won.id)).toMatchObject({ status: 'REFUNDED' });
    const refunded = await documentsOf(restarted, buyer, won.id);
    expect(refunded.creditNotes.map((note: { reason: string; total: string }) => [note.reason, note.total])).toEqual([
      ['DISPUTE', '10.00'],
      ['REFUND', '10.00'],
    ]);
    expect(await restarted.audit()).toEqual([]);

    await restarted.stop();
    servers.pop();
    const again = await startTestServer({ database });
    servers.push(again);
    expect(await again.services.lateDebitNotes.finished()).toBe(0);
    expect(await countRows(again, 'SELECT COUNT(*) AS count FROM debit_note')).toBe(2);
  });

  it('issues each debit note once when two processes start on the same database at once', async () => {
    database = await createTestDatabase();
    const before = await startTestServer({ database });
    const buyers = await Promise.all(Array.from({ length: 4 }, () => createBuyer(before, { region: 'US' })));
    for (const buyer of buyers) await disputedAndWon(before, buyer, '10');
    await before.settle();
    await before.stop();
    await withoutDebitNotes(database);

    const [one, two] = await Promise.all([startTestServer({ database }), startTestServer({ database })]);
    servers.push(one, two);
    const issued = await Promise.all([one.services.lateDebitNotes.finished(), two.services.lateDebitNotes.finished()]);
    expect(issued[0] + issued[1]).toBe(4);
    await Promise.all([one.settle(), two.settle()]);
    expect(await sequencesOf(one, 'debit_note', 'DN')).toEqual(oneTo(4));
    expect(await countRows(one, 'SELECT COUNT(DISTINCT creditNoteId) AS count FROM debit_note')).toBe(4);
    expect(await one.audit()).toEqual([]);
  });
});
