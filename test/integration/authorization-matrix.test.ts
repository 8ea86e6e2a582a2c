import 'reflect-metadata';
import { SignJWT } from 'jose';
import Stripe from 'stripe';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { buildCreditsSchema } from '../../src/server/schema';
import { Role } from '../../src/auth/principal';
import { serviceActor } from '../../src/audit/actor';
import { AccountDepleted, AccountReversalHold } from '../../src/accounts/account-events';
import { BalanceChanged } from '../../src/balances/balance-events';
import { BalanceLow } from '../../src/balances/thresholds/balance-low-events';
import { AutoTransferOutcome } from '../../src/partners/auto-transfers/auto-transfer-events';
import { AutoRechargeOutcome } from '../../src/payments/auto-recharge/auto-recharge-events';
import { TopUpStatusChanged } from '../../src/payments/top-ups/top-up-events';
import { STRIPE_STAND_IN_WEBHOOK_SECRET } from '../../src/demo/stand-ins/stripe.stand-in';
import { startTestServer, TestServer } from '../support/harness';
import { createAccount, GRANT, UPDATE_BILLING, VALID_BILLING } from '../support/fixtures';
import { fundTopUp } from '../support/partners';
import { createTopUp, probePayload, RETURN_URL } from '../support/top-ups';
import { autoRechargeProbe, saveCard, SET_AUTO_RECHARGE } from '../support/auto-recharge';
import { CREATE_API_KEY } from '../support/api-keys';
import { RECEIPT_DOCUMENTS, receiptOf } from '../support/receipts';

/**
 * Who may call what: every root field of the schema, every provider callback and every CSV route,
 * against every kind of caller, in ONE table. A cell is the expected outcome: OK (the call passed
 * authorisation and did its work), or the refusal code. A root field added to the schema without
 * its rows fails the first test.
 *
 * The accounts: A is a direct customer (the "own" account of the first three user columns), B
 * another direct customer, P a partner with its customer C, Q another partner. The last five
 * callers are API keys of P, one per scope: a key passes a root field only with the scope mapped to
 * it (src/auth/api-key-scopes.ts), and then as P's OWNER would, except where only the OWNER (not a
 * key) may act.
 */
const CALLERS = [
  'anonymous',
  'expired',
  'badSignature',
  'viewerA',
  'billingAdminA',
  'ownerA',
  'viewerB',
  'billingAdminB',
  'ownerB',
  'viewerC',
  'billingAdminC',
  'ownerC',
  'viewerP',
  'billingAdminP',
  'ownerP',
  'ownerQ',
  'metering',
  'admin',
  'keyCustomersP',
  'keyTransfersP',
  'keyReportsP',
  'keyWebhooksP',
  'keyUsageP',
] as const;
type Caller = (typeof CALLERS)[number];

/** Abbreviations used in the table. */
const OUTCOMES: Record<string, string> = {
  OK: 'OK',
  U: 'UNAUTHENTICATED',
  F: 'FORBIDDEN',
  NF: 'NOT_FOUND',
  PMA: 'PARTNER_MANAGED_ACCOUNT',
  400: 'HTTP 400',
  R97: 'VNPay RspCode 97',
};

interface World {
  server: TestServer;
  tokens: Record<Caller, string | null>;
  a: string;
  c: string;
  /** The partner of C (it has an auto-transfer rule for C). */
  p: string;
  topUpA: string;
  cancelableTopUpA: string;
  payPalTopUpA: string;
  /** A card top-up of A that was paid (the refund rows refund a credit of it per call). */
  paidTopUpA: string;
  /** The receipt of a paid top-up of A. */
  receiptA: string;
  /** The credit note of a dispute of another purchase of A, and the debit note of its win. */
  creditNoteA: string;
  debitNoteA: string;
  /** A webhook endpoint of A (url on a closed local port: its deliveries fail, which is fine here). */
  endpointA: string;
  /** A saved card of A (an auto-recharge rule of A uses it). */
  cardA: string;
  /** A card of A saved just before the probe that removes it (see withFreshCardOfA). */
  freshCardA: string;
  /** A grant of A given just before the probe that voids or moves it (see withFreshGrantOfA). */
  freshGrantA: string;
  /** An API key of P that the key-management rows roll and revoke (not one of the callers' keys). */
  keyToManageP: string;
  serial(): number;
}

type Probe = (world: World, caller: Caller) => Promise<string>;

interface Row {
  probe: Probe;
  /** One outcome per caller, in the order of CALLERS. */
  expected: string;
}

