import type { IncomingHttpHeaders } from 'node:http';
import type { PaymentFailureCode } from './failure-codes';

/**
 * The one interface between the top-up lifecycle and the payment providers. Adapters wrap the
 * real SDKs (`stripe`, `@paypal/paypal-server-sdk`, `vnpay`) and their signature schemes; the
 * top-up service never sees provider wire formats, and the adapters never touch the database.
 */
export enum PaymentMethod {
  STRIPE = 'STRIPE',
  PAYPAL = 'PAYPAL',
  VNPAY = 'VNPAY',
}

export type PaymentCurrency = 'USD' | 'VND';

export interface StartPaymentRequest {
  /** Our top-up id. Provider idempotency keys derive from it, so a retry never charges twice. */
  topUpId: string;
  /** In the currency's minor units: USD cents, VND dong. */
  amountMinor: bigint;
  currency: PaymentCurrency;
  /** ASCII only, no accents (VNPay's vnp_OrderInfo). */
  description: string;
  /** Where the buyer's browser returns after paying (PayPal, VNPay). */
  returnUrl: string;
  cancelUrl: string;
  /** The buyer's IP (VNPay's vnp_IpAddr). */
  clientIp: string;
  /** When the payment page stops accepting the payment (VNPay's vnp_ExpireDate). */
  expiresAt: Date;
  /**
   * When the top-up was created (VNPay's vnp_CreateDate; querydr later names the transaction by
   * it). Defaults to now. Pass the stored creation time so a retry builds the very same URL.
   */
  createdAt?: Date;
  /** Stripe only: charge this saved card now, without the buyer (auto-recharge). */
  offSession?: OffSessionCard;
}

/** A card saved for later use: Stripe's Customer and the PaymentMethod attached to it. */
export interface OffSessionCard {
  customerReference: string;
  paymentMethodReference: string;
}

/** What the buyer's browser does next, in the terms every provider answers in. */
export enum NextActionType {
  /** Send the browser to a provider page: PayPal's payer-action / approve link, VNPay's signed payment URL, Stripe's `next_action.redirect_to_url`. */
  REDIRECT_TO_URL = 'REDIRECT_TO_URL',
  /** Stripe: confirm the intent's client secret with Stripe.js, which runs 3-D Secure itself (`next_action.use_stripe_sdk`, or no next action yet). */
  USE_STRIPE_SDK = 'USE_STRIPE_SDK',
}

/** The next step the provider asked for; the client secret of USE_STRIPE_SDK travels beside it. */
export type NextAction = { type: NextActionType.REDIRECT_TO_URL; url: string } | { type: NextActionType.USE_STRIPE_SDK };

export interface StartedPayment {
  /** Stripe PaymentIntent id, PayPal order id, or VNPay vnp_TxnRef. */
  providerReference: string;
  /** Stripe: the PaymentIntent's client_secret for Stripe.js. */
  clientSecret?: string;
  /** Where the buyer goes to pay. */
  nextAction: NextAction;
  /**
   * An off-session charge is confirmed at once: its outcome (SUCCEEDED, FAILED, or REQUIRES_ACTION
   * when the issuer wants the card holder back for 3-D Secure), applied like any provider event.
   */
  outcome?: PaymentEvent;
}

export type PaymentOutcome =
  | 'SUCCEEDED'
  | 'FAILED'
  /**
   * One attempt failed and the same payment may be tried again (Stripe: 3-D Secure was not passed,
   * and the PaymentIntent is back at `requires_payment_method`): the top-up stays open.
   */
  | 'ATTEMPT_FAILED'
  | 'CANCELED'
  | 'REQUIRES_ACTION'
  | 'PROCESSING'
  /** PayPal: the buyer approved; the order still has to be captured. */
  | 'APPROVED'
  | 'REFUNDED'
  /** A dispute (chargeback) took the money: the credits go back with it, once per dispute. */
  | 'DISPUTED'
  /** A dispute was decided for the platform (the money is reinstated): what it took comes back, once. */
  | 'DISPUTE_WON';

/** A verified provider notification, normalised. */
export interface PaymentEvent {
  provider: PaymentMethod;
  /** Unique per provider event; recorded once, so a redelivery changes nothing. */
  eventId: string;
  outcome: PaymentOutcome;
  /** Our top-up id, from metadata / custom_id / vnp_TxnRef, when the event carries it. */
  topUpId: string | null;
  providerReference: string | null;
  /** The amount the event is about (the charge, or the refunded/disputed part), minor units. */
  amountMinor: bigint | null;
  currency: PaymentCurrency | null;
  /**
   * The provider's dispute (Stripe `dp_…`, PayPal's dispute or reversal of a capture) for DISPUTED
   * and DISPUTE_WON: every event about one dispute takes, or gives back, once.
   */
  disputeReference?: string;
  /** The provider's own wording: for the log only, never shown to the buyer. */
  reason?: string;
  /** For a FAILED, ATTEMPT_FAILED or CANCELED outcome: the classified cause the buyer is told. */
  failureCode?: PaymentFailureCode;
}

export interface PaymentProvider {
  readonly method: PaymentMethod;
  startPayment(request: StartPaymentRequest): Promise<StartedPayment>;
  /** Best effort: abandons the payment at the provider (Stripe cancels the PaymentIntent). */
  cancelPayment(providerReference: string): Promise<void>;
}

