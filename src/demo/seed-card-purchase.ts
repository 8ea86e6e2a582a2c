import { fixedClock } from '../common/clock';
import type { Config } from '../config';
import type { TransactionRunner } from '../database/transaction-runner';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletKind } from '../ledger/ledger.enums';
import type { LedgerService } from '../ledger/ledger.service';
import { NextActionType, PaymentMethod, type PaymentGateways } from '../payments/providers/payment-provider';
import type { ReceiptsService } from '../payments/receipts/receipts.service';
import { TopUpEntity } from '../payments/top-ups/entities/top-up.entity';
import { chargeMinorFor, parseCreditPrice } from '../payments/top-ups/pricing';
import { TopUpOrigin, TopUpStatus } from '../payments/top-ups/top-up.enums';
import type { StandIns } from './stand-ins';

/** The demo partner's first purchase: the README's refund example names it. */
export const DEMO_CARD_PURCHASE_ID = 'demo-partner-card-purchase';

export interface DemoPurchase {
  accountId: string;
  amountMicros: bigint;
  occurredAt: Date;
}

/**
 * A paid card purchase as the payment flow leaves it: a PaymentIntent the Stripe stand-in charged,
 * the `top_up` row `SUCCEEDED`, its `TOP_UP` credit (ledger key `topup:<id>`) and its receipt, back-dated like
 * the rest of the seed, so it can be refunded through the stand-in (`refundTopUp`). Answers false,
 * seeding nothing, without the stand-ins (real Stripe keys are never charged by a seed).
 */
export async function seedDemoCardPurchase(
  services: {
    runner: TransactionRunner;
    ledger: LedgerService;
    gateways: Pick<PaymentGateways, 'stripe'>;
    config: Pick<Config, 'payments'>;
    receipts: Pick<ReceiptsService, 'issueForPurchase'>;
  },
  standIns: StandIns | null,
  purchase: DemoPurchase,
): Promise<boolean> {
  const gateway = services.gateways.stripe;
  if (!standIns || !gateway) return false;
  const price = parseCreditPrice('USD', services.config.payments.creditPriceUsd);
  const chargeMinor = chargeMinorFor(purchase.amountMicros, price);
  const returnUrl = 'http://localhost:5173/billing';
  const intent = await gateway.startPayment({
    topUpId: DEMO_CARD_PURCHASE_ID,
    amountMinor: chargeMinor,
    currency: 'USD',
    description: 'Demo purchase',
    returnUrl,
    cancelUrl: returnUrl,
    clientIp: '127.0.0.1',
    expiresAt: purchase.occurredAt,
  });
  await standIns.stripe.succeed(intent.providerReference, { deliver: false });
  const at = purchase.occurredAt;
  await services.runner.transaction(async (manager) => {
    const purchaseRow = manager.create(TopUpEntity, {
      id: DEMO_CARD_PURCHASE_ID,
      accountId: purchase.accountId,
      idempotencyKey: DEMO_CARD_PURCHASE_ID,
      requestHash: '',
      method: PaymentMethod.STRIPE,
      status: TopUpStatus.SUCCEEDED,
      origin: TopUpOrigin.MANUAL,
      amountMicros: purchase.amountMicros,
      currency: 'USD',
      chargeMinor,
      creditPrice: price.text,
      reversedMicros: 0n,
      refundedMicros: 0n,
      refundedMinor: 0n,
      returnUrl,
      providerReference: intent.providerReference,
      clientSecret: intent.clientSecret ?? null,
      nextActionType: NextActionType.USE_STRIPE_SDK,
      nextActionUrl: null,
      failureReason: null,
      failureCode: null,
      expiresAt: at,
      createdAt: at,
      updatedAt: at,
      completedAt: at,
    });
    await manager.insert(TopUpEntity, purchaseRow);
    await services.ledger.withClock(fixedClock(at)).post(manager, {
      type: LedgerTransactionType.TOP_UP,
      idempotencyKey: `topup:${DEMO_CARD_PURCHASE_ID}`,
      reference: `topup:${DEMO_CARD_PURCHASE_ID}`,
      description: `Top-up via ${PaymentMethod.STRIPE}`,
      legs: [
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -purchase.amountMicros },
        { accountId: purchase.accountId, walletKind: WalletKind.TOPUP, amountMicros: purchase.amountMicros },
      ],
    });
    // Its receipt, as every paid purchase has one (dated with the purchase).
    await services.receipts.issueForPurchase(manager, purchaseRow);
  });
  return true;
}
