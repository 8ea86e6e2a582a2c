import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { PartnerCustomerInputFields, PartnerCustomerPayloadFields, PartnerCustomerRecordFields } from './partner-customer.type';

@InputType({ description: 'Unused top-up credits a partner takes back from one of its customers.' })
export class ReclaimCreditsInput extends PartnerCustomerInputFields {
  @Field(() => ID, { description: 'Your customer: ACTIVE, SUSPENDED or CLOSED.' })
  customerAccountId!: string;

  @Field(() => CreditsScalar, {
    description: "More than zero, at most six decimal places, at most the customer's top-up balance (promotional credits are never reclaimed).",
  })
  amount!: bigint;
}

@ObjectType({ description: 'Credits a partner took back from its customer.' })
export class CreditReclaim extends PartnerCustomerRecordFields {}

@ObjectType()
export class ReclaimCreditsPayload extends PartnerCustomerPayloadFields {
  @Field(() => CreditReclaim, { nullable: true, description: 'The reclaim; null for a dry run.' })
  reclaim!: CreditReclaim | null;
}
