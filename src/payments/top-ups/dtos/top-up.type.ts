import { Field, ID, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { PaymentMethod } from '../../providers/payment-provider';
import { TopUpFailureCode } from '../failure-reasons';
import { TopUpOrigin, TopUpStatus } from '../top-up.enums';
import { PaymentNextAction } from './next-action.type';

@ObjectType({ description: 'An amount of money in a payment currency, exact.' })
export class Charge {
  @Field({ description: 'ISO 4217 code: USD or VND.' })
  currency!: string;

  @Field({ description: "In the currency's minor units as an integer string (USD cents, VND dong): what the provider is asked to charge." })
  amountMinor!: string;

  @Field({ description: 'The same amount as a decimal string with the currency\'s decimals ("10.50" USD, "260000" VND).' })
  amount!: string;

  @Field({
    description: 'The rate used: the price of one credit in the currency, exact ("1.00"). The charge is amount × rate rounded UP to the minor unit.',
  })
  creditPrice!: string;
}

@ObjectType({ description: 'What the console needs to let the buyer pay; present only while the top-up is open, and only for OWNER / BILLING_ADMIN.' })
export class TopUpPayment {
  @Field(() => PaymentMethod)
  method!: PaymentMethod;

  @Field(() => String, { nullable: true, description: 'Stripe: the PaymentIntent client secret for Stripe.js (confirm the card, 3-D Secure).' })
  clientSecret!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'PayPal: open this link; PayPal returns the buyer to returnUrl?token=<orderId>, then call capturePayPalTopUp. The same URL as nextAction.url.',
  })
  approvalUrl!: string | null;

  @Field(() => String, { nullable: true, description: 'VNPay: redirect the browser to this signed payment URL. The same URL as nextAction.url.' })
  redirectUrl!: string | null;

  @Field(() => PaymentNextAction, {
    description:
      'What to do next, the same shape for every method: REDIRECT_TO_URL (open url) or USE_STRIPE_SDK (confirm clientSecret with Stripe.js). Follow it and the console needs no provider-specific field.',
  })
  nextAction!: PaymentNextAction;
}

@ObjectType({ description: 'One purchase of credits and its status.' })
export class TopUp {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => TopUpStatus)
  status!: TopUpStatus;

  @Field(() => PaymentMethod)
  method!: PaymentMethod;

  @Field(() => TopUpOrigin, { description: 'MANUAL (createTopUp) or AUTO_RECHARGE (bought by the auto-recharge rule, off-session).' })
  origin!: TopUpOrigin;

  @Field(() => CreditsScalar, { description: 'The credits bought.' })
  amount!: bigint;

  @Field(() => Charge, { description: 'What the buyer is charged, fixed when the top-up was created.' })
  charge!: Charge;

  @Field(() => CreditsScalar, { description: 'Credits taken back by refunds and disputes made at the provider (0 unless refunded there).' })
  reversedAmount!: bigint;

  @Field(() => CreditsScalar, {
    description: 'Credits taken back by refunds the platform made (refundTopUp), pending or confirmed; a refund the provider refused gave them back.',
  })
  refundedAmount!: bigint;

  @Field(() => String, { nullable: true, description: 'Stripe PaymentIntent id, PayPal order id or VNPay transaction reference.' })
  providerReference!: string | null;

  @Field(() => TopUpPayment, { nullable: true })
  payment!: TopUpPayment | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it failed, was canceled or expired, in English (the message of failureCode). For other languages use failureMessage(locale).',
  })
  failureReason!: string | null;

  @Field(() => TopUpFailureCode, {
    nullable: true,
    description:
      'Why it failed, was canceled or expired, as a stable code; on a PENDING top-up, why the last attempt failed (AUTHENTICATION_FAILED: the buyer may try again); null otherwise.',
  })
  failureCode!: TopUpFailureCode | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;

  @Field({ description: 'An open top-up not paid by then expires.' })
  expiresAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it reached a final status.' })
  completedAt!: Date | null;
}
