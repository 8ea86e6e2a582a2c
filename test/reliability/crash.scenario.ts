import type { DataSource } from 'typeorm';
import { auditLedger } from '../../src/ledger/ledger-audit';
import type { ScenarioOptions, ScenarioResult } from './scenario';
import { buildServer } from './support/build';
import { Answer, graphql, postStripeWebhook, signedStripeDispute, signedStripeSuccess, sleep, tokens } from './support/client';
import { createScenarioDatabase } from './support/database';
import { ReplayingClient } from './support/replaying-client';
import { ServerProcess, UNTHROTTLED } from './support/server-process';
import { ADJUST_BALANCE } from '../support/corrections';
import { REFUND_TOP_UP, TOP_UP_REFUNDS } from '../support/refunds';
import { payAtStandIn, settleAtStandIn, standInOf, stripeEventsOf } from './support/stripe-stand-in';
import {
  CorrectionsModel,
  CorrectionsWorld,
  expiryRound,
  limitRound,
  newCorrectionsModel,
  openCreditLimit,
  transfersOnTheLimit,
  verifyCorrections,
  voidRound,
} from './support/crash-corrections';
import { BALANCES, buyCredits, CREATE_TOP_UP, createParty, GRANT, micros, Party, RECORD_USAGE, RETURN_URL, TRANSFER, uniqueKey } from './support/world';

/**
 * Bank invariant + crash: 64 clients of mixed money traffic (the platform admin's corrections among
 * it: support/crash-corrections.ts) while the server is SIGKILLed at
 * random moments and restarted on the same database; every unacknowledged request is replayed
 * with its key. Afterwards every acknowledged operation exists exactly once, the ledger audits
 * clean, balances equal a model built from the acknowledgements, and the outbox is drained.
 */
const CLIENTS = 64;
/** Client i does KINDS[i % KINDS.length]; the correction kinds each own their customer or partner. */
const KINDS = ['transfer', 'transfer', 'transfer', 'usage', 'usage', 'topUp', 'grant', 'read', 'refund', 'void', 'expiry', 'limitTransfer', 'limit'] as const;
/** The clients of one kind: its slot is the client's place among them (a limit client and a limitTransfer client share their slot's partner). */
const clientsOf = (kind: (typeof KINDS)[number]) =>
  Array.from({ length: CLIENTS }, (_, index) => index).filter((index) => KINDS[index % KINDS.length] === kind);
const slotOf = (index: number) => Math.floor(index / KINDS.length);

interface World extends CorrectionsWorld {
  partners: { partner: Party; customers: Party[] }[];
  buyers: Party[];
  customers: Party[];
}

/** What the clients were told, from which the database must be explainable. */
interface Model {
  expectedTotalMicros: Map<string, bigint>;
  transfers: Set<string>;
  usageEvents: Set<string>;
  grants: Set<string>;
  /** The platform admin's adjustments, by ledger key. */
  adjustments: Set<string>;
  topUps: Set<string>;
  /** Stripe disputes whose withdrawal and win were both acknowledged (each takes the credits and gives them back). */
  disputesWon: Set<string>;
  /** The platform's refunds (refundTopUp) acknowledged, by refund id, with the status they ended in. */
  refunds: Map<string, { topUpId: string; providerReference: string; status: string }>;
  /** The stand-in each refunded card top-up was paid at, to count its refunds there. */
  refundedAt: Map<string, { providerReference: string; standIn: string }>;
  /** The platform admin's voids, expiry moves and credit limits. */
  corrections: CorrectionsModel;
  acknowledged: number;
}

