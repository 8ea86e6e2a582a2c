import { In } from 'typeorm';
import type { StripeStandIn } from '../../src/demo/stand-ins';
import { LedgerEntryEntity } from '../../src/ledger/entities/ledger-entry.entity';
import { LedgerTransactionEntity } from '../../src/ledger/entities/ledger-transaction.entity';
import { SYSTEM_ACCOUNT_ID } from '../../src/ledger/ledger.enums';
import { TopUpEntity } from '../../src/payments/top-ups/entities/top-up.entity';
import { startTestServer, TestServer } from '../support/harness';
import { seededRandom } from '../support/seeded-random';
import { balancesOf, createBuyer, createTopUp } from '../support/top-ups';

describe('webhooks in random order, duplicated and concurrent: the ledger stays right', () => {
  let server: TestServer;
  let stripe: StripeStandIn;
  beforeAll(async () => {
    server = await startTestServer();
    stripe = server.standIns.stripe;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('never credits twice, never reverses more than was credited, and the books balance', async () => {
    const seed = Number(process.env.TOP_UP_FUZZ_SEED ?? Date.now() % 100_000);
    const rng = seededRandom(seed);
    const buyer = await createBuyer(server, { region: 'US' });
    const deliveries: { payload: string; signatureHeader: string }[] = [];
    const topUpIds: string[] = [];
    for (let index = 0; index < 8; index++) {
      const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: `${10 + rng.below(90)}.${rng.below(1_000_000)}` });
      topUpIds.push(topUp.id);
      const intentId = topUp.providerReference;
      const roll = rng.below(4);
      if (roll === 0) {
        deliveries.push(await stripe.fail(intentId, { deliver: false }));
        continue;
      }
      if (roll === 1 && rng.below(2) === 0) deliveries.push(await stripe.requireAction(intentId, { deliver: false }));
      const succeeded = await stripe.succeed(intentId, { deliver: false });
      deliveries.push(succeeded);
      const charge = stripe.getIntent(intentId)!.amount;
      let refunded = 0;
      for (let refunds = rng.below(3); refunds > 0 && refunded < charge; refunds--) {
        const part = 1 + rng.below(charge - refunded);
        refunded += part;
        deliveries.push(await stripe.refund(intentId, { amountMinor: part, deliver: false }));
      }
      if (rng.below(4) === 0) deliveries.push(await stripe.dispute(intentId, { deliver: false }));
      // A forged-but-signed failure after success must change nothing.
      if (rng.below(3) === 0) {
        const event = JSON.parse(succeeded.payload);
        Object.assign(event, { id: `evt_late_${index}`, type: 'payment_intent.payment_failed' });
        const payload = JSON.stringify(event);
        deliveries.push({ payload, signatureHeader: stripe.sign(payload) });
      }
    }

    // Each event 1 to 3 times, shuffled, in concurrent waves; a 503 (refund before payment) is redelivered, as Stripe does.
    let queue = rng.shuffle(deliveries.flatMap((delivery) => Array.from({ length: 1 + rng.below(3) }, () => delivery)));
    for (let round = 0; queue.length > 0; round++) {
      expect(round).toBeLessThan(20);
      const retry: typeof queue = [];
      for (let start = 0; start < queue.length; start += 6) {
        const wave = queue.slice(start, start + 6);
        const answers = await Promise.all(wave.map((delivery) => stripe.deliver(delivery)));
        answers.forEach((answer, index) => {
          if (answer.status === 503) retry.push(wave[index]);
          else expect({ seed, status: answer.status }).toEqual({ seed, status: 200 });
        });
      }
      queue = rng.shuffle(retry);
    }

    const topUps = await server.services.runner.read((manager) => manager.findBy(TopUpEntity, { id: In(topUpIds) }));
    let expectedTopUpMicros = 0n;
    for (const topUp of topUps) {
      const credits = await server.services.runner.read((manager) => manager.findBy(LedgerTransactionEntity, { reference: `topup:${topUp.id}` }));
      const credited = credits.filter((transaction) => transaction.type === 'TOP_UP');
      const reversalIds = credits.filter((transaction) => transaction.type === 'TOP_UP_REVERSAL').map((transaction) => transaction.id);
      const reversalEntries = reversalIds.length
        ? await server.services.runner.read((manager) => manager.findBy(LedgerEntryEntity, { transactionId: In(reversalIds), accountId: SYSTEM_ACCOUNT_ID }))
        : [];
      const reversedMicros = reversalEntries.reduce((sum, entry) => sum + entry.amountMicros, 0n);
      // Paid: SUCCEEDED, or PARTIALLY_REFUNDED / REFUNDED once part or all of it was taken back.
      const paid = topUp.status === 'SUCCEEDED' || topUp.status === 'PARTIALLY_REFUNDED' || topUp.status === 'REFUNDED';
      expect({ seed, topUp: topUp.id, credits: credited.length }).toEqual({ seed, topUp: topUp.id, credits: paid ? 1 : 0 });
      expect({ seed, reversedMicros }).toEqual({ seed, reversedMicros: topUp.reversedMicros });
      expect(topUp.reversedMicros <= (paid ? topUp.amountMicros : 0n)).toBe(true);
      expect(topUp.status === 'REFUNDED').toBe(paid && topUp.reversedMicros === topUp.amountMicros);
      expect(topUp.status === 'PARTIALLY_REFUNDED').toBe(paid && topUp.reversedMicros > 0n && topUp.reversedMicros < topUp.amountMicros);
      if (paid) expectedTopUpMicros += topUp.amountMicros - topUp.reversedMicros;
    }
    const balances = await balancesOf(server, buyer);
    expect({ seed, topUpBalance: balances.topUpBalance }).toEqual({ seed, topUpBalance: formatMicrosForTest(expectedTopUpMicros) });
    expect(await server.audit()).toEqual([]);
  });
});

function formatMicrosForTest(micros: bigint): string {
  return `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
}
