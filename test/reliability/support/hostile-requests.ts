import { SignJWT } from 'jose';
import Stripe from 'stripe';
import { seededRandom } from '../../support/seeded-random';
import { DEVELOPMENT_JWT_SECRET } from '../../../src/config';
import { STRIPE_STAND_IN_WEBHOOK_SECRET } from '../../../src/demo/stand-ins/stripe.stand-in';
import { Answer, tokens } from './client';
import type { Party } from './world';

/** What the attacker aims at: real accounts and valid tokens, so refusals are about the request itself. */
export interface HostileTargets {
  baseUrl: string;
  partner: Party;
  customer: Party;
  stranger: Party;
  viewer: string;
  admin: string;
  metering: string;
}

export interface HostileRequest {
  label: string;
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** NOT_FOUND is an expected refusal only for the platform admin. */
  caller: 'admin' | 'other';
  /** True when the answer is a refusal (the request must never be carried out). */
  refused(answer: Answer): boolean;
}

const refusedByStatusOrCode = (answer: Answer) => answer.status >= 400 || answer.codes.length > 0;
const json = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** `count` requests drawn from every family of attack, in a seeded random order (seed printed in the label). */
export async function hostileRequests(targets: HostileTargets, count: number, seed = 7): Promise<HostileRequest[]> {
  const random = seededRandom(seed);
  const families = await buildFamilies(targets);
  const all = families.flatMap((family) => family);
  const requests: HostileRequest[] = [];
  // Every template at least once, then random picks.
  requests.push(...all.map((make) => make(0)));
  while (requests.length < count) requests.push(random.pick(all)(requests.length));
  return random.shuffle(requests.slice(0, Math.max(count, all.length)));
}

type Template = (serial: number) => HostileRequest;

