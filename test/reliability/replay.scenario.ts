import { auditLedger } from '../../src/ledger/ledger-audit';
import { CREATE_ACCOUNT } from '../support/fixtures';
import { CANCEL_TOP_UP, CAPTURE_PAYPAL } from '../support/top-ups';
import { ADJUST_BALANCE, CHANGE_GRANT_EXPIRY, SET_CREDIT_LIMIT, VOID_GRANT } from '../support/corrections';
import { REFUND_TOP_UP, TOP_UP_REFUNDS } from '../support/refunds';
import type { ScenarioOptions, ScenarioResult } from './scenario';
import { buildServer } from './support/build';
import { Answer, graphql, postStripeWebhook, send, signedStripeDispute, signedStripeSuccess, sleep, tokens } from './support/client';
import { createScenarioDatabase } from './support/database';
import { payAtStandIn, settleAtStandIn, standInOf, stripeEventsOf } from './support/stripe-stand-in';
import { differences, documentsNumbered, snapshot } from './support/ledger-snapshot';
import { ServerProcess, UNTHROTTLED } from './support/server-process';
import {
  buyCredits,
  CREATE_TOP_UP,
  createParty,
  dataOf,
  GRANT,
  Party,
  RECORD_USAGE,
  RETURN_URL,
  TRANSFER,
  TRANSFER_BATCH,
  UPDATE_BILLING,
  uniqueKey,
  VALID_BILLING,
} from './support/world';

/**
 * Replay: every mutation and every provider callback sent several times at once (racing the
 * original) and then again one after another. The first application changes the ledger exactly
 * once; the replays change nothing, and every copy gets the same answer.
 */
const SET_STATUS = /* GraphQL */ `
  mutation SetStatus($accountId: ID!, $status: AccountStatus!) {
    setAccountStatus(accountId: $accountId, status: $status) {
      id
      status
    }
  }
`;

interface Replayable {
  name: string;
  send(): Promise<Answer>;
  /** Ledger transactions the first application adds. */
  transactions: number;
  /** Documents the first application issues (receipts, credit notes, debit notes), where it issues any. */
  documents?: Partial<Record<'receipt' | 'credit_note' | 'debit_note', number>>;
  /** What must be equal between copies: the whole body for GraphQL, the acknowledgement for callbacks. */
  sameness(answer: Answer): unknown;
  /** Wait for what the provider does on its own after the operation (e.g. PayPal's capture webhook). */
  settle?(): Promise<void>;
  /** What else must hold once the replays are done (e.g. the provider was asked once); the problems found. */
  check?(): Promise<string[]>;
}

const COPIES_AT_ONCE = 4;

