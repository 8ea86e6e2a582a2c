import { Field, ID, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { CreditMovementType } from '../../../ledger/ledger.enums';

@ObjectType({ description: 'Balances of an account: first as they are when you subscribe, then after each credit movement.', simpleResolvers: true })
export class BalanceUpdate {
  @Field(() => ID, {
    description: 'The outbox event id; increases with every event, so a client can drop duplicates. 0 on the first message (the balances when you subscribed).',
  })
  eventId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => CreditsScalar)
  totalBalance!: bigint;

  @Field(() => CreditsScalar)
  topUpBalance!: bigint;

  @Field(() => CreditsScalar)
  promotionalBalance!: bigint;

  @Field(() => CreditMovementType, { nullable: true })
  movementType!: CreditMovementType | null;

  @Field(() => CreditsScalar, { nullable: true })
  amount!: bigint | null;

  @Field()
  occurredAt!: Date;
}