async function buildFamilies(targets: HostileTargets): Promise<Template[][]> {
  const gql =
    (label: string, query: string, variables: Record<string, unknown>, token: string | null, caller: 'admin' | 'other' = 'other'): Template =>
    () => ({
      label,
      path: '/graphql',
      method: 'POST',
      headers: { ...json, ...(token ? bearer(token) : {}) },
      body: JSON.stringify({ query, variables }),
      caller,
      refused: refusedByStatusOrCode,
    });
  const raw =
    (label: string, body: string, headers: Record<string, string>, token: string | null = targets.customer.token): Template =>
    () => ({
      label,
      path: '/graphql',
      method: 'POST',
      headers: { ...headers, ...(token ? bearer(token) : {}) },
      body,
      caller: 'other',
      refused: refusedByStatusOrCode,
    });
  const customer = targets.customer.token;
  const accountId = targets.customer.accountId;

  const deep = [30, 50, 70, 120].map((depth) =>
    gql(`introspection ${depth} deep`, `{ __schema { types { ${'fields { type { '.repeat(depth / 2)}name${' } }'.repeat(depth / 2)} } } }`, {}, customer),
  );
  const aliased = [
    gql(
      '600 aliases of balances',
      `{ ${Array.from({ length: 600 }, (_, index) => `a${index}: balances(accountId: "${accountId}") { totalBalance }`).join(' ')} }`,
      {},
      customer,
    ),
    gql(
      '500 aliases of creditHistory(first: 100)',
      `{ ${Array.from({ length: 500 }, (_, index) => `h${index}: creditHistory(accountId: "${accountId}", first: 100) { edges { node { amount balanceAfter } } }`).join(' ')} }`,
      {},
      customer,
    ),
    gql(
      '200 aliases of creditSummaryReport',
      `{ ${Array.from({ length: 200 }, (_, index) => `r${index}: creditSummaryReport(period: { from: "2025-01-01T00:00:00+07:00", to: "2026-01-01T00:00:00+07:00" }) { lines { closingBalance } }`).join(' ')} }`,
      {},
      targets.partner.token,
    ),
    gql('5,000 __typename aliases', `{ ${Array.from({ length: 5000 }, (_, index) => `t${index}: __typename`).join(' ')} }`, {}, customer),
    gql('1,000 directives', `{ balances(accountId: "${accountId}") { totalBalance ${'@include(if: true) '.repeat(1000)} } }`, {}, customer),
  ];
  const costly = [
    gql('partnerCustomers(first: 2147483647)', `{ partnerCustomers(first: 2147483647) { edges { node { id } } } }`, {}, targets.partner.token),
    gql('creditHistory(first: 1000000)', `{ creditHistory(accountId: "${accountId}", first: 1000000) { edges { node { amount } } } }`, {}, customer),
    gql('creditHistory(first: -1)', `{ creditHistory(accountId: "${accountId}", first: -1) { edges { node { amount } } } }`, {}, customer),
    gql(
      'a 367-day report period',
      `{ creditSummaryReport(period: { from: "2020-01-01T00:00:00+07:00", to: "2026-01-01T00:00:00+07:00" }) { lines { closingBalance } } }`,
      {},
      targets.partner.token,
    ),
  ];
  const huge = [
    raw('a 2 MB body', JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(2_000_000) } }), json),
    raw('a 200 kB query of whitespace and comments', JSON.stringify({ query: `{ ${'# padding\n'.repeat(20_000)} foo }` }), json),
    raw(
      'a 10,000-element variables list',
      JSON.stringify({
        query: 'mutation ($events: [UsageEventInput!]!) { recordUsage(events: $events) { appliedCount } }',
        variables: {
          events: Array.from({ length: 10_000 }, (_, index) => ({
            eventId: `flood-${index}`,
            accountId,
            service: 'x',
            amount: '1',
            occurredAt: new Date().toISOString(),
          })),
        },
      }),
      json,
      targets.metering,
    ),
  ];
  const malformed = [
    raw('truncated JSON', '{"query": "{ balances', json),
    raw('JSON that is not an object', '"{ __typename }"', json),
    raw('query is a number', JSON.stringify({ query: 42 }), json),
    raw('variables is a string', JSON.stringify({ query: '{ __typename }', variables: 'nope' }), json),
    raw('no query', JSON.stringify({ variables: {} }), json),
    raw('a batch (batching is off)', JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]), json),
    raw('GraphQL syntax error', JSON.stringify({ query: '{ balances(accountId: ' }), json),
    raw('unknown field (no suggestions in production)', JSON.stringify({ query: '{ balancez }' }), json),
    raw('text/plain body (CSRF prevention)', '{ __typename }', { 'content-type': 'text/plain' }),
    raw('form body', 'query=%7B__typename%7D', { 'content-type': 'application/x-www-form-urlencoded' }),
    raw('unknown persisted-query hash', JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } }), json),
    raw('invalid UTF-8', Buffer.from([0x7b, 0x22, 0x71, 0xff, 0xfe, 0x22, 0x7d]).toString('latin1'), json),
    raw('a subscription over HTTP', JSON.stringify({ query: `subscription { balanceChanged(accountId: "${accountId}") { totalBalance } }` }), json),
    raw('two operations, no operationName', JSON.stringify({ query: 'query A { __typename } query B { __typename }' }), json),
  ];
  const signed = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(DEVELOPMENT_JWT_SECRET));
  const forgedTokens: [string, string][] = [
    ['expired', await tokens.expired(accountId)],
    ['bad signature', await tokens.badSignature(accountId)],
    ['scope is an array', await signed({ sub: 'svc', scope: ['admin'] })],
    ['scope is a number', await signed({ sub: 'svc', scope: 42 })],
    ['role is a number', await signed({ sub: 'u', account_id: accountId, role: 1 })],
    ['account_id is an array', await signed({ sub: 'u', account_id: [accountId], role: 'OWNER' })],
    ['sub is missing', await signed({ account_id: accountId, role: 'OWNER' })],
    ['sub is an object', await signed({ sub: { id: 1 }, scope: 'admin' })],
    [
      'alg none',
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', scope: 'admin' })).toString('base64url')}.`,
    ],
    ['garbage', 'not.a.token'],
    ['10 kB of garbage', 'x'.repeat(10_000)],
  ];
  const tokenAttacks = forgedTokens.flatMap(([label, token]) => [
    gql(`token ${label} on balances`, `{ balances(accountId: "${accountId}") { totalBalance } }`, {}, token),
    gql(
      `token ${label} on grantPromotionalCredits`,
      `mutation { grantPromotionalCredits(input: { accountId: "${accountId}", amount: "5", reason: "x", idempotencyKey: "forged-grant-key" }) { grant { id } } }`,
      {},
      token,
    ),
    (): HostileRequest => ({
      label: `token ${label} on the usage CSV`,
      path: '/reports/usage.csv?from=2026-01-01T00:00:00%2B07:00&to=2026-02-01T00:00:00%2B07:00',
      method: 'GET',
      headers: bearer(token),
      caller: 'other',
      refused: refusedByStatusOrCode,
    }),
  ]);

  const stripeSigner = new Stripe('sk_test_hostile');
  const stripeEvent = JSON.stringify({
    id: 'evt_forged',
    object: 'event',
    type: 'payment_intent.succeeded',
    data: { object: { id: 'pi_forged', object: 'payment_intent', amount: 100000, amount_received: 100000, currency: 'usd', metadata: { topUpId: '1' } } },
  });
  const webhook =
    (label: string, path: string, body: string, headers: Record<string, string>, method: 'GET' | 'POST' = 'POST', refused = refusedByStatusOrCode): Template =>
    () => ({ label, path, method, headers, body: method === 'POST' ? body : undefined, caller: 'other', refused });
  const vnpayRefused = (answer: Answer) => answer.status >= 400 || (answer.body?.RspCode !== '00' && answer.body?.RspCode !== '02');
  const forgedWebhooks = [
    webhook('Stripe webhook signed with another secret', '/webhooks/stripe', stripeEvent, {
      ...json,
      'stripe-signature': stripeSigner.webhooks.generateTestHeaderString({ payload: stripeEvent, secret: 'whsec_forged' }),
    }),
    webhook('Stripe webhook without a signature', '/webhooks/stripe', stripeEvent, json),
    webhook('Stripe webhook with an old timestamp', '/webhooks/stripe', stripeEvent, {
      ...json,
      'stripe-signature': stripeSigner.webhooks.generateTestHeaderString({
        payload: stripeEvent,
        secret: STRIPE_STAND_IN_WEBHOOK_SECRET,
        timestamp: Math.floor(Date.now() / 1000) - 3600,
      }),
    }),
    webhook('Stripe webhook with a changed body', '/webhooks/stripe', stripeEvent.replace('100000', '999999'), {
      ...json,
      'stripe-signature': stripeSigner.webhooks.generateTestHeaderString({ payload: stripeEvent, secret: STRIPE_STAND_IN_WEBHOOK_SECRET }),
    }),
    webhook(
      'PayPal webhook with garbage headers',
      '/webhooks/paypal',
      JSON.stringify({ id: 'WH-forged', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: { id: 'x' } }),
      {
        ...json,
        'paypal-transmission-id': 'x',
        'paypal-transmission-time': new Date().toISOString(),
        'paypal-transmission-sig': 'AAAA',
        'paypal-cert-url': 'https://evil.example/cert.pem',
        'paypal-auth-algo': 'SHA256withRSA',
      },
    ),
    webhook('PayPal webhook without headers', '/webhooks/paypal', '{}', json),
    webhook(
      'VNPay IPN with a bad checksum',
      `/webhooks/vnpay/ipn?vnp_TxnRef=1&vnp_Amount=100000000&vnp_ResponseCode=00&vnp_TransactionStatus=00&vnp_SecureHash=${'0'.repeat(128)}`,
      '',
      {},
      'GET',
      vnpayRefused,
    ),
    webhook('VNPay IPN without parameters', '/webhooks/vnpay/ipn', '', {}, 'GET', vnpayRefused),
  ];

  const weirdAmounts = [
    ' 5',
    '5 ',
    '\u00a05',
    '5\u00a0',
    '\u20035',
    '١٥',
    '1e3',
    '-0',
    '0',
    '-5',
    '+5',
    '0x10',
    '5.0000001',
    '1000000001',
    '99999999999999999999999999',
    'NaN',
    'Infinity',
    '',
    '5,5',
    '.',
    '5.',
    '０５',
  ];
  let amountSerial = 0;
  const amountAttacks = weirdAmounts.flatMap((amount) => [
    gql(
      `transfer of ${JSON.stringify(amount)}`,
      'mutation ($input: TransferCreditsInput!) { transferCredits(input: $input) { transfer { id } } }',
      { input: { customerAccountId: accountId, amount, idempotencyKey: `hostile-transfer-${++amountSerial}`, dryRun: false } },
      targets.partner.token,
    ),
    gql(
      `grant of ${JSON.stringify(amount)}`,
      'mutation ($input: GrantPromotionalCreditsInput!) { grantPromotionalCredits(input: $input) { grant { id } } }',
      { input: { accountId, amount, reason: 'hostile', idempotencyKey: `hostile-grant-${++amountSerial}` } },
      targets.admin,
      'admin',
    ),
    gql(
      `usage of ${JSON.stringify(amount)}`,
      'mutation ($events: [UsageEventInput!]!) { recordUsage(events: $events) { refusedCount appliedCount } }',
      { events: [{ eventId: `hostile-usage-${++amountSerial}`, accountId, service: 'compute', amount, occurredAt: new Date().toISOString() }] },
      targets.metering,
    ),
    gql(
      `top-up of ${JSON.stringify(amount)}`,
      'mutation ($input: CreateTopUpInput!) { createTopUp(input: $input) { id } }',
      { input: { amount, method: 'STRIPE', idempotencyKey: `hostile-topup-${++amountSerial}`, returnUrl: 'http://localhost:5173/x' } },
      targets.stranger.token,
    ),
  ]);
  // A usage batch is answered per event: refusedCount = 1 is the refusal.
  const usageRefused = (answer: Answer) => refusedByStatusOrCode(answer) || answer.body?.data?.recordUsage?.appliedCount === 0;
  for (let index = 2; index < amountAttacks.length; index += 4) {
    const make = amountAttacks[index];
    amountAttacks[index] = (serial) => ({ ...make(serial), refused: usageRefused });
  }

  const weirdIds = [
    '',
    ' ',
    '../../etc/passwd',
    "' OR 1=1 --",
    'x'.repeat(10_000),
    '\u0000',
    '😀',
    'system',
    targets.stranger.accountId,
    '-1',
    '99999999999999999999',
  ];
  const idAttacks = weirdIds.flatMap((id) => [
    gql(`balances of ${JSON.stringify(id.slice(0, 20))}`, 'query ($id: ID!) { balances(accountId: $id) { totalBalance } }', { id }, customer),
    gql(`topUp ${JSON.stringify(id.slice(0, 20))}`, 'query ($id: ID!) { topUp(id: $id) { status } }', { id }, customer),
    gql(
      `account ${JSON.stringify(id.slice(0, 20))} as admin`,
      'query ($id: ID!) { account(id: $id) { id } }',
      { id: id === 'system' || id === targets.stranger.accountId ? 'no-such-account' : id },
      targets.admin,
      'admin',
    ),
    gql(`cancelTopUp ${JSON.stringify(id.slice(0, 20))}`, 'mutation ($id: ID!) { cancelTopUp(id: $id) { status } }', { id }, customer),
    gql(
      `capturePayPalTopUp ${JSON.stringify(id.slice(0, 20))}`,
      'mutation ($id: ID!) { capturePayPalTopUp(input: { topUpId: $id }) { status } }',
      { id },
      customer,
    ),
    gql(
      `a viewer reads ${JSON.stringify(id.slice(0, 20))}'s billing`,
      'query ($id: ID!) { account(id: $id) { billingInfo { taxCode } } }',
      { id },
      targets.viewer,
    ),
  ]);
  const csvAttacks = [
    'from=garbage&to=2026-01-01T00:00:00Z',
    'from=2026-01-01T00:00:00Z',
    'from=2026-01-01T00:00:00Z&from=2026-01-02T00:00:00Z&to=2026-02-01T00:00:00Z',
    'from=2026-01-01T00:00:00%2B07:00&to=2026-02-01T00:00:00%2B07:00&timeZone=Mars/Olympus',
  ].map((query): Template => () => ({
    label: `CSV with ${query}`,
    path: `/reports/summary.csv?${query}`,
    method: 'GET',
    headers: bearer(targets.partner.token),
    caller: 'other',
    refused: refusedByStatusOrCode,
  }));
  return [deep, aliased, costly, huge, malformed, tokenAttacks, forgedWebhooks, amountAttacks, idAttacks, csvAttacks];
}
