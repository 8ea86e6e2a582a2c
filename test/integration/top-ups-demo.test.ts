import { startTestServer, TestServer } from '../support/harness';
import { balancesOf, createBuyer, createTopUp, postForm, RETURN_URL, waitForStatus } from '../support/top-ups';

describe('embedded demo: a person clicks through a top-up with each method on the stand-in pages', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('pays by card on the Stripe stand-in page reached from payment.nextAction', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '10' });
    expect(topUp.payment.nextAction).toMatchObject({ type: 'REDIRECT_TO_URL', clientSecret: null });
    const pageUrl = new URL(topUp.payment.nextAction.url);
    const page = await fetch(pageUrl);
    expect(await page.text()).toContain('Pay');
    const paid = await postForm(`${pageUrl.origin}/_stand-in/payment_intents/${topUp.providerReference}/succeed`, { page: '1' });
    expect(paid.status).toBe(303);
    await waitForStatus(server, buyer, topUp.id, 'SUCCEEDED');
  });

  it('approves on the PayPal stand-in page; the approval webhook captures', async () => {
    const buyer = await createBuyer(server);
    const topUp = await createTopUp(server, buyer, { method: 'PAYPAL', amount: '10' });
    expect(topUp.payment.nextAction).toEqual({ type: 'REDIRECT_TO_URL', url: topUp.payment.approvalUrl, clientSecret: null });
    const approval = new URL(topUp.payment.approvalUrl);
    expect((await fetch(approval)).status).toBe(200);
    const back = await postForm(`${approval.origin}/checkoutnow/approve`, { token: topUp.providerReference });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toContain(`token=${topUp.providerReference}`);
    await waitForStatus(server, buyer, topUp.id, 'SUCCEEDED');
  });

  it('pays on the VNPay stand-in page and comes back through our verifying route to the console', async () => {
    const buyer = await createBuyer(server);
    const topUp = await createTopUp(server, buyer, { method: 'VNPAY', amount: '10' });
    expect(topUp.payment.nextAction).toEqual({ type: 'REDIRECT_TO_URL', url: topUp.payment.redirectUrl, clientSecret: null });
    const paymentPage = new URL(topUp.payment.redirectUrl);
    expect((await fetch(paymentPage)).status).toBe(200);
    const back = await postForm(`${paymentPage.origin}/paymentv2/_stand-in/complete`, { txnRef: topUp.id, result: 'success' });
    expect(back.status).toBe(303);
    // VNPay called the IPN before sending the browser back, so the console learns SUCCEEDED at once.
    const toConsole = await fetch(back.headers.get('location')!, { redirect: 'manual' });
    expect(toConsole.status).toBe(303);
    expect(toConsole.headers.get('location')).toBe(`${RETURN_URL}?topUpId=${topUp.id}&status=SUCCEEDED`);
    await waitForStatus(server, buyer, topUp.id, 'SUCCEEDED');
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '10.000000' });
    expect(await server.audit()).toEqual([]);
  });
});
