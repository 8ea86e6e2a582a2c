import { Field, ID, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { CreditMovementType } from '../../../ledger/ledger.enums';
import { BalanceMeasure } from '../balance-measure';

@ObjectType({ description: 'A low-balance threshold crossed downward: once per crossing, again only after the balance went back to it or above.' })
export class BalanceLowEvent {
  @Field(() => ID, { description: 'The outbox event id (also the webhook event id, as evt_<id>).' })
  eventId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => BalanceMeasure, { description: 'What the threshold watches.' })
  measure!: BalanceMeasure;

  @Field(() => CreditsScalar, { description: 'The threshold crossed.' })
  threshold!: bigint;

  @Field(() => CreditsScalar, { description: 'The watched balance after the crossing (the total balance, or the available credit).' })
  balance!: bigint;

  @Field(() => CreditsScalar, { description: 'The watched balance before it.' })
  previousBalance!: bigint;

  @Field(() => CreditsScalar, { description: 'The total balance after the movement that crossed it.' })
  totalBalance!: bigint;

  @Field(() => CreditsScalar, { description: 'The total balance before that movement.' })
  previousTotalBalance!: bigint;

  @Field(() => CreditMovementType, {
    nullable: true,
    description: "The movement that crossed it; null when a lowered credit limit crossed a partner's available credit.",
  })
  movementType!: CreditMovementType | null;

  @Field(() => CreditsScalar, { description: "The (negative) amount of the movement; for a lowered credit limit, the limit's change." })
  amount!: bigint;

  @Field()
  occurredAt!: Date;
}