const period = { from: '2026-01-01T00:00:00+07:00', to: '2026-02-01T00:00:00+07:00' };
const csvQuery = `from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;

//                                                          anon/exp/badsig | viewer/billingAdmin/owner of A | of B (another account) | of C (P's customer) | of P (partner) | owner of Q | metering | admin | P's API keys: customers:read, transfers:write, reports:read, webhooks:manage, usage:read
// prettier-ignore
const MATRIX: Record<string, Row> = {
  'Query.me':                                 { probe: gql('{ me { subject } }'),                                                              expected: 'U U U   OK OK OK   OK OK OK   OK OK OK   OK OK OK   OK   OK OK   OK F F F F' },
  'Query.account (A)':                        { probe: gql('query ($id: ID!) { account(id: $id) { id } }', (w) => ({ id: w.a })),             expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.account (C)':                        { probe: gql('query ($id: ID!) { account(id: $id) { id } }', (w) => ({ id: w.c })),             expected: 'U U U   F F F      F F F      OK OK OK   OK OK OK   F    F  OK   OK F F F F' },
  'Query.account (no such account)':          { probe: gql('query { account(id: "no-such-account") { id } }'),                                 expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  'Query.balances (A)':                       { probe: gql('query ($id: ID!) { balances(accountId: $id) { totalBalance } }', (w) => ({ id: w.a })), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.balances (C)':                       { probe: gql('query ($id: ID!) { balances(accountId: $id) { totalBalance } }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      OK OK OK   OK OK OK   F    F  OK   F F F F OK' },
  'Query.creditHistory (A)':                  { probe: gql('query ($id: ID!) { creditHistory(accountId: $id, first: 5) { pageInfo { hasNextPage } } }', (w) => ({ id: w.a })), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.creditHistory (C)':                  { probe: gql('query ($id: ID!) { creditHistory(accountId: $id, first: 5) { pageInfo { hasNextPage } } }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      OK OK OK   OK OK OK   F    F  OK   F F F F OK' },
  'Query.topUpOptions (A)':                   { probe: gql('query ($id: ID!) { topUpOptions(accountId: $id) { minimumAmount } }', (w) => ({ id: w.a })), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.topUpOptions (C)':                   { probe: gql('query ($id: ID!) { topUpOptions(accountId: $id) { minimumAmount } }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      OK OK OK   OK OK OK   F    F  OK   F F F F F' },
  "Query.topUp (A's top-up)":                 { probe: gql('query ($id: ID!) { topUp(id: $id) { status } }', (w) => ({ id: w.topUpA })),      expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.topUp (no such top-up)':             { probe: gql('query { topUp(id: "999999999") { status } }'),                                     expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  'Query.promotionalGrants (A)':              { probe: gql('query ($id: ID!) { promotionalGrants(accountId: $id, first: 5) { pageInfo { hasNextPage } } }', (w) => ({ id: w.a })), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.promotionalGrants (C)':              { probe: gql('query ($id: ID!) { promotionalGrants(accountId: $id, first: 5) { pageInfo { hasNextPage } } }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      OK OK OK   OK OK OK   F    F  OK   F F F F OK' },
  'Query.topUps (A)':                         { probe: gql('query ($id: ID!) { topUps(accountId: $id, first: 5) { pageInfo { hasNextPage } } }', (w) => ({ id: w.a })), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.topUps (C)':                         { probe: gql('query ($id: ID!) { topUps(accountId: $id, first: 5) { pageInfo { hasNextPage } } }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      OK OK OK   OK OK OK   F    F  OK   F F F F OK' },
  'Query.receipts (A)':                       { probe: gql('query ($id: ID!) { receipts(accountId: $id, first: 5) { pageInfo { hasNextPage } } }', (w) => ({ id: w.a })), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.receipts (C)':                       { probe: gql('query ($id: ID!) { receipts(accountId: $id, first: 5) { pageInfo { hasNextPage } } }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      OK OK OK   OK OK OK   F    F  OK   F F F F OK' },
  "Query.receipt (A's receipt)":              { probe: gql('query ($id: ID!) { receipt(id: $id) { number } }', (w) => ({ id: w.receiptA })),     expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.receipt (no such receipt)':          { probe: gql('query { receipt(id: "999999999") { number } }'),                                   expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  "Query.creditNote (A's credit note)":       { probe: gql('query ($id: ID!) { creditNote(id: $id) { number } }', (w) => ({ id: w.creditNoteA })), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.creditNote (no such credit note)':   { probe: gql('query { creditNote(id: "999999999") { number } }'),                                expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  "Query.debitNote (A's debit note)":         { probe: gql('query ($id: ID!) { debitNote(id: $id) { number } }', (w) => ({ id: w.debitNoteA })), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.debitNote (no such debit note)':     { probe: gql('query { debitNote(id: "999999999") { number } }'),                                 expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  'Query.partnerCustomers':                   { probe: gql('{ partnerCustomers(first: 5) { edges { node { id } } } }'),                         expected: 'U U U   F F F      F F F      F F F      OK OK OK   OK   F  F   OK F F F F' },
  'Query.creditUsageReport':                  { probe: gql('query ($p: ReportPeriodInput!) { creditUsageReport(period: $p) { totalUsage } }', () => ({ p: period })), expected: 'U U U   F F F      F F F      F F F      OK OK OK   OK   F  F   F F OK F F' },
  'Query.creditTopUpReport':                  { probe: gql('query ($p: ReportPeriodInput!) { creditTopUpReport(period: $p) { totalTransferred } }', () => ({ p: period })), expected: 'U U U   F F F      F F F      F F F      OK OK OK   OK   F  F   F F OK F F' },
  'Query.creditSummaryReport':                { probe: gql('query ($p: ReportPeriodInput!) { creditSummaryReport(period: $p) { customerTotals { closingBalance } } }', () => ({ p: period })), expected: 'U U U   F F F      F F F      F F F      OK OK OK   OK   F  F   F F OK F F' },

  'Mutation.createAccount':                   { probe: gql('mutation ($input: CreateAccountInput!) { createAccount(input: $input) { id } }', (w) => ({ input: { id: `matrix-${w.serial()}-${Date.now().toString(36)}`, kind: 'CUSTOMER', name: 'Matrix', region: 'VN' } })), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Mutation.setAccountStatus (A)':            { probe: gql('mutation ($id: ID!) { setAccountStatus(accountId: $id, status: ACTIVE) { id } }', (w) => ({ id: w.a })), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Mutation.grantPromotionalCredits (A)':     { probe: gql('mutation ($input: GrantPromotionalCreditsInput!) { grantPromotionalCredits(input: $input) { grant { id } } }', (w) => ({ input: { accountId: w.a, amount: '0.5', reason: 'matrix', idempotencyKey: `matrix-grant-${w.serial()}` } })), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  OK   F F F F F' },
  // Corrections: the platform admin only. The grant rows void or move a grant of A granted just before each call.
  'Mutation.adjustBalance (A)':               { probe: gql('mutation ($input: AdjustBalanceInput!) { adjustBalance(input: $input) { correction { id } } }', (w) => ({ input: { accountId: w.a, wallet: 'TOPUP', amount: '0.5', reason: 'matrix', idempotencyKey: `matrix-adjust-${w.serial()}` } })), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  OK   F F F F F' },
  "Mutation.voidPromotionalGrant (A's grant)": { probe: withFreshGrantOfA(gql('mutation ($id: ID!) { voidPromotionalGrant(input: { grantId: $id, reason: "matrix" }) { grant { status } } }', (w) => ({ id: w.freshGrantA }))), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Mutation.voidPromotionalGrant (no such grant)': { probe: gql('mutation { voidPromotionalGrant(input: { grantId: "999999999", reason: "matrix" }) { grant { status } } }'), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  "Mutation.changePromotionalGrantExpiry (A's grant)": { probe: withFreshGrantOfA(gql('mutation ($id: ID!) { changePromotionalGrantExpiry(input: { grantId: $id, expiresAt: null, reason: "matrix" }) { status } }', (w) => ({ id: w.freshGrantA }))), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  OK   F F F F F' },
  // Setting P's limit to what it is (0) changes nothing, so the other rows meet P as it was.
  'Mutation.setCreditLimit (P)':              { probe: gql('mutation ($id: ID!) { setCreditLimit(input: { partnerAccountId: $id, limit: "0", reason: "matrix" }) { creditLimit } }', (w) => ({ id: w.p })), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Mutation.recordUsage (A)':                 { probe: gql('mutation ($events: [UsageEventInput!]!) { recordUsage(events: $events) { appliedCount } }', (w) => ({ events: [{ eventId: `matrix-usage-${w.serial()}`, accountId: w.a, service: 'compute', amount: '0.01', occurredAt: new Date().toISOString() }] })), expected: 'U U U   F F F      F F F      F F F      F F F      F    OK F   F F F F F' },
  'Mutation.updateBillingInfo (A)':           { probe: gql('mutation ($id: ID, $input: BillingInfoInput!) { updateBillingInfo(accountId: $id, input: $input) { accountId } }', (w) => ({ id: w.a, input: VALID_BILLING })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  F   F F F F F' },
  'Mutation.updateBillingInfo (C)':           { probe: gql('mutation ($id: ID, $input: BillingInfoInput!) { updateBillingInfo(accountId: $id, input: $input) { accountId } }', (w) => ({ id: w.c, input: VALID_BILLING })), expected: 'U U U   F F F      F F F      F OK OK    F F F      F    F  F   F F F F F' },
  'Mutation.createTopUp (A)':                 { probe: gql('mutation ($input: CreateTopUpInput!) { createTopUp(input: $input) { id } }', (w) => ({ input: { accountId: w.a, amount: '10', method: 'STRIPE', idempotencyKey: `matrix-topup-${w.serial()}`, returnUrl: RETURN_URL } })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  F   F F F F F' },
  'Mutation.createTopUp (C)':                 { probe: gql('mutation ($input: CreateTopUpInput!) { createTopUp(input: $input) { id } }', (w) => ({ input: { accountId: w.c, amount: '10', method: 'STRIPE', idempotencyKey: `matrix-topup-${w.serial()}`, returnUrl: RETURN_URL } })), expected: 'U U U   F F F      F F F      F PMA PMA  F F F      F    F  F   F F F F F' },
  "Mutation.cancelTopUp (A's top-up)":        { probe: gql('mutation ($id: ID!) { cancelTopUp(id: $id) { status } }', (w) => ({ id: w.cancelableTopUpA })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  F   F F F F F' },
  "Mutation.capturePayPalTopUp (A's top-up)": { probe: gql('mutation ($id: ID!) { capturePayPalTopUp(input: { topUpId: $id }) { status } }', (w) => ({ id: w.payPalTopUpA })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  F   F F F F F' },
  "Mutation.refundTopUp (A's paid top-up)":   { probe: gql('mutation ($input: RefundTopUpInput!) { refundTopUp(input: $input) { status } }', (w) => ({ input: { topUpId: w.paidTopUpA, amount: '1', reason: 'matrix', idempotencyKey: `matrix-refund-${w.serial()}` } })), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Mutation.refundTopUp (no such top-up)':    { probe: gql('mutation ($input: RefundTopUpInput!) { refundTopUp(input: $input) { status } }', (w) => ({ input: { topUpId: 'no-such-top-up', amount: '1', reason: 'matrix', idempotencyKey: `matrix-refund-${w.serial()}` } })), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  // An order id that is nobody's answers like one that is not yours (no probing), as for top-up ids.
  'Mutation.capturePayPalTopUp (no such order)': { probe: gql('mutation { capturePayPalTopUp(input: { orderId: "NOPE" }) { status } }'),          expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  'Mutation.transferCredits (to C, dry run)': { probe: gql('mutation ($input: TransferCreditsInput!) { transferCredits(input: $input) { dryRun } }', (w) => ({ input: { customerAccountId: w.c, amount: '1', idempotencyKey: `matrix-transfer-${w.serial()}`, dryRun: true } })), expected: 'U U U   F F F      F F F      F F F      F OK OK    F    F  F   F OK F F F' },
  'Mutation.transferCredits (to A, dry run)': { probe: gql('mutation ($input: TransferCreditsInput!) { transferCredits(input: $input) { dryRun } }', (w) => ({ input: { customerAccountId: w.a, amount: '1', idempotencyKey: `matrix-transfer-${w.serial()}`, dryRun: true } })), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  F   F F F F F' },
  // A batch's rows are refused one by one with transferCredits' codes: the cell is the row's code when the batch itself passed.
  'Mutation.transferCreditsBatch (to C, dry run)': { probe: batchRow((w) => w.c), expected: 'U U U   F F F      F F F      F F F      F OK OK    F    F  F   F OK F F F' },
  'Mutation.transferCreditsBatch (to A, dry run)': { probe: batchRow((w) => w.a), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  F   F F F F F' },
  // Only P's OWNER and BILLING_ADMIN may take credits back from C; a direct customer is nobody's to reclaim from.
  'Mutation.reclaimCredits (from C, dry run)': { probe: gql('mutation ($input: ReclaimCreditsInput!) { reclaimCredits(input: $input) { dryRun } }', (w) => ({ input: { customerAccountId: w.c, amount: '1', idempotencyKey: `matrix-reclaim-${w.serial()}`, dryRun: true } })), expected: 'U U U   F F F      F F F      F F F      F OK OK    F    F  F   F OK F F F' },
  'Mutation.reclaimCredits (from A, dry run)': { probe: gql('mutation ($input: ReclaimCreditsInput!) { reclaimCredits(input: $input) { dryRun } }', (w) => ({ input: { customerAccountId: w.a, amount: '1', idempotencyKey: `matrix-reclaim-${w.serial()}`, dryRun: true } })), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  F   F F F F F' },

  'Mutation.setBalanceThresholds (A)':        { probe: gql('mutation ($id: ID!) { setBalanceThresholds(accountId: $id, thresholds: ["5"]) }', (w) => ({ id: w.a })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  F   F F F F F' },
  'Mutation.setBalanceThresholds (P, available credit)': { probe: gql('mutation ($id: ID!) { setBalanceThresholds(accountId: $id, thresholds: ["5"], measure: AVAILABLE_TO_TRANSFER) }', (w) => ({ id: w.p })), expected: 'U U U   F F F      F F F      F F F      F OK OK    F    F  F   F F F OK F' },
  'Mutation.setBalanceThresholds (C)':        { probe: gql('mutation ($id: ID!) { setBalanceThresholds(accountId: $id, thresholds: ["5"]) }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      F OK OK    F OK OK    F    F  F   F F F OK F' },
  'Query.webhookEndpoints (A)':               { probe: gql('query ($id: ID!) { webhookEndpoints(accountId: $id) { id } }', (w) => ({ id: w.a })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.webhookEndpoints (C)':               { probe: gql('query ($id: ID!) { webhookEndpoints(accountId: $id) { id } }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      F OK OK    F OK OK    F    F  OK   F F F OK F' },
  "Query.webhookDeliveries (A's endpoint)":   { probe: gql('query ($id: ID!) { webhookDeliveries(endpointId: $id, first: 5) { pageInfo { hasNextPage } } }', (w) => ({ id: w.endpointA })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  OK   F F F F F' },
  // An endpoint or delivery that is nobody's answers like one that is not yours (no probing of ids).
  'Query.webhookDeliveries (no such endpoint)': { probe: gql('query { webhookDeliveries(endpointId: "whe_nope", first: 5) { pageInfo { hasNextPage } } }'), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  'Mutation.createWebhookEndpoint (A)':       { probe: gql('mutation ($id: ID!) { createWebhookEndpoint(input: { accountId: $id, url: "http://127.0.0.1:9/matrix", events: [BALANCE_LOW] }) { endpoint { id } } }', (w) => ({ id: w.a })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  F   F F F F F' },
  "Mutation.updateWebhookEndpoint (A's)":     { probe: gql('mutation ($id: ID!) { updateWebhookEndpoint(input: { endpointId: $id, enabled: true }) { id } }', (w) => ({ id: w.endpointA })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  F   F F F F F' },
  "Mutation.rotateWebhookSecret (A's)":       { probe: gql('mutation ($id: ID!) { rotateWebhookSecret(endpointId: $id, overlapSeconds: 0) { secret } }', (w) => ({ id: w.endpointA })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  F   F F F F F' },
  "Mutation.sendTestWebhook (A's)":           { probe: gql('mutation ($id: ID!) { sendTestWebhook(endpointId: $id) }', (w) => ({ id: w.endpointA })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  F    F F F F F' },
  'Mutation.sendTestWebhook (no such endpoint)': { probe: gql('mutation { sendTestWebhook(endpointId: "whe_nope") }'),                        expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  'Mutation.deleteWebhookEndpoint (no such endpoint)': { probe: gql('mutation { deleteWebhookEndpoint(endpointId: "whe_nope") }'), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  'Mutation.redeliverWebhook (no such delivery)': { probe: gql('mutation { redeliverWebhook(deliveryId: "999999999") { id } }'), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  'Query.autoTransferRule (C)':               { probe: gql('query ($id: ID!) { autoTransferRule(customerAccountId: $id) { id } }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      F F F      F OK OK    F    F  OK   F OK F F F' },
  'Query.autoTransferRule (A)':               { probe: gql('query ($id: ID!) { autoTransferRule(customerAccountId: $id) { id } }', (w) => ({ id: w.a })), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.autoTransferRules':                  { probe: gql('{ autoTransferRules(first: 5) { edges { node { id } } } }'),                           expected: 'U U U   F F F      F F F      F F F      F OK OK    OK   F  F   F OK F F F' },
  'Mutation.setAutoTransferRule (C)':         { probe: gql('mutation ($id: ID!) { setAutoTransferRule(input: { customerAccountId: $id, threshold: "1", targetBalance: "2", monthlyCap: "3" }) { id } }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      F F F      F OK OK    F    F  F   F OK F F F' },
  'Mutation.setAutoTransferRule (A)':         { probe: gql('mutation ($id: ID!) { setAutoTransferRule(input: { customerAccountId: $id, threshold: "1", targetBalance: "2", monthlyCap: "3" }) { id } }', (w) => ({ id: w.a })), expected: 'U U U   F F F      F F F      F F F      F F F      F    F  F   F F F F F' },
  'Mutation.pauseAutoTransferRule (C)':       { probe: withRuleForC(gql('mutation ($id: ID!) { pauseAutoTransferRule(customerAccountId: $id) { id } }', (w) => ({ id: w.c }))), expected: 'U U U   F F F      F F F      F F F      F OK OK    F    F  F   F OK F F F' },
  'Mutation.resumeAutoTransferRule (C)':      { probe: withRuleForC(gql('mutation ($id: ID!) { resumeAutoTransferRule(customerAccountId: $id) { id } }', (w) => ({ id: w.c }))), expected: 'U U U   F F F      F F F      F F F      F OK OK    F    F  F   F OK F F F' },
  'Mutation.removeAutoTransferRule (C)':      { probe: withRuleForC(gql('mutation ($id: ID!) { removeAutoTransferRule(customerAccountId: $id) }', (w) => ({ id: w.c }))), expected: 'U U U   F F F      F F F      F F F      F OK OK    F    F  F   F OK F F F' },
  'Subscription.autoTransferOutcomes (P)':    { probe: subscription('subscription ($id: ID!) { autoTransferOutcomes(partnerAccountId: $id) { eventId } }', (w) => w.p, AutoTransferOutcome.topic, (w) => autoTransferOutcomeProbe(w.p, w.c)), expected: 'U U U   F F F      F F F      F F F      F OK OK    F    F  OK   F F F F F' },
  'Query.autoRecharge (A)':                   { probe: gql('query ($id: ID!) { autoRecharge(accountId: $id) { status } }', (w) => ({ id: w.a })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.autoRecharge (C)':                   { probe: gql('query ($id: ID!) { autoRecharge(accountId: $id) { status } }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      F OK OK    F OK OK    F    F  OK   F F F F F' },
  'Query.savedPaymentMethods (A)':            { probe: gql('query ($id: ID!) { savedPaymentMethods(accountId: $id) { id } }', (w) => ({ id: w.a })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.savedPaymentMethods (C)':            { probe: gql('query ($id: ID!) { savedPaymentMethods(accountId: $id) { id } }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      F OK OK    F OK OK    F    F  OK   F F F F F' },
  'Mutation.startSavedCardSetup (A)':         { probe: gql('mutation ($id: ID!) { startSavedCardSetup(accountId: $id) { setupIntentId } }', (w) => ({ id: w.a })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  F   F F F F F' },
  'Mutation.startSavedCardSetup (C)':         { probe: gql('mutation ($id: ID!) { startSavedCardSetup(accountId: $id) { setupIntentId } }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      F PMA PMA  F F F      F    F  F   F F F F F' },
  'Mutation.setAutoRecharge (A)':             { probe: gql(SET_AUTO_RECHARGE, (w) => ({ input: { accountId: w.a, threshold: '5', amount: '10', monthlyCap: '50', paymentMethodId: w.cardA } })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  F   F F F F F' },
  'Mutation.setAutoRecharge (C)':             { probe: gql(SET_AUTO_RECHARGE, (w) => ({ input: { accountId: w.c, threshold: '5', amount: '10', monthlyCap: '50', paymentMethodId: w.cardA } })), expected: 'U U U   F F F      F F F      F PMA PMA  F F F      F    F  F   F F F F F' },
  'Mutation.pauseAutoRecharge (A)':           { probe: gql('mutation ($id: ID!) { pauseAutoRecharge(accountId: $id, paused: false) { status } }', (w) => ({ id: w.a })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  F   F F F F F' },
  // Last of A's auto-recharge rows: it deletes the rule the rows above use (a second delete answers false).
  'Mutation.removeAutoRecharge (A)':          { probe: gql('mutation ($id: ID!) { removeAutoRecharge(accountId: $id) }', (w) => ({ id: w.a })), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  F   F F F F F' },
  // Each call removes a card saved for it, so every caller meets a card that exists.
  "Mutation.removeSavedPaymentMethod (A's card)": { probe: withFreshCardOfA(gql('mutation ($id: ID!) { removeSavedPaymentMethod(id: $id) }', (w) => ({ id: w.freshCardA })), ), expected: 'U U U   F OK OK    F F F      F F F      F F F      F    F  F    F F F F F' },
  'Mutation.removeSavedPaymentMethod (no such card)': { probe: gql('mutation { removeSavedPaymentMethod(id: "999999999") }'),                 expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  'Subscription.autoRechargeEvents (A)':      { probe: subscription('subscription ($id: ID!) { autoRechargeEvents(accountId: $id) { eventId } }', (w) => w.a, AutoRechargeOutcome.topic, (w) => autoRechargeProbe(w.a)), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Subscription.autoRechargeEvents (C)':      { probe: subscription('subscription ($id: ID!) { autoRechargeEvents(accountId: $id) { eventId } }', (w) => w.c, AutoRechargeOutcome.topic, (w) => autoRechargeProbe(w.c)), expected: 'U U U   F F F      F F F      OK OK OK   OK OK OK   F    F  OK   F F F F F' },
  'Subscription.balanceLow (A)':              { probe: subscription('subscription ($id: ID!) { balanceLow(accountId: $id) { eventId } }', (w) => w.a, BalanceLow.topic, (w) => balanceLowProbe(w.a)), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Subscription.balanceLow (C)':              { probe: subscription('subscription ($id: ID!) { balanceLow(accountId: $id) { eventId } }', (w) => w.c, BalanceLow.topic, (w) => balanceLowProbe(w.c)), expected: 'U U U   F F F      F F F      OK OK OK   OK OK OK   F    F  OK   F F F F F' },
  'Subscription.balanceChanged (A)':          { probe: subscription('subscription ($id: ID!) { balanceChanged(accountId: $id) { eventId } }', (w) => w.a, BalanceChanged.topic, (w) => balanceProbe(w.a)), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Subscription.balanceChanged (C)':          { probe: subscription('subscription ($id: ID!) { balanceChanged(accountId: $id) { eventId } }', (w) => w.c, BalanceChanged.topic, (w) => balanceProbe(w.c)), expected: 'U U U   F F F      F F F      OK OK OK   OK OK OK   F    F  OK   F F F F F' },
  'Subscription.accountDepleted (A)':         { probe: subscription('subscription ($id: ID!) { accountDepleted(accountId: $id) { eventId } }', (w) => w.a, AccountDepleted.topic, (w) => depletionProbe(w.a)), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Subscription.accountDepleted (C)':         { probe: subscription('subscription ($id: ID!) { accountDepleted(accountId: $id) { eventId } }', (w) => w.c, AccountDepleted.topic, (w) => depletionProbe(w.c)), expected: 'U U U   F F F      F F F      OK OK OK   OK OK OK   F    F  OK   F F F F F' },
  'Subscription.accountReversalHold (A)':     { probe: subscription('subscription ($id: ID!) { accountReversalHold(accountId: $id) { eventId } }', (w) => w.a, AccountReversalHold.topic, (w) => reversalHoldProbe(w.a)), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Subscription.accountReversalHold (P)':     { probe: subscription('subscription ($id: ID!) { accountReversalHold(accountId: $id) { eventId } }', (w) => w.p, AccountReversalHold.topic, (w) => reversalHoldProbe(w.p)), expected: 'U U U   F F F      F F F      F F F      OK OK OK   F    F  OK   F F F F F' },
  "Subscription.topUpStatusChanged (A's)":    { probe: subscription('subscription ($id: ID!) { topUpStatusChanged(topUpId: $id) { eventId } }', (w) => w.topUpA, TopUpStatusChanged.topic, (w) => probePayload({ id: w.topUpA, accountId: w.a })), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },

  // API keys: only the account's own OWNER manages them (not its BILLING_ADMIN, not the admin, never a key).
  'Query.apiKeys (P)':                        { probe: gql('query ($id: ID!) { apiKeys(accountId: $id) { id } }', (w) => ({ id: w.p })),       expected: 'U U U   F F F      F F F      F F F      F F OK     F    F  F    F F F F F' },
  'Query.apiKeys (A)':                        { probe: gql('query ($id: ID!) { apiKeys(accountId: $id) { id } }', (w) => ({ id: w.a })),       expected: 'U U U   F F OK     F F F      F F F      F F F      F    F  F    F F F F F' },
  'Mutation.createApiKey (P)':                { probe: gql('mutation ($id: ID!) { createApiKey(input: { accountId: $id, name: "matrix", scopes: [REPORTS_READ] }) { secret } }', (w) => ({ id: w.p })), expected: 'U U U   F F F      F F F      F F F      F F OK     F    F  F    F F F F F' },
  'Mutation.createApiKey (C)':                { probe: gql('mutation ($id: ID!) { createApiKey(input: { accountId: $id, name: "matrix", scopes: [REPORTS_READ] }) { secret } }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      F F OK     F F F      F    F  F    F F F F F' },
  "Mutation.rollApiKey (P's key)":            { probe: gql('mutation ($id: ID!) { rollApiKey(input: { id: $id, overlapSeconds: 0 }) { secret } }', (w) => ({ id: w.keyToManageP })), expected: 'U U U   F F F      F F F      F F F      F F OK     F    F  F    F F F F F' },
  // Last of the key rows: it revokes the key the roll row uses (revoking it again answers it as it is).
  "Mutation.revokeApiKey (P's key)":          { probe: gql('mutation ($id: ID!) { revokeApiKey(id: $id) { id } }', (w) => ({ id: w.keyToManageP })), expected: 'U U U   F F F      F F F      F F F      F F OK     F    F  F    F F F F F' },
  'Mutation.revokeApiKey (no such key)':      { probe: gql('mutation { revokeApiKey(id: "nope") { id } }'),                                      expected: 'U U U   F F F      F F F      F F F      F F F      F    F  F    F F F F F' },

  // The audit trail: the platform admin reads everything; an account's OWNER its own account (the default), nobody else.
  'Query.auditLog (A)':                       { probe: gql('query ($id: ID!) { auditLog(accountId: $id, first: 5) { pageInfo { hasNextPage } } }', (w) => ({ id: w.a })), expected: 'U U U   F F OK     F F F      F F F      F F F      F    F  OK   F F F F F' },
  'Query.auditLog (C)':                       { probe: gql('query ($id: ID!) { auditLog(accountId: $id, first: 5) { pageInfo { hasNextPage } } }', (w) => ({ id: w.c })), expected: 'U U U   F F F      F F F      F F OK     F F F      F    F  OK   F F F F F' },
  'Query.auditLog (own account or all)':      { probe: gql('{ auditLog(first: 5) { pageInfo { hasNextPage } } }'),                             expected: 'U U U   F F OK     F F OK     F F OK     F F OK     OK   F  OK   F F F F F' },

  // Provider callbacks authenticate by signature; a bearer token (even the admin's) changes nothing.
  'POST /webhooks/stripe (forged signature)': { probe: stripeWebhook('whsec_forged'),                                                         expected: '400 400 400   400 400 400   400 400 400   400 400 400   400 400 400   400   400 400   400 400 400 400 400' },
  'POST /webhooks/stripe (signed)':           { probe: stripeWebhook(STRIPE_STAND_IN_WEBHOOK_SECRET),                                         expected: 'OK OK OK   OK OK OK   OK OK OK   OK OK OK   OK OK OK   OK   OK OK   OK OK OK OK OK' },
  'POST /webhooks/paypal (forged)':           { probe: http('POST', '/webhooks/paypal', JSON.stringify({ id: 'WH-forged', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: {} })), expected: '400 400 400   400 400 400   400 400 400   400 400 400   400 400 400   400   400 400   400 400 400 400 400' },
  'GET /webhooks/vnpay/ipn (bad checksum)':   { probe: http('GET', `/webhooks/vnpay/ipn?vnp_TxnRef=1&vnp_Amount=100&vnp_ResponseCode=00&vnp_SecureHash=${'0'.repeat(128)}`), expected: 'R97 R97 R97   R97 R97 R97   R97 R97 R97   R97 R97 R97   R97 R97 R97   R97   R97 R97   R97 R97 R97 R97 R97' },
  // The browser's return only redirects to the console when VNPay signed it (it never credits);
  // a forged one is refused whoever sends it.
  'GET /payments/vnpay/return (forged)':      { probe: http('GET', `/payments/vnpay/return?vnp_TxnRef=1&vnp_SecureHash=${'0'.repeat(128)}`), expected: '400 400 400   400 400 400   400 400 400   400 400 400   400 400 400   400   400 400   400 400 400 400 400' },
  // PayPal's returns settle a top-up only when they name its PayPal order; a forged order id changes nothing, whoever sends it.
  'GET /payments/paypal/return (forged)':     { probe: (w, caller) => http('GET', `/payments/paypal/return?topUpId=${encodeURIComponent(w.topUpA)}&token=FORGED-ORDER`)(w, caller), expected: '400 400 400   400 400 400   400 400 400   400 400 400   400 400 400   400   400 400   400 400 400 400 400' },
  'GET /payments/paypal/cancel (forged)':     { probe: (w, caller) => http('GET', `/payments/paypal/cancel?topUpId=${encodeURIComponent(w.topUpA)}&token=FORGED-ORDER`)(w, caller), expected: '400 400 400   400 400 400   400 400 400   400 400 400   400 400 400   400   400 400   400 400 400 400 400' },

  'GET /history.csv (A)':                     { probe: (w, caller) => http('GET', `/history.csv?accountId=${encodeURIComponent(w.a)}`)(w, caller), expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'GET /history.csv (C)':                     { probe: (w, caller) => http('GET', `/history.csv?accountId=${encodeURIComponent(w.c)}`)(w, caller), expected: 'U U U   F F F      F F F      OK OK OK   OK OK OK   F    F  OK   F F F F OK' },
  // The receipt as PDF: the access of receipt(id); an id that is nobody's answers like one that is not yours.
  "GET /receipts/{A's receipt}.pdf":          { probe: (w, caller) => http('GET', `/receipts/${w.receiptA}.pdf`)(w, caller),                  expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'GET /receipts/{no such receipt}.pdf':      { probe: http('GET', '/receipts/999999999.pdf'),                                                 expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  // The credit and debit notes as PDF: the access of their purchase, like the receipt's.
  "GET /credit-notes/{A's credit note}.pdf":  { probe: (w, caller) => http('GET', `/credit-notes/${w.creditNoteA}.pdf`)(w, caller),            expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'GET /credit-notes/{no such note}.pdf':     { probe: http('GET', '/credit-notes/999999999.pdf'),                                             expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  "GET /debit-notes/{A's debit note}.pdf":    { probe: (w, caller) => http('GET', `/debit-notes/${w.debitNoteA}.pdf`)(w, caller),              expected: 'U U U   OK OK OK   F F F      F F F      F F F      F    F  OK   F F F F F' },
  'GET /debit-notes/{no such note}.pdf':      { probe: http('GET', '/debit-notes/999999999.pdf'),                                              expected: 'U U U   F F F      F F F      F F F      F F F      F    F  NF   F F F F F' },
  'GET /reports/usage.csv':                   { probe: http('GET', `/reports/usage.csv?${csvQuery}`),                                          expected: 'U U U   F F F      F F F      F F F      OK OK OK   OK   F  F   F F OK F F' },
  'GET /reports/top-ups.csv':                 { probe: http('GET', `/reports/top-ups.csv?${csvQuery}`),                                        expected: 'U U U   F F F      F F F      F F F      OK OK OK   OK   F  F   F F OK F F' },
  'GET /reports/summary.csv':                 { probe: http('GET', `/reports/summary.csv?${csvQuery}`),                                        expected: 'U U U   F F F      F F F      F F F      OK OK OK   OK   F  F   F F OK F F' },
};

/** The GraphQL root fields the table covers: a key's "Kind.field" prefix. */
const coveredRootFields = new Set(
  Object.keys(MATRIX)
    .filter((key) => /^(Query|Mutation|Subscription)\./.test(key))
    .map((key) => key.split(' ')[0]),
);

describe('authorisation matrix', () => {
  let world: World;
  beforeAll(async () => {
    world = await setUpWorld();
  });
  afterAll(async () => {
    await world?.server.stop();
  });

  it('has rows for every root field of the schema, and none for a field that does not exist', async () => {
    const schema = await buildCreditsSchema();
    const fields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : [],
    );
    expect(fields.filter((field) => !coveredRootFields.has(field)).sort()).toEqual([]);
    expect([...coveredRootFields].filter((field) => !fields.includes(field)).sort()).toEqual([]);
  });

  it('has one outcome per caller in every row', () => {
    for (const [key, row] of Object.entries(MATRIX)) {
      const cells = row.expected.split(/\s+/).filter(Boolean);
      expect({ key, cells: cells.length, unknown: cells.filter((cell) => !(cell in OUTCOMES)) }).toEqual({ key, cells: CALLERS.length, unknown: [] });
    }
  });

  it.each(Object.keys(MATRIX))('%s', async (key) => {
    const row = MATRIX[key];
    const expected = row.expected
      .split(/\s+/)
      .filter(Boolean)
      .map((cell) => OUTCOMES[cell]);
    const actual: Record<string, string> = {};
    const wanted: Record<string, string> = {};
    // One caller after another: the rows that change state (cancel, billing) must see a stable order.
    for (const [index, caller] of CALLERS.entries()) {
      actual[caller] = await row.probe(world, caller);
      wanted[caller] = expected[index];
    }
    expect(actual).toEqual(wanted);
  });
});

async function setUpWorld(): Promise<World> {
  const server = await startTestServer();
  const a = await createAccount(server);
  const b = await createAccount(server);
  const p = await createAccount(server, { kind: 'PARTNER' });
  const c = await createAccount(server, { partnerId: p });
  const q = await createAccount(server, { kind: 'PARTNER' });
  await createAccount(server, { partnerId: q });
  await fundTopUp(server, p, 100_000_000n);
  // C holds top-up credits, so its partner's reclaim dry run passes every check but the caller's.
  await fundTopUp(server, c, 10_000_000n);
  const ownerA = await server.userToken(a, Role.OWNER);
  await server.ok(UPDATE_BILLING, { accountId: a, input: VALID_BILLING }, ownerA);
  const buyer = { accountId: a, token: ownerA };
  const topUpA = (await createTopUp(server, buyer, { method: 'STRIPE' })).id;
  const cancelableTopUpA = (await createTopUp(server, buyer, { method: 'STRIPE' })).id;
  const payPalTopUpA = (await createTopUp(server, buyer, { method: 'PAYPAL' })).id;
  const paidTopUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '25' });
  await server.standIns.stripe.succeed(paidTopUp.providerReference);
  const receiptA = (await receiptOf(server, buyer, paidTopUp.id)).id as string;
  const disputedTopUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '10' });
  await server.standIns.stripe.succeed(disputedTopUp.providerReference);
  const dispute = await server.standIns.stripe.dispute(disputedTopUp.providerReference);
  await server.standIns.stripe.closeDispute((dispute.event.data.object as { id: string }).id, 'won');
  const { creditNotes } = (await server.ok(RECEIPT_DOCUMENTS, { id: (await receiptOf(server, buyer, disputedTopUp.id)).id }, ownerA)).receipt;
  const [creditNoteA, debitNoteA] = [creditNotes[0].id as string, creditNotes[0].cancelledBy.id as string];
  const endpointA = (
    await server.ok(
      `mutation { createWebhookEndpoint(input: { accountId: "${a}", url: "http://127.0.0.1:9/matrix", events: [BALANCE_LOW] }) { endpoint { id } } }`,
      {},
      ownerA,
    )
  ).createWebhookEndpoint.endpoint.id as string;
  const cardA = await saveCard(server, buyer);
  await server.ok(SET_AUTO_RECHARGE, { input: { accountId: a, threshold: '5', amount: '10', monthlyCap: '50', paymentMethodId: cardA } }, ownerA);
  const secret = new TextEncoder().encode(server.services.config.auth.hmacSecret!);
  const ownerP = await server.userToken(p, Role.OWNER);
  const tokens: Record<Caller, string | null> = {
    anonymous: null,
    expired: await new SignJWT({ account_id: a, role: Role.OWNER })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('expired')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(secret),
    badSignature: await new SignJWT({ account_id: a, role: Role.OWNER })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('forger')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('y'.repeat(48))),
    viewerA: await server.userToken(a, Role.VIEWER),
    billingAdminA: await server.userToken(a, Role.BILLING_ADMIN),
    ownerA,
    viewerB: await server.userToken(b, Role.VIEWER),
    billingAdminB: await server.userToken(b, Role.BILLING_ADMIN),
    ownerB: await server.userToken(b, Role.OWNER),
    viewerC: await server.userToken(c, Role.VIEWER),
    billingAdminC: await server.userToken(c, Role.BILLING_ADMIN),
    ownerC: await server.userToken(c, Role.OWNER),
    viewerP: await server.userToken(p, Role.VIEWER),
    billingAdminP: await server.userToken(p, Role.BILLING_ADMIN),
    ownerP,
    ownerQ: await server.userToken(q, Role.OWNER),
    metering: await server.meteringToken(),
    admin: await server.adminToken(),
    keyCustomersP: await apiKeyOf(server, p, ownerP, 'CUSTOMERS_READ'),
    keyTransfersP: await apiKeyOf(server, p, ownerP, 'TRANSFERS_WRITE'),
    keyReportsP: await apiKeyOf(server, p, ownerP, 'REPORTS_READ'),
    keyWebhooksP: await apiKeyOf(server, p, ownerP, 'WEBHOOKS_MANAGE'),
    keyUsageP: await apiKeyOf(server, p, ownerP, 'USAGE_READ'),
  };
  let counter = 0;
  const keyToManageP = (await server.ok(CREATE_API_KEY, { input: { accountId: p, name: 'managed in the matrix', scopes: ['USAGE_READ'] } }, ownerP))
    .createApiKey.apiKey.id;
  return {
    server,
    tokens,
    a,
    c,
    p,
    topUpA,
    cancelableTopUpA,
    payPalTopUpA,
    paidTopUpA: paidTopUp.id,
    receiptA,
    creditNoteA,
    debitNoteA,
    endpointA,
    cardA,
    freshCardA: '',
    freshGrantA: '',
    keyToManageP,
    serial: () => ++counter,
  };
}

/** Saves a new card for A before each call of `probe` (which removes one). */
function withFreshCardOfA(probe: Probe): Probe {
  return async (world, caller) => {
    world.freshCardA = await saveCard(world.server, { accountId: world.a, token: world.tokens.ownerA! });
    return probe(world, caller);
  };
}

/** Grants A fresh promotional credits (expiring in a day) before each call of `probe` (which voids or moves a grant). */
function withFreshGrantOfA(probe: Probe): Probe {
  return async (world, caller) => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const { grantPromotionalCredits } = await world.server.ok(
      GRANT,
      { input: { accountId: world.a, amount: '0.25', reason: 'matrix', idempotencyKey: `matrix-fresh-grant-${world.serial()}`, expiresAt } },
      await world.server.adminToken(),
    );
    world.freshGrantA = grantPromotionalCredits.grant.id;
    return probe(world, caller);
  };
}

/** An API key of `accountId` with one scope, made by its OWNER. */
async function apiKeyOf(server: TestServer, accountId: string, ownerToken: string, scope: string): Promise<string> {
  const { createApiKey } = await server.ok(CREATE_API_KEY, { input: { accountId, name: `matrix ${scope}`, scopes: [scope] } }, ownerToken);
  return createApiKey.secret;
}

/** A GraphQL operation over HTTP: the first error's code, else `outcomeOf` its data (OK by default). */
function gql(query: string, variables: (world: World) => Record<string, unknown> = () => ({}), outcomeOf: (data: unknown) => string = () => 'OK'): Probe {
  return async (world, caller) => {
    const token = world.tokens[caller];
    const response = await fetch(world.server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables: variables(world) }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    if (body.errors?.length) return body.errors[0].extensions?.code ?? `no code (HTTP ${response.status})`;
    return response.status === 200 && body.data ? outcomeOf(body.data) : `HTTP ${response.status}`;
  };
}

/**
 * A dry-run transfer batch of one row to `customer`: the batch's own refusal, or else its row's
 * (OK only when the row would be transferred).
 */
function batchRow(customer: (world: World) => string): Probe {
  return gql(
    'mutation ($input: TransferCreditsBatchInput!) { transferCreditsBatch(input: $input) { results { status code } } }',
    (w) => ({
      input: { idempotencyKey: `matrix-batch-${w.serial()}`, mode: 'EACH_ON_ITS_OWN', dryRun: true, rows: [{ customerAccountId: customer(w), amount: '1' }] },
    }),
    (data) => {
      const [row] = (data as { transferCreditsBatch: { results: { status: string; code: string | null }[] } }).transferCreditsBatch.results;
      return row.status === 'OK' ? 'OK' : (row.code ?? row.status);
    },
  );
}

/** A plain HTTP route with the caller's bearer token: OK for 200, the code for a refusal. */
function http(method: 'GET' | 'POST', path: string, body?: string, headers: Record<string, string> = {}): Probe {
  return async (world, caller) => {
    const token = world.tokens[caller];
    const response = await fetch(`${world.server.url}${path}`, {
      method,
      body,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    const text = await response.text();
    if (path.startsWith('/webhooks/vnpay/')) return JSON.parse(text).RspCode === '97' ? 'VNPay RspCode 97' : `VNPay RspCode ${JSON.parse(text).RspCode}`;
    if (response.status === 200) return 'OK';
    try {
      const code = JSON.parse(text).errors?.[0]?.extensions?.code;
      if (code) return code;
    } catch {
      // Not JSON.
    }
    return `HTTP ${response.status}`;
  };
}

const stripeSigner = new Stripe('sk_test_matrix');
/** A payment_intent.succeeded for a top-up nobody has, signed with the given secret. */
function stripeWebhook(secret: string): Probe {
  return (world, caller) => {
    const payload = JSON.stringify({
      id: `evt_matrix_${world.serial()}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_matrix', object: 'payment_intent', amount: 1000, amount_received: 1000, currency: 'usd', metadata: { topUpId: '999999999' } } },
    });
    const signature = stripeSigner.webhooks.generateTestHeaderString({ payload, secret });
    return http('POST', '/webhooks/stripe', payload, { 'stripe-signature': signature })(world, caller);
  };
}

