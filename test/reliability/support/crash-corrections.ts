import type { DataSource } from 'typeorm';
import { formatMicros } from '../../../src/common/money';
import { CreditCorrectionEntity } from '../../../src/corrections/entities/credit-correction.entity';
import { CorrectionKind } from '../../../src/corrections/corrections.enums';
import { CreditMovementType } from '../../../src/ledger/ledger.enums';
import { PromotionalGrantEntity } from '../../../src/promotions/entities/promotional-grant.entity';
import { grantStatus, PromotionalGrantStatus } from '../../../src/promotions/grant-status';
import { CHANGE_GRANT_EXPIRY, SET_CREDIT_LIMIT, VOID_GRANT } from '../../support/corrections';
import { graphql, sleep, tokens } from './client';
import type { ReplayingClient } from './replaying-client';
import type { ServerProcess } from './server-process';
import { dataOf, GRANT, micros, MICROS, Party, RECORD_USAGE, TRANSFER, uniqueKey } from './world';

/**
 * The platform admin's corrections under the crash scenario's kills: voids of promotional grants
 * racing usage that draws the same grant, moves of a grant's expiry, and credit limits changed
 * while their partner transfers on the limit. Each request is replayed unchanged until it is
 * acknowledged (a void's key is its grant, an expiry move and a limit carry their value), and
 * `verifyCorrections` then explains the database from the acknowledgements.
 */

/** The people these clients act on, each owned by one client so its history has no other writer. */
export interface CorrectionsWorld {
  server: ServerProcess;
  adminToken: string;
  meteringToken: string;
  /** A customer per void client: its grants are drawn only by that client's usage. */
  voidCustomers: Party[];
  /** A customer per expiry client: nothing but that client's grants and moves ever touches it. */
  expiryCustomers: Party[];
  /** A partner per limit client, with customers to transfer to. */
  limitPartners: { partner: Party; customers: Party[] }[];
}

/** What the crash scenario's model already counts for every client: stored once, balances explained. */
export interface SharedAcknowledgements {
  transfers: Set<string>;
  usageEvents: Set<string>;
  grants: Set<string>;
  credit(accountId: string, amount: bigint): void;
}

export interface CorrectionsModel {
  /** By grant id: what the acknowledged void took, or null when it was refused (usage had drawn it all). */
  voids: Map<string, { accountId: string; voidedMicros: bigint | null }>;
  /** By grant id: the grant's amount and the expiries its moves were acknowledged with, in order. */
  expiryMoves: Map<string, { accountId: string; amountMicros: bigint; expiries: string[]; refusedPast: number }>;
  /** By partner: the limits acknowledged as changes (a value other than the one before), in order. */
  limits: Map<string, bigint[]>;
  /** Keys (partner:key) of transfers refused with INSUFFICIENT_CREDITS at the limit. */
  refusedAtLimit: Set<string>;
}

export const newCorrectionsModel = (): CorrectionsModel => ({ voids: new Map(), expiryMoves: new Map(), limits: new Map(), refusedAtLimit: new Set() });

const REASON = 'reliability crash scenario';
/** The limits a limit client moves its partner between (credits); 0 removes the limit. */
const LIMITS = ['0', '4', '8', '15'];
const amountOf = (min: number, max: number) => (min + Math.random() * (max - min)).toFixed(Math.random() < 0.5 ? 0 : 3);

/** A grant from the admin, replayed with its key; its id. */
async function grantTo(world: CorrectionsWorld, client: ReplayingClient, shared: SharedAcknowledgements, customer: Party, amount: string): Promise<string> {
  const input = { accountId: customer.accountId, amount, reason: REASON, idempotencyKey: uniqueKey('crash-corrected-grant') };
  const { answer } = await client.untilAcknowledged(
    'grantPromotionalCredits',
    () => graphql(world.server.graphqlUrl, GRANT, { input }, { token: world.adminToken }),
    (reply) => Boolean(reply.body?.data?.grantPromotionalCredits),
  );
  shared.grants.add(`grant:${customer.accountId}:${input.idempotencyKey}`);
  shared.credit(customer.accountId, micros(amount));
  return String(answer.body.data.grantPromotionalCredits.grant.id);
}

/**
 * A grant to the client's own customer, then its void sent at the same moment as usage that draws
 * the same grant: the void takes what the usage left (nothing, and GRANT_NOT_ACTIVE, when the usage
 * drew it all first), the usage overdraws the top-up wallet for what the void took first.
 */
