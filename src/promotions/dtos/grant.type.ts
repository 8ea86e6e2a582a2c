import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { CreditsScalar } from '../../common/credits.scalar';
import { Balances } from '../../balances/dtos/balances.type';
import { PromotionalGrantStatus } from '../grant-status';

registerEnumType(PromotionalGrantStatus, {
  name: 'PromotionalGrantStatus',
  description:
    'ACTIVE: something left and unexpired; USED_UP: usage drew all of it; EXPIRED: its expiry took what was left; VOIDED: the platform admin voided what was left.',
});

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

  @Field(() => CreditsScalar, { description: 'What is left unused and unexpired (0 once the expiry has passed).' })
  remaining!: bigint;

  @Field(() => CreditsScalar, { description: 'What expired unused (0 unless EXPIRED).' })
  expiredAmount!: bigint;

  @Field(() => CreditsScalar, { description: 'What the platform admin voided (0 unless VOIDED).' })
  voidedAmount!: bigint;

  @Field(() => PromotionalGrantStatus)
  status!: PromotionalGrantStatus;

  @Field(() => Date, { nullable: true, description: 'When the unused remainder expires; null: never.' })
  expiresAt!: Date | null;

  @Field()
  reason!: string;

  @Field({ description: 'When the grant was given.' })
  createdAt!: Date;

  @Field({ deprecationReason: 'Use createdAt (the same instant), the name every other type uses.' })
  grantedAt!: Date;
}

@ObjectType()
export class GrantPromotionalCreditsPayload {
  @Field(() => PromotionalGrant)
  grant!: PromotionalGrant;

  @Field(() => Balances, { description: 'The account balances right after the grant.' })
  balances!: Balances;
}
