import { IsNull } from 'typeorm';
import { AccountKind, AccountStatus, BillingEntityType } from '../accounts/account.enums';
import { AccountEntity } from '../accounts/entities/account.entity';
import { signToken } from '../auth/jwt';
import { fixedClock } from '../common/clock';
import { MICROS_PER_CREDIT } from '../common/money';
import type { AccountsService } from '../accounts/accounts.service';
import { Role } from '../auth/principal';
import type { BalancesService } from '../balances/balances.service';
import { hashRequest } from '../common/idempotency';
import type { Logger } from '../common/logger';
import type { OutboxService } from '../notifications/outbox.service';
import { TransfersService } from '../partners/transfers/transfers.service';
import type { PaymentMethod } from '../payments/providers/payment-provider';
import { TopUpEntity } from '../payments/top-ups/entities/top-up.entity';
import { PaymentEventsService } from '../payments/top-ups/payment-events.service';
import { TopUpOrigin } from '../payments/top-ups/top-up.enums';
import type { TopUpsService } from '../payments/top-ups/top-ups.service';
import type { Config } from '../config';
import type { TransactionRunner } from '../database/transaction-runner';
import type { LedgerService } from '../ledger/ledger.service';
import type { NotificationBus } from '../notifications/bus';
import type { PromotionsService } from '../promotions/promotions.service';
import type { CreditNotesService } from '../payments/receipts/credit-notes.service';
import type { DebitNotesService } from '../payments/receipts/debit-notes.service';
import { calendarYear } from '../payments/receipts/document-number';
import { CreditNoteEntity } from '../payments/receipts/entities/credit-note.entity';
import { DebitNoteEntity } from '../payments/receipts/entities/debit-note.entity';
import { ReceiptEntity } from '../payments/receipts/entities/receipt.entity';
import type { ReceiptsService } from '../payments/receipts/receipts.service';
import { DEMO, DEMO_PRINCIPALS } from './demo-accounts';
import { serviceActor } from '../audit/actor';

/** The demo's seed acts as a service in the audit trail. */
const SEED = serviceActor('demo-seed');
import { startDemoCardPurchase } from './seed-card-purchase';
import { seedDemoSavedCard } from './seed-saved-card';
import type { StandIns } from './stand-ins';
import { seedDemoUsage } from './seed-usage';
import { DEMO_WEBHOOK_RECEIVER_PATH } from './webhook-receiver/demo-webhook-receiver';

/** What seeding uses of the composition root (src/server/services.ts). */
export type DemoSeedServices = {
  accounts: Pick<AccountsService, 'createAccount' | 'updateBillingInfo'>;
  promotions: Pick<PromotionsService, 'grant'>;
  runner: TransactionRunner;
  ledger: LedgerService;
} & DemoPurchaseServices &
  DemoTransferServices &
  Parameters<typeof seedDemoSavedCard>[0] &
  Parameters<typeof startDemoCardPurchase>[0];

const credits = (amount: number) => BigInt(amount) * MICROS_PER_CREDIT;

/** Where a seeded purchase would have sent the buyer back (stored on the top-up, never visited). */
const DEMO_RETURN_URL = 'http://localhost/console/top-ups/return';
const DAY_MS = 24 * 3600 * 1000;

/**
 * Seeds the embedded demo once: a direct VN customer with billing info, a US customer without
 * it, a partner with three customers (one PENDING), promotional grants and some history.
 * The purchases, transfers and usage are back-dated over the four weeks before the seed (posted in
 * time order, as back-dated postings must be), so "the last 30 days" of every report and history
 * has rows; the grants are dated at the seed.
 */