export async function run(options: ScenarioOptions): Promise<ScenarioResult> {
  const failures: string[] = [];
  const figures: Record<string, string | number> = {};
  const build = buildServer();
  const database = await createScenarioDatabase();
  const server = await ServerProcess.start(build.mainFile, { ...database.env, ...UNTHROTTLED });
  const sequentialReplays = options.quick ? 2 : 5;
  let requests = 0;
  try {
    const dataSource = await database.connect();
    let operations = 0;
    let changedByReplays = 0;
    let differentAnswers = 0;
    for (const make of operationsToReplay()) {
      const operation = await make(server);
      operations += 1;
      const before = await snapshot(dataSource);
      const racing = await Promise.all(Array.from({ length: COPIES_AT_ONCE }, () => operation.send()));
      await operation.settle?.();
      await documentsNumbered(dataSource);
      const afterFirst = await snapshot(dataSource);
      const sequential: Answer[] = [];
      for (let replay = 0; replay < sequentialReplays; replay += 1) sequential.push(await operation.send());
      await operation.settle?.();
      await documentsNumbered(dataSource);
      const afterReplays = await snapshot(dataSource);
      requests += racing.length + sequential.length;

      const added = afterFirst.counts.ledger_transaction - before.counts.ledger_transaction;
      if (added !== operation.transactions)
        failures.push(`${operation.name}: ${COPIES_AT_ONCE} racing copies added ${added} ledger transactions, expected ${operation.transactions}`);
      for (const [table, expected] of Object.entries(operation.documents ?? {})) {
        const issued = afterFirst.counts[table] - before.counts[table];
        if (issued !== expected) failures.push(`${operation.name}: ${COPIES_AT_ONCE} racing copies issued ${issued} ${table} rows, expected ${expected}`);
      }
      const changes = differences(afterFirst, afterReplays);
      if (changes.length > 0) {
        changedByReplays += 1;
        failures.push(`${operation.name}: replays changed ${changes.join(', ')}`);
      }
      const answers = [...racing, ...sequential].map((answer) => JSON.stringify(operation.sameness(answer)));
      const distinct = [...new Set(answers)];
      if (distinct.length > 1) {
        differentAnswers += 1;
        failures.push(`${operation.name}: ${distinct.length} different answers: ${distinct.map((answer) => answer.slice(0, 300)).join(' | ')}`);
      }
      if (racing.some((answer) => answer.status === 0 || answer.status >= 500))
        failures.push(`${operation.name}: HTTP ${racing.map((answer) => answer.status).join(',')}`);
      failures.push(...((await operation.check?.()) ?? []).map((problem) => `${operation.name}: ${problem}`));
    }
    const problems = await auditLedger(dataSource);
    failures.push(...problems.map((problem) => `audit: ${problem}`));
    Object.assign(figures, {
      database: database.kind,
      'operations replayed': operations,
      'copies per operation': `${COPIES_AT_ONCE} racing + ${sequentialReplays} sequential`,
      requests,
      'ledger changes by replays': changedByReplays,
      'operations with differing answers': differentAnswers,
      'invariant violations': problems.length,
    });
  } catch (error) {
    failures.push(`replay scenario aborted: ${(error as Error).stack ?? error}\n${server.output.slice(-10).join('\n')}`);
  } finally {
    await server.stop();
    await database.drop();
    build.remove();
  }
  return { name: 'replay', figures, failures };
}

const wholeBody = (answer: Answer) => ({ status: answer.status, body: answer.body });
/** A provider only learns "recorded" (2xx) or "deliver again"; the body's detail may say DUPLICATE. */
const webhookAcknowledgement = (answer: Answer) => ({ status: answer.status, received: answer.body?.received });
/** VNPay's protocol answers 00 the first time and 02 "already confirmed" after: both mean recorded. */
const vnpayAcknowledgement = (answer: Answer) => ({ status: answer.status, recorded: ['00', '02'].includes(answer.body?.RspCode) });

type Factory = (server: ServerProcess) => Promise<Replayable>;

