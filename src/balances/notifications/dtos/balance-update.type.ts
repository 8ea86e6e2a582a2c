import { Field, ID, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { CreditMovementType } from '../../../ledger/ledger.enums';

@ObjectType({ description: 'New balances of an account after a credit movement.', simpleResolvers: true })
export class BalanceUpdate {
  @Field(() => ID, { description: 'The outbox event id; increases with every event, so a client can drop duplicates.' })
  eventId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => CreditsScalar)
  totalBalance!: bigint;

  @Field(() => CreditsScalar)
  topUpBalance!: bigint;

  @Field(() => CreditsScalar)
  promotionalBalance!: bigint;

  @Field(() => CreditMovementType)
  movementType!: CreditMovementType;

  @Field(() => CreditsScalar)
  amount!: bigint;

  @Field()
  occurredAt!: Date;
}
