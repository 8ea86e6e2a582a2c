/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** CUSTOMER buys or receives credits; PARTNER resells to its customers. */
export type AccountKind =
  /** Uses credits: buys them, or receives them from its partner. */
  | 'CUSTOMER'
  /** Buys credits and transfers them to its customers. */
  | 'PARTNER'
  /** The platform's own account, the other side of top-ups, usage and grants. */
  | 'SYSTEM';

/** Where an account stands; only ACTIVE accounts buy, receive and spend credits. */
export type AccountStatus =
  /** In use. */
  | 'ACTIVE'
  /** Closed for good. */
  | 'CLOSED'
  /** Created by the admin, not yet activated. */
  | 'PENDING'
  /** Stopped by the admin: keeps its balance, cannot buy, receive or spend credits until activated again. */
  | 'SUSPENDED';

/** What happened: a charge succeeded, needs 3-D Secure, failed; a crossing was skipped; the rule was disabled. */
export type AutoRechargeEventType =
  /** The rule was turned off after too many failures in a row (reason: TOO_MANY_FAILURES). */
  | 'DISABLED'
  /** The charge was declined (or its top-up expired); consecutiveFailures counts it. */
  | 'FAILED'
  /** The rule was paused because the saved card it charges was removed (reason: PAYMENT_METHOD_REMOVED); set it again with another card. */
  | 'PAUSED'
  /** The card issuer asked for 3-D Secure: complete the top-up (topUp(id).payment.clientSecret with Stripe.js). */
  | 'REQUIRES_ACTION'
  /** The threshold was crossed but nothing was bought (reason: MONTHLY_CAP_REACHED, TOP_UP_OPEN, or a top-up refusal code). */
  | 'SKIPPED'
  /** The off-session charge went through; the credits were added. */
  | 'SUCCEEDED';

/** ACTIVE rules fire; PAUSED and DISABLED ones do not (pauseAutoRecharge(paused: false) resumes both). */
export type AutoRechargeStatus =
  /** Fires when the balance crosses the threshold downward. */
  | 'ACTIVE'
  /** Turned off after AUTO_RECHARGE_MAX_FAILURES failed charges in a row. */
  | 'DISABLED'
  /** Paused by the account, or because its card was removed (disabledReason PAYMENT_METHOD_REMOVED). */
  | 'PAUSED';

/** Who is invoiced. */
export type BillingEntityType =
  /** A company (needs a tax code). */
  | 'COMPANY'
  /** A person. */
  | 'INDIVIDUAL';

/** Billing information: who is invoiced, and where. */
export type BillingInfoInput = {
  /** The first address line. */
  addressLine1: string;
  /** The second address line, if any. */
  addressLine2?: string | null | undefined;
  /** The city. */
  city: string;
  /** Two-letter country code. */
  country: string;
  /** A person or a company. */
  entityType: BillingEntityType;
  /** Where invoices are sent. */
  invoiceEmail: string;
  /** 2 to 200 characters. */
  legalName: string;
  /** The postal code, if the country has them. */
  postalCode?: string | null | undefined;
  /** Required for a COMPANY, optional for an INDIVIDUAL (absent, null or empty for none). For VN: 10 digits, or 10 digits + "-" + 3 digits for a branch; elsewhere 4 to 32 letters, digits, spaces, ".", "/" and "-", starting with a letter or digit. */
  taxCode?: string | null | undefined;
};

/** A purchase of credits. */
export type CreateTopUpInput = {
  /** Defaults to your own account. */
  accountId?: string | number | null | undefined;
  /** Credits to buy; at least topUpOptions.minimumAmount. */
  amount: string;
  /** Unique per account; retrying with the same key returns the same top-up and payment data. */
  idempotencyKey: string;
  /** How to pay. */
  method: PaymentMethod;
  /** Where the browser returns after paying: an https URL on an allowed console origin (http://localhost in development). */
  returnUrl: string;
};

/** A new webhook endpoint. */
export type CreateWebhookEndpointInput = {
  /** The account whose events it receives. */
  accountId: string | number;
  /** A note for its owner (at most 200 characters). */
  description?: string | null | undefined;
  /** The event types it receives. */
  events: Array<WebhookEventType>;
  /** http(s) URL. In production private, loopback and link-local destinations are refused. */
  url: string;
};

/** Narrows the credit history. */
export type CreditHistoryFilterInput = {
  /** Inclusive start of the period. */
  from?: string | null | undefined;
  /** Exclusive end of the period. */
  to?: string | null | undefined;
  /** Only these types. */
  types?: Array<CreditMovementType> | null | undefined;
};

/** What moved credits in or out of an account. */
export type CreditMovementType =
  /** The platform admin's correction moved a wallet by a signed amount (adjustBalance); the description is its reason. */
  | 'ADJUSTMENT'
  /** A dispute (chargeback) of a top-up was decided for the platform: the credits its reversal took came back. */
  | 'DISPUTE_WON'
  /** The unspent rest of a promotional grant expired. */
  | 'PROMOTIONAL_EXPIRY'
  /** The admin granted promotional credits. */
  | 'PROMOTIONAL_GRANT'
  /** The platform admin voided what was left of a promotional grant (voidPromotionalGrant); the description is its reason. */
  | 'PROMOTIONAL_VOID'
  /** Credits a partner took back from a customer (partner side). */
  | 'RECLAIM_IN'
  /** Credits the partner took back (customer side). */
  | 'RECLAIM_OUT'
  /** The platform refunded a top-up through its provider (negative); positive when the provider refused the refund and the credits came back. */
  | 'REFUND'
  /** Credits bought with a completed top-up (into the top-up balance). */
  | 'TOP_UP'
  /** A refund or chargeback made at the provider took credits of a top-up back. */
  | 'TOP_UP_REVERSAL'
  /** Credits received from the partner (customer side of a transfer). */
  | 'TRANSFER_IN'
  /** Credits sent to a customer (partner side of a transfer). */
  | 'TRANSFER_OUT'
  /** Usage recorded by the metering service spent credits (promotional first). */
  | 'USAGE';

/** EN: English; VI: Vietnamese. */
export type MessageLocale =
  /** English. */
  | 'EN'
  /** Vietnamese. */
  | 'VI';