export async function voidRound(world: CorrectionsWorld, client: ReplayingClient, slot: number, shared: SharedAcknowledgements, model: CorrectionsModel) {
  const customer = world.voidCustomers[slot];
  const grantId = await grantTo(world, client, shared, customer, amountOf(0.5, 2));
  const events = Array.from({ length: 1 + Math.floor(Math.random() * 4) }, () => ({
    eventId: uniqueKey('crash-void-usage'),
    accountId: customer.accountId,
    service: 'compute',
    amount: amountOf(0.2, 1.2),
    occurredAt: new Date().toISOString(),
  }));
  const input = { grantId, reason: REASON };
  // The void leaves up to 40 ms after the usage, so either may reach the grant first.
  const [voided, used] = await Promise.all([
    sleep(Math.random() * 40).then(() =>
      client.untilAcknowledged(
        'voidPromotionalGrant',
        () => graphql(world.server.graphqlUrl, VOID_GRANT, { input }, { token: world.adminToken }),
        (reply) => Boolean(reply.body?.data?.voidPromotionalGrant) || reply.codes.includes('GRANT_NOT_ACTIVE'),
      ),
    ),
    client.untilAcknowledged(
      'recordUsage',
      () => graphql(world.server.graphqlUrl, RECORD_USAGE, { events }, { token: world.meteringToken }),
      (reply) => Boolean(reply.body?.data?.recordUsage),
    ),
  ]);
  for (const result of used.answer.body.data.recordUsage.results as { eventId: string; status: string }[]) {
    if (result.status !== 'APPLIED' && result.status !== 'DUPLICATE') continue;
    const event = events.find((candidate) => candidate.eventId === result.eventId)!;
    shared.usageEvents.add(event.eventId);
    shared.credit(customer.accountId, -micros(event.amount));
  }
  const answer = voided.answer.body?.data?.voidPromotionalGrant;
  const voidedMicros = answer ? micros(answer.grant.voidedAmount) : null;
  model.voids.set(grantId, { accountId: customer.accountId, voidedMicros });
  if (voidedMicros !== null) shared.credit(customer.accountId, -voidedMicros);
}

/** A grant to the client's own customer whose expiry is moved twice, then once into the past (refused). */
export async function expiryRound(world: CorrectionsWorld, client: ReplayingClient, slot: number, shared: SharedAcknowledgements, model: CorrectionsModel) {
  const customer = world.expiryCustomers[slot];
  const amount = amountOf(1, 3);
  const grantId = await grantTo(world, client, shared, customer, amount);
  const moves = { accountId: customer.accountId, amountMicros: micros(amount), expiries: [] as string[], refusedPast: 0 };
  model.expiryMoves.set(grantId, moves);
  const DAY_MS = 86_400_000;
  for (const daysAway of [30 + Math.random() * 1000, 1100 + Math.random() * 1000, -1 - Math.random() * 30]) {
    // Whole seconds, so the value is the same whichever precision the database keeps.
    const expiresAt = new Date(Math.floor((Date.now() + daysAway * DAY_MS) / 1000) * 1000).toISOString();
    const input = { grantId, expiresAt, reason: REASON };
    const { answer } = await client.untilAcknowledged(
      'changePromotionalGrantExpiry',
      () => graphql(world.server.graphqlUrl, CHANGE_GRANT_EXPIRY, { input }, { token: world.adminToken }),
      (reply) => Boolean(reply.body?.data?.changePromotionalGrantExpiry) || (daysAway < 0 && reply.codes.includes('BAD_USER_INPUT')),
    );
    const moved = answer.body?.data?.changePromotionalGrantExpiry;
    if (!moved) {
      moves.refusedPast += 1;
      continue;
    }
    if (daysAway < 0) throw new Error(`grant ${grantId}: an expiry in the past (${expiresAt}) was acknowledged`);
    if (Date.parse(moved.expiresAt) !== Date.parse(expiresAt)) throw new Error(`grant ${grantId}: asked ${expiresAt}, answered ${moved.expiresAt}`);
    moves.expiries.push(expiresAt);
  }
}

/** Before the traffic: the partner's first limit, so its first transfers already cross zero. */
export async function openCreditLimit(server: ServerProcess, partner: Party, model: CorrectionsModel): Promise<void> {
  const input = { partnerAccountId: partner.accountId, limit: LIMITS[2], reason: REASON };
  const answer = await graphql(server.graphqlUrl, SET_CREDIT_LIMIT, { input }, { token: await tokens.admin() });
  model.limits.set(partner.accountId, [micros(dataOf(answer, `setCreditLimit ${partner.accountId}`).setCreditLimit.creditLimit)]);
}