/** The platform returns part or all of a paid top-up's money through the provider that took it. */
export interface RefundRequest {
  /** Our refund id: the provider's idempotency key derives from it, and it travels back in the provider's events. */
  refundId: string;
  topUpId: string;
  /** The top-up's provider reference: Stripe PaymentIntent id, PayPal order id, VNPay vnp_TxnRef. */
  paymentReference: string;
  /** In the charge currency's minor units; at most what is left of the charge at the provider. */
  amountMinor: bigint;
  currency: PaymentCurrency;
  /** Whether this returns the whole charge (VNPay tells a full refund from a partial one). */
  wholeCharge: boolean;
  /** When the payment was started: VNPay names the transaction by it (the payment URL's vnp_CreateDate). */
  paymentStartedAt: Date;
}

/** Where a refund stands at the provider. */
export type RefundOutcome = 'PENDING' | 'SUCCEEDED' | 'FAILED';

/** The provider's answer to a refund request. A refusal is an answer (FAILED); an unknown outcome is thrown. */
export interface RefundAnswer {
  /** The provider's id of the refund (Stripe `re_…`, PayPal's refund id, VNPay's transaction number); null when it refused before making one. */
  providerRefundReference: string | null;
  outcome: RefundOutcome;
  /** The provider's own wording of a refusal: for the log and the admin, never for the buyer. */
  reason?: string;
}

/** A verified provider notification about one of the platform's own refunds (it carries our refund id). */
export interface RefundEvent {
  kind: 'REFUND';
  provider: PaymentMethod;
  eventId: string;
  refundId: string;
  providerRefundReference: string | null;
  outcome: RefundOutcome;
  reason?: string;
}

export const isRefundEvent = (event: PaymentEvent | SavedCardEvent | RefundEvent): event is RefundEvent => (event as RefundEvent).kind === 'REFUND';

export interface RefundGateway {
  /** Asks the provider to refund; the same `refundId` never refunds twice. */
  refund(request: RefundRequest): Promise<RefundAnswer>;
}

/** A verified SetupIntent event: whether a card was saved for later, and for which Stripe Customer. */
export interface SavedCardEvent {
  kind: 'CARD_SETUP';
  provider: PaymentMethod.STRIPE;
  eventId: string;
  outcome: 'SUCCEEDED' | 'REQUIRES_ACTION' | 'FAILED';
  setupIntentId: string;
  customerReference: string | null;
  paymentMethodReference: string | null;
}

export const isSavedCardEvent = (event: PaymentEvent | SavedCardEvent | RefundEvent): event is SavedCardEvent =>
  (event as SavedCardEvent).kind === 'CARD_SETUP';

/** What the console may show of a saved card (never its number). */
export interface SavedCardDetails {
  paymentMethodReference: string;
  customerReference: string | null;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

/** A SetupIntent waiting for the card holder: its client secret and where the holder goes to enter the card. */
export interface StartedCardSetup {
  setupIntentId: string;
  clientSecret: string;
  nextAction: NextAction;
}

/** Saving cards for off-session use: a Customer per account and SetupIntents confirmed by Stripe.js. */
export interface CardSetupGateway {
  /** Creates the account's Customer (one per account: the idempotency key derives from its id). */
  createCustomer(accountId: string): Promise<string>;
  /** `returnUrl`: where a page that saves the card sends the card holder back (the console's page; already checked). */
  startCardSetup(request: { customerReference: string; accountId: string; returnUrl?: string }): Promise<StartedCardSetup>;
  retrieveCard(paymentMethodReference: string): Promise<SavedCardDetails>;
  /** Detaches a saved card from its Customer (it can no longer be charged); a card already detached or unknown counts as done. */
  detachCard(paymentMethodReference: string): Promise<void>;
}

export interface StripeGateway extends PaymentProvider, CardSetupGateway, RefundGateway {
  /** `stripe.webhooks.constructEvent` on the raw body; throws `WebhookSignatureError`. */
  parseWebhook(rawBody: Buffer, signatureHeader: string | undefined): PaymentEvent | SavedCardEvent | RefundEvent | null;
}

export interface PayPalGateway extends PaymentProvider, RefundGateway {
  /** Captures an approved order; returns the outcome of the capture. */
  capture(orderId: string, topUpId: string): Promise<PaymentEvent>;
  /** Verifies the certificate-based signature; throws `WebhookSignatureError`. Null for events we ignore. */
  verifyWebhook(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<PaymentEvent | RefundEvent | null>;
}

export interface VnpayGateway extends PaymentProvider, RefundGateway {
  /** Verifies vnp_SecureHash of an IPN or return-URL query; throws `WebhookSignatureError`. */
  verifyCallback(query: Record<string, string>): PaymentEvent;
  /**
   * Asks VNPay (querydr) for the state of a payment whose IPN never came. Null when VNPay does not
   * know it; throws `WebhookSignatureError` when the answer is not signed by VNPay.
   */
  queryTransaction?(query: VnpayTransactionQuery): Promise<PaymentEvent | null>;
}

export interface VnpayTransactionQuery {
  topUpId: string;
  /** When the payment URL was built (its vnp_CreateDate); VNPay matches the transaction by it. */
  transactionDate: Date;
  /** The IP of the server asking. */
  clientIp: string;
}

export class WebhookSignatureError extends Error {}

/** The gateway of each configured provider; null for a provider that is not configured (its method is not offered). */
export interface PaymentGateways {
  stripe: StripeGateway | null;
  paypal: PayPalGateway | null;
  vnpay: VnpayGateway | null;
}

/** The methods whose provider is configured, in the order the options list them. */
export function configuredMethods(gateways: PaymentGateways): Set<PaymentMethod> {
  const all: [PaymentMethod, unknown][] = [
    [PaymentMethod.VNPAY, gateways.vnpay],
    [PaymentMethod.PAYPAL, gateways.paypal],
    [PaymentMethod.STRIPE, gateways.stripe],
  ];
  return new Set(all.filter(([, gateway]) => gateway !== null).map(([method]) => method));
}