/** What the console does next to let the buyer pay or save a card, as the provider answered (Stripe's next_action types). */
export type NextActionType =
  /** Send the browser to nextAction.url: PayPal's approval page, VNPay's signed payment page, or a page Stripe asks for (next_action.redirect_to_url). */
  | 'REDIRECT_TO_URL'
  /** Confirm nextAction.clientSecret with Stripe.js (stripe.confirmPayment, or stripe.confirmSetup for a card setup); Stripe.js collects the card and runs 3-D Secure. */
  | 'USE_STRIPE_SDK';

/** How a top-up is paid. */
export type PaymentMethod =
  /** PayPal checkout (USD). */
  | 'PAYPAL'
  /** Card payment through Stripe (USD). */
  | 'STRIPE'
  /** VNPay (VND), for accounts in Vietnam. */
  | 'VNPAY';

/** Narrows the promotional grants. */
export type PromotionalGrantFilterInput = {
  /** true: only ACTIVE grants, soonest expiry first (never-expiring last); false: only USED_UP, EXPIRED and VOIDED ones. Omitted: all. */
  active?: boolean | null | undefined;
  /** Only grants whose expiry is before this instant (grants without an expiry never match). */
  expiringBefore?: string | null | undefined;
};

/** ACTIVE: something left and unexpired; USED_UP: usage drew all of it; EXPIRED: its expiry took what was left; VOIDED: the platform admin voided what was left. */
export type PromotionalGrantStatus =
  /** Some of it is left and it has not expired. */
  | 'ACTIVE'
  /** It expired; what was left was removed (a PROMOTIONAL_EXPIRY movement). */
  | 'EXPIRED'
  /** Spent entirely before it expired. */
  | 'USED_UP'
  /** The platform admin voided what was left of it (a PROMOTIONAL_VOID movement). */
  | 'VOIDED';

/** A report period [from, to): both on whole hours, at most 366 days long. Days are counted in timeZone, an IANA zone whose UTC offset is whole hours throughout the period. */
export type ReportPeriodInput = {
  /** Inclusive start, e.g. 2026-11-01T00:00:00+07:00. */
  from: string;
  /** IANA time zone the days are counted in. */
  timeZone?: string;
  /** Exclusive end. */
  to: string;
};

/** A user's role in its account, from the token's `role` claim. */
export type Role =
  /** Buys credits, manages billing information and automation; cannot manage API keys. */
  | 'BILLING_ADMIN'
  /** Everything on the account, including its API keys. */
  | 'OWNER'
  /** Reads balances and history; changes nothing. */
  | 'VIEWER';

/** What a service token may do (its `scope` claim). */
export type Scope =
  /** Platform admin */
  | 'ADMIN'
  /** Metering service */
  | 'USAGE_WRITE';

/** The account's auto-recharge rule (created or replaced). */
export type SetAutoRechargeInput = {
  /** Defaults to your own account. */
  accountId?: string | number | null | undefined;
  /** Buy this much each time (at least the minimum top-up). Give this or targetBalance. */
  amount?: string | null | undefined;
  /** At most this much a calendar month (UTC); at least one purchase. */
  monthlyCap: string;
  /** A saved card of the account (savedPaymentMethods). */
  paymentMethodId: string | number;
  /** Buy up to this total balance (above the threshold). Give this or amount. */
  targetBalance?: string | null | undefined;
  /** It fires when the total balance falls below this, in credits. */
  threshold: string;
};

/** Why credits cannot be bought now: exactly the extensions.code createTopUp would refuse with. */
export type TopUpBlockerCode =
  /** The account is PENDING, SUSPENDED or CLOSED. */
  | 'ACCOUNT_NOT_ACTIVE'
  /** Billing information is missing: open the "complete billing information" pop-up (an OWNER or BILLING_ADMIN fills it in). */
  | 'BILLING_INFO_REQUIRED'
  /** You are not an OWNER or BILLING_ADMIN of this account (a VIEWER, a partner user, the admin): hide "Add credit" or say who can. */
  | 'FORBIDDEN'
  /** A partner's customer: its partner transfers credits to it; no payment method is offered. */
  | 'PARTNER_MANAGED_ACCOUNT';

/** Why a top-up failed, was canceled or expired: a stable code to show or translate (failureMessage gives English and Vietnamese). */
export type TopUpFailureCode =
  /** 3-D Secure (or the provider’s OTP) failed. */
  | 'AUTHENTICATION_FAILED'
  /** The buyer canceled the payment (or cancelTopUp was called). */
  | 'BUYER_CANCELED'
  /** The card issuer declined the card. */
  | 'CARD_DECLINED'
  /** The card has expired. */
  | 'CARD_EXPIRED'
  /** The payment was not completed in time; the top-up expired. */
  | 'EXPIRED'
  /** The card or account had too little money. */
  | 'INSUFFICIENT_FUNDS'
  /** The number, expiry or security code was wrong. */
  | 'INVALID_CARD_DETAILS'
  /** A card, bank or provider limit was reached. */
  | 'LIMIT_EXCEEDED'
  /** The provider declined the payment for another reason. */
  | 'PAYMENT_DECLINED'
  /** The payment failed for a reason the provider did not say. */
  | 'PAYMENT_FAILED'
  /** The provider canceled the payment. */
  | 'PROVIDER_CANCELED'
  /** The provider failed; nothing was charged. */
  | 'PROVIDER_ERROR';

/** MANUAL: bought with createTopUp; AUTO_RECHARGE: bought by the account's auto-recharge rule with its saved card. */
export type TopUpOrigin =
  /** Bought by the account’s auto-recharge rule, off-session with a saved card. */
  | 'AUTO_RECHARGE'
  /** Bought by a user with createTopUp. */
  | 'MANUAL';

/** A transfer to a customer or a reclaim from one, or a top-up (or its reversal) or the platform admin's adjustment of the partner itself. */
export type TopUpReportEntryKind =
  /** The platform admin's correction of the partner's own balance (signed; see adjustBalance). */
  | 'ADJUSTMENT'
  /** A dispute of a partner top-up won: the credits its reversal took, given back (positive). */
  | 'DISPUTE_WON'
  /** Credits the partner took back from a customer (negative). */
  | 'RECLAIM'
  /** A refund of a partner top-up made by the platform (negative), or its credits back after the provider refused it. */
  | 'REFUND'
  /** A completed top-up of the partner. */
  | 'TOP_UP'
  /** A refund or chargeback of a partner top-up made at the provider (negative). */
  | 'TOP_UP_REVERSAL'
  /** A transfer from the partner to a customer. */
  | 'TRANSFER';