/** The admin moves the client's partner's credit limit to another of LIMITS, then lets transfers run against it a moment. */
export async function limitRound(world: CorrectionsWorld, client: ReplayingClient, slot: number, model: CorrectionsModel) {
  const { partner } = world.limitPartners[slot];
  const changes = model.limits.get(partner.accountId) ?? [];
  model.limits.set(partner.accountId, changes);
  const current = changes.at(-1) ?? 0n;
  const limit = LIMITS.filter((value) => micros(value) !== current)[Math.floor(Math.random() * (LIMITS.length - 1))];
  const input = { partnerAccountId: partner.accountId, limit, reason: REASON };
  const { answer } = await client.untilAcknowledged(
    'setCreditLimit',
    () => graphql(world.server.graphqlUrl, SET_CREDIT_LIMIT, { input }, { token: world.adminToken }),
    (reply) => Boolean(reply.body?.data?.setCreditLimit),
  );
  const answered = micros(answer.body.data.setCreditLimit.creditLimit);
  if (answered !== micros(limit)) throw new Error(`setCreditLimit ${partner.accountId}: asked ${limit}, answered ${answered}`);
  changes.push(answered);
  await sleep(100 + Math.random() * 300);
}

const AVAILABLE = /* GraphQL */ `
  query Available($id: ID!) {
    balances(accountId: $id) {
      topUpBalance
      creditLimit
      availableToTransfer
    }
  }
`;

/**
 * Transfers on the limit: the partner reads what it may still transfer, then sends two transfers of
 * 60% of it at once, so one fits and the other is refused (unless the limit moved meanwhile); with
 * nothing left, one credit, refused until the limit is raised.
 */
export async function transfersOnTheLimit(
  world: CorrectionsWorld,
  client: ReplayingClient,
  slot: number,
  shared: SharedAcknowledgements,
  model: CorrectionsModel,
) {
  const { partner, customers } = world.limitPartners[slot];
  const read = await client.untilAcknowledged(
    'balances (available to transfer)',
    () => graphql(world.server.graphqlUrl, AVAILABLE, { id: partner.accountId }, { token: partner.token }),
    (reply) => Boolean(reply.body?.data?.balances),
  );
  const availableMicros = micros(read.answer.body.data.balances.availableToTransfer);
  const amountMicros = availableMicros > 0n ? (availableMicros * 6n) / 10n + 1n : MICROS;
  await Promise.all(
    customers.map(async (customer) => {
      const amount = formatMicros(amountMicros);
      const input = { customerAccountId: customer.accountId, amount, idempotencyKey: uniqueKey('crash-limit-transfer'), dryRun: false };
      const { answer } = await client.untilAcknowledged(
        'transferCredits (on the limit)',
        () => graphql(world.server.graphqlUrl, TRANSFER, { input }, { token: partner.token }),
        (reply) => Boolean(reply.body?.data?.transferCredits) || reply.codes.includes('INSUFFICIENT_CREDITS'),
      );
      const key = `${partner.accountId}:${input.idempotencyKey}`;
      if (!answer.body?.data?.transferCredits) {
        model.refusedAtLimit.add(key);
        return;
      }
      shared.transfers.add(key);
      shared.credit(partner.accountId, -amountMicros);
      shared.credit(customer.accountId, amountMicros);
    }),
  );
}

export interface CorrectionsVerification {
  failures: string[];
  figures: Record<string, number>;
}

/** Compares the grants, corrections and limits stored with what the correction clients were told. */
export async function verifyCorrections(dataSource: DataSource, model: CorrectionsModel): Promise<CorrectionsVerification> {
  const voids = await verifyVoids(dataSource, model);
  const moves = await verifyExpiryMoves(dataSource, model);
  const limits = await verifyCreditLimits(dataSource, model);
  return {
    failures: [...voids.failures, ...moves.failures, ...limits.failures],
    figures: { ...voids.figures, ...moves.figures, ...limits.figures },
  };
}

const rowsOf = async (dataSource: DataSource, sql: string, parameters: unknown[] = []) => (await dataSource.query(sql, parameters)) as Record<string, any>[];
const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');