/** `standIns`: the running payment stand-ins, whose card page saves the demo customer's card (skipped without them). */
export async function seedDemoData(services: DemoSeedServices, standIns: StandIns | null = null): Promise<void> {
  const { accounts, promotions, runner } = services;
  const alreadySeeded = await runner.read((manager) => manager.existsBy(AccountEntity, { id: DEMO.directCustomer }));
  if (alreadySeeded) return;

  await accounts.createAccount(
    { id: DEMO.directCustomer, kind: AccountKind.CUSTOMER, name: 'Lan Nguyen Studio', region: 'VN', status: AccountStatus.ACTIVE },
    SEED,
  );
  await accounts.updateBillingInfo(
    DEMO.directCustomer,
    {
      entityType: BillingEntityType.COMPANY,
      legalName: 'Lan Nguyen Studio LLC',
      taxCode: '0312345678',
      addressLine1: '12 Nguyen Hue',
      city: 'Ho Chi Minh City',
      country: 'VN',
      invoiceEmail: 'billing@lan-studio.example',
    },
    SEED,
  );
  await accounts.createAccount({ id: DEMO.usCustomer, kind: AccountKind.CUSTOMER, name: 'Acme Robotics', region: 'US', status: AccountStatus.ACTIVE }, SEED);
  await accounts.createAccount(
    { id: DEMO.partner, kind: AccountKind.PARTNER, name: 'Saigon Cloud Partners', region: 'VN', status: AccountStatus.ACTIVE },
    SEED,
  );
  await accounts.updateBillingInfo(
    DEMO.partner,
    {
      entityType: BillingEntityType.COMPANY,
      legalName: 'Saigon Cloud Partners JSC',
      taxCode: '0309876543',
      addressLine1: '200 Le Loi',
      city: 'Ho Chi Minh City',
      country: 'VN',
      invoiceEmail: 'finance@saigon-cloud.example',
    },
    SEED,
  );
  const customerNames = ['Pho Analytics', 'Mekong Logistics', 'Hanoi Games (onboarding)'];
  for (const [index, id] of DEMO.partnerCustomers.entries()) {
    await accounts.createAccount(
      {
        id,
        kind: AccountKind.CUSTOMER,
        name: customerNames[index],
        region: 'VN',
        partnerId: DEMO.partner,
        status: index === 2 ? AccountStatus.PENDING : AccountStatus.ACTIVE,
      },
      SEED,
    );
  }

  const seededAt = new Date();
  const daysAgo = (days: number) => new Date(seededAt.getTime() - days * DAY_MS);
  await seedDemoPurchase(services, { accountId: DEMO.directCustomer, amountMicros: credits(220), paidAt: daysAgo(28) });
  // The partner's purchase is a paid card top-up at the Stripe stand-in when it runs, so the API tour can refund it.
  const cardPurchase = await startDemoCardPurchase(services, standIns, { accountId: DEMO.partner, amountMicros: credits(5000) });
  if (cardPurchase) await payDemoPurchase(services, cardPurchase, daysAgo(27));
  else await seedDemoPurchase(services, { accountId: DEMO.partner, amountMicros: credits(5000), paidAt: daysAgo(27) });
  for (const [index, id] of DEMO.partnerCustomers.slice(0, 2).entries()) {
    await seedDemoTransfer(services, { customerAccountId: id, amountMicros: credits(300 * (index + 1)), madeAt: daysAgo(26 - index) });
  }
  await seedDemoDisputes(services, daysAgo);
  await seedDemoUsage(services, seededAt);
  await promotions.grant(
    {
      accountId: DEMO.directCustomer,
      amountMicros: credits(50),
      expiresAt: new Date(Date.now() + 30 * DAY_MS),
      reason: 'Welcome promotion',
      idempotencyKey: 'demo-welcome-grant',
    },
    SEED,
  );
  await promotions.grant({ accountId: DEMO.directCustomer, amountMicros: credits(20), reason: 'Referral bonus', idempotencyKey: 'demo-referral-grant' }, SEED);
  await promotions.grant(
    {
      accountId: DEMO.partnerCustomers[0],
      amountMicros: credits(25),
      expiresAt: new Date(Date.now() + 7 * DAY_MS),
      reason: 'Partner launch promotion',
      idempotencyKey: 'demo-partner-launch',
    },
    SEED,
  );
  await seedDemoSavedCard(services, standIns);
}

/** What a seeded purchase goes through: the top-up service and the payment events' credit. */
interface DemoPurchaseServices {
  topUps: Pick<TopUpsService, 'options' | 'insertInTransaction'>;
  runner: TransactionRunner;
  ledger: LedgerService;
  outbox: OutboxService;
  logger: Logger;
  receipts: Pick<ReceiptsService, 'issueForPurchase'>;
  creditNotes: Pick<CreditNotesService, 'issue'>;
  debitNotes: Pick<DebitNotesService, 'cancel'>;
  config: Pick<Config, 'receipts'>;
}

/** A seeded purchase: what its disputes name. */
interface SeededPurchase {
  id: string;
  method: PaymentMethod;
  chargeMinor: bigint;
  currency: TopUpEntity['currency'];
}