/** PENDING and REQUIRES_ACTION are open; SUCCEEDED, FAILED, CANCELED, EXPIRED, PARTIALLY_REFUNDED and REFUNDED are final. */
export type TopUpStatus =
  /** Abandoned by the buyer (cancelTopUp) or canceled at the provider. */
  | 'CANCELED'
  /** Not paid in time. */
  | 'EXPIRED'
  /** The payment failed for good (a declined card, a refused PayPal capture, a failed VNPay payment); nothing was charged. Start a new top-up to retry. */
  | 'FAILED'
  /** Paid, then part of the credits was taken back by a refund (the platform’s or the provider’s) or a dispute. */
  | 'PARTIALLY_REFUNDED'
  /** Waiting for the buyer to pay at the provider: just created, or after a 3-D Secure attempt that failed (failureCode AUTHENTICATION_FAILED), which the buyer may try again. */
  | 'PENDING'
  /** Paid, then refunded or lost to a dispute in full; the credits were taken back. */
  | 'REFUNDED'
  /** The card issuer asked for 3-D Secure / OTP; the buyer must complete it. */
  | 'REQUIRES_ACTION'
  /** Paid; the credits were added to the top-up balance (once). */
  | 'SUCCEEDED';

/** Narrows the top-ups. */
export type TopUpsFilterInput = {
  /** Inclusive start of the period (when the top-up was created). */
  from?: string | null | undefined;
  /** Only these payment methods. */
  methods?: Array<PaymentMethod> | null | undefined;
  /** Only these origins: [AUTO_RECHARGE] is the auto-recharge rule's history (what it bought, what failed). */
  origins?: Array<TopUpOrigin> | null | undefined;
  /** Only these statuses (e.g. [FAILED, CANCELED, EXPIRED] for purchases that did not go through). */
  statuses?: Array<TopUpStatus> | null | undefined;
  /** Exclusive end of the period. */
  to?: string | null | undefined;
};

/** Changes to an endpoint; absent fields stay as they are. */
export type UpdateWebhookEndpointInput = {
  /** An empty string removes it. */
  description?: string | null | undefined;
  /** false disables the endpoint; true enables it again and clears its failure streak. */
  enabled?: boolean | null | undefined;
  /** The endpoint to change. */
  endpointId: string | number;
  /** A new list of event types. */
  events?: Array<WebhookEventType> | null | undefined;
  /** A new URL. */
  url?: string | null | undefined;
};

/** Where one delivery stands. */
export type WebhookDeliveryStatus =
  /** Out of retry time, or its endpoint was disabled; redeliverWebhook sends it again. */
  | 'FAILED'
  /** Waiting for its first or next attempt (retried with backoff). */
  | 'PENDING'
  /** The endpoint answered 2xx. */
  | 'SUCCEEDED';

/** Whether an endpoint receives deliveries. */
export type WebhookEndpointStatus =
  /** Receives deliveries. */
  | 'ACTIVE'
  /** Disabled after sustained failure or by its owner; nothing is sent until it is enabled again. */
  | 'DISABLED';

/** What an endpoint receives; also the envelope's `type`. */
export type WebhookEventType =
  /** The total balance reached zero: usage is refused until credits arrive. */
  | 'ACCOUNT_DEPLETED'
  /** A refund or dispute at the payment provider left the top-up balance below zero: no credits leave the account until it is back at zero or above. */
  | 'ACCOUNT_REVERSAL_HOLD_PLACED'
  /** The top-up balance of an account on reversal hold is back at zero or above: credits may leave it again. */
  | 'ACCOUNT_REVERSAL_HOLD_RELEASED'
  /** The auto-recharge rule was turned off after too many failures in a row. */
  | 'AUTO_RECHARGE_DISABLED'
  /** An auto-recharge charge was declined or its top-up expired. */
  | 'AUTO_RECHARGE_FAILED'
  /** The auto-recharge rule was paused because its saved card was removed (reason PAYMENT_METHOD_REMOVED). */
  | 'AUTO_RECHARGE_PAUSED'
  /** An auto-recharge charge needs the card holder’s 3-D Secure. */
  | 'AUTO_RECHARGE_REQUIRES_ACTION'
  /** The threshold was crossed but nothing was bought (monthly cap, a recharge open, or a refusal). */
  | 'AUTO_RECHARGE_SKIPPED'
  /** An auto-recharge charge went through; the credits were added. */
  | 'AUTO_RECHARGE_SUCCEEDED'
  /** A partner’s auto-transfer rule fired and moved nothing; data has the refusal code. */
  | 'AUTO_TRANSFER_REFUSED'
  /** A partner’s auto-transfer rule moved credits to its customer (sent to the partner). */
  | 'AUTO_TRANSFER_SUCCEEDED'
  /** The total balance crossed one of the account’s thresholds downward. */
  | 'BALANCE_LOW'
  /** A credit note got its number: money of a receipt was given back by a refund or a dispute (creditNote(id), GET /credit-notes/{id}.pdf). */
  | 'CREDIT_NOTE_ISSUED'
  /** A debit note got its number: a credit note was cancelled (a dispute won, a refund that failed after it succeeded) and its money is the seller’s again (debitNote(id), GET /debit-notes/{id}.pdf). */
  | 'DEBIT_NOTE_ISSUED'
  /** A test event from sendTestWebhook, sent to that endpoint only whatever it subscribes to; nothing moved. */
  | 'PING'
  /** A purchase’s receipt got its number: the document is ready (receipt(id), GET /receipts/{id}.pdf). */
  | 'RECEIPT_ISSUED'
  /** The partner took credits back from a customer (sent to the partner). */
  | 'RECLAIM_IN'
  /** The account’s partner took credits back from it. */
  | 'RECLAIM_OUT'
  /** A top-up changed status (succeeded, failed, canceled, expired, reversed); data has its status, amounts and balances. */
  | 'TOP_UP_STATUS_CHANGED'
  /** The account received credits from its partner; data has the amount and balances. */
  | 'TRANSFER_IN'
  /** The partner sent credits to a customer; data has the amount and balances. */
  | 'TRANSFER_OUT'
  /** An endpoint of the account was disabled after sustained failure. */
  | 'WEBHOOK_ENDPOINT_DISABLED';

export type AutoRechargeRuleFieldsFragment = { accountId: string, status: AutoRechargeStatus, disabledReason: string | null, threshold: string, amount: string | null, targetBalance: string | null, monthlyCap: string, spentThisMonth: string, consecutiveFailures: number, maxConsecutiveFailures: number, paymentMethod: { id: string, brand: string, last4: string } | null };

