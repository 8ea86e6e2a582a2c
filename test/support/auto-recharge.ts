import { AutoRechargeOutcome } from '../../src/payments/auto-recharge/auto-recharge-events';
import type { TestServer } from './harness';
import { collect, CollectedSubscription, connect, untilFirstEvent } from './subscriptions';
import type { Buyer } from './top-ups';
import { eventually } from './webhook-receiver';

export const START_CARD_SETUP = /* GraphQL */ `
  mutation StartCardSetup($accountId: ID, $returnUrl: String) {
    startSavedCardSetup(accountId: $accountId, returnUrl: $returnUrl) {
      setupIntentId
      clientSecret
      nextAction {
        type
        url
        clientSecret
      }
    }
  }
`;
export const SAVED_CARDS = /* GraphQL */ `
  query SavedCards($accountId: ID!) {
    savedPaymentMethods(accountId: $accountId) {
      id
      brand
      last4
      expMonth
      expYear
    }
  }
`;
const RULE_FIELDS = /* GraphQL */ `
  accountId status disabledReason threshold amount targetBalance monthlyCap spentThisMonth consecutiveFailures maxConsecutiveFailures
  paymentMethod { id last4 }
`;
export const SET_AUTO_RECHARGE = /* GraphQL */ `
  mutation SetAutoRecharge($input: SetAutoRechargeInput!) { setAutoRecharge(input: $input) { ${RULE_FIELDS} } }
`;
export const AUTO_RECHARGE = /* GraphQL */ `
  query AutoRecharge($accountId: ID!) { autoRecharge(accountId: $accountId) { ${RULE_FIELDS} } }
`;
export const PAUSE_AUTO_RECHARGE = /* GraphQL */ `
  mutation Pause($accountId: ID!, $paused: Boolean) { pauseAutoRecharge(accountId: $accountId, paused: $paused) { ${RULE_FIELDS} } }
`;
export const REMOVE_AUTO_RECHARGE = /* GraphQL */ `
  mutation Remove($accountId: ID!) {
    removeAutoRecharge(accountId: $accountId)
  }
`;
export const AUTO_RECHARGE_EVENTS = /* GraphQL */ `
  subscription AutoRechargeEvents($accountId: ID!) {
    autoRechargeEvents(accountId: $accountId) {
      eventId
      accountId
      type
      topUpId
      amount
      reason
      consecutiveFailures
      ruleStatus
    }
  }
`;
export const AUTO_TOP_UPS = /* GraphQL */ `
  query AutoTopUps($accountId: ID!, $origins: [TopUpOrigin!]) {
    topUps(accountId: $accountId, filter: { origins: $origins }, first: 100) {
      edges {
        node {
          id
          status
          origin
          amount
          providerReference
          failureCode
        }
      }
    }
  }
`;

/** The stand-in's test cards (Stripe's numbers). */
export const CARDS = {
  succeeds: '4242424242424242',
  authenticationRequired: '4000002760003184',
  declinedOffSession: '4000000000000341',
  declinedAtSetup: '4000000000000002',
} as const;

/**
 * Saves a stand-in test card for the buyer as the console would: startSavedCardSetup, then the card
 * holder confirms the SetupIntent (Stripe.js, here the stand-in's control; OTP when it asks), and
 * Stripe's signed setup_intent.succeeded reaches the webhook route. Returns the saved card's id.
 */
export async function saveCard(server: TestServer, buyer: Buyer, card: string = CARDS.succeeds): Promise<string> {
  const stripe = server.standIns.stripe;
  const { startSavedCardSetup } = await server.ok(START_CARD_SETUP, { accountId: buyer.accountId }, buyer.token);
  const before = (await savedCards(server, buyer)).length;
  const first = await stripe.confirmSetup(startSavedCardSetup.setupIntentId, { card });
  if (first.event.type === 'setup_intent.requires_action') await stripe.confirmSetup(startSavedCardSetup.setupIntentId, { otp: '123456' });
  const cards = await eventually(async () => {
    const list = await savedCards(server, buyer);
    return list.length > before ? list : undefined;
  }, 'the saved card');
  return cards[0].id;
}

export async function savedCards(server: TestServer, buyer: Buyer): Promise<{ id: string; last4: string }[]> {
  return (await server.ok(SAVED_CARDS, { accountId: buyer.accountId }, buyer.token)).savedPaymentMethods;
}

export async function autoTopUps(server: TestServer, buyer: Buyer) {
  const { topUps } = await server.ok(AUTO_TOP_UPS, { accountId: buyer.accountId, origins: ['AUTO_RECHARGE'] }, buyer.token);
  return topUps.edges.map((edge: { node: any }) => edge.node) as {
    id: string;
    status: string;
    origin: string;
    amount: string;
    providerReference: string | null;
    failureCode: string | null;
  }[];
}

/** A harmless AUTO_RECHARGE bus message (event id 0, no data touched), to make sure a subscription is live. */
export const autoRechargeProbe = (accountId: string) => ({
  eventId: 0,
  accountId,
  type: 'SKIPPED',
  topUpId: null,
  amountMicros: null,
  reason: 'PROBE',
  consecutiveFailures: 0,
  ruleStatus: null,
  occurredAt: new Date().toISOString(),
});

/**
 * Subscribes to the account's auto-recharge events and returns once the subscription is live: a
 * probe (published on the bus only, touching no data) is repeated until it arrives, then dropped.
 */
export async function subscribeToAutoRecharge(server: TestServer, buyer: Buyer): Promise<CollectedSubscription<any>> {
  const subscription = collect<any>(connect(server.websocketUrl, buyer.token), AUTO_RECHARGE_EVENTS, { accountId: buyer.accountId });
  await untilFirstEvent(subscription, () => server.services.bus.publish(AutoRechargeOutcome.topic, buyer.accountId, autoRechargeProbe(buyer.accountId)));
  const real = subscription.events.splice(0).filter((event) => event.autoRechargeEvents?.eventId !== '0');
  subscription.events.push(...real);
  return subscription;
}
