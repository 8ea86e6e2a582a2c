import type { Config } from '../config';
import type { TransactionRunner } from '../database/transaction-runner';
import { NextActionType, PaymentMethod, type PaymentGateways } from '../payments/providers/payment-provider';
import { TopUpEntity } from '../payments/top-ups/entities/top-up.entity';
import { chargeMinorFor, parseCreditPrice } from '../payments/top-ups/pricing';
import { TopUpOrigin, TopUpStatus } from '../payments/top-ups/top-up.enums';
import type { StandIns } from './stand-ins';

/** The demo partner's first purchase: the README's refund example names it. */
export const DEMO_CARD_PURCHASE_ID = 'demo-partner-card-purchase';

/**
 * The demo partner's card purchase, started as the payment flow starts one: a PaymentIntent that the
 * Stripe stand-in then charges, and the open `top_up` row that names it. The seed then applies
 * the provider's success through the payment events' credit function, like its other purchases, so
 * it can be refunded through the stand-in (`refundTopUp`). Answers null, seeding nothing, without
 * the stand-ins (real Stripe keys are never charged by a seed).
 */
export async function startDemoCardPurchase(
  services: { runner: TransactionRunner; gateways: Pick<PaymentGateways, 'stripe'>; config: Pick<Config, 'payments'> },
  standIns: StandIns | null,
  purchase: { accountId: string; amountMicros: bigint },
): Promise<{ id: string; method: PaymentMethod; chargeMinor: bigint; currency: 'USD' } | null> {
  const gateway = services.gateways.stripe;
  if (!standIns || !gateway) return null;
  const price = parseCreditPrice('USD', services.config.payments.creditPriceUsd);
  const chargeMinor = chargeMinorFor(purchase.amountMicros, price);
  const returnUrl = 'http://localhost:5173/billing';
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 3600_000);
  const intent = await gateway.startPayment({
    topUpId: DEMO_CARD_PURCHASE_ID,
    amountMinor: chargeMinor,
    currency: 'USD',
    description: 'Demo purchase',
    returnUrl,
    cancelUrl: returnUrl,
    clientIp: '127.0.0.1',
    expiresAt,
  });
  await standIns.stripe.succeed(intent.providerReference, { deliver: false });
  await services.runner.transaction((manager) =>
    manager.insert(TopUpEntity, {
      id: DEMO_CARD_PURCHASE_ID,
      accountId: purchase.accountId,
      idempotencyKey: DEMO_CARD_PURCHASE_ID,
      requestHash: '',
      method: PaymentMethod.STRIPE,
      status: TopUpStatus.PENDING,
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
      expiresAt,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    }),
  );
  return { id: DEMO_CARD_PURCHASE_ID, method: PaymentMethod.STRIPE, chargeMinor, currency: 'USD' };
}
