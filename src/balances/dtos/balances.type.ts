import { Field, ID, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../common/credits.scalar';

// Plain properties, no middleware or auth on any field: type-graphql's per-field wrapper is skipped.
@ObjectType({ description: 'An account balances: total = top-up + promotional.', simpleResolvers: true })
export class Balances {
  @Field(() => ID)
  accountId!: string;

  @Field(() => CreditsScalar)
  totalBalance!: bigint;

  @Field(() => CreditsScalar, { description: 'Credits bought or received from a partner. Negative only after usage overdrew it.' })
  topUpBalance!: bigint;

  @Field(() => CreditsScalar, { description: 'Unexpired promotional credits granted by the platform.' })
  promotionalBalance!: bigint;
}