/**
 * One void posting and one void correction per acknowledged void and none for a refused one; a
 * voided grant VOIDED with nothing left and what the void answered as voided; every grant of the
 * void customers explained (drawn by usage + voided + left = granted), and their promotional
 * wallets never below zero in any history row.
 */
async function verifyVoids(dataSource: DataSource, model: CorrectionsModel): Promise<CorrectionsVerification> {
  const failures: string[] = [];
  const grantIds = [...model.voids.keys()];
  if (grantIds.length === 0) return { failures: ['no void was acknowledged: the void clients did nothing'], figures: {} };
  const postings = new Map<string, number>();
  for (const row of await rowsOf(dataSource, `SELECT idempotencyKey FROM ledger_transaction WHERE type = 'PROMOTIONAL_VOID'`))
    postings.set(String(row.idempotencyKey), (postings.get(String(row.idempotencyKey)) ?? 0) + 1);
  const corrections = await dataSource.getRepository(CreditCorrectionEntity).findBy({ kind: CorrectionKind.PROMOTIONAL_GRANT_VOID });
  const grants = new Map((await dataSource.getRepository(PromotionalGrantEntity).find()).map((grant) => [String(grant.id), grant]));
  const now = new Date();
  for (const [grantId, { voidedMicros }] of model.voids) {
    const expected = voidedMicros === null ? 0 : 1;
    const posted = postings.get(`void:${grantId}`) ?? 0;
    const recorded = corrections.filter((correction) => String(correction.grantId) === grantId).length;
    if (posted !== expected || recorded !== expected)
      failures.push(`void of grant ${grantId}: ${voidedMicros === null ? 'refused' : 'acknowledged'}, stored ${posted} postings and ${recorded} corrections`);
    const grant = grants.get(grantId);
    if (!grant) {
      failures.push(`grant ${grantId}: acknowledged, not stored`);
      continue;
    }
    const status = grantStatus(grant, now);
    if (voidedMicros !== null && (status !== PromotionalGrantStatus.VOIDED || grant.voidedMicros !== voidedMicros || grant.remainingMicros !== 0n))
      failures.push(
        `grant ${grantId}: void acknowledged with ${voidedMicros} voided; stored ${status}, voided ${grant.voidedMicros}, left ${grant.remainingMicros}`,
      );
    if (voidedMicros === null && (status !== PromotionalGrantStatus.USED_UP || grant.voidedMicros !== 0n))
      failures.push(`grant ${grantId}: void refused, but stored ${status} with ${grant.voidedMicros} voided`);
  }
  const acknowledgedVoid = (grantId: string) => (model.voids.get(grantId)?.voidedMicros ?? null) !== null;
  for (const correction of corrections)
    if (!acknowledgedVoid(String(correction.grantId))) failures.push(`void correction ${correction.id} of grant ${correction.grantId}: never acknowledged`);
  for (const key of postings.keys()) if (!acknowledgedVoid(key.replace(/^void:/, ''))) failures.push(`void posting ${key}: never acknowledged`);

  const accountIds = [...new Set([...model.voids.values()].map((entry) => entry.accountId))];
  const [drawn] = await rowsOf(
    dataSource,
    `SELECT COALESCE(SUM(promotionalMicros), 0) AS drawn FROM usage_event WHERE accountId IN (${placeholders(accountIds.length)})`,
    accountIds,
  );
  const ofVoidCustomers = [...grants.values()].filter((grant) => accountIds.includes(grant.accountId));
  const granted = ofVoidCustomers.reduce((sum, grant) => sum + grant.amountMicros, 0n);
  const explained = ofVoidCustomers.reduce((sum, grant) => sum + grant.voidedMicros + grant.remainingMicros + grant.expiredMicros, BigInt(String(drawn.drawn)));
  if (granted !== explained) failures.push(`void customers: granted ${granted}, but usage drew + voids took + left = ${explained}`);
  const [negative] = await rowsOf(
    dataSource,
    `SELECT COUNT(*) AS count FROM account_movement WHERE promotionalBalanceAfterMicros < 0 AND accountId IN (${placeholders(accountIds.length)})`,
    accountIds,
  );
  if (Number(negative.count) !== 0) failures.push(`void customers: ${negative.count} history rows show a promotional balance below zero`);
  const refused = [...model.voids.values()].filter((entry) => entry.voidedMicros === null).length;
  const partlyDrawn = grantIds.filter((grantId) => {
    const grant = grants.get(grantId);
    return grant !== undefined && grant.voidedMicros > 0n && grant.voidedMicros < grant.amountMicros;
  }).length;
  return {
    failures,
    figures: {
      'grants voided': grantIds.length - refused,
      'of which usage drew a part first': partlyDrawn,
      'voids refused (usage drew it all first)': refused,
    },
  };
}

