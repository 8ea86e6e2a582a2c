// Dead end the console met: the Stripe card page (where Stripe.js would run; here the stand-in's)
// and the card-saving page could not send the buyer back to the console, because the next action
// named no return. The API now gives such a page the console's return URL (with the top-up's id),
// and startSavedCardSetup takes a returnUrl, checked like createTopUp's.
import { StripeCustomerEntity } from '../../src/payments/auto-recharge/entities/stripe-customer.entity';
import { codes, startTestServer, TestServer } from '../support/harness';
import { START_CARD_SETUP } from '../support/auto-recharge';
import { createBuyer, createTopUp, RETURN_URL } from '../support/top-ups';

/** Follows the stand-in page's form the way a browser submits it, and answers the page it lands on. */
async function submitPageForm(pageUrl: string, action: string, fields: Record<string, string>): Promise<string> {
  const response = await fetch(new URL(action, pageUrl), { method: 'POST', body: new URLSearchParams({ page: '1', ...fields }), redirect: 'follow' });
  expect(response.status).toBe(200);
  return response.text();
}

const hiddenReturnUrl = (html: string) => /name="return_url" value="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
const backLink = (html: string) => /<a href="([^"]+)">Back to the console<\/a>/.exec(html)?.[1]?.replace(/&amp;/g, '&');

describe('Stripe pages send the buyer back to the console', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("names the console's return URL, with the top-up's id, on the card page of a card top-up, through 3-D Secure to the end", async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '25', returnUrl: RETURN_URL });
    expect(topUp.payment.nextAction.type).toBe('REDIRECT_TO_URL');
    const pageUrl = new URL(topUp.payment.nextAction.url);
    const expectedReturn = `${RETURN_URL}?topUpId=${topUp.id}`;
    expect(pageUrl.searchParams.get('return_url')).toBe(expectedReturn);

    const page = await (await fetch(pageUrl)).text();
    expect(hiddenReturnUrl(page)).toBe(expectedReturn);
    // Pay with 3-D Secure: a wrong code first (the payment stays payable), then the right one.
    await submitPageForm(pageUrl.toString(), `/_stand-in/payment_intents/${topUp.providerReference}/requires_action`, { return_url: expectedReturn });
    const retry = await submitPageForm(pageUrl.toString(), `/_stand-in/payment_intents/${topUp.providerReference}/otp`, {
      otp: '000000',
      return_url: expectedReturn,
    });
    expect(hiddenReturnUrl(retry)).toBe(expectedReturn);
    await submitPageForm(pageUrl.toString(), `/_stand-in/payment_intents/${topUp.providerReference}/requires_action`, { return_url: expectedReturn });
    const finished = await submitPageForm(pageUrl.toString(), `/_stand-in/payment_intents/${topUp.providerReference}/otp`, {
      otp: '123456',
      return_url: expectedReturn,
    });
    expect(backLink(finished)).toBe(expectedReturn);
    const after = await server.ok(`query ($id: ID!) { topUp(id: $id) { status } }`, { id: topUp.id }, buyer.token);
    expect(after.topUp.status).toBe('SUCCEEDED');
  });

  it('names the return URL on the card-saving page when startSavedCardSetup is given one, and leaves the page as it was without', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const { startSavedCardSetup } = await server.ok(START_CARD_SETUP, { returnUrl: 'http://localhost:4000/console/auto-recharge' }, buyer.token);
    const pageUrl = new URL(startSavedCardSetup.nextAction.url);
    expect(pageUrl.searchParams.get('return_url')).toBe('http://localhost:4000/console/auto-recharge');
    const saved = await submitPageForm(pageUrl.toString(), `/_stand-in/setup_intents/${startSavedCardSetup.setupIntentId}/confirm`, {
      card: '4242424242424242',
      return_url: 'http://localhost:4000/console/auto-recharge',
    });
    expect(backLink(saved)).toBe('http://localhost:4000/console/auto-recharge');

    const without = (await server.ok(START_CARD_SETUP, {}, buyer.token)).startSavedCardSetup;
    expect(new URL(without.nextAction.url).searchParams.has('return_url')).toBe(false);
  });

  it('refuses a return URL off the allowed origins, before anything is made at Stripe', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const refused = await server.call(START_CARD_SETUP, { returnUrl: 'https://elsewhere.example/steal' }, buyer.token);
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors[0].message).toMatch(/returnUrl must be on an allowed origin/);
    // Not even the account's Stripe Customer, which the first card setup creates.
    const customers = await server.services.runner.read((manager) => manager.countBy(StripeCustomerEntity, { accountId: buyer.accountId }));
    expect(customers).toBe(0);
  });
});