const balanceProbe = (accountId: string) => ({
  eventId: 0,
  accountId,
  partnerId: null,
  topUpMicros: '0',
  promotionalMicros: '0',
  totalMicros: '0',
  movementType: 'TOP_UP',
  amountMicros: '0',
  occurredAt: new Date().toISOString(),
});
const balanceLowProbe = (accountId: string) => ({
  eventId: 0,
  accountId,
  measure: 'TOTAL',
  thresholdMicros: '1',
  balanceBeforeMicros: '2',
  balanceMicros: '0',
  totalBeforeMicros: '2',
  totalMicros: '0',
  movementType: 'USAGE',
  amountMicros: '-2',
  occurredAt: new Date().toISOString(),
  sourceEventId: 0,
});
const autoTransferOutcomeProbe = (partnerId: string, customerId: string) => ({
  eventId: 0,
  accountId: partnerId,
  ruleId: '0',
  firingId: '0',
  customerAccountId: customerId,
  status: 'SUCCEEDED',
  amountMicros: '1',
  transferId: '0',
  refusalCode: null,
  message: null,
  thresholdMicros: null,
  targetMicros: null,
  totalAfterMicros: '0',
  crossedAt: new Date().toISOString(),
  occurredAt: new Date().toISOString(),
});

/** Makes sure C has its auto-transfer rule before the probe (a removal by one caller must not change the next one's answer). */
function withRuleForC(probe: Probe): Probe {
  return async (world, caller) => {
    await world.server.services.autoTransferRules.set(
      {
        partnerAccountId: world.p,
        customerAccountId: world.c,
        thresholdMicros: 1_000_000n,
        targetMicros: 2_000_000n,
        monthlyCapMicros: 3_000_000n,
      },
      serviceActor('authorization-matrix-setup'),
    );
    return probe(world, caller);
  };
}

