import { Role } from '../../src/auth/principal';
import { codes, GraphQLResult, startTestServer, TestServer } from '../support/harness';
import { createAccount } from '../support/fixtures';
import { collect, connect } from '../support/subscriptions';
import { CANCEL_TOP_UP, CAPTURE_PAYPAL, createBuyer, createTopUp, readTopUp, TOP_UP, TOP_UP_STATUS_CHANGED, type Buyer } from '../support/top-ups';

/**
 * Top-up ids and PayPal order ids are chosen by the caller, so a top-up that is not yours and one
 * that does not exist must be refused alike — same code, same message — or ids could be probed.
 * Only the platform admin, who may see every top-up, learns NOT_FOUND.
 */
describe('top-up ids cannot be probed', () => {
  let server: TestServer;
  let owner: Buyer;
  let stranger: Buyer;
  let strangerViewer: string;
  let otherPartner: string;
  let stripeTopUp: { id: string; status: string };
  let payPalTopUp: { id: string; status: string; providerReference: string };
  beforeAll(async () => {
    server = await startTestServer();
    owner = await createBuyer(server);
    stranger = await createBuyer(server);
    strangerViewer = await server.userToken(stranger.accountId, Role.VIEWER);
    otherPartner = await server.userToken(await createAccount(server, { kind: 'PARTNER' }), Role.OWNER);
    stripeTopUp = await createTopUp(server, owner, { method: 'STRIPE' });
    payPalTopUp = await createTopUp(server, owner, { method: 'PAYPAL' });
    await server.standIns.paypal.approve(payPalTopUp.providerReference, { deliver: false });
  });
  afterAll(async () => {
    await server.stop();
  });

  const MISSING_IDS = ['no-such-top-up', '00000000-0000-4000-8000-000000000000', 'x'.repeat(41)];

  /** The code and message of the one error, the whole of what a caller learns. */
  const refusal = (result: GraphQLResult) => {
    expect(result.errors).toHaveLength(1);
    return { code: result.errors[0].extensions?.code, message: result.errors[0].message };
  };

  const callers = () =>
    [
      ['the OWNER of another account', stranger.token],
      ['a VIEWER of another account', strangerViewer],
      ['the OWNER of a partner that does not manage the account', otherPartner],
    ] as const;

  it.each(['topUp', 'cancelTopUp', 'capturePayPalTopUp by top-up id'])(
    "answers %s on another account's top-up exactly as on a missing one",
    async (operation) => {
      const send = (id: string, token: string) => {
        if (operation === 'topUp') return server.call(TOP_UP, { id }, token);
        if (operation === 'cancelTopUp') return server.call(CANCEL_TOP_UP, { id }, token);
        return server.call(CAPTURE_PAYPAL, { input: { topUpId: id } }, token);
      };
      for (const [, token] of callers()) {
        const foreign = refusal(await send(operation === 'capturePayPalTopUp by top-up id' ? payPalTopUp.id : stripeTopUp.id, token));
        expect(foreign.code).toBe('FORBIDDEN');
        for (const missing of MISSING_IDS) expect(refusal(await send(missing, token))).toEqual(foreign);
      }
    },
  );

  it("answers capturePayPalTopUp by PayPal order id on another account's order exactly as on an unknown one, and captures nothing", async () => {
    for (const [, token] of callers()) {
      const foreign = refusal(await server.call(CAPTURE_PAYPAL, { input: { orderId: payPalTopUp.providerReference } }, token));
      expect(foreign.code).toBe('FORBIDDEN');
      for (const missing of ['NOPE', stripeTopUp.id, 'o'.repeat(300)]) {
        expect(refusal(await server.call(CAPTURE_PAYPAL, { input: { orderId: missing } }, token))).toEqual(foreign);
      }
    }
    expect((await readTopUp(server, owner, payPalTopUp.id)).status).toBe(payPalTopUp.status);
    expect((await readTopUp(server, owner, stripeTopUp.id)).status).toBe(stripeTopUp.status);
  });

  it("refuses a topUpStatusChanged subscription to another account's top-up exactly as to a missing one", async () => {
    const refusedSubscription = async (id: string) => {
      const subscription = collect<any>(connect(server.websocketUrl, stranger.token), TOP_UP_STATUS_CHANGED, { id });
      try {
        await expect(subscription.waitFor(1)).rejects.toThrow(/subscription failed/);
        return subscription.errors.map((error) => {
          const { message, extensions } = error as { message: string; extensions?: { code?: string } };
          return { code: extensions?.code, message };
        });
      } finally {
        await subscription.close();
      }
    };
    const foreign = await refusedSubscription(stripeTopUp.id);
    expect(foreign.map((error) => error.code)).toEqual(['FORBIDDEN']);
    for (const missing of MISSING_IDS) expect(await refusedSubscription(missing)).toEqual(foreign);
  });

  it('still serves the owner, and tells the platform admin NOT_FOUND for a missing top-up or order', async () => {
    expect((await readTopUp(server, owner, stripeTopUp.id)).id).toBe(stripeTopUp.id);
    const admin = await server.adminToken();
    expect((await server.ok(TOP_UP, { id: stripeTopUp.id }, admin)).topUp.id).toBe(stripeTopUp.id);
    expect(codes(await server.call(TOP_UP, { id: 'no-such-top-up' }, admin))).toEqual(['NOT_FOUND']);
    expect(codes(await server.call(CAPTURE_PAYPAL, { input: { orderId: 'NOPE' } }, admin))).toEqual(['NOT_FOUND']);
    // The admin sees every top-up but buys for no one: capturing an existing order is not theirs to do.
    expect(codes(await server.call(CAPTURE_PAYPAL, { input: { orderId: payPalTopUp.providerReference } }, admin))).toEqual(['FORBIDDEN']);
  });

  it('lets the owner capture by order id and cancel by top-up id after all those refusals', async () => {
    expect((await server.ok(CAPTURE_PAYPAL, { input: { orderId: payPalTopUp.providerReference } }, owner.token)).capturePayPalTopUp.status).toBe('SUCCEEDED');
    expect((await server.ok(CANCEL_TOP_UP, { id: stripeTopUp.id }, owner.token)).cancelTopUp.status).toBe('CANCELED');
    expect(await server.audit()).toEqual([]);
  });
});