/**
 * Two purchases of the direct customer disputed at the provider, between the transfers and the first
 * usage (back-dated postings go in time order): one dispute lost (40 credits taken back), one won
 * (30 taken back, then given back), each applied by the payment events as a provider's dispute
 * events are, so history shows them with their purchase as the source.
 */
async function seedDemoDisputes(services: DemoPurchaseServices, daysAgo: (days: number) => Date): Promise<void> {
  const disputed = async (purchase: SeededPurchase, outcome: 'DISPUTED' | 'DISPUTE_WON', at: Date) => {
    await applyDemoPaymentEvent(services, purchase, at, {
      outcome,
      eventId: `demo-seed:${outcome}:${purchase.id}`,
      disputeReference: `demo-dispute-${purchase.id}`,
    });
    await backDateNotes(services, purchase, at);
  };
  const lost = await seedDemoPurchase(services, { accountId: DEMO.directCustomer, amountMicros: credits(40), paidAt: daysAgo(24.5), key: 'lost' });
  await disputed(lost, 'DISPUTED', daysAgo(24));
  const won = await seedDemoPurchase(services, { accountId: DEMO.directCustomer, amountMicros: credits(30), paidAt: daysAgo(23.5), key: 'won' });
  await disputed(won, 'DISPUTED', daysAgo(23));
  await disputed(won, 'DISPUTE_WON', daysAgo(22.5));
}

/** One provider event for a seeded purchase, applied by the payment events with the ledger's clock at `at`. */
async function applyDemoPaymentEvent(
  services: DemoPurchaseServices,
  purchase: SeededPurchase,
  at: Date,
  event: { outcome: 'SUCCEEDED' | 'DISPUTED' | 'DISPUTE_WON'; eventId: string; disputeReference?: string },
): Promise<void> {
  const payments = new PaymentEventsService({ ...services, ledger: services.ledger.withClock(fixedClock(at)) });
  const result = await payments.apply({
    provider: purchase.method,
    topUpId: purchase.id,
    providerReference: null,
    amountMinor: purchase.chargeMinor,
    currency: purchase.currency,
    ...event,
  });
  if (result.kind !== 'APPLIED') throw new Error(`the demo's ${event.outcome} event for ${purchase.id} was not applied (${result.kind})`);
}

/**
 * A purchase paid `paidAt`, through the real paths: the top-up row as `createTopUp` inserts it (the
 * first method open to the account), then the provider's success applied by the payment events'
 * credit function, its ledger stamped `paidAt` (so the purchase list, the credit history's
 * `TopUpSource` and the reports all see it), then the row's times set to `paidAt` as well.
 */
async function seedDemoPurchase(
  services: DemoPurchaseServices,
  purchase: { accountId: string; amountMicros: bigint; paidAt: Date; key?: string },
): Promise<SeededPurchase> {
  const { accountId, amountMicros, paidAt } = purchase;
  const buyer = { accountId, role: Role.OWNER };
  const [method] = (await services.topUps.options(accountId, buyer)).methods.map((quote) => quote.method);
  if (!method) throw new Error(`the demo seed needs a payment method open to ${accountId}`);
  const idempotencyKey = `demo-topup:${accountId}${purchase.key ? `:${purchase.key}` : ''}`;
  const topUp = await services.runner.transaction((manager) =>
    services.topUps.insertInTransaction(
      manager,
      { accountId, amountMicros, method, idempotencyKey, returnUrl: DEMO_RETURN_URL, buyer, origin: TopUpOrigin.MANUAL },
      hashRequest({ accountId, amountMicros, method, idempotencyKey, seed: true }),
    ),
  );
  const seeded: SeededPurchase = { id: topUp.id, method, chargeMinor: topUp.chargeMinor, currency: topUp.currency };
  await payDemoPurchase(services, seeded, paidAt);
  return seeded;
}

/**
 * The provider's success for an open seeded top-up, applied by the payment events' credit function
 * (the ledger credit and the receipt), then back-dated like the ledger: the top-up's times and its
 * receipt's date (numbered later, in its year).
 */