export type AutoRechargeQueryVariables = Exact<{
  accountId: string | number;
}>;


export type AutoRechargeQuery = { autoRecharge: { accountId: string, status: AutoRechargeStatus, disabledReason: string | null, threshold: string, amount: string | null, targetBalance: string | null, monthlyCap: string, spentThisMonth: string, consecutiveFailures: number, maxConsecutiveFailures: number, paymentMethod: { id: string, brand: string, last4: string } | null } | null, savedPaymentMethods: Array<{ id: string, brand: string, last4: string, expMonth: number, expYear: number }>, topUps: { edges: Array<{ node: { id: string, createdAt: string, status: TopUpStatus, amount: string, failureCode: TopUpFailureCode | null, charge: { amount: string, currency: string } } }> } };

export type StartSavedCardSetupMutationVariables = Exact<{
  returnUrl?: string | null | undefined;
}>;


export type StartSavedCardSetupMutation = { startSavedCardSetup: { setupIntentId: string, nextAction: { type: NextActionType, url: string | null } } };

export type SetAutoRechargeMutationVariables = Exact<{
  input: SetAutoRechargeInput;
}>;


export type SetAutoRechargeMutation = { setAutoRecharge: { accountId: string, status: AutoRechargeStatus, disabledReason: string | null, threshold: string, amount: string | null, targetBalance: string | null, monthlyCap: string, spentThisMonth: string, consecutiveFailures: number, maxConsecutiveFailures: number, paymentMethod: { id: string, brand: string, last4: string } | null } };

export type PauseAutoRechargeMutationVariables = Exact<{
  accountId: string | number;
  paused: boolean;
}>;


export type PauseAutoRechargeMutation = { pauseAutoRecharge: { accountId: string, status: AutoRechargeStatus, disabledReason: string | null, threshold: string, amount: string | null, targetBalance: string | null, monthlyCap: string, spentThisMonth: string, consecutiveFailures: number, maxConsecutiveFailures: number, paymentMethod: { id: string, brand: string, last4: string } | null } };

export type RemoveAutoRechargeMutationVariables = Exact<{
  accountId: string | number;
}>;


export type RemoveAutoRechargeMutation = { removeAutoRecharge: boolean };

export type AutoRechargeEventsSubscriptionVariables = Exact<{
  accountId: string | number;
}>;


export type AutoRechargeEventsSubscription = { autoRechargeEvents: { eventId: string, type: AutoRechargeEventType, topUpId: string | null, amount: string | null, reason: string | null, ruleStatus: AutoRechargeStatus | null } };

export type BalancesQueryVariables = Exact<{
  accountId: string | number;
}>;


export type BalancesQuery = { balances: { accountId: string, totalBalance: string, topUpBalance: string, promotionalBalance: string, nextExpiry: { amount: string, expiresAt: string } | null } };

export type BalanceChangedSubscriptionVariables = Exact<{
  accountId: string | number;
}>;


export type BalanceChangedSubscription = { balanceChanged: { accountId: string, eventId: string, movementType: CreditMovementType | null, amount: string | null, totalBalance: string, topUpBalance: string, promotionalBalance: string } };

export type BillingInfoFieldsFragment = { entityType: BillingEntityType, legalName: string, taxCode: string | null, addressLine1: string, addressLine2: string | null, city: string, postalCode: string | null, country: string, invoiceEmail: string, updatedAt: string };

export type BillingInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type BillingInfoQuery = { me: { account: { id: string, region: string, billingInfo: { entityType: BillingEntityType, legalName: string, taxCode: string | null, addressLine1: string, addressLine2: string | null, city: string, postalCode: string | null, country: string, invoiceEmail: string, updatedAt: string } | null } | null } };

export type UpdateBillingInfoMutationVariables = Exact<{
  input: BillingInfoInput;
}>;


export type UpdateBillingInfoMutation = { updateBillingInfo: { accountId: string, entityType: BillingEntityType, legalName: string, taxCode: string | null, addressLine1: string, addressLine2: string | null, city: string, postalCode: string | null, country: string, invoiceEmail: string, updatedAt: string } };