function operationsToReplay(): Factory[] {
  const gql = (server: ServerProcess, query: string, variables: Record<string, unknown>, token: string) => () =>
    graphql(server.graphqlUrl, query, variables, { token });
  return [
    async (server) => {
      const id = uniqueKey('replayed').slice(0, 40);
      const input = { id, kind: 'CUSTOMER', name: 'Replayed account', region: 'VN', status: 'ACTIVE', partnerId: null };
      return { name: 'createAccount', send: gql(server, CREATE_ACCOUNT, { input }, await tokens.admin()), transactions: 0, sameness: wholeBody };
    },
    async (server) => {
      const account = await createParty(server, { status: 'PENDING' });
      return {
        name: 'setAccountStatus',
        send: gql(server, SET_STATUS, { accountId: account.accountId, status: 'SUSPENDED' }, await tokens.admin()),
        transactions: 0,
        sameness: wholeBody,
      };
    },
    async (server) => {
      const account = await createParty(server);
      return {
        name: 'updateBillingInfo',
        send: gql(server, UPDATE_BILLING, { accountId: account.accountId, input: VALID_BILLING }, account.token),
        transactions: 0,
        sameness: wholeBody,
      };
    },
    async (server) => {
      const account = await createParty(server);
      const input = { accountId: account.accountId, amount: '12.5', reason: 'replay', idempotencyKey: uniqueKey('replay-grant') };
      return { name: 'grantPromotionalCredits', send: gql(server, GRANT, { input }, await tokens.admin()), transactions: 1, sameness: wholeBody };
    },
    async (server) => {
      const account = await createParty(server);
      const input = { accountId: account.accountId, wallet: 'TOPUP', amount: '-2.5', reason: 'replay', idempotencyKey: uniqueKey('replay-adjust') };
      return { name: 'adjustBalance', send: gql(server, ADJUST_BALANCE, { input }, await tokens.admin()), transactions: 1, sameness: wholeBody };
    },
    async (server) => {
      const account = await createParty(server);
      const grantInput = { accountId: account.accountId, amount: '4', reason: 'replay', idempotencyKey: uniqueKey('replay-voided-grant') };
      const grantId = dataOf(await graphql(server.graphqlUrl, GRANT, { input: grantInput }, { token: await tokens.admin() }), 'grant').grantPromotionalCredits
        .grant.id;
      const input = { grantId, reason: 'replay' };
      return { name: 'voidPromotionalGrant', send: gql(server, VOID_GRANT, { input }, await tokens.admin()), transactions: 1, sameness: wholeBody };
    },
    async (server) => {
      const account = await createParty(server);
      const grantInput = { accountId: account.accountId, amount: '4', reason: 'replay', idempotencyKey: uniqueKey('replay-moved-grant') };
      const grantId = dataOf(await graphql(server.graphqlUrl, GRANT, { input: grantInput }, { token: await tokens.admin() }), 'grant').grantPromotionalCredits
        .grant.id;
      const input = { grantId, expiresAt: '2031-01-01T00:00:00.000Z', reason: 'replay' };
      return {
        name: 'changePromotionalGrantExpiry',
        send: gql(server, CHANGE_GRANT_EXPIRY, { input }, await tokens.admin()),
        transactions: 0,
        sameness: wholeBody,
      };
    },
    async (server) => {
      const partner = await createParty(server, { kind: 'PARTNER' });
      const input = { partnerAccountId: partner.accountId, limit: '250', reason: 'replay' };
      return { name: 'setCreditLimit', send: gql(server, SET_CREDIT_LIMIT, { input }, await tokens.admin()), transactions: 0, sameness: wholeBody };
    },
    async (server) => {
      const partner = await createParty(server, { kind: 'PARTNER', billing: true });
      await buyCredits(server, partner, '100');
      const customer = await createParty(server, { partnerId: partner.accountId });
      const input = { customerAccountId: customer.accountId, amount: '7.25', idempotencyKey: uniqueKey('replay-transfer'), dryRun: false };
      return { name: 'transferCredits', send: gql(server, TRANSFER, { input }, partner.token), transactions: 1, sameness: wholeBody };
    },
    async (server) => {
      const partner = await createParty(server, { kind: 'PARTNER', billing: true });
      await buyCredits(server, partner, '100');
      const customers = [await createParty(server, { partnerId: partner.accountId }), await createParty(server, { partnerId: partner.accountId })];
      // Two rows move, the third does not fit after them: the copies must agree on all three.
      const rows = [
        { customerAccountId: customers[0].accountId, amount: '60' },
        { customerAccountId: customers[1].accountId, amount: '30.5' },
        { customerAccountId: customers[0].accountId, amount: '20' },
      ];
      const input = { idempotencyKey: uniqueKey('replay-batch'), mode: 'EACH_ON_ITS_OWN', rows };
      return { name: 'transferCreditsBatch', send: gql(server, TRANSFER_BATCH, { input }, partner.token), transactions: 2, sameness: wholeBody };
    },
    async (server) => {
      const account = await createParty(server);
      const events = [1, 2, 3].map((index) => ({
        eventId: uniqueKey(`replay-usage-${index}`),
        accountId: account.accountId,
        service: 'compute',
        amount: `0.${index}`,
        occurredAt: new Date().toISOString(),
      }));
      // The first answer says APPLIED, a replay DUPLICATE: the same events, applied once. Compare what was decided.
      const decided = (answer: Answer) => ({
        status: answer.status,
        results:
          answer.body?.data?.recordUsage?.results?.map((result: any) => [result.eventId, result.status === 'DUPLICATE' ? 'APPLIED' : result.status]) ??
          answer.body,
      });
      return { name: 'recordUsage', send: gql(server, RECORD_USAGE, { events }, await tokens.metering()), transactions: 3, sameness: decided };
    },
    async (server) => {
      const buyer = await createParty(server, { billing: true });
      const input = { amount: '25', method: 'STRIPE', idempotencyKey: uniqueKey('replay-topup'), returnUrl: RETURN_URL };
      return { name: 'createTopUp (Stripe)', send: gql(server, CREATE_TOP_UP, { input }, buyer.token), transactions: 0, sameness: wholeBody };
    },
    async (server) => {
      const { topUp } = await openTopUp(server, 'STRIPE');
      const signed = signedStripeSuccess(topUp);
      return {
        name: 'Stripe webhook (payment_intent.succeeded)',
        send: () => postStripeWebhook(server.baseUrl, signed),
        transactions: 1,
        documents: { receipt: 1 },
        sameness: webhookAcknowledgement,
      };
    },
    async (server) => {
      const { topUp } = await paidStripeTopUp(server);
      const signed = signedStripeDispute(topUp, { id: uniqueKey('dp'), type: 'charge.dispute.funds_withdrawn', status: 'needs_response' });
      return {
        name: 'Stripe webhook (charge.dispute.funds_withdrawn)',
        send: () => postStripeWebhook(server.baseUrl, signed),
        transactions: 1,
        documents: { credit_note: 1 },
        sameness: webhookAcknowledgement,
      };
    },
    async (server) => {
      const { topUp } = await paidStripeTopUp(server);
      const dispute = uniqueKey('dp');
      const withdrawn = signedStripeDispute(topUp, { id: dispute, type: 'charge.dispute.funds_withdrawn', status: 'needs_response' });
      if ((await postStripeWebhook(server.baseUrl, withdrawn)).status !== 200) throw new Error(`the dispute of ${topUp.id} was not applied`);
      const won = signedStripeDispute(topUp, { id: dispute, type: 'charge.dispute.closed', status: 'won' });
      return {
        name: 'Stripe webhook (charge.dispute.closed, won)',
        send: () => postStripeWebhook(server.baseUrl, won),
        transactions: 1,
        documents: { debit_note: 1 },
        sameness: webhookAcknowledgement,
      };
    },
    async (server) => {
      const { topUp, standIn } = await paidAtStripeStandIn(server);
      const input = { topUpId: topUp.id, amount: '8', reason: 'replay', idempotencyKey: uniqueKey('replay-refund') };
      return {
        name: 'refundTopUp (Stripe)',
        send: gql(server, REFUND_TOP_UP, { input }, await tokens.admin()),
        transactions: 1,
        sameness: wholeBody,
        check: async () => {
          const refunds = new Set((await stripeEventsOf(standIn, topUp, 'refund.created')).map((event) => event.data.object.id));
          return refunds.size === 1 ? [] : [`${refunds.size} refunds at the Stripe stand-in, expected 1`];
        },
      };
    },
    async (server) => {
      const { topUp, standIn } = await refundedAtStripeStandIn(server);
      // The charge.refunded the platform's own refund caused (delivered once already): it must take nothing more.
      const chargeRefunded = (await stripeEventsOf(standIn, topUp, 'charge.refunded')).at(-1);
      if (!chargeRefunded) throw new Error(`the Stripe stand-in sent no charge.refunded for ${topUp.id}`);
      return {
        name: 'Stripe webhook (charge.refunded, of a platform refund)',
        send: () => postStripeWebhook(server.baseUrl, chargeRefunded.signed),
        transactions: 0,
        sameness: webhookAcknowledgement,
        check: () => refundState(server, topUp.id, { reversedAmount: '0.000000', refundedAmount: '5.000000', refunds: ['PENDING'] }),
      };
    },
    async (server) => {
      const { topUp, refund, standIn } = await refundedAtStripeStandIn(server);
      const settled = await settleAtStandIn(standIn, refund.providerReference, 'succeeded', '?deliver=false');
      if (settled.status !== 200 || !settled.body?.payload)
        throw new Error(`the Stripe stand-in did not settle ${refund.providerReference}: ${settled.status} ${JSON.stringify(settled.body)}`);
      const signed = { body: settled.body.payload, signature: settled.body.signatureHeader };
      // The confirmation posts nothing (the credits left with refundTopUp); it issues the credit note, once.
      return {
        name: 'Stripe webhook (refund.updated, succeeded)',
        send: () => postStripeWebhook(server.baseUrl, signed),
        transactions: 0,
        sameness: webhookAcknowledgement,
        check: () => refundState(server, topUp.id, { reversedAmount: '0.000000', refundedAmount: '5.000000', refunds: ['SUCCEEDED'] }),
      };
    },
    async (server) => {
      const { buyer, topUp } = await openTopUp(server, 'STRIPE');
      return { name: 'cancelTopUp', send: gql(server, CANCEL_TOP_UP, { id: topUp.id }, buyer.token), transactions: 0, sameness: wholeBody };
    },
    async (server) => {
      const { buyer, topUp } = await openTopUp(server, 'PAYPAL');
      const standIn = new URL(topUp.payment.approvalUrl).origin;
      await approvePayPal(standIn, topUp.providerReference);
      return {
        name: 'capturePayPalTopUp',
        send: gql(server, CAPTURE_PAYPAL, { input: { topUpId: topUp.id } }, buyer.token),
        transactions: 1,
        sameness: wholeBody,
        settle: () => payPalWebhooksDelivered(standIn, topUp.providerReference),
      };
    },
    async (server) => {
      const { topUp } = await openTopUp(server, 'PAYPAL');
      const standIn = new URL(topUp.payment.approvalUrl).origin;
      // The approval webhook makes the server capture the order; its capture webhook follows on its own.
      const approval = await approvePayPal(standIn, topUp.providerReference);
      return {
        name: 'PayPal webhook (CHECKOUT.ORDER.APPROVED)',
        send: () =>
          send(`${server.baseUrl}/webhooks/paypal`, {
            method: 'POST',
            body: approval.rawBody,
            headers: { 'content-type': 'application/json', ...approval.headers },
          }),
        transactions: 1,
        sameness: webhookAcknowledgement,
        settle: () => payPalWebhooksDelivered(standIn, topUp.providerReference),
      };
    },
    async (server) => {
      const { topUp } = await openTopUp(server, 'PAYPAL');
      const standIn = new URL(topUp.payment.approvalUrl).origin;
      const approval = await approvePayPal(standIn, topUp.providerReference);
      const post = (signed: { rawBody: string; headers: Record<string, string> }) =>
        send(`${server.baseUrl}/webhooks/paypal`, { method: 'POST', body: signed.rawBody, headers: { 'content-type': 'application/json', ...signed.headers } });
      // Let the approval through once, so the stand-in captures and sends PAYMENT.CAPTURE.COMPLETED, then replay that.
      await post(approval);
      await payPalWebhooksDelivered(standIn, topUp.providerReference);
      const completed = (await payPalWebhooks(standIn, topUp.providerReference)).find((webhook) => webhook.event.event_type === 'PAYMENT.CAPTURE.COMPLETED');
      if (!completed) throw new Error('the PayPal stand-in sent no PAYMENT.CAPTURE.COMPLETED');
      return { name: 'PayPal webhook (PAYMENT.CAPTURE.COMPLETED)', send: () => post(completed), transactions: 0, sameness: webhookAcknowledgement };
    },
    async (server) => {
      const { topUp } = await openTopUp(server, 'VNPAY');
      const standIn = new URL(topUp.payment.redirectUrl).origin;
      await send(topUp.payment.redirectUrl, { method: 'GET' });
      const result = await send(`${standIn}/_stand-in/payments/${encodeURIComponent(topUp.id)}/result`, {
        method: 'POST',
        body: JSON.stringify({ result: 'success', deliver: false }),
        headers: { 'content-type': 'application/json' },
      });
      if (result.status !== 200 || !result.body?.query) throw new Error(`the VNPay stand-in answered ${result.status}: ${JSON.stringify(result.body)}`);
      const url = `${server.baseUrl}/webhooks/vnpay/ipn?${new URLSearchParams(result.body.query)}`;
      return { name: 'VNPay IPN', send: () => send(url, { method: 'GET' }), transactions: 1, sameness: vnpayAcknowledgement };
    },
  ];
}

