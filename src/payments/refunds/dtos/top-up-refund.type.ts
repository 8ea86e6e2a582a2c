import { Field, ID, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { PaymentMethod } from '../../providers/payment-provider';
import { Charge } from '../../top-ups/dtos/top-up.type';
import { RefundStatus } from '../refund.enums';

@ObjectType({ description: 'A refund of a top-up made by the platform, and where it stands at the provider.' })
export class TopUpRefund {
  @Field(() => ID, { description: 'The refund id (the provider knows it too: Stripe metadata.refundId).' })
  id!: string;

  @Field(() => ID, { description: 'The purchase refunded.' })
  topUpId!: string;

  @Field(() => ID, { description: 'The account whose credits were taken back.' })
  accountId!: string;

  @Field(() => PaymentMethod, { description: 'The provider that took the money and returns it.' })
  method!: PaymentMethod;

  @Field(() => RefundStatus, { description: 'PENDING until the provider confirms (SUCCEEDED) or refuses (FAILED, the credits given back).' })
  status!: RefundStatus;

  @Field(() => CreditsScalar, { description: 'The credits taken back (a REFUND movement in the credit history).' })
  amount!: bigint;

  @Field(() => Charge, {
    description:
      'The money returned to the buyer, in the charge currency: the same share of the charge as of the credits, rounded down; the last refund of a purchase returns all that is left.',
  })
  money!: Charge;

  @Field(() => String, { nullable: true, description: "Why the admin refunded it; only the platform admin sees it (null for the account's users)." })
  reason!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The provider's id of the refund (Stripe re_…, PayPal's refund id, VNPay's transaction number); null until it answered.",
  })
  providerReference!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the provider refused it (its own words); null unless FAILED.' })
  failureReason!: string | null;

  @Field({ description: 'When the credits left the account.' })
  createdAt!: Date;

  @Field({ description: 'The last change (the provider answered, or refused later).' })
  updatedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the provider confirmed or refused it.' })
  completedAt!: Date | null;
}
