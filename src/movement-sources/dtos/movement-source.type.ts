import { createUnionType, Field, ID, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../common/credits.scalar';
import { PaymentMethod } from '../../payments/providers/payment-provider';
import { Charge } from '../../payments/top-ups/dtos/top-up.type';
import { TopUpStatus } from '../../payments/top-ups/top-up.enums';
import { TransferActor } from '../../partners/transfers/dtos/transfer-actor.type';
import { CreditCorrection } from '../../corrections/dtos/correction.type';

@ObjectType({
  description: 'The purchase behind a TOP_UP row, the one a TOP_UP_REVERSAL or REFUND row takes back, or the one a DISPUTE_WON row gives back.',
  simpleResolvers: true,
})
export class TopUpSource {
  @Field(() => ID)
  topUpId!: string;

  @Field(() => PaymentMethod)
  method!: PaymentMethod;

  @Field(() => TopUpStatus, { description: 'Its status now (SUCCEEDED; PARTIALLY_REFUNDED or REFUNDED once credits were taken back).' })
  status!: TopUpStatus;

  @Field(() => CreditsScalar, { description: 'The credits bought.' })
  amount!: bigint;

  @Field(() => Charge, { description: 'What the buyer paid: currency, amount in minor units and as a decimal, credit price.' })
  charge!: Charge;

  @Field(() => CreditsScalar, { description: 'Credits taken back by refunds and disputes made at the provider so far.' })
  reversedAmount!: bigint;

  @Field(() => CreditsScalar, { description: 'Credits taken back by refunds the platform made (refundTopUp) and the provider has not refused.' })
  refundedAmount!: bigint;
}

@ObjectType({ description: 'One side of a transfer.', simpleResolvers: true })
export class TransferParty {
  @Field(() => ID)
  accountId!: string;

  @Field()
  name!: string;
}

/** What a transfer's and a reclaim's source share: the two sides, the amount, the note and who made it. */
@ObjectType()
abstract class PartnerCustomerSource {
  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => CreditsScalar, { description: 'What moved (positive).' })
  amount!: bigint;

  @Field(() => TransferParty)
  partner!: TransferParty;

  @Field(() => TransferParty)
  customer!: TransferParty;

  @Field(() => TransferActor, {
    nullable: true,
    description:
      "The partner user who made it. Shown on the partner's own row (TRANSFER_OUT, RECLAIM_IN) only: the customer sees the partner, not its staff. " +
      'Null for transfers made before actors were recorded.',
  })
  actor!: TransferActor | null;

  @Field()
  createdAt!: Date;
}

@ObjectType({ description: 'The partner → customer transfer behind a TRANSFER_IN or TRANSFER_OUT row.', simpleResolvers: true })
export class TransferSource extends PartnerCustomerSource {
  @Field(() => ID)
  transferId!: string;
}

@ObjectType({ description: 'The reclaim (the partner took credits back from its customer) behind a RECLAIM_IN or RECLAIM_OUT row.', simpleResolvers: true })
export class ReclaimSource extends PartnerCustomerSource {
  @Field(() => ID)
  reclaimId!: string;
}

@ObjectType({ description: 'The metering event behind a USAGE row.', simpleResolvers: true })
export class UsageSource {
  @Field({ description: "The metering service's event id." })
  eventId!: string;

  @Field()
  service!: string;

  @Field({ description: 'When the consumption happened (the row is when it was recorded).' })
  occurredAt!: Date;

  @Field(() => CreditsScalar, { description: 'What the event consumed, positive.' })
  amount!: bigint;

  @Field(() => CreditsScalar, { description: 'The part taken from promotional credits.' })
  promotionalAmount!: bigint;

  @Field(() => CreditsScalar, { description: 'The part taken from top-up credits.' })
  topUpAmount!: bigint;
}

@ObjectType({ description: 'The promotional grant behind a PROMOTIONAL_GRANT row, or the one a PROMOTIONAL_EXPIRY row expired.', simpleResolvers: true })
export class PromotionalGrantSource {
  @Field(() => ID)
  grantId!: string;

  @Field()
  reason!: string;

  @Field(() => CreditsScalar, { description: 'The credits granted.' })
  amount!: bigint;

  @Field(() => Date, { nullable: true, description: 'When its unused credits expire (expired); null for a grant that never expires.' })
  expiresAt!: Date | null;
}

export const CreditMovementSource = createUnionType({
  name: 'CreditMovementSource',
  description:
    "What a credit movement came from, as typed data: a top-up, a transfer, a reclaim, a usage event, a promotional grant or the platform admin's correction.",
  types: () => [TopUpSource, TransferSource, ReclaimSource, UsageSource, PromotionalGrantSource, CreditCorrection] as const,
  resolveType: (value) => {
    if (value instanceof CreditCorrection) return CreditCorrection;
    if ('topUpId' in value) return TopUpSource;
    if ('transferId' in value) return TransferSource;
    if ('reclaimId' in value) return ReclaimSource;
    if ('eventId' in value) return UsageSource;
    return PromotionalGrantSource;
  },
});