async function openTopUp(server: ServerProcess, method: 'STRIPE' | 'PAYPAL' | 'VNPAY'): Promise<{ buyer: Party; topUp: any }> {
  const buyer = await createParty(server, { billing: true });
  const input = { amount: '20', method, idempotencyKey: uniqueKey('replay-open'), returnUrl: RETURN_URL };
  const topUp = dataOf(await graphql(server.graphqlUrl, CREATE_TOP_UP, { input }, { token: buyer.token }), `createTopUp ${method}`).createTopUp;
  return { buyer, topUp };
}

/** A card top-up, paid (its success webhook applied). */
async function paidStripeTopUp(server: ServerProcess): Promise<{ buyer: Party; topUp: any }> {
  const opened = await openTopUp(server, 'STRIPE');
  const answer = await postStripeWebhook(server.baseUrl, signedStripeSuccess(opened.topUp));
  if (answer.status !== 200) throw new Error(`the payment of ${opened.topUp.id} was not applied: ${answer.status}`);
  return opened;
}

/** A card top-up paid at the Stripe stand-in (its payment_intent.succeeded delivered), so the stand-in can refund it. */
async function paidAtStripeStandIn(server: ServerProcess): Promise<{ topUp: any; standIn: string }> {
  const { topUp } = await openTopUp(server, 'STRIPE');
  const standIn = standInOf(topUp);
  const paid = await payAtStandIn(standIn, topUp);
  if (paid.status !== 200 || paid.body?.delivery?.status !== 200)
    throw new Error(`the Stripe stand-in did not pay ${topUp.id}: ${paid.status} ${JSON.stringify(paid.body?.delivery ?? paid.body)}`);
  return { topUp, standIn };
}