export type PromotionalGrantsQueryVariables = Exact<{
  accountId: string | number;
  filter?: PromotionalGrantFilterInput | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PromotionalGrantsQuery = { promotionalGrants: { edges: Array<{ node: { id: string, createdAt: string, reason: string, amount: string, remaining: string, expiresAt: string | null, status: PromotionalGrantStatus } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type CreditHistoryQueryVariables = Exact<{
  accountId: string | number;
  filter?: CreditHistoryFilterInput | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type CreditHistoryQuery = { creditHistory: { edges: Array<{ node: { id: string, type: CreditMovementType, amount: string, balanceAfter: string, occurredAt: string, description: string | null, counterparty: { name: string }, source:
          | { __typename: 'CreditCorrection', reason: string }
          | { __typename: 'PromotionalGrantSource', reason: string, expiresAt: string | null }
          | { __typename: 'ReclaimSource', note: string | null, partner: { name: string } }
          | { __typename: 'TopUpSource', topUpId: string, method: PaymentMethod, status: TopUpStatus, charge: { amount: string, currency: string, creditPrice: string } }
          | { __typename: 'TransferSource', note: string | null, partner: { name: string } }
          | { __typename: 'UsageSource', service: string, eventId: string }
         | null } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type PurchasesQueryVariables = Exact<{
  accountId: string | number;
  filter?: TopUpsFilterInput | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  locale: MessageLocale;
}>;


export type PurchasesQuery = { topUps: { edges: Array<{ node: { id: string, createdAt: string, status: TopUpStatus, method: PaymentMethod, origin: TopUpOrigin, amount: string, failureMessage: string | null, charge: { amount: string, currency: string }, receipt: { id: string, number: string | null } | null } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type BalanceThresholdsQueryVariables = Exact<{
  accountId: string | number;
}>;


export type BalanceThresholdsQuery = { account: { id: string, balanceThresholds: Array<string>, balances: { totalBalance: string } } };

export type SetBalanceThresholdsMutationVariables = Exact<{
  accountId: string | number;
  thresholds: Array<string> | string;
}>;


export type SetBalanceThresholdsMutation = { setBalanceThresholds: Array<string> };

export type BalanceLowSubscriptionVariables = Exact<{
  accountId: string | number;
}>;


export type BalanceLowSubscription = { balanceLow: { eventId: string, threshold: string, totalBalance: string, occurredAt: string } };

export type TopUpOptionsQueryVariables = Exact<{
  accountId: string | number;
  amount?: string | null | undefined;
}>;


export type TopUpOptionsQuery = { topUpOptions: { accountId: string, canTopUp: boolean, minimumAmount: string, suggestedAmounts: Array<string>, quotedAmount: string, blockers: Array<{ code: TopUpBlockerCode, message: string }>, methods: Array<{ method: PaymentMethod, currency: string, creditPrice: string, charge: { amount: string, currency: string } }> } };

export type CreateTopUpMutationVariables = Exact<{
  input: CreateTopUpInput;
}>;


export type CreateTopUpMutation = { createTopUp: { id: string, status: TopUpStatus, method: PaymentMethod, payment: { nextAction: { type: NextActionType, url: string | null } } | null } };

export type TopUpResultQueryVariables = Exact<{
  id: string | number;
  locale: MessageLocale;
}>;


export type TopUpResultQuery = { topUp: { id: string, status: TopUpStatus, method: PaymentMethod, amount: string, failureMessage: string | null, charge: { amount: string, currency: string }, payment: { nextAction: { type: NextActionType, url: string | null } } | null } };

export type TopUpStatusChangedSubscriptionVariables = Exact<{
  topUpId: string | number;
  locale: MessageLocale;
}>;


export type TopUpStatusChangedSubscription = { topUpStatusChanged: { eventId: string, topUpId: string, status: TopUpStatus, amount: string, failureCode: TopUpFailureCode | null, failureMessage: string | null, totalBalance: string, topUpBalance: string, promotionalBalance: string } };

export type CapturePayPalTopUpMutationVariables = Exact<{
  topUpId: string | number;
}>;


export type CapturePayPalTopUpMutation = { capturePayPalTopUp: { id: string, status: TopUpStatus } };

export type PartnerReportCustomersQueryVariables = Exact<{ [key: string]: never; }>;


export type PartnerReportCustomersQuery = { partnerCustomers: { edges: Array<{ node: { id: string, name: string } }> } };

export type CreditUsageReportQueryVariables = Exact<{
  period: ReportPeriodInput;
  customerAccountId?: string | number | null | undefined;
}>;


export type CreditUsageReportQuery = { creditUsageReport: { totalUsage: string, eventCount: number, customers: Array<{ customerId: string, customerName: string, amount: string, eventCount: number }>, rows: Array<{ customerId: string, customerName: string, date: string, service: string, amount: string, eventCount: number }> } };

export type CreditTopUpReportQueryVariables = Exact<{
  period: ReportPeriodInput;
  customerAccountId?: string | number | null | undefined;
}>;


export type CreditTopUpReportQuery = { creditTopUpReport: { totalTransferred: string, totalReclaimed: string, partnerTopUps: string, customers: Array<{ customerId: string, customerName: string, amount: string, transferCount: number, reclaimed: string, reclaimCount: number }>, rows: Array<{ occurredAt: string, kind: TopUpReportEntryKind, accountId: string, accountName: string, amount: string, reference: string | null, actor: string | null, actorName: string | null, actorRole: Role | null }> } };

export type CreditSummaryReportQueryVariables = Exact<{
  period: ReportPeriodInput;
  customerAccountId?: string | number | null | undefined;
}>;


export type CreditSummaryReportQuery = { creditSummaryReport: { customerTotals: { openingBalance: string, creditsIn: string, usage: string, creditsOut: string, closingBalance: string }, lines: Array<{ accountId: string, accountName: string, accountKind: AccountKind, openingBalance: string, transfersIn: string, topUps: string, grants: string, creditsIn: string, usage: string, expiry: string, transfersOut: string, reclaimsOut: string, creditsOut: string, closingBalance: string, owedAtClose: string }> } };

export type WebhookEndpointFieldsFragment = { id: string, url: string, description: string | null, events: Array<WebhookEventType>, status: WebhookEndpointStatus, disabledReason: string | null, consecutiveFailures: number, createdAt: string, previousSecretExpiresAt: string | null };

export type WebhookEndpointsQueryVariables = Exact<{
  accountId: string | number;
}>;


export type WebhookEndpointsQuery = { webhookEndpoints: Array<{ id: string, url: string, description: string | null, events: Array<WebhookEventType>, status: WebhookEndpointStatus, disabledReason: string | null, consecutiveFailures: number, createdAt: string, previousSecretExpiresAt: string | null }> };

export type CreateWebhookEndpointMutationVariables = Exact<{
  input: CreateWebhookEndpointInput;
}>;


export type CreateWebhookEndpointMutation = { createWebhookEndpoint: { secret: string, endpoint: { id: string, url: string, description: string | null, events: Array<WebhookEventType>, status: WebhookEndpointStatus, disabledReason: string | null, consecutiveFailures: number, createdAt: string, previousSecretExpiresAt: string | null } } };

export type UpdateWebhookEndpointMutationVariables = Exact<{
  input: UpdateWebhookEndpointInput;
}>;


export type UpdateWebhookEndpointMutation = { updateWebhookEndpoint: { id: string, url: string, description: string | null, events: Array<WebhookEventType>, status: WebhookEndpointStatus, disabledReason: string | null, consecutiveFailures: number, createdAt: string, previousSecretExpiresAt: string | null } };

export type RotateWebhookSecretMutationVariables = Exact<{
  endpointId: string | number;
}>;


export type RotateWebhookSecretMutation = { rotateWebhookSecret: { secret: string, endpoint: { id: string, url: string, description: string | null, events: Array<WebhookEventType>, status: WebhookEndpointStatus, disabledReason: string | null, consecutiveFailures: number, createdAt: string, previousSecretExpiresAt: string | null } } };

export type DeleteWebhookEndpointMutationVariables = Exact<{
  endpointId: string | number;
}>;


export type DeleteWebhookEndpointMutation = { deleteWebhookEndpoint: boolean };

export type SendTestWebhookMutationVariables = Exact<{
  endpointId: string | number;
}>;


export type SendTestWebhookMutation = { sendTestWebhook: boolean };

export type WebhookDeliveriesQueryVariables = Exact<{
  endpointId: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type WebhookDeliveriesQuery = { webhookDeliveries: { edges: Array<{ node: { id: string, eventId: string, eventType: WebhookEventType, status: WebhookDeliveryStatus, attempts: number, createdAt: string, deliveredAt: string | null, lastAttemptAt: string | null, nextAttemptAt: string | null, lastResponseCode: number | null, lastError: string | null, payload: string, recentAttempts: Array<{ attemptedAt: string, durationMs: number, responseCode: number | null, succeeded: boolean, error: string | null }> } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type RedeliverWebhookMutationVariables = Exact<{
  deliveryId: string | number;
}>;


export type RedeliverWebhookMutation = { redeliverWebhook: { id: string, eventId: string, eventType: WebhookEventType, status: WebhookDeliveryStatus, attempts: number, createdAt: string, deliveredAt: string | null, lastAttemptAt: string | null, nextAttemptAt: string | null, lastResponseCode: number | null, lastError: string | null, payload: string, recentAttempts: Array<{ attemptedAt: string, durationMs: number, responseCode: number | null, succeeded: boolean, error: string | null }> } };

export type WebhookDeliveryFieldsFragment = { id: string, eventId: string, eventType: WebhookEventType, status: WebhookDeliveryStatus, attempts: number, createdAt: string, deliveredAt: string | null, lastAttemptAt: string | null, nextAttemptAt: string | null, lastResponseCode: number | null, lastError: string | null, payload: string, recentAttempts: Array<{ attemptedAt: string, durationMs: number, responseCode: number | null, succeeded: boolean, error: string | null }> };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { me: { subject: string, role: Role | null, scopes: Array<Scope>, account: { id: string, name: string, kind: AccountKind, status: AccountStatus, region: string } | null } };

export const AutoRechargeRuleFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AutoRechargeRuleFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AutoRechargeRule"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"disabledReason"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"targetBalance"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyCap"}},{"kind":"Field","name":{"kind":"Name","value":"spentThisMonth"}},{"kind":"Field","name":{"kind":"Name","value":"consecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"maxConsecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"paymentMethod"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"brand"}},{"kind":"Field","name":{"kind":"Name","value":"last4"}}]}}]}}]} as unknown as DocumentNode<AutoRechargeRuleFieldsFragment, unknown>;
export const BillingInfoFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BillingInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"BillingInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"entityType"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}},{"kind":"Field","name":{"kind":"Name","value":"taxCode"}},{"kind":"Field","name":{"kind":"Name","value":"addressLine1"}},{"kind":"Field","name":{"kind":"Name","value":"addressLine2"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"invoiceEmail"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<BillingInfoFieldsFragment, unknown>;
export const WebhookEndpointFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookEndpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookEndpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"disabledReason"}},{"kind":"Field","name":{"kind":"Name","value":"consecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"previousSecretExpiresAt"}}]}}]} as unknown as DocumentNode<WebhookEndpointFieldsFragment, unknown>;
export const WebhookDeliveryFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookDeliveryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookDelivery"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastResponseCode"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"recentAttempts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attemptedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"responseCode"}},{"kind":"Field","name":{"kind":"Name","value":"succeeded"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]}}]} as unknown as DocumentNode<WebhookDeliveryFieldsFragment, unknown>;
export const AutoRechargeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AutoRecharge"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"autoRecharge"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AutoRechargeRuleFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"savedPaymentMethods"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"brand"}},{"kind":"Field","name":{"kind":"Name","value":"last4"}},{"kind":"Field","name":{"kind":"Name","value":"expMonth"}},{"kind":"Field","name":{"kind":"Name","value":"expYear"}}]}},{"kind":"Field","name":{"kind":"Name","value":"topUps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"origins"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"AUTO_RECHARGE"}]}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"charge"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"failureCode"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AutoRechargeRuleFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AutoRechargeRule"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"disabledReason"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"targetBalance"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyCap"}},{"kind":"Field","name":{"kind":"Name","value":"spentThisMonth"}},{"kind":"Field","name":{"kind":"Name","value":"consecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"maxConsecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"paymentMethod"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"brand"}},{"kind":"Field","name":{"kind":"Name","value":"last4"}}]}}]}}]} as unknown as DocumentNode<AutoRechargeQuery, AutoRechargeQueryVariables>;
export const StartSavedCardSetupDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartSavedCardSetup"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"returnUrl"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startSavedCardSetup"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"returnUrl"},"value":{"kind":"Variable","name":{"kind":"Name","value":"returnUrl"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setupIntentId"}},{"kind":"Field","name":{"kind":"Name","value":"nextAction"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]}}]} as unknown as DocumentNode<StartSavedCardSetupMutation, StartSavedCardSetupMutationVariables>;
export const SetAutoRechargeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetAutoRecharge"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SetAutoRechargeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setAutoRecharge"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AutoRechargeRuleFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AutoRechargeRuleFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AutoRechargeRule"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"disabledReason"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"targetBalance"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyCap"}},{"kind":"Field","name":{"kind":"Name","value":"spentThisMonth"}},{"kind":"Field","name":{"kind":"Name","value":"consecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"maxConsecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"paymentMethod"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"brand"}},{"kind":"Field","name":{"kind":"Name","value":"last4"}}]}}]}}]} as unknown as DocumentNode<SetAutoRechargeMutation, SetAutoRechargeMutationVariables>;
export const PauseAutoRechargeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PauseAutoRecharge"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"paused"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pauseAutoRecharge"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}},{"kind":"Argument","name":{"kind":"Name","value":"paused"},"value":{"kind":"Variable","name":{"kind":"Name","value":"paused"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AutoRechargeRuleFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AutoRechargeRuleFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AutoRechargeRule"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"disabledReason"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"targetBalance"}},{"kind":"Field","name":{"kind":"Name","value":"monthlyCap"}},{"kind":"Field","name":{"kind":"Name","value":"spentThisMonth"}},{"kind":"Field","name":{"kind":"Name","value":"consecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"maxConsecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"paymentMethod"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"brand"}},{"kind":"Field","name":{"kind":"Name","value":"last4"}}]}}]}}]} as unknown as DocumentNode<PauseAutoRechargeMutation, PauseAutoRechargeMutationVariables>;
export const RemoveAutoRechargeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveAutoRecharge"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeAutoRecharge"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}]}]}}]} as unknown as DocumentNode<RemoveAutoRechargeMutation, RemoveAutoRechargeMutationVariables>;
export const AutoRechargeEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"AutoRechargeEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"autoRechargeEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"topUpId"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"ruleStatus"}}]}}]}}]} as unknown as DocumentNode<AutoRechargeEventsSubscription, AutoRechargeEventsSubscriptionVariables>;
export const BalancesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Balances"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"balances"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"totalBalance"}},{"kind":"Field","name":{"kind":"Name","value":"topUpBalance"}},{"kind":"Field","name":{"kind":"Name","value":"promotionalBalance"}},{"kind":"Field","name":{"kind":"Name","value":"nextExpiry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]}}]} as unknown as DocumentNode<BalancesQuery, BalancesQueryVariables>;
export const BalanceChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"BalanceChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"balanceChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"movementType"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"totalBalance"}},{"kind":"Field","name":{"kind":"Name","value":"topUpBalance"}},{"kind":"Field","name":{"kind":"Name","value":"promotionalBalance"}}]}}]}}]} as unknown as DocumentNode<BalanceChangedSubscription, BalanceChangedSubscriptionVariables>;
export const BillingInfoDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"BillingInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"billingInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"BillingInfoFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BillingInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"BillingInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"entityType"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}},{"kind":"Field","name":{"kind":"Name","value":"taxCode"}},{"kind":"Field","name":{"kind":"Name","value":"addressLine1"}},{"kind":"Field","name":{"kind":"Name","value":"addressLine2"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"invoiceEmail"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<BillingInfoQuery, BillingInfoQueryVariables>;
export const UpdateBillingInfoDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateBillingInfo"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"BillingInfoInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateBillingInfo"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"BillingInfoFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BillingInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"BillingInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"entityType"}},{"kind":"Field","name":{"kind":"Name","value":"legalName"}},{"kind":"Field","name":{"kind":"Name","value":"taxCode"}},{"kind":"Field","name":{"kind":"Name","value":"addressLine1"}},{"kind":"Field","name":{"kind":"Name","value":"addressLine2"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"postalCode"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"invoiceEmail"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<UpdateBillingInfoMutation, UpdateBillingInfoMutationVariables>;
export const PromotionalGrantsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PromotionalGrants"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"PromotionalGrantFilterInput"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promotionalGrants"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<PromotionalGrantsQuery, PromotionalGrantsQueryVariables>;
export const CreditHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CreditHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CreditHistoryFilterInput"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"creditHistory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"balanceAfter"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"counterparty"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"source"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TopUpSource"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"topUpId"}},{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"charge"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"creditPrice"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TransferSource"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"note"}},{"kind":"Field","name":{"kind":"Name","value":"partner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReclaimSource"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"note"}},{"kind":"Field","name":{"kind":"Name","value":"partner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UsageSource"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"service"}},{"kind":"Field","name":{"kind":"Name","value":"eventId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PromotionalGrantSource"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CreditCorrection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<CreditHistoryQuery, CreditHistoryQueryVariables>;
export const PurchasesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Purchases"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TopUpsFilterInput"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"locale"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MessageLocale"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"topUps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"charge"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"failureMessage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"locale"},"value":{"kind":"Variable","name":{"kind":"Name","value":"locale"}}}]},{"kind":"Field","name":{"kind":"Name","value":"receipt"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<PurchasesQuery, PurchasesQueryVariables>;
export const BalanceThresholdsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"BalanceThresholds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"balanceThresholds"}},{"kind":"Field","name":{"kind":"Name","value":"balances"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalBalance"}}]}}]}}]}}]} as unknown as DocumentNode<BalanceThresholdsQuery, BalanceThresholdsQueryVariables>;
export const SetBalanceThresholdsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetBalanceThresholds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"thresholds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Credits"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setBalanceThresholds"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}},{"kind":"Argument","name":{"kind":"Name","value":"thresholds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"thresholds"}}}]}]}}]} as unknown as DocumentNode<SetBalanceThresholdsMutation, SetBalanceThresholdsMutationVariables>;
export const BalanceLowDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"BalanceLow"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"balanceLow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"totalBalance"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}}]}}]}}]} as unknown as DocumentNode<BalanceLowSubscription, BalanceLowSubscriptionVariables>;
export const TopUpOptionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TopUpOptions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"amount"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Credits"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"topUpOptions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}},{"kind":"Argument","name":{"kind":"Name","value":"amount"},"value":{"kind":"Variable","name":{"kind":"Name","value":"amount"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"canTopUp"}},{"kind":"Field","name":{"kind":"Name","value":"blockers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"minimumAmount"}},{"kind":"Field","name":{"kind":"Name","value":"suggestedAmounts"}},{"kind":"Field","name":{"kind":"Name","value":"quotedAmount"}},{"kind":"Field","name":{"kind":"Name","value":"methods"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"creditPrice"}},{"kind":"Field","name":{"kind":"Name","value":"charge"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]}}]}}]} as unknown as DocumentNode<TopUpOptionsQuery, TopUpOptionsQueryVariables>;
export const CreateTopUpDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateTopUp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateTopUpInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createTopUp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"payment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nextAction"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]}}]}}]} as unknown as DocumentNode<CreateTopUpMutation, CreateTopUpMutationVariables>;
export const TopUpResultDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TopUpResult"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"locale"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MessageLocale"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"topUp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"charge"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"failureMessage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"locale"},"value":{"kind":"Variable","name":{"kind":"Name","value":"locale"}}}]},{"kind":"Field","name":{"kind":"Name","value":"payment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nextAction"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]}}]}}]} as unknown as DocumentNode<TopUpResultQuery, TopUpResultQueryVariables>;
export const TopUpStatusChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"TopUpStatusChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"topUpId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"locale"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MessageLocale"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"topUpStatusChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"topUpId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"topUpId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"topUpId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"failureCode"}},{"kind":"Field","name":{"kind":"Name","value":"failureMessage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"locale"},"value":{"kind":"Variable","name":{"kind":"Name","value":"locale"}}}]},{"kind":"Field","name":{"kind":"Name","value":"totalBalance"}},{"kind":"Field","name":{"kind":"Name","value":"topUpBalance"}},{"kind":"Field","name":{"kind":"Name","value":"promotionalBalance"}}]}}]}}]} as unknown as DocumentNode<TopUpStatusChangedSubscription, TopUpStatusChangedSubscriptionVariables>;
export const CapturePayPalTopUpDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CapturePayPalTopUp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"topUpId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"capturePayPalTopUp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"topUpId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"topUpId"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<CapturePayPalTopUpMutation, CapturePayPalTopUpMutationVariables>;
export const PartnerReportCustomersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PartnerReportCustomers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"partnerCustomers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<PartnerReportCustomersQuery, PartnerReportCustomersQueryVariables>;
export const CreditUsageReportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CreditUsageReport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReportPeriodInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"customerAccountId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"creditUsageReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}},{"kind":"Argument","name":{"kind":"Name","value":"customerAccountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customerAccountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalUsage"}},{"kind":"Field","name":{"kind":"Name","value":"eventCount"}},{"kind":"Field","name":{"kind":"Name","value":"customers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerName"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"eventCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerName"}},{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"service"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"eventCount"}}]}}]}}]}}]} as unknown as DocumentNode<CreditUsageReportQuery, CreditUsageReportQueryVariables>;
export const CreditTopUpReportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CreditTopUpReport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReportPeriodInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"customerAccountId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"creditTopUpReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}},{"kind":"Argument","name":{"kind":"Name","value":"customerAccountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customerAccountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalTransferred"}},{"kind":"Field","name":{"kind":"Name","value":"totalReclaimed"}},{"kind":"Field","name":{"kind":"Name","value":"partnerTopUps"}},{"kind":"Field","name":{"kind":"Name","value":"customers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerName"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"transferCount"}},{"kind":"Field","name":{"kind":"Name","value":"reclaimed"}},{"kind":"Field","name":{"kind":"Name","value":"reclaimCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"accountName"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"reference"}},{"kind":"Field","name":{"kind":"Name","value":"actor"}},{"kind":"Field","name":{"kind":"Name","value":"actorName"}},{"kind":"Field","name":{"kind":"Name","value":"actorRole"}}]}}]}}]}}]} as unknown as DocumentNode<CreditTopUpReportQuery, CreditTopUpReportQueryVariables>;
export const CreditSummaryReportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CreditSummaryReport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReportPeriodInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"customerAccountId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"creditSummaryReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}},{"kind":"Argument","name":{"kind":"Name","value":"customerAccountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customerAccountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customerTotals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"openingBalance"}},{"kind":"Field","name":{"kind":"Name","value":"creditsIn"}},{"kind":"Field","name":{"kind":"Name","value":"usage"}},{"kind":"Field","name":{"kind":"Name","value":"creditsOut"}},{"kind":"Field","name":{"kind":"Name","value":"closingBalance"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"accountName"}},{"kind":"Field","name":{"kind":"Name","value":"accountKind"}},{"kind":"Field","name":{"kind":"Name","value":"openingBalance"}},{"kind":"Field","name":{"kind":"Name","value":"transfersIn"}},{"kind":"Field","name":{"kind":"Name","value":"topUps"}},{"kind":"Field","name":{"kind":"Name","value":"grants"}},{"kind":"Field","name":{"kind":"Name","value":"creditsIn"}},{"kind":"Field","name":{"kind":"Name","value":"usage"}},{"kind":"Field","name":{"kind":"Name","value":"expiry"}},{"kind":"Field","name":{"kind":"Name","value":"transfersOut"}},{"kind":"Field","name":{"kind":"Name","value":"reclaimsOut"}},{"kind":"Field","name":{"kind":"Name","value":"creditsOut"}},{"kind":"Field","name":{"kind":"Name","value":"closingBalance"}},{"kind":"Field","name":{"kind":"Name","value":"owedAtClose"}}]}}]}}]}}]} as unknown as DocumentNode<CreditSummaryReportQuery, CreditSummaryReportQueryVariables>;
export const WebhookEndpointsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookEndpoints"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookEndpoints"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookEndpointFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookEndpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookEndpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"disabledReason"}},{"kind":"Field","name":{"kind":"Name","value":"consecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"previousSecretExpiresAt"}}]}}]} as unknown as DocumentNode<WebhookEndpointsQuery, WebhookEndpointsQueryVariables>;
export const CreateWebhookEndpointDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateWebhookEndpoint"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateWebhookEndpointInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createWebhookEndpoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"secret"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookEndpointFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookEndpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookEndpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"disabledReason"}},{"kind":"Field","name":{"kind":"Name","value":"consecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"previousSecretExpiresAt"}}]}}]} as unknown as DocumentNode<CreateWebhookEndpointMutation, CreateWebhookEndpointMutationVariables>;
export const UpdateWebhookEndpointDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateWebhookEndpoint"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateWebhookEndpointInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateWebhookEndpoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookEndpointFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookEndpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookEndpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"disabledReason"}},{"kind":"Field","name":{"kind":"Name","value":"consecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"previousSecretExpiresAt"}}]}}]} as unknown as DocumentNode<UpdateWebhookEndpointMutation, UpdateWebhookEndpointMutationVariables>;
export const RotateWebhookSecretDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RotateWebhookSecret"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"endpointId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rotateWebhookSecret"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"endpointId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"endpointId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"secret"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookEndpointFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookEndpointFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookEndpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"disabledReason"}},{"kind":"Field","name":{"kind":"Name","value":"consecutiveFailures"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"previousSecretExpiresAt"}}]}}]} as unknown as DocumentNode<RotateWebhookSecretMutation, RotateWebhookSecretMutationVariables>;
export const DeleteWebhookEndpointDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteWebhookEndpoint"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"endpointId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteWebhookEndpoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"endpointId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"endpointId"}}}]}]}}]} as unknown as DocumentNode<DeleteWebhookEndpointMutation, DeleteWebhookEndpointMutationVariables>;
export const SendTestWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SendTestWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"endpointId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendTestWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"endpointId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"endpointId"}}}]}]}}]} as unknown as DocumentNode<SendTestWebhookMutation, SendTestWebhookMutationVariables>;
export const WebhookDeliveriesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookDeliveries"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"endpointId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookDeliveries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"endpointId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"endpointId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookDeliveryFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookDeliveryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookDelivery"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastResponseCode"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"recentAttempts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attemptedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"responseCode"}},{"kind":"Field","name":{"kind":"Name","value":"succeeded"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]}}]} as unknown as DocumentNode<WebhookDeliveriesQuery, WebhookDeliveriesQueryVariables>;
export const RedeliverWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RedeliverWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deliveryId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeliverWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"deliveryId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deliveryId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookDeliveryFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookDeliveryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WebhookDelivery"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastResponseCode"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"recentAttempts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attemptedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"responseCode"}},{"kind":"Field","name":{"kind":"Name","value":"succeeded"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]}}]} as unknown as DocumentNode<RedeliverWebhookMutation, RedeliverWebhookMutationVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"region"}}]}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;