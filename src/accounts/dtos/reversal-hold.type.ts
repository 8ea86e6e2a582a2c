import { Field, ID, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../common/credits.scalar';

@ObjectType({ description: 'A reversal hold placed on an account or released from it (Account.reversalHold).' })
export class ReversalHoldChange {
  @Field(() => ID, { description: 'The outbox event id.' })
  eventId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field({ description: 'True when the hold was placed, false when it was released.' })
  held!: boolean;

  @Field(() => CreditsScalar, { description: 'The top-up balance right after the posting that changed the hold.' })
  topUpBalance!: bigint;

  @Field(() => CreditsScalar)
  totalBalance!: bigint;
}