/**
 * Each grant's stored expiry is the last one acknowledged; one expiry-change correction per
 * acknowledged move (a replay records nothing), moving no credits, none for the move into the past;
 * the grant otherwise untouched (all of it left, nothing voided or expired), and the customer's
 * history nothing but its grants.
 */
async function verifyExpiryMoves(dataSource: DataSource, model: CorrectionsModel): Promise<CorrectionsVerification> {
  const failures: string[] = [];
  if (model.expiryMoves.size === 0) return { failures: ['no expiry move was acknowledged: the expiry clients did nothing'], figures: {} };
  const corrections = await dataSource
    .getRepository(CreditCorrectionEntity)
    .find({ where: { kind: CorrectionKind.PROMOTIONAL_GRANT_EXPIRY_CHANGE }, order: { id: 'ASC' } });
  const grants = new Map((await dataSource.getRepository(PromotionalGrantEntity).find()).map((grant) => [String(grant.id), grant]));
  let moves = 0;
  let refusedPast = 0;
  for (const [grantId, acknowledged] of model.expiryMoves) {
    moves += acknowledged.expiries.length;
    refusedPast += acknowledged.refusedPast;
    const grant = grants.get(grantId);
    const last = acknowledged.expiries.at(-1);
    if (!grant) {
      failures.push(`grant ${grantId}: acknowledged, not stored`);
      continue;
    }
    if (last !== undefined && grant.expiresAt?.getTime() !== Date.parse(last))
      failures.push(`grant ${grantId}: expiry acknowledged ${last}, stored ${grant.expiresAt?.toISOString() ?? 'null'}`);
    if (
      grant.remainingMicros !== acknowledged.amountMicros ||
      grant.amountMicros !== acknowledged.amountMicros ||
      grant.voidedMicros !== 0n ||
      grant.expiredMicros !== 0n
    )
      failures.push(
        `grant ${grantId}: only its expiry was moved, yet amount ${grant.amountMicros}, left ${grant.remainingMicros}, voided ${grant.voidedMicros}, expired ${grant.expiredMicros} (granted ${acknowledged.amountMicros})`,
      );
    const recorded = corrections.filter((correction) => String(correction.grantId) === grantId);
    const stored = recorded.map((correction) => correction.newExpiresAt?.toISOString() ?? 'null');
    const expected = acknowledged.expiries.map((expiry) => new Date(expiry).toISOString());
    if (stored.join() !== expected.join())
      failures.push(`grant ${grantId}: expiry moves acknowledged [${expected.join(', ')}], recorded [${stored.join(', ')}]`);
    if (recorded.some((correction) => correction.amountMicros !== 0n || correction.transactionId !== null))
      failures.push(`grant ${grantId}: an expiry move recorded credits moving`);
  }
  for (const correction of corrections)
    if (!model.expiryMoves.has(String(correction.grantId))) failures.push(`expiry move ${correction.id} of grant ${correction.grantId}: never acknowledged`);
  const accountIds = [...new Set([...model.expiryMoves.values()].map((entry) => entry.accountId))];
  for (const row of await rowsOf(
    dataSource,
    `SELECT accountId, type, COUNT(*) AS count FROM account_movement WHERE accountId IN (${placeholders(accountIds.length)}) GROUP BY accountId, type`,
    accountIds,
  )) {
    if (row.type !== CreditMovementType.PROMOTIONAL_GRANT)
      failures.push(`expiry customer ${row.accountId}: ${row.count} ${row.type} movements, expected grants only`);
  }
  return { failures, figures: { 'grant expiries moved': moves, 'moves into the past refused': refusedPast } };
}

interface OutboxRow {
  id: number;
  topic: string;
  payload: Record<string, string>;
  key: string;
}

/**
 * Walks each limit partner's balance changes and limit changes in the order they committed (both
 * are written with the partner's wallets locked, so the outbox ids order them) and checks that no
 * transfer left the partner below minus the limit in force; the limit changes are exactly the
 * acknowledged ones, in order, and the stored limit the last of them; no refused transfer stored.
 */