export async function run(options: ScenarioOptions): Promise<ScenarioResult> {
  const failures: string[] = [];
  const build = buildServer();
  const database = await createScenarioDatabase();
  const server = await ServerProcess.start(build.mainFile, { ...database.env, ...UNTHROTTLED, OUTBOX_POLL_INTERVAL_MS: '200' });
  const model: Model = {
    expectedTotalMicros: new Map(),
    transfers: new Set(),
    usageEvents: new Set(),
    grants: new Set(),
    adjustments: new Set(),
    topUps: new Set(),
    disputesWon: new Set(),
    refunds: new Map(),
    refundedAt: new Map(),
    corrections: newCorrectionsModel(),
    acknowledged: 0,
  };
  const credit = (accountId: string, amount: bigint) => model.expectedTotalMicros.set(accountId, (model.expectedTotalMicros.get(accountId) ?? 0n) + amount);
  const kills = options.quick ? 1 : 12;
  const clients = Array.from({ length: CLIENTS }, () => new ReplayingClient());
  try {
    const world = await setUp(server, options, model, credit);
    let issuing = true;
    const traffic = clients.map((client, index) => clientLoop(world, client, index, () => issuing, model, credit));
    const killTimes: number[] = [];
    const started = Date.now();
    for (let kill = 0; kill < kills; kill += 1) {
      await sleep(700 + Math.random() * (options.quick ? 1200 : 2500));
      killTimes.push(Date.now() - started);
      await server.restart();
    }
    await sleep(options.quick ? 1500 : 3000);
    issuing = false;
    await Promise.all(traffic);

    const dataSource = await database.connect();
    const checks = await verify(dataSource, model);
    failures.push(...checks.failures);
    const corrections = await verifyCorrections(dataSource, model.corrections);
    failures.push(...corrections.failures);
    for (const client of clients) failures.push(...client.statistics.unexpected.slice(0, 5));
    const sent = clients.reduce((sum, client) => sum + client.statistics.sent, 0);
    const replays = clients.reduce((sum, client) => sum + client.statistics.replays, 0);
    return {
      name: 'crash (SIGKILL + restart)',
      figures: {
        database: database.kind,
        clients: CLIENTS,
        kills: server.restarts,
        'operations acknowledged': model.acknowledged,
        'disputes won': model.disputesWon.size,
        refunds: model.refunds.size,
        'refunds refused (credits back)': [...model.refunds.values()].filter((refund) => refund.status === 'FAILED').length,
        ...corrections.figures,
        'requests sent': sent,
        'replayed requests': replays,
        lost: checks.lost,
        doubled: checks.doubled,
        phantom: checks.phantom,
        'invariant violations': checks.auditProblems,
        'balance mismatches': checks.balanceMismatches,
        'unpublished notifications': checks.unpublished,
        'unexpected answers': clients.reduce((sum, client) => sum + client.statistics.unexpected.length, 0),
        'kill times (s)': killTimes.map((ms) => (ms / 1000).toFixed(1)).join(' '),
      },
      failures,
    };
  } catch (error) {
    failures.push(`crash scenario aborted: ${(error as Error).stack ?? error}\n${server.output.slice(-10).join('\n')}`);
    return { name: 'crash (SIGKILL + restart)', figures: { database: database.kind, kills: server.restarts }, failures };
  } finally {
    await server.stop();
    await database.drop();
    build.remove();
  }
}

