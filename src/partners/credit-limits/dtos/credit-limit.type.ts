import { Field, ID, InputType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';

@InputType({ description: "A partner's new credit limit, and why." })
export class SetCreditLimitInput {
  @Field(() => ID, { description: 'The partner account.' })
  partnerAccountId!: string;

  @Field(() => CreditsScalar, { description: 'How far below zero the top-up balance may go through transfers; "0" removes the limit.' })
  limit!: bigint;

  @Field({ description: 'Required; recorded in the audit trail.' })
  reason!: string;
}