/** A paid card top-up and one refund of part of it, taken by refundTopUp and asked of the Stripe stand-in. */
async function refundedAtStripeStandIn(server: ServerProcess): Promise<{ topUp: any; refund: any; standIn: string }> {
  const { topUp, standIn } = await paidAtStripeStandIn(server);
  const input = { topUpId: topUp.id, amount: '5', reason: 'replay', idempotencyKey: uniqueKey('replay-refunded') };
  const refund = dataOf(await graphql(server.graphqlUrl, REFUND_TOP_UP, { input }, { token: await tokens.admin() }), 'refundTopUp').refundTopUp;
  if (!refund.providerReference) throw new Error(`the refund of ${topUp.id} has no Stripe refund: ${JSON.stringify(refund)}`);
  return { topUp, refund, standIn };
}

/** Problems, if the top-up's reversed and refunded amounts and its refunds' statuses are not these. */
async function refundState(
  server: ServerProcess,
  topUpId: string,
  expected: { reversedAmount: string; refundedAmount: string; refunds: string[] },
): Promise<string[]> {
  const { topUp } = dataOf(await graphql(server.graphqlUrl, TOP_UP_REFUNDS, { id: topUpId }, { token: await tokens.admin() }), 'topUp refunds');
  const seen = { reversedAmount: topUp.reversedAmount, refundedAmount: topUp.refundedAmount, refunds: topUp.refunds.map((refund: any) => refund.status) };
  return JSON.stringify(seen) === JSON.stringify(expected) ? [] : [`top-up ${topUpId} is ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`];
}

