import { Field, ID, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { CreditMovementType } from '../../../ledger/ledger.enums';

@ObjectType({ description: 'A low-balance threshold crossed downward: once per crossing, again only after the balance went back to it or above.' })
export class BalanceLowEvent {
  @Field(() => ID, { description: 'The outbox event id (also the webhook event id, as evt_<id>).' })
  eventId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => CreditsScalar, { description: 'The threshold crossed.' })
  threshold!: bigint;

  @Field(() => CreditsScalar, { description: 'The total balance after the movement that crossed it.' })
  totalBalance!: bigint;

  @Field(() => CreditsScalar, { description: 'The total balance before that movement.' })
  previousTotalBalance!: bigint;

  @Field(() => CreditMovementType)
  movementType!: CreditMovementType;

  @Field(() => CreditsScalar, { description: 'The (negative) amount of the movement.' })
  amount!: bigint;

  @Field()
  occurredAt!: Date;
}
