import { providerId } from './http';

/**
 * The saved-card half of the Stripe stand-in: Customers, SetupIntents (a card saved for later,
 * off-session use) and the PaymentMethods they attach. Which card a person (or a test) enters
 * decides what happens, like Stripe's own test cards: whether saving it needs 3-D Secure, and what
 * an off-session charge on it does later.
 */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown> & { type: string; code?: string; message: string; param?: string },
  ) {
    super(body.message);
  }
}

/** What an off-session charge on a saved card does. */
export type OffSessionBehaviour = 'succeed' | 'authentication_required' | 'decline';

export interface StandInTestCard {
  number: string;
  label: string;
  /** Saving it: at once, after a 3-D Secure OTP, or declined. */
  setup: 'succeed' | 'authenticate' | 'decline';
  offSession: OffSessionBehaviour;
}

/** Stripe's test card numbers, with the behaviour Stripe documents for each. */
export const STAND_IN_TEST_CARDS: readonly StandInTestCard[] = [
  { number: '4242424242424242', label: 'Visa 4242: saved at once; off-session charges succeed', setup: 'succeed', offSession: 'succeed' },
  { number: '4000002500003155', label: 'Visa 3155: 3-D Secure to save it; off-session charges succeed', setup: 'authenticate', offSession: 'succeed' },
  {
    number: '4000002760003184',
    label: 'Visa 3184: 3-D Secure to save it and for every charge (off-session: authentication_required)',
    setup: 'authenticate',
    offSession: 'authentication_required',
  },
  { number: '4000000000000341', label: 'Visa 0341: saved at once; off-session charges are declined', setup: 'succeed', offSession: 'decline' },
  { number: '4000000000000002', label: 'Visa 0002: declined when saving it', setup: 'decline', offSession: 'decline' },
];

const cardByLast4 = (last4: string) => STAND_IN_TEST_CARDS.find((card) => card.number.endsWith(last4));

interface StandInCustomer {
  id: string;
  object: 'customer';
  created: number;
  livemode: false;
  metadata: Record<string, string>;
  email: string | null;
  name: string | null;
}

export interface StandInPaymentMethod {
  id: string;
  object: 'payment_method';
  type: 'card';
  card: { brand: 'visa'; last4: string; exp_month: number; exp_year: number; country: 'US'; funding: 'credit' };
  customer: string | null;
  created: number;
  livemode: false;
  metadata: Record<string, string>;
}

export type SetupIntentStatus = 'requires_payment_method' | 'requires_action' | 'succeeded' | 'canceled';

export interface StandInSetupIntent {
  id: string;
  object: 'setup_intent';
  client_secret: string;
  customer: string | null;
  status: SetupIntentStatus;
  usage: string;
  payment_method: string | null;
  last_setup_error: { type: string; code: string; decline_code?: string; message: string } | null;
  next_action: StandInNextAction | null;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

/** A stored state change a control made, for the stand-in to sign and send. */
export interface CardEvent {
  type: string;
  object: object;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Payment method ids carry the test card's last four digits (`pm_4242…`), so a stand-in started
 * again (the demo after a restart, its objects gone from memory) still honours the cards it saved
 * before; everything else about them is kept only in memory.
 */
const PAYMENT_METHOD_ID = /^pm_(\d{4})[a-z0-9]{6,40}$/;
/** Customer ids this stand-in gives out; one from before a restart is taken as known (see above). */
const CUSTOMER_ID = /^cus_[a-z0-9]{6,40}$/;

/** Stripe's `next_action` of an intent, the two kinds the stand-in answers. */
export type StandInNextAction = { type: 'use_stripe_sdk' } | { type: 'redirect_to_url'; redirect_to_url: { url: string; return_url: string | null } };

/**
 * The stand-in has no Stripe.js: an intent that waits for the card holder names the stand-in's card
 * page as a redirect, in the shape Stripe uses for a redirect it asks for.
 */
export const redirectToPage = (url: string): StandInNextAction => ({ type: 'redirect_to_url', redirect_to_url: { url, return_url: null } });

export class StripeCardVault {
  private readonly customers = new Map<string, StandInCustomer>();
  private readonly paymentMethods = new Map<string, StandInPaymentMethod>();
  private readonly setupIntents = new Map<string, StandInSetupIntent>();
  /** The card entered on a SetupIntent that waits for 3-D Secure. */
  private readonly pendingCards = new Map<string, StandInTestCard>();

  createCustomer(params: Record<string, unknown>): StandInCustomer {
    const customer: StandInCustomer = {
      id: providerId('cus_'),
      object: 'customer',
      created: nowSeconds(),
      livemode: false,
      metadata: recordOf(params.metadata),
      email: typeof params.email === 'string' ? params.email : null,
      name: typeof params.name === 'string' ? params.name : null,
    };
    this.customers.set(customer.id, customer);
    return customer;
  }

  customer(id: string): StandInCustomer {
    const known = this.customers.get(id);
    if (known) return known;
    if (!CUSTOMER_ID.test(id)) throw missing('customer', id);
    const remembered: StandInCustomer = { id, object: 'customer', created: nowSeconds(), livemode: false, metadata: {}, email: null, name: null };
    this.customers.set(id, remembered);
    return remembered;
  }

  createSetupIntent(params: Record<string, unknown>): StandInSetupIntent {
    const customer = typeof params.customer === 'string' ? this.customer(params.customer).id : null;
    const id = providerId('seti_');
    const intent: StandInSetupIntent = {
      id,
      object: 'setup_intent',
      client_secret: `${id}_secret_${providerId('')}`,
      customer,
      status: 'requires_payment_method',
      usage: typeof params.usage === 'string' ? params.usage : 'off_session',
      payment_method: null,
      last_setup_error: null,
      next_action: null,
      metadata: recordOf(params.metadata),
      created: nowSeconds(),
      livemode: false,
    };
    this.setupIntents.set(id, intent);
    return intent;
  }

