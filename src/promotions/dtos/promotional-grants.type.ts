import { ArgsType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { CreditsScalar } from '../../common/credits.scalar';
import { PageInfo } from '../../common/page-info';
import { PromotionalGrant } from './grant.type';

@InputType()
export class PromotionalGrantFilterInput {
  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only ACTIVE grants, soonest expiry first (never-expiring last); false: only USED_UP, EXPIRED and VOIDED ones. Omitted: all.',
  })
  active?: boolean | null;

  @Field(() => Date, { nullable: true, description: 'Only grants whose expiry is before this instant (grants without an expiry never match).' })
  expiringBefore?: Date | null;
}

@ArgsType()
export class PromotionalGrantsArgs {
  @Field(() => PromotionalGrantFilterInput, { nullable: true })
  filter?: PromotionalGrantFilterInput | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1 to GRAPHQL_MAX_PAGE_SIZE (100 unless configured; default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page (of the same filter).' })
  after?: string | null;
}

@ObjectType()
export class PromotionalGrantEdge {
  @Field()
  cursor!: string;

  @Field(() => PromotionalGrant)
  node!: PromotionalGrant;
}

@ObjectType({
  description: 'A page of promotional grants: with filter.active = true soonest expiry first (never-expiring last), otherwise newest first.',
})
export class PromotionalGrantConnection {
  @Field(() => [PromotionalGrantEdge])
  edges!: PromotionalGrantEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'The promotional credits expiring soonest: "50 credits expire on 12 Jan".' })
export class NextExpiry {
  @Field(() => CreditsScalar, { description: 'What is left of the grant(s) expiring at expiresAt, summed.' })
  amount!: bigint;

  @Field()
  expiresAt!: Date;
}