async function setUp(server: ServerProcess, options: ScenarioOptions, model: Model, credit: (accountId: string, amount: bigint) => void): Promise<World> {
  const partners: World['partners'] = [];
  for (let index = 0; index < 4; index += 1) {
    const partner = await createParty(server, { kind: 'PARTNER', billing: true });
    const funding = await buyCredits(server, partner, '100000');
    model.topUps.add(funding.id);
    credit(partner.accountId, micros('100000'));
    const customers: Party[] = [];
    for (let customer = 0; customer < (options.quick ? 2 : 4); customer += 1) customers.push(await createParty(server, { partnerId: partner.accountId }));
    partners.push({ partner, customers });
  }
  const buyers: Party[] = [];
  for (let index = 0; index < (options.quick ? 3 : 8); index += 1) buyers.push(await createParty(server, { billing: true }));
  const voidCustomers: Party[] = [];
  for (let slot = 0; slot < clientsOf('void').length; slot += 1) voidCustomers.push(await createParty(server));
  const expiryCustomers: Party[] = [];
  for (let slot = 0; slot < clientsOf('expiry').length; slot += 1) expiryCustomers.push(await createParty(server));
  // A little of its own money, then a first limit: the partner crosses zero and spends down to minus its limit
  // (one whose slot has no limit client, as the 64th client leaves the last, keeps its first limit).
  const limitPartners: World['limitPartners'] = [];
  for (let slot = 0; slot < Math.max(clientsOf('limit').length, clientsOf('limitTransfer').length); slot += 1) {
    const partner = await createParty(server, { kind: 'PARTNER', billing: true });
    const funding = await buyCredits(server, partner, '10');
    model.topUps.add(funding.id);
    credit(partner.accountId, micros('10'));
    await openCreditLimit(server, partner, model.corrections);
    limitPartners.push({
      partner,
      customers: [await createParty(server, { partnerId: partner.accountId }), await createParty(server, { partnerId: partner.accountId })],
    });
  }
  return {
    server,
    partners,
    buyers,
    customers: [...partners.flatMap((entry) => entry.customers), ...buyers],
    voidCustomers,
    expiryCustomers,
    limitPartners,
    adminToken: await tokens.admin(),
    meteringToken: await tokens.metering(),
  };
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
const amountOf = (min: number, max: number) => (min + Math.random() * (max - min)).toFixed(Math.random() < 0.5 ? 0 : 3);

async function clientLoop(
  world: World,
  client: ReplayingClient,
  index: number,
  issuing: () => boolean,
  model: Model,
  credit: (accountId: string, amount: bigint) => void,
): Promise<void> {
  const { server } = world;
  const kind = KINDS[index % KINDS.length];
  const acknowledgements = { transfers: model.transfers, usageEvents: model.usageEvents, grants: model.grants, credit };
  while (issuing()) {
    if (kind === 'transfer') {
      const { partner, customers } = world.partners[index % world.partners.length];
      const customer = pick(customers);
      const amount = amountOf(1, 5);
      const input = { customerAccountId: customer.accountId, amount, idempotencyKey: uniqueKey('crash-transfer'), dryRun: false };
      const { answer } = await client.untilAcknowledged(
        'transferCredits',
        () => graphql(server.graphqlUrl, TRANSFER, { input }, { token: partner.token }),
        (reply) => Boolean(reply.body?.data?.transferCredits) || reply.codes.includes('INSUFFICIENT_CREDITS'),
      );
      if (answer.body?.data?.transferCredits) {
        model.transfers.add(`${partner.accountId}:${input.idempotencyKey}`);
        credit(partner.accountId, -micros(amount));
        credit(customer.accountId, micros(amount));
      }
    } else if (kind === 'usage') {
      const events = Array.from({ length: 1 + Math.floor(Math.random() * 12) }, () => ({
        eventId: uniqueKey('crash-usage'),
        accountId: pick(world.customers).accountId,
        service: 'compute',
        amount: amountOf(0.1, 2),
        occurredAt: new Date().toISOString(),
      }));
      const { answer } = await client.untilAcknowledged(
        'recordUsage',
        () => graphql(server.graphqlUrl, RECORD_USAGE, { events }, { token: world.meteringToken }),
        (reply) => Boolean(reply.body?.data?.recordUsage),
      );
      for (const result of answer.body.data.recordUsage.results as { eventId: string; status: string }[]) {
        if (result.status !== 'APPLIED' && result.status !== 'DUPLICATE') continue;
        const event = events.find((candidate) => candidate.eventId === result.eventId)!;
        model.usageEvents.add(event.eventId);
        credit(event.accountId, -micros(event.amount));
      }
    } else if (kind === 'topUp') {
      const buyer = world.buyers[index % world.buyers.length];
      const input = { amount: amountOf(10, 60), method: 'STRIPE', idempotencyKey: uniqueKey('crash-topup'), returnUrl: RETURN_URL };
      const created = await client.untilAcknowledged(
        'createTopUp',
        () => graphql(server.graphqlUrl, CREATE_TOP_UP, { input }, { token: buyer.token }),
        (reply) => Boolean(reply.body?.data?.createTopUp?.providerReference),
      );
      const topUp = created.answer.body.data.createTopUp;
      const signed = signedStripeSuccess(topUp);
      await client.untilAcknowledged(
        'Stripe webhook',
        () => postStripeWebhook(server.baseUrl, signed),
        (reply) => reply.status === 200,
      );
      model.topUps.add(topUp.id);
      credit(buyer.accountId, micros(topUp.amount));
      // Every other purchase is disputed, then the dispute is won: its credits leave and come back.
      if (model.topUps.size % 2 === 0) {
        const dispute = uniqueKey('dp');
        for (const [type, status] of [
          ['charge.dispute.funds_withdrawn', 'needs_response'],
          ['charge.dispute.closed', 'won'],
        ]) {
          const event = signedStripeDispute(topUp, { id: dispute, type, status });
          await client.untilAcknowledged(
            `Stripe webhook (${type})`,
            () => postStripeWebhook(server.baseUrl, event),
            (reply) => reply.status === 200,
          );
        }
        model.disputesWon.add(dispute);
      }
    } else if (kind === 'grant') {
      const customer = pick(world.customers);
      const input = { accountId: customer.accountId, amount: amountOf(1, 3), reason: 'reliability crash scenario', idempotencyKey: uniqueKey('crash-grant') };
      await client.untilAcknowledged(
        'grantPromotionalCredits',
        () => graphql(server.graphqlUrl, GRANT, { input }, { token: world.adminToken }),
        (reply) => Boolean(reply.body?.data?.grantPromotionalCredits),
      );
      model.grants.add(`grant:${customer.accountId}:${input.idempotencyKey}`);
      credit(customer.accountId, micros(input.amount));
      // The same client corrects a balance after each grant: an adjustment, replayed with its key like any mutation.
      const adjustment = {
        accountId: customer.accountId,
        wallet: 'TOPUP',
        amount: amountOf(0.5, 2),
        reason: 'reliability crash scenario',
        idempotencyKey: uniqueKey('crash-adjust'),
      };
      await client.untilAcknowledged(
        'adjustBalance',
        () => graphql(server.graphqlUrl, ADJUST_BALANCE, { input: adjustment }, { token: world.adminToken }),
        (reply) => Boolean(reply.body?.data?.adjustBalance),
      );
      model.adjustments.add(`adjustment:${customer.accountId}:${adjustment.idempotencyKey}`);
      credit(customer.accountId, micros(adjustment.amount));
    } else if (kind === 'refund') {
      await refundLoop(world, client, index, model, credit);
    } else if (kind === 'void') {
      await voidRound(world, client, slotOf(index), acknowledgements, model.corrections);
    } else if (kind === 'expiry') {
      await expiryRound(world, client, slotOf(index), acknowledgements, model.corrections);
    } else if (kind === 'limit') {
      await limitRound(world, client, slotOf(index), model.corrections);
    } else if (kind === 'limitTransfer') {
      await transfersOnTheLimit(world, client, slotOf(index), acknowledgements, model.corrections);
    } else {
      const reader = pick(world.customers);
      await client.untilAcknowledged(
        'balances',
        () => graphql(server.graphqlUrl, BALANCES, { id: reader.accountId }, { token: reader.token }),
        (reply: Answer) => Boolean(reply.body?.data?.balances),
      );
    }
    model.acknowledged += 1;
  }
}

/**
 * A card purchase paid at the Stripe stand-in (so it holds a charge to refund), then refunded in part
 * or in full by the platform admin with refundTopUp, replayed with its key until acknowledged, and
 * settled at the stand-in (succeeded or refused). The stand-in lives in the server process: a kill
 * takes its charges with it, so a refund asked of the next one is refused (the credits come back),
 * as is one whose payment only a signed event delivered. Each refund's final status is read back
 * (the stand-in that could still change it died with its process, or already delivered its word).
 */
async function refundLoop(
  world: World,
  client: ReplayingClient,
  index: number,
  model: Model,
  credit: (accountId: string, amount: bigint) => void,
): Promise<void> {
  const { server } = world;
  const buyer = world.buyers[index % world.buyers.length];
  const amount = String(10 + Math.floor(Math.random() * 30));
  const input = { amount, method: 'STRIPE', idempotencyKey: uniqueKey('crash-refunded-topup'), returnUrl: RETURN_URL };
  const created = await client.untilAcknowledged(
    'createTopUp',
    () => graphql(server.graphqlUrl, CREATE_TOP_UP, { input }, { token: buyer.token }),
    (reply) => Boolean(reply.body?.data?.createTopUp?.providerReference),
  );
  const topUp = created.answer.body.data.createTopUp;
  const standIn = standInOf(topUp);
  // Paid at the stand-in when it is still up; the signed event makes sure the payment is applied either way (once: its ledger key).
  await payAtStandIn(standIn, topUp);
  await client.untilAcknowledged(
    'Stripe webhook',
    () => postStripeWebhook(server.baseUrl, signedStripeSuccess(topUp)),
    (reply) => reply.status === 200,
  );
  model.topUps.add(topUp.id);
  credit(buyer.accountId, micros(topUp.amount));

  const refundInput = {
    topUpId: topUp.id,
    amount: String(1 + Math.floor(Math.random() * Number(amount))),
    reason: 'reliability crash scenario',
    idempotencyKey: uniqueKey('crash-refund'),
  };
  const asked = await client.untilAcknowledged(
    'refundTopUp',
    () => graphql(server.graphqlUrl, REFUND_TOP_UP, { input: refundInput }, { token: world.adminToken }),
    // Usage may have spent the credits: a refund is never more than the top-up balance.
    (reply) => Boolean(reply.body?.data?.refundTopUp) || reply.codes.includes('INSUFFICIENT_CREDITS'),
  );
  const refund = asked.answer.body?.data?.refundTopUp;
  if (!refund) return;
  model.refundedAt.set(topUp.id, { providerReference: topUp.providerReference, standIn });
  if (refund.providerReference && refund.status === 'PENDING')
    await settleAtStandIn(standIn, refund.providerReference, Math.random() < 0.7 ? 'succeeded' : 'failed');
  const read = await client.untilAcknowledged(
    'topUp refunds',
    () => graphql(server.graphqlUrl, TOP_UP_REFUNDS, { id: topUp.id }, { token: world.adminToken }),
    (reply) => Boolean(reply.body?.data?.topUp),
  );
  const final = (read.answer.body.data.topUp.refunds as { id: string; status: string; providerReference: string | null }[]).find(
    (candidate) => candidate.id === refund.id,
  );
  if (!final) throw new Error(`refund ${refund.id} of ${topUp.id} was acknowledged but is not listed`);
  model.refunds.set(refund.id, { topUpId: topUp.id, providerReference: final.providerReference ?? '', status: final.status });
  if (final.status !== 'FAILED') credit(buyer.accountId, -micros(refundInput.amount));
}

interface Verification {
  failures: string[];
  lost: number;
  doubled: number;
  phantom: number;
  auditProblems: number;
  balanceMismatches: number;
  unpublished: number;
}

/** Compares the database with what the clients were told. */
async function verify(dataSource: DataSource, model: Model): Promise<Verification> {
  const failures: string[] = [];
  const rows = async (sql: string) => (await dataSource.query(sql)) as Record<string, any>[];
  let lost = 0;
  let doubled = 0;
  let phantom = 0;
  const compare = (what: string, acknowledged: Set<string>, stored: Record<string, any>[]) => {
    const counts = new Map<string, number>();
    for (const row of stored) counts.set(String(row.id), (counts.get(String(row.id)) ?? 0) + 1);
    for (const id of acknowledged) {
      const count = counts.get(id) ?? 0;
      if (count === 0) lost += 1;
      if (count > 1) doubled += 1;
      if (count !== 1) failures.push(`${what} ${id}: acknowledged, stored ${count} times`);
    }
    for (const [id] of counts) {
      if (!acknowledged.has(id)) {
        phantom += 1;
        failures.push(`${what} ${id}: stored but never acknowledged as applied`);
      }
    }
  };
  compare(
    'transfer',
    model.transfers,
    await rows(`SELECT CONCAT(partnerAccountId, ':', idempotencyKey) AS id FROM credit_transfer`).catch(() =>
      rows(`SELECT partnerAccountId || ':' || idempotencyKey AS id FROM credit_transfer`),
    ),
  );
  compare('usage event', model.usageEvents, await rows(`SELECT eventId AS id FROM usage_event`));
  compare('grant', model.grants, await rows(`SELECT idempotencyKey AS id FROM ledger_transaction WHERE type = 'PROMOTIONAL_GRANT'`));
  compare('adjustment', model.adjustments, await rows(`SELECT correctionKey AS id FROM credit_correction WHERE kind = 'ADJUSTMENT'`));
  compare(
    'dispute reversal',
    new Set([...model.disputesWon].map((id) => `topup-dispute:STRIPE:${id}`)),
    await rows(`SELECT idempotencyKey AS id FROM ledger_transaction WHERE type = 'TOP_UP_REVERSAL'`),
  );
  compare(
    'dispute won',
    new Set([...model.disputesWon].map((id) => `topup-dispute-won:STRIPE:${id}`)),
    await rows(`SELECT idempotencyKey AS id FROM ledger_transaction WHERE type = 'DISPUTE_WON'`),
  );
  compare(
    'refund',
    new Set([...model.refunds.keys()].map((id) => `refund:${id}`)),
    await rows(`SELECT idempotencyKey AS id FROM ledger_transaction WHERE type = 'REFUND' AND idempotencyKey LIKE 'refund:%'`),
  );
  compare(
    'refund refused, credits back',
    new Set([...model.refunds].filter(([, refund]) => refund.status === 'FAILED').map(([id]) => `refund-returned:${id}`)),
    await rows(`SELECT idempotencyKey AS id FROM ledger_transaction WHERE type = 'REFUND' AND idempotencyKey LIKE 'refund-returned:%'`),
  );
  compare('refund row', new Set(model.refunds.keys()), await rows(`SELECT id FROM top_up_refund`));
  for (const row of await rows(`SELECT id, status FROM top_up_refund`)) {
    const acknowledged = model.refunds.get(String(row.id));
    if (acknowledged && acknowledged.status !== row.status) failures.push(`refund ${row.id}: acknowledged ${acknowledged.status}, stored ${row.status}`);
  }
  // A top-up's refunded amount is what its refunds not refused took.
  for (const row of await rows(`SELECT t.id AS id, t.refundedMicros AS refunded, COALESCE(SUM(r.amountMicros), 0) AS taken FROM top_up t
      LEFT JOIN top_up_refund r ON r.topUpId = t.id AND r.status <> 'FAILED' GROUP BY t.id, t.refundedMicros`)) {
    if (BigInt(String(row.refunded)) !== BigInt(String(row.taken)))
      failures.push(`top-up ${row.id}: refundedMicros ${row.refunded}, its refunds took ${row.taken}`);
  }
  // One provider refund per refund: the stand-ins still up (the last process's) hold at most one per purchase.
  for (const [topUpId, { providerReference, standIn }] of model.refundedAt) {
    const created = await stripeEventsOf(standIn, { providerReference }, 'refund.created').catch(() => null);
    if (created && created.length > 1) {
      doubled += 1;
      failures.push(`top-up ${topUpId}: ${created.length} refunds at the Stripe stand-in, expected at most 1`);
    }
  }
  compare(
    'top-up credit',
    new Set([...model.topUps].map((id) => `topup:${id}`)),
    await rows(`SELECT idempotencyKey AS id FROM ledger_transaction WHERE type = 'TOP_UP'`),
  );

  // Nothing half-applied: every business row has its ledger transaction and the other way round.
  const [counts] = await rows(`SELECT
      (SELECT COUNT(*) FROM credit_transfer) AS transfers, (SELECT COUNT(*) FROM ledger_transaction WHERE type = 'TRANSFER') AS transferTransactions,
      (SELECT COUNT(*) FROM usage_event) AS usageEvents, (SELECT COUNT(*) FROM ledger_transaction WHERE type = 'USAGE') AS usageTransactions,
      (SELECT COUNT(*) FROM promotional_grant) AS grants, (SELECT COUNT(*) FROM ledger_transaction WHERE type = 'PROMOTIONAL_GRANT') AS grantTransactions,
      (SELECT COUNT(*) FROM top_up WHERE status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED')) AS paidTopUps, (SELECT COUNT(*) FROM ledger_transaction WHERE type = 'TOP_UP') AS topUpTransactions,
      (SELECT COUNT(*) FROM credit_correction WHERE kind = 'ADJUSTMENT') AS adjustments, (SELECT COUNT(*) FROM ledger_transaction WHERE type = 'ADJUSTMENT') AS adjustmentTransactions`);
  for (const [business, ledger] of [
    ['transfers', 'transferTransactions'],
    ['usageEvents', 'usageTransactions'],
    ['grants', 'grantTransactions'],
    ['paidTopUps', 'topUpTransactions'],
    ['adjustments', 'adjustmentTransactions'],
  ]) {
    if (Number(counts[business]) !== Number(counts[ledger])) failures.push(`half-applied: ${business} ${counts[business]} but ${ledger} ${counts[ledger]}`);
  }

  const auditProblems = await auditLedger(dataSource);
  failures.push(...auditProblems.slice(0, 20).map((problem) => `audit: ${problem}`));

  let balanceMismatches = 0;
  const stored = new Map<string, bigint>();
  for (const row of await rows(`SELECT accountId, SUM(balanceMicros) AS total FROM wallet WHERE kind IN ('TOPUP', 'PROMOTIONAL') GROUP BY accountId`)) {
    stored.set(String(row.accountId), BigInt(String(row.total)));
  }
  for (const [accountId, expected] of model.expectedTotalMicros) {
    const actual = stored.get(accountId) ?? 0n;
    if (actual !== expected) {
      balanceMismatches += 1;
      failures.push(`account ${accountId}: wallets hold ${actual} micro-credits, the acknowledgements say ${expected}`);
    }
  }

  // Every committed notification is published once the last process has drained its outbox.
  let unpublished: number;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [row] = await rows(`SELECT COUNT(*) AS count FROM outbox_event WHERE publishedAt IS NULL`);
    unpublished = Number(row.count);
    if (unpublished === 0 || Date.now() > deadline) break;
    await sleep(250);
  }
  if (unpublished !== 0) failures.push(`${unpublished} committed notifications were never published`);
  return { failures, lost, doubled, phantom, auditProblems: auditProblems.length, balanceMismatches, unpublished };
}