  setupIntent(id: string): StandInSetupIntent {
    const intent = this.setupIntents.get(id);
    if (!intent) throw missing('setup_intent', id);
    return intent;
  }

  setupIntentBySecret(clientSecret: string | null): StandInSetupIntent | undefined {
    return [...this.setupIntents.values()].find((intent) => intent.client_secret === clientSecret);
  }

  paymentMethod(id: string): StandInPaymentMethod {
    const known = this.paymentMethods.get(id);
    if (known) return known;
    const remembered = PAYMENT_METHOD_ID.exec(id);
    const card = remembered ? cardByLast4(remembered[1]) : undefined;
    if (!card) throw missing('payment_method', id);
    return paymentMethodFor(id, card, null);
  }

  /** `POST /v1/payment_methods/:id/detach`: the card leaves its customer and cannot be charged off-session any more. */
  detach(id: string): StandInPaymentMethod {
    const paymentMethod = this.paymentMethod(id);
    if (this.paymentMethods.has(id) && paymentMethod.customer === null) {
      throw new StripeApiError(400, {
        type: 'invalid_request_error',
        code: 'payment_method_unexpected_state',
        message: 'The payment method you provided is not attached to a customer so detachment is impossible.',
      });
    }
    const detached = { ...paymentMethod, customer: null };
    this.paymentMethods.set(id, detached);
    return detached;
  }

  /**
   * What Stripe.js does with the card a person entered: saves it (attaching a new PaymentMethod to
   * the customer), asks for 3-D Secure first, or declines it. With an OTP, answers the pending
   * 3-D Secure challenge instead.
   */
  confirmSetup(id: string, input: { card?: string; otp?: string }, otpExpected: string): CardEvent {
    const intent = this.setupIntent(id);
    if (intent.status === 'succeeded' || intent.status === 'canceled') {
      throw new StripeApiError(400, {
        type: 'invalid_request_error',
        code: 'setup_intent_unexpected_state',
        message: `This SetupIntent's status is ${intent.status}; it cannot be confirmed again.`,
      });
    }
    if (intent.status === 'requires_action') {
      const card = this.pendingCards.get(id)!;
      this.pendingCards.delete(id);
      if (input.otp === otpExpected) return this.attach(intent, card);
      return this.refuseSetup(intent, { code: 'setup_intent_authentication_failure', message: 'The card holder failed 3-D Secure authentication.' });
    }
    const card = STAND_IN_TEST_CARDS.find((candidate) => candidate.number === (input.card ?? '').replace(/\s+/g, ''));
    if (!card) {
      throw new StripeApiError(400, { type: 'card_error', code: 'incorrect_number', param: 'card', message: 'Use one of the stand-in test cards.' });
    }
    if (card.setup === 'decline')
      return this.refuseSetup(intent, { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' });
    if (card.setup === 'authenticate') {
      this.pendingCards.set(id, card);
      Object.assign(intent, { status: 'requires_action', next_action: { type: 'use_stripe_sdk' }, last_setup_error: null });
      return { type: 'setup_intent.requires_action', object: intent };
    }
    return this.attach(intent, card);
  }

  /**
   * An off-session confirmation of a PaymentIntent with a saved card: the card must be attached to
   * the customer; its test number decides the outcome.
   */
  offSessionBehaviour(customerId: unknown, paymentMethodId: unknown): { behaviour: OffSessionBehaviour; paymentMethod: StandInPaymentMethod } {
    if (typeof paymentMethodId !== 'string') {
      throw new StripeApiError(400, { type: 'invalid_request_error', code: 'parameter_missing', param: 'payment_method', message: 'Missing payment_method.' });
    }
    const paymentMethod = this.paymentMethod(paymentMethodId);
    // A card this stand-in attached in this life must belong to the customer named; one it only
    // recognises by its id (saved before a restart) is taken as the customer's.
    if (this.paymentMethods.has(paymentMethodId) && paymentMethod.customer !== customerId) {
      throw new StripeApiError(400, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'payment_method',
        message: `The PaymentMethod ${paymentMethodId} is not attached to customer ${String(customerId)}.`,
      });
    }
    const card = cardByLast4(paymentMethod.card.last4)!;
    return { behaviour: card.offSession, paymentMethod };
  }

  private attach(intent: StandInSetupIntent, card: StandInTestCard): CardEvent {
    const paymentMethod = paymentMethodFor(providerId(`pm_${card.number.slice(-4)}`), card, intent.customer);
    this.paymentMethods.set(paymentMethod.id, paymentMethod);
    Object.assign(intent, { status: 'succeeded', payment_method: paymentMethod.id, next_action: null, last_setup_error: null });
    return { type: 'setup_intent.succeeded', object: intent };
  }

  private refuseSetup(intent: StandInSetupIntent, error: { code: string; decline_code?: string; message: string }): CardEvent {
    Object.assign(intent, { status: 'requires_payment_method', next_action: null, last_setup_error: { type: 'card_error', ...error } });
    return { type: 'setup_intent.setup_failed', object: intent };
  }
}

function paymentMethodFor(id: string, card: StandInTestCard, customer: string | null): StandInPaymentMethod {
  return {
    id,
    object: 'payment_method',
    type: 'card',
    card: { brand: 'visa', last4: card.number.slice(-4), exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, country: 'US', funding: 'credit' },
    customer,
    created: nowSeconds(),
    livemode: false,
    metadata: {},
  };
}

export function missing(kind: string, id: string): StripeApiError {
  return new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'id', message: `No such ${kind}: '${id}'` });
}

function recordOf(value: unknown): Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, string>) : {};
}
