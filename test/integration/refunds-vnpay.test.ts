import type { VnpayStandIn } from '../../src/demo/stand-ins';
import { newKey } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { refundPostings, refundTopUp, TOP_UP_REFUNDS } from '../support/refunds';
import { balancesOf, Buyer, createBuyer, createTopUp, readTopUp } from '../support/top-ups';

describe("refundTopUp through VNPay's refund API", () => {
  let server: TestServer;
  let vnpay: VnpayStandIn;
  beforeAll(async () => {
    server = await startTestServer();
    ({ vnpay } = server.standIns);
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(async () => {
    expect(await server.audit()).toEqual([]);
  });

  /** A VNPay top-up the buyer paid (its IPN confirmed it). */
  async function paidTopUp(buyer: Buyer, amount: string) {
    const topUp = await createTopUp(server, buyer, { method: 'VNPAY', amount });
    vnpay.openPaymentUrl(topUp.payment.redirectUrl);
    expect((await vnpay.callIpn(vnpay.resultQuery(topUp.id, 'success'))).answer).toMatchObject({ RspCode: '00' });
    expect((await readTopUp(server, buyer, topUp.id)).status).toBe('SUCCEEDED');
    return topUp;
  }

  it('refunds part of a payment and then the rest, in whole dong, confirmed by the signed answer', async () => {
    const buyer = await createBuyer(server);
    const topUp = await paidTopUp(buyer, '10');
    const part = await refundTopUp(server, { topUpId: topUp.id, amount: '2.5' });
    expect(part.errors).toEqual([]);
    expect(part.data.refundTopUp).toMatchObject({
      method: 'VNPAY',
      status: 'SUCCEEDED',
      money: { currency: 'VND', amountMinor: '65000', amount: '65000' },
      topUp: { status: 'PARTIALLY_REFUNDED', refundedAmount: '2.500000' },
    });
    const rest = await refundTopUp(server, { topUpId: topUp.id, amount: '7.5' });
    expect(rest.data.refundTopUp).toMatchObject({ status: 'SUCCEEDED', money: { amountMinor: '195000' }, topUp: { status: 'REFUNDED' } });
    // VNPay holds both: a partial refund (03), then the rest (03 too: part of it was refunded before), in dong × 100.
    expect(vnpay.refunds.filter((refund) => refund.txnRef === topUp.id).map(({ amount, transactionType }) => ({ amount, transactionType }))).toEqual([
      { amount: '6500000', transactionType: '03' },
      { amount: '19500000', transactionType: '03' },
    ]);
    expect(rest.data.refundTopUp.providerReference).toBe(vnpay.refunds.at(-1)!.transactionNo);
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '0.000000' });
  });

  it('asks for a full refund (02) when the whole payment goes back', async () => {
    const buyer = await createBuyer(server);
    const topUp = await paidTopUp(buyer, '10');
    expect((await refundTopUp(server, { topUpId: topUp.id, amount: '10' })).data.refundTopUp).toMatchObject({
      status: 'SUCCEEDED',
      money: { amountMinor: '260000' },
    });
    expect(vnpay.refunds.filter((refund) => refund.txnRef === topUp.id).map((refund) => refund.transactionType)).toEqual(['02']);
  });

  it('gives the credits back once when VNPay refuses the refund (code 95)', async () => {
    const buyer = await createBuyer(server);
    const topUp = await paidTopUp(buyer, '12');
    vnpay.refuseRefunds(topUp.id);
    const refused = await refundTopUp(server, { topUpId: topUp.id, amount: '12' });
    expect(refused.data.refundTopUp).toMatchObject({
      status: 'FAILED',
      failureReason: 'vnp_ResponseCode 95',
      topUp: { status: 'SUCCEEDED', refundedAmount: '0.000000' },
    });
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '12.000000' });
    expect(await refundPostings(server, topUp.id)).toBe(2);
    const { topUp: after } = await server.ok(TOP_UP_REFUNDS, { id: topUp.id }, buyer.token);
    expect(after.refunds).toEqual([expect.objectContaining({ status: 'FAILED', reason: null })]);
  });

  it('answers a replay with the first refund, without asking VNPay again', async () => {
    const buyer = await createBuyer(server);
    const topUp = await paidTopUp(buyer, '10');
    const idempotencyKey = newKey();
    const answers = await Promise.all([1, 2, 3].map(() => refundTopUp(server, { topUpId: topUp.id, amount: '1', idempotencyKey })));
    expect(answers.flatMap((answer) => answer.errors)).toEqual([]);
    expect(new Set(answers.map((answer) => answer.data.refundTopUp.id)).size).toBe(1);
    expect(vnpay.refunds.filter((refund) => refund.txnRef === topUp.id)).toHaveLength(1);
    expect(codes(await refundTopUp(server, { topUpId: topUp.id, amount: '2', idempotencyKey }))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '9.000000' });
  });
});
