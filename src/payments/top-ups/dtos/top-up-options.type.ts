import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { PaymentMethod } from '../../providers/payment-provider';
import { Charge } from './top-up.type';

/** The `extensions.code` values createTopUp refuses with before anything is bought. */
export enum TopUpBlockerCode {
  FORBIDDEN = 'FORBIDDEN',
  ACCOUNT_NOT_ACTIVE = 'ACCOUNT_NOT_ACTIVE',
  PARTNER_MANAGED_ACCOUNT = 'PARTNER_MANAGED_ACCOUNT',
  BILLING_INFO_REQUIRED = 'BILLING_INFO_REQUIRED',
}

registerEnumType(TopUpBlockerCode, {
  name: 'TopUpBlockerCode',
  description: 'Why credits cannot be bought now: exactly the extensions.code createTopUp would refuse with.',
  valuesConfig: {
    FORBIDDEN: {
      description: 'You are not an OWNER or BILLING_ADMIN of this account (a VIEWER, a partner user, the admin): hide "Add credit" or say who can.',
    },
    ACCOUNT_NOT_ACTIVE: { description: 'The account is PENDING, SUSPENDED or CLOSED.' },
    PARTNER_MANAGED_ACCOUNT: { description: "A partner's customer: its partner transfers credits to it; no payment method is offered." },
    BILLING_INFO_REQUIRED: {
      description: 'Billing information is missing: open the "complete billing information" pop-up (an OWNER or BILLING_ADMIN fills it in).',
    },
  },
});

@ObjectType({ description: 'One reason credits cannot be bought now.' })
export class TopUpBlocker {
  @Field(() => TopUpBlockerCode)
  code!: TopUpBlockerCode;

  @Field({ description: 'A sentence for a person (English).' })
  message!: string;
}

@ObjectType({ description: 'A payment method open to the account, and what it would charge.' })
export class TopUpMethodOption {
  @Field(() => PaymentMethod)
  method!: PaymentMethod;

  @Field({ description: 'The currency this method charges in.' })
  currency!: string;

  @Field({ description: 'The price of one credit in that currency, exact.' })
  creditPrice!: string;

  @Field(() => Charge, { description: 'The charge for the amount asked about (or for the minimum when none was given).' })
  charge!: Charge;

  @Field(() => [SuggestedCharge], { description: 'The charge for each suggested amount.' })
  suggestedCharges!: SuggestedCharge[];
}

@ObjectType()
export class SuggestedCharge {
  @Field(() => CreditsScalar)
  amount!: bigint;

  @Field(() => Charge)
  charge!: Charge;
}

@ObjectType({ description: 'Everything the "Add credit" pop-up shows.' })
export class TopUpOptions {
  @Field(() => ID)
  accountId!: string;

  @Field(() => CreditsScalar, { description: 'The smallest top-up accepted.' })
  minimumAmount!: bigint;

  @Field(() => [CreditsScalar])
  suggestedAmounts!: bigint[];

  @Field(() => CreditsScalar, { description: 'The amount `methods.charge` is for.' })
  quotedAmount!: bigint;

  @Field(() => [TopUpMethodOption], {
    description:
      "Only the methods open to the account's region (VNPay and PayPal: VN only; Stripe: everywhere); none for an account that can never pay (a partner's customer).",
  })
  methods!: TopUpMethodOption[];

  @Field({ description: 'True when createTopUp would accept a purchase by you for this account now (given a valid amount and method): blockers is empty.' })
  canTopUp!: boolean;

  @Field(() => [TopUpBlocker], { description: 'Every reason createTopUp would refuse, in the order it checks them; empty when canTopUp.' })
  blockers!: TopUpBlocker[];
}