async function payDemoPurchase(services: DemoPurchaseServices, purchase: SeededPurchase, paidAt: Date): Promise<void> {
  await applyDemoPaymentEvent(services, purchase, paidAt, { outcome: 'SUCCEEDED', eventId: `demo-seed:${purchase.id}` });
  await services.runner.transaction(async (manager) => {
    await manager.update(TopUpEntity, { id: purchase.id }, { createdAt: paidAt, updatedAt: paidAt, completedAt: paidAt, expiresAt: paidAt });
    await manager.update(
      ReceiptEntity,
      { topUpId: purchase.id, sequence: IsNull() },
      { issuedAt: paidAt, year: calendarYear(paidAt, services.config.receipts.timeZone) },
    );
  });
}

/** The credit note a seeded dispute issued, or the debit note of its win, dated like its ledger posting (numbered later, in its year). */
async function backDateNotes(services: DemoPurchaseServices, purchase: SeededPurchase, at: Date): Promise<void> {
  const dated = { issuedAt: at, year: calendarYear(at, services.config.receipts.timeZone) };
  await services.runner.transaction(async (manager) => {
    await manager.update(CreditNoteEntity, { topUpId: purchase.id, sequence: IsNull() }, dated);
    await manager.update(DebitNoteEntity, { topUpId: purchase.id, sequence: IsNull() }, dated);
  });
}

/** What a seeded transfer goes through. */
interface DemoTransferServices {
  runner: TransactionRunner;
  ledger: LedgerService;
  balances: BalancesService;
}

/** The partner's OWNER, as the demo prints its token: the actor of the seeded transfers. */
const DEMO_PARTNER_OWNER = DEMO_PRINCIPALS.find((principal) => principal.accountId === DEMO.partner && principal.role === Role.OWNER)!;

/** A transfer made `madeAt` by the partner's OWNER, through the transfer service (its record, actor and audit entry), its ledger stamped `madeAt`. */
async function seedDemoTransfer(services: DemoTransferServices, transfer: { customerAccountId: string; amountMicros: bigint; madeAt: Date }): Promise<void> {
  const transfers = new TransfersService(services.runner, services.ledger.withClock(fixedClock(transfer.madeAt)), services.balances);
  await transfers.transfer({
    partnerAccountId: DEMO.partner,
    customerAccountId: transfer.customerAccountId,
    amountMicros: transfer.amountMicros,
    idempotencyKey: `demo-transfer:${transfer.customerAccountId}`,
    note: 'Welcome credits from your partner',
    actor: { userId: DEMO_PARTNER_OWNER.sub, role: Role.OWNER },
  });
}

export async function printDemoWelcome(
  services: { config: Config; runner: TransactionRunner; bus: Pick<NotificationBus, 'kind'>; payments: { standIns: unknown } },
  graphqlUrl: string,
): Promise<void> {
  const secret = services.config.auth.hmacSecret;
  const lines = [
    '',
    'Credits BFF demo is running.',
    // Only what is on: the explorer line when the landing page is served.
    services.config.exposure.landingPage
      ? `  GraphQL explorer: ${graphqlUrl}   (open it in a browser: GraphiQL, served offline, with the direct customer token in its Headers tab)`
      : `  GraphQL endpoint: ${graphqlUrl}   (the explorer is off: GRAPHQL_LANDING_PAGE=false)`,
    ...(services.config.exposure.landingPage
      ? [`  Console:          ${graphqlUrl.replace(/\/graphql$/, '/console')}   (the reference web console; its sign-in page lists the demo accounts)`]
      : []),
    ...(services.payments.standIns
      ? [
          `  Webhook receiver: ${graphqlUrl.replace(/\/graphql$/, DEMO_WEBHOOK_RECEIVER_PATH)}   (register it with createWebhookEndpoint, then open it to see the signed deliveries)`,
          '  Auto-recharge: demo-customer has a saved stand-in card (Visa 4242); README "Auto-recharge" sets a rule and makes it fire.',
        ]
      : []),
    `  Database: ${services.runner.dialect}${services.config.database.kind === 'sqlite' ? ` (${services.config.database.file})` : ''}; bus: ${services.bus.kind}`,
    '',
  ];
  if (secret) {
    lines.push('Demo tokens (valid 12 hours):');
    for (const principal of DEMO_PRINCIPALS) {
      const token = await signToken(secret, principal);
      lines.push(`  ${principal.label}${principal.accountId ? ` [${principal.accountId}]` : ''}:`, `    ${token}`);
    }
  }
  console.log(lines.join('\n'));
}
