import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../common/credits.scalar';
import { Balances } from '../../ledger/dtos/balances.type';

@InputType({ description: 'Unused top-up credits a partner takes back from one of its customers.' })
export class ReclaimCreditsInput {
  @Field(() => ID, { description: 'Your customer: ACTIVE, SUSPENDED or CLOSED.' })
  customerAccountId!: string;

  @Field(() => CreditsScalar, {
    description: "More than zero, at most six decimal places, at most the customer's top-up balance (promotional credits are never reclaimed).",
  })
  amount!: bigint;

  @Field({ description: 'Retrying with the same key returns the first reclaim; a different reclaim needs a new key.' })
  idempotencyKey!: string;

  @Field(() => String, { nullable: true, description: "Shown in both accounts' credit history (at most 255 characters)." })
  note?: string | null;

  @Field({ defaultValue: false, description: 'Validate and return the balances as they would be after, moving nothing and consuming no key.' })
  dryRun!: boolean;
}

@ObjectType({ description: 'Credits a partner took back from its customer.' })
export class CreditReclaim {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  partnerAccountId!: string;

  @Field(() => ID)
  customerAccountId!: string;

  @Field(() => CreditsScalar, { description: 'What the partner took back (positive).' })
  amount!: bigint;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field()
  createdAt!: Date;
}

@ObjectType()
export class ReclaimCreditsPayload {
  @Field({ description: 'True when this was a dry run: nothing moved.' })
  dryRun!: boolean;

  @Field(() => CreditReclaim, { nullable: true, description: 'The reclaim; null for a dry run.' })
  reclaim!: CreditReclaim | null;

  @Field(() => Balances, { description: "The partner's balances right after the reclaim (or as they would be, for a dry run)." })
  partnerBalances!: Balances;

  @Field(() => Balances, { description: "The customer's balances right after the reclaim (or as they would be, for a dry run)." })
  customerBalances!: Balances;
}
