import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { Balances } from '../../../balances/dtos/balances.type';

/**
 * What a transfer's and a reclaim's GraphQL types share (`TransferCreditsInput`/`ReclaimCreditsInput`,
 * `CreditTransfer`/`CreditReclaim`, their payloads). Each kind's class extends these and names its
 * own type; these bases are not types of the schema themselves.
 */

@InputType()
export abstract class PartnerCustomerInputFields {
  @Field({ description: 'Retrying with the same key returns the first result; a different request needs a new key.' })
  idempotencyKey!: string;

  @Field(() => String, { nullable: true, description: "Shown in both accounts' credit history (at most 255 characters)." })
  note?: string | null;

  @Field({ defaultValue: false, description: 'Validate and return the balances as they would be after, moving nothing and consuming no key.' })
  dryRun!: boolean;
}

@ObjectType()
export abstract class PartnerCustomerRecordFields {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  partnerAccountId!: string;

  @Field(() => ID)
  customerAccountId!: string;

  @Field(() => CreditsScalar, { description: 'What moved (positive).' })
  amount!: bigint;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field()
  createdAt!: Date;
}

@ObjectType()
export abstract class PartnerCustomerPayloadFields {
  @Field({ description: 'True when this was a dry run: nothing moved.' })
  dryRun!: boolean;

  @Field(() => Balances, { description: "The partner's balances right after (or as they would be, for a dry run)." })
  partnerBalances!: Balances;

  @Field(() => Balances, { description: "The customer's balances right after (or as they would be, for a dry run)." })
  customerBalances!: Balances;
}
