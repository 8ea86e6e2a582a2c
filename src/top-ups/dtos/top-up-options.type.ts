import { Field, ID, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../common/credits.scalar';
import { PaymentMethod } from '../../payment-providers/payment-provider';
import { Charge } from './top-up.type';

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

  @Field(() => [TopUpMethodOption], { description: 'Only the methods open to the account\'s region (VNPay and PayPal: VN only; Stripe: everywhere).' })
  methods!: TopUpMethodOption[];
}
