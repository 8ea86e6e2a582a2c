import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../common/credits.scalar';
import { Balances } from '../../ledger/dtos/balances.type';

@InputType()
export class GrantPromotionalCreditsInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => CreditsScalar)
  amount!: bigint;

  @Field({ nullable: true, description: 'When the unused remainder expires; never when omitted.' })
  expiresAt?: Date;

  @Field({ description: 'Shown in the credit history.' })
  reason!: string;

  @Field({ description: 'Retrying with the same key returns the first grant.' })
  idempotencyKey!: string;
}

@ObjectType()
export class PromotionalGrant {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => CreditsScalar)
  amount!: bigint;

  @Field(() => CreditsScalar, { description: 'What is left unused and unexpired.' })
  remaining!: bigint;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field()
  reason!: string;

  @Field()
  grantedAt!: Date;
}

@ObjectType()
export class GrantPromotionalCreditsPayload {
  @Field(() => PromotionalGrant)
  grant!: PromotionalGrant;

  @Field(() => Balances, { description: 'The account balances right after the grant.' })
  balances!: Balances;
}