async function approvePayPal(standIn: string, orderId: string): Promise<{ rawBody: string; headers: Record<string, string> }> {
  const answer = await send(`${standIn}/_stand-in/orders/${encodeURIComponent(orderId)}/approve`, {
    method: 'POST',
    body: JSON.stringify({ deliver: false }),
    headers: { 'content-type': 'application/json' },
  });
  if (answer.status !== 200 || !answer.body?.rawBody)
    throw new Error(`the PayPal stand-in did not approve ${orderId}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function payPalWebhooks(standIn: string, orderId: string): Promise<any[]> {
  const answer = await send(`${standIn}/_stand-in/webhooks`, { method: 'GET' });
  return (answer.body as any[]).filter((webhook) => JSON.stringify(webhook.event.resource).includes(orderId));
}

/** Waits until every webhook the PayPal stand-in sent on its own about this order has been answered. */
async function payPalWebhooksDelivered(standIn: string, orderId: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const webhooks = await payPalWebhooks(standIn, orderId);
    const sentOnItsOwn = webhooks.filter((webhook) => webhook.event.event_type !== 'CHECKOUT.ORDER.APPROVED');
    if (sentOnItsOwn.length > 0 && sentOnItsOwn.every((webhook) => webhook.delivery)) return;
    await sleep(100);
  }
}
