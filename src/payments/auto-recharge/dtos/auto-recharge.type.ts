import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { PaymentNextAction } from '../../top-ups/dtos/next-action.type';
import { AutoRechargeEventType, AutoRechargeStatus } from '../auto-recharge.enums';

@ObjectType({ description: 'A card saved at Stripe for off-session use (auto-recharge). The number never reaches this server.' })
export class SavedPaymentMethod {
  @Field(() => ID, { description: 'Name it in setAutoRecharge(input: { paymentMethodId }).' })
  id!: string;

  @Field({ description: 'The card brand as Stripe reports it ("visa").' })
  brand!: string;

  @Field()
  last4!: string;

  @Field(() => Int)
  expMonth!: number;

  @Field(() => Int)
  expYear!: number;

  @Field()
  createdAt!: Date;
}

@ObjectType({
  description:
    'A started card setup: follow nextAction (confirm clientSecret with Stripe.js, stripe.confirmSetup, or open its url); the card appears in savedPaymentMethods once Stripe reports it.',
})
export class SavedCardSetup {
  @Field({ description: "Stripe's SetupIntent id (seti_…)." })
  setupIntentId!: string;

  @Field({ description: 'The SetupIntent client secret for Stripe.js.' })
  clientSecret!: string;

  @Field(() => PaymentNextAction, {
    description: 'What to do next: USE_STRIPE_SDK (confirm clientSecret with stripe.confirmSetup), or REDIRECT_TO_URL (open url) when Stripe asks for a page.',
  })
  nextAction!: PaymentNextAction;
}

@ObjectType({
  description:
    "An account's auto-recharge rule: below threshold (total balance), buy amount or up to targetBalance with the saved card, at most monthlyCap a calendar month (UTC).",
})
export class AutoRechargeRule {
  @Field(() => ID)
  accountId!: string;

  @Field(() => AutoRechargeStatus)
  status!: AutoRechargeStatus;

  @Field(() => String, { nullable: true, description: 'Why it is DISABLED: TOO_MANY_FAILURES.' })
  disabledReason!: string | null;

  @Field(() => CreditsScalar, { description: 'Fires when a movement takes the total balance from at or above this to below it.' })
  threshold!: bigint;

  @Field(() => CreditsScalar, { nullable: true, description: 'A fixed purchase (null when targetBalance is set).' })
  amount!: bigint | null;

  @Field(() => CreditsScalar, {
    nullable: true,
    description: 'Buy enough to bring the total balance (after the movement that crossed) up to this, at least the minimum top-up (null when amount is set).',
  })
  targetBalance!: bigint | null;

  @Field(() => CreditsScalar, {
    description: 'The most the rule buys in a calendar month (UTC); a purchase is cut to what is left, or skipped below the minimum top-up.',
  })
  monthlyCap!: bigint;

  @Field(() => CreditsScalar, { description: 'Auto-recharge top-ups this calendar month (UTC) that were not FAILED, CANCELED or EXPIRED.' })
  spentThisMonth!: bigint;

  @Field(() => SavedPaymentMethod, { nullable: true })
  paymentMethod!: SavedPaymentMethod | null;

  @Field(() => Int, { description: 'Charges in a row that did not go through (declined, or waiting for 3-D Secure); a success resets it.' })
  consecutiveFailures!: number;

  @Field(() => Int, { description: 'AUTO_RECHARGE_MAX_FAILURES: the rule is DISABLED when consecutiveFailures reaches it.' })
  maxConsecutiveFailures!: number;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@InputType()
export class SetAutoRechargeInput {
  @Field(() => ID, { nullable: true, description: 'Defaults to your own account.' })
  accountId?: string;

  @Field(() => CreditsScalar)
  threshold!: bigint;

  @Field(() => CreditsScalar, { nullable: true, description: 'Buy this much each time (at least the minimum top-up). Give this or targetBalance.' })
  amount?: bigint | null;

  @Field(() => CreditsScalar, { nullable: true, description: 'Buy up to this total balance (above the threshold). Give this or amount.' })
  targetBalance?: bigint | null;

  @Field(() => CreditsScalar, { description: 'At most this much a calendar month (UTC); at least one purchase.' })
  monthlyCap!: bigint;

  @Field(() => ID, { description: 'A saved card of the account (savedPaymentMethods).' })
  paymentMethodId!: string;
}

@ObjectType({ description: 'What an auto-recharge rule did (also sent to webhooks as AUTO_RECHARGE_<type>).' })
export class AutoRechargeEvent {
  @Field(() => ID, { description: 'The outbox event id (also the webhook event id, as evt_<id>).' })
  eventId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => AutoRechargeEventType)
  type!: AutoRechargeEventType;

  @Field(() => ID, { nullable: true, description: 'The auto-recharge top-up (null for a skipped crossing).' })
  topUpId!: string | null;

  @Field(() => CreditsScalar, { nullable: true })
  amount!: bigint | null;

  @Field(() => String, {
    nullable: true,
    description: 'SKIPPED: MONTHLY_CAP_REACHED, TOP_UP_OPEN or a top-up refusal code; FAILED: the failure code; DISABLED: TOO_MANY_FAILURES.',
  })
  reason!: string | null;

  @Field(() => Int)
  consecutiveFailures!: number;

  @Field(() => AutoRechargeStatus, { nullable: true, description: 'The rule after the event.' })
  ruleStatus!: AutoRechargeStatus | null;

  @Field()
  occurredAt!: Date;
}
