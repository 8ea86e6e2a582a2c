import { AccountKind, AccountStatus, BillingEntityType } from '../accounts/account.enums';
import { AccountEntity } from '../accounts/entities/account.entity';
import { signToken } from '../auth/jwt';
import { fixedClock } from '../common/clock';
import { MICROS_PER_CREDIT } from '../common/money';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletKind } from '../ledger/ledger.enums';
import type { AccountsService } from '../accounts/accounts.service';
import type { Config } from '../config';
import type { TransactionRunner } from '../database/transaction-runner';
import type { LedgerService } from '../ledger/ledger.service';
import type { NotificationBus } from '../notifications/bus';
import type { PromotionsService } from '../promotions/promotions.service';
import { DEMO, DEMO_PRINCIPALS } from './demo-accounts';
import { serviceActor } from '../audit/actor';

/** The demo's seed acts as a service in the audit trail. */
const SEED = serviceActor('demo-seed');
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
} & Parameters<typeof seedDemoSavedCard>[0];

const credits = (amount: number) => BigInt(amount) * MICROS_PER_CREDIT;
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
  const { accounts, promotions, runner, ledger } = services;
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
  await postDemoTopUp(services, DEMO.directCustomer, credits(220), daysAgo(28));
  await postDemoTopUp(services, DEMO.partner, credits(5000), daysAgo(27));
  for (const [index, id] of DEMO.partnerCustomers.slice(0, 2).entries()) {
    await runner.transaction((manager) =>
      ledger.withClock(fixedClock(daysAgo(26 - index))).post(manager, {
        type: LedgerTransactionType.TRANSFER,
        idempotencyKey: `demo-transfer:${id}`,
        reference: `demo-transfer-${index + 1}`,
        description: 'Welcome credits from your partner',
        legs: [
          { accountId: DEMO.partner, walletKind: WalletKind.TOPUP, amountMicros: -credits(300 * (index + 1)) },
          { accountId: id, walletKind: WalletKind.TOPUP, amountMicros: credits(300 * (index + 1)) },
        ],
      }),
    );
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

/**
 * Two purchases of the direct customer disputed at the provider, between the transfers and the first
 * usage (back-dated postings go in time order): one dispute lost (40 credits taken back), one won
 * (30 taken back, then given back), as the payment events post them.
 */
async function seedDemoDisputes(services: DemoSeedServices, daysAgo: (days: number) => Date): Promise<void> {
  const { runner, ledger } = services;
  const post = (type: LedgerTransactionType, key: string, description: string, customerMicros: bigint, days: number) =>
    runner.transaction((manager) =>
      ledger.withClock(fixedClock(daysAgo(days))).post(manager, {
        type,
        idempotencyKey: `demo-dispute:${key}`,
        reference: `demo-${key}`,
        description,
        legs: [
          { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -customerMicros },
          { accountId: DEMO.directCustomer, walletKind: WalletKind.TOPUP, amountMicros: customerMicros },
        ],
      }),
    );
  await post(LedgerTransactionType.TOP_UP, 'lost-purchase', 'Demo purchase', credits(40), 24.5);
  await post(LedgerTransactionType.TOP_UP_REVERSAL, 'lost-reversal', 'Payment disputed (demo): the dispute was lost', -credits(40), 24);
  await post(LedgerTransactionType.TOP_UP, 'won-purchase', 'Demo purchase', credits(30), 23.5);
  await post(LedgerTransactionType.TOP_UP_REVERSAL, 'won-reversal', 'Payment disputed (demo)', -credits(30), 23);
  await post(LedgerTransactionType.DISPUTE_WON, 'won', 'Dispute won (demo)', credits(30), 22.5);
}

/** A completed purchase, as the payment flow would post it. */
async function postDemoTopUp(services: DemoSeedServices, accountId: string, amountMicros: bigint, occurredAt: Date): Promise<void> {
  await services.runner.transaction((manager) =>
    services.ledger.withClock(fixedClock(occurredAt)).post(manager, {
      type: LedgerTransactionType.TOP_UP,
      idempotencyKey: `demo-topup:${accountId}`,
      reference: `demo-topup-${accountId}`,
      description: 'Demo purchase',
      legs: [
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -amountMicros },
        { accountId, walletKind: WalletKind.TOPUP, amountMicros },
      ],
    }),
  );
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
