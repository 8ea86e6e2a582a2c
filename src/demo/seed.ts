import { randomUUID } from 'node:crypto';
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
import { PaymentMethod } from '../payments/providers/payment-provider';
import type { ReceiptsService } from '../payments/receipts/receipts.service';
import { TopUpEntity } from '../payments/top-ups/entities/top-up.entity';
import { chargeMinorFor, parseCreditPrice } from '../payments/top-ups/pricing';
import { TopUpOrigin, TopUpStatus } from '../payments/top-ups/top-up.enums';
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
  receipts: Pick<ReceiptsService, 'issueForPurchase'>;
  config: Pick<Config, 'payments'>;
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
  await postDemoTopUp(services, DEMO.directCustomer, credits(250), daysAgo(28));
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
 * A completed VNPay purchase, as the payment flow leaves it: the SUCCEEDED top-up, its ledger credit
 * (key and reference `topup:<id>`) and its receipt, in one transaction, back-dated to `occurredAt`.
 */
async function postDemoTopUp(services: DemoSeedServices, accountId: string, amountMicros: bigint, occurredAt: Date): Promise<void> {
  const creditPrice = services.config.payments.creditPriceVnd;
  const topUp: TopUpEntity = Object.assign(new TopUpEntity(), {
    id: randomUUID(),
    accountId,
    idempotencyKey: `demo-purchase:${accountId}`,
    requestHash: '',
    method: PaymentMethod.VNPAY,
    status: TopUpStatus.SUCCEEDED,
    origin: TopUpOrigin.MANUAL,
    amountMicros,
    currency: 'VND',
    chargeMinor: chargeMinorFor(amountMicros, parseCreditPrice('VND', creditPrice)),
    creditPrice,
    reversedMicros: 0n,
    returnUrl: 'http://localhost:5173/billing',
    providerReference: null,
    clientSecret: null,
    nextActionType: null,
    nextActionUrl: null,
    failureReason: null,
    failureCode: null,
    expiresAt: occurredAt,
    createdAt: occurredAt,
    updatedAt: occurredAt,
    completedAt: occurredAt,
  });
  // VNPay's vnp_TxnRef is the top-up id.
  topUp.providerReference = topUp.id;
  await services.runner.transaction(async (manager) => {
    await manager.insert(TopUpEntity, topUp);
    await services.ledger.withClock(fixedClock(occurredAt)).post(manager, {
      type: LedgerTransactionType.TOP_UP,
      idempotencyKey: `topup:${topUp.id}`,
      reference: `topup:${topUp.id}`,
      description: `Top-up via ${topUp.method}`,
      legs: [
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -amountMicros },
        { accountId, walletKind: WalletKind.TOPUP, amountMicros },
      ],
    });
    await services.receipts.issueForPurchase(manager, topUp);
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