const depletionProbe = (accountId: string) => ({ eventId: 0, accountId, topUpMicros: '0', totalMicros: '0' });
const reversalHoldProbe = (accountId: string) => ({ eventId: 0, accountId, held: true, topUpMicros: '-1', totalMicros: '-1', reference: null });

/**
 * A subscription over graphql-ws: OK once a probe published on the bus reaches it; the code of a
 * refused subscribe; UNAUTHENTICATED when the server closes the socket on connection_init.
 */
function subscription(query: string, key: (world: World) => string, topic: string, payload: (world: World) => Record<string, unknown>): Probe {
  return async (world, caller) => {
    const token = world.tokens[caller];
    let outcome: string | null = null;
    const client = createClient({
      url: world.server.websocketUrl,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    });
    const dispose = client.subscribe(
      { query, variables: { id: key(world) } },
      {
        next: (message) => {
          if (message.errors?.length) outcome ??= String(message.errors[0].extensions?.code ?? 'no code');
          else if (message.data) outcome ??= 'OK';
        },
        error: (error) => {
          const closeCode = (error as { code?: number }).code;
          if (closeCode === 4401 || closeCode === 4403) outcome ??= 'UNAUTHENTICATED';
          else if (Array.isArray(error)) outcome ??= String(error[0]?.extensions?.code ?? 'no code');
          else outcome ??= `error ${closeCode ?? String(error)}`;
        },
        complete: () => undefined,
      },
    );
    // Published again every 5 ms until the subscription answers: a subscribe has no acknowledgement,
    // so the first probes may reach the bus before the subscription is registered.
    const deadline = Date.now() + 5000;
    while (outcome === null && Date.now() < deadline) {
      await world.server.services.bus.publish(topic, key(world), payload(world));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    dispose();
    // dispose() rejects with the CloseEvent of a connection the server refused: already recorded.
    await Promise.resolve(client.dispose()).catch(() => undefined);
    return outcome ?? 'no answer within 5 s';
  };
}
