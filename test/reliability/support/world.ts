import { randomBytes } from 'node:crypto';
import { Role } from '../../../src/auth/principal';
import { CREATE_ACCOUNT, GRANT, UPDATE_BILLING, VALID_BILLING } from '../../support/fixtures';
import { RECORD_USAGE, TRANSFER, TRANSFER_BATCH } from '../../support/partners';
import { BALANCES, CREATE_TOP_UP, RETURN_URL } from '../../support/top-ups';
import { Answer, graphql, postStripeWebhook, signedStripeSuccess, tokens } from './client';
import type { ServerProcess } from './server-process';

export { BALANCES, CREATE_TOP_UP, GRANT, RECORD_USAGE, TRANSFER, TRANSFER_BATCH, UPDATE_BILLING, VALID_BILLING, RETURN_URL };

/** A run-unique suffix, so keys and ids never collide with another run on a shared database. */
export const RUN = randomBytes(3).toString('hex');
let counter = 0;
export const uniqueKey = (prefix: string) => `${prefix}-${RUN}-${++counter}`;

/** The data of an answer, or an error naming what went wrong. */
export function dataOf(answer: Answer, what: string): any {
  if (answer.status !== 200 || answer.codes.length > 0 || !answer.body?.data) {
    throw new Error(`${what}: HTTP ${answer.status} ${answer.networkError ?? JSON.stringify(answer.body).slice(0, 400)}`);
  }
  return answer.body.data;
}

export interface Party {
  accountId: string;
  token: string;
}

/** Creates an ACTIVE account through the admin API, with billing information when asked. */
export async function createParty(
  server: ServerProcess,
  options: { kind?: 'CUSTOMER' | 'PARTNER'; partnerId?: string; billing?: boolean; region?: string; status?: string; role?: Role } = {},
): Promise<Party> {
  const id = uniqueKey((options.kind ?? 'CUSTOMER').toLowerCase()).slice(0, 40);
  const input = {
    id,
    kind: options.kind ?? 'CUSTOMER',
    name: `Reliability ${id}`,
    region: options.region ?? 'VN',
    status: options.status ?? 'ACTIVE',
    partnerId: options.partnerId ?? null,
  };
  dataOf(await graphql(server.graphqlUrl, CREATE_ACCOUNT, { input }, { token: await tokens.admin() }), `createAccount ${id}`);
  const owner = await tokens.user(id, Role.OWNER);
  if (options.billing) dataOf(await graphql(server.graphqlUrl, UPDATE_BILLING, { accountId: id, input: VALID_BILLING }, { token: owner }), `billing ${id}`);
  return { accountId: id, token: options.role ? await tokens.user(id, options.role) : owner };
}

/** Buys credits the way a customer does: a Stripe top-up, paid by a signed webhook. */
export async function buyCredits(server: ServerProcess, buyer: Party, amount: string): Promise<any> {
  const input = { amount, method: 'STRIPE', idempotencyKey: uniqueKey('fund'), returnUrl: RETURN_URL };
  const topUp = dataOf(await graphql(server.graphqlUrl, CREATE_TOP_UP, { input }, { token: buyer.token }), 'createTopUp').createTopUp;
  const paid = await postStripeWebhook(server.baseUrl, signedStripeSuccess(topUp));
  if (paid.status !== 200) throw new Error(`the funding webhook answered ${paid.status}: ${JSON.stringify(paid.body)}`);
  return topUp;
}

export const MICROS = 1_000_000n;
/** "12.500000" → 12500000n. */
export function micros(credits: string): bigint {
  const [whole, fraction = ''] = credits.split('.');
  return BigInt(whole) * MICROS + BigInt((fraction + '000000').slice(0, 6));
}