async function verifyCreditLimits(dataSource: DataSource, model: CorrectionsModel): Promise<CorrectionsVerification> {
  const failures: string[] = [];
  const partnerIds = [...model.limits.keys()];
  if (partnerIds.length === 0) return { failures: ['no credit limit was acknowledged: the limit clients did nothing'], figures: {} };
  const events: OutboxRow[] = (
    await rowsOf(dataSource, `SELECT id, topic, payload FROM outbox_event WHERE topic IN ('BALANCE_CHANGED', 'CREDIT_LIMIT_CHANGED') ORDER BY id`)
  ).map((row) => {
    const stored = JSON.parse(String(row.payload)) as { key: string; payload: Record<string, string> };
    return { id: Number(row.id), topic: String(row.topic), payload: stored.payload, key: stored.key };
  });
  const movementCounts = new Map<string, number>();
  for (const row of await rowsOf(
    dataSource,
    `SELECT accountId, COUNT(*) AS count FROM account_movement WHERE accountId IN (${placeholders(partnerIds.length)}) GROUP BY accountId`,
    partnerIds,
  ))
    movementCounts.set(String(row.accountId), Number(row.count));
  let belowZero = 0;
  let overLimit = 0;
  for (const partnerId of partnerIds) {
    let limit = 0n;
    let limitBefore = 0n;
    const changes: bigint[] = [];
    let balanceChanges = 0;
    for (const event of events.filter((candidate) => candidate.key === partnerId)) {
      if (event.topic === 'CREDIT_LIMIT_CHANGED') {
        if (BigInt(event.payload.limitBeforeMicros) !== limit)
          failures.push(`partner ${partnerId}: limit change ${event.id} says the limit before was ${event.payload.limitBeforeMicros}, it was ${limit}`);
        limitBefore = limit;
        limit = BigInt(event.payload.limitMicros);
        changes.push(limit);
        continue;
      }
      balanceChanges += 1;
      if (event.payload.movementType !== CreditMovementType.TRANSFER_OUT) continue;
      const topUpMicros = BigInt(event.payload.topUpMicros);
      if (topUpMicros < 0n) belowZero += 1;
      if (topUpMicros < -limit) {
        overLimit += 1;
        failures.push(
          `partner ${partnerId}: transfer (event ${event.id}) of ${event.payload.amountMicros} from ${event.payload.topUpBeforeMicros} left the top-up balance at ${topUpMicros}, below minus the limit in force ${limit} (the limit before its last change: ${limitBefore})`,
        );
      }
    }
    if (balanceChanges !== (movementCounts.get(partnerId) ?? 0))
      failures.push(`partner ${partnerId}: ${balanceChanges} balance-change events for ${movementCounts.get(partnerId) ?? 0} history rows`);
    const acknowledged = model.limits.get(partnerId)!;
    if (changes.join() !== acknowledged.join())
      failures.push(`partner ${partnerId}: limit changes acknowledged [${acknowledged.join(', ')}], committed [${changes.join(', ')}]`);
  }
  for (const row of await rowsOf(dataSource, `SELECT id, creditLimitMicros FROM account WHERE id IN (${placeholders(partnerIds.length)})`, partnerIds)) {
    const last = model.limits.get(String(row.id))!.at(-1) ?? 0n;
    if (BigInt(String(row.creditLimitMicros)) !== last) failures.push(`partner ${row.id}: stored limit ${row.creditLimitMicros}, last acknowledged ${last}`);
  }
  const stored = new Set(
    (
      await rowsOf(
        dataSource,
        `SELECT partnerAccountId, idempotencyKey FROM credit_transfer WHERE partnerAccountId IN (${placeholders(partnerIds.length)})`,
        partnerIds,
      )
    ).map((row) => `${row.partnerAccountId}:${row.idempotencyKey}`),
  );
  for (const key of model.refusedAtLimit) if (stored.has(key)) failures.push(`transfer ${key}: refused at the limit, yet stored`);
  if (belowZero === 0) failures.push('no transfer took a limit partner below zero: the limit was never used');
  if (model.refusedAtLimit.size === 0) failures.push('no transfer was refused at a limit: no partner reached its limit');
  return {
    failures,
    figures: {
      'credit limit changes': [...model.limits.values()].reduce((sum, changes) => sum + changes.length, 0),
      'transfers below zero within the limit': belowZero,
      'transfers refused at the limit': model.refusedAtLimit.size,
      'transfers beyond the limit': overLimit,
    },
  };
}
