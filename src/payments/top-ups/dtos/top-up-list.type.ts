import { ArgsType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../../common/page-info';
import { PaymentMethod } from '../../providers/payment-provider';
import { TopUpOrigin, TopUpStatus } from '../top-up.enums';
import { TopUp } from './top-up.type';

@ObjectType()
export class TopUpEdge {
  @Field()
  cursor!: string;

  @Field(() => TopUp)
  node!: TopUp;
}

@ObjectType({ description: 'A page of top-ups (purchases), newest first (Relay connection).' })
export class TopUpConnection {
  @Field(() => [TopUpEdge])
  edges!: TopUpEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType()
export class TopUpsFilterInput {
  @Field(() => [TopUpStatus], { nullable: true, description: 'Only these statuses (e.g. [FAILED, CANCELED, EXPIRED] for purchases that did not go through).' })
  statuses?: TopUpStatus[] | null;

  @Field(() => [PaymentMethod], { nullable: true, description: 'Only these payment methods.' })
  methods?: PaymentMethod[] | null;

  @Field(() => [TopUpOrigin], {
    nullable: true,
    description: "Only these origins: [AUTO_RECHARGE] is the auto-recharge rule's history (what it bought, what failed).",
  })
  origins?: TopUpOrigin[] | null;

  @Field({ nullable: true, description: 'Inclusive start of the period (when the top-up was created).' })
  from?: Date;

  @Field({ nullable: true, description: 'Exclusive end of the period.' })
  to?: Date;
}

@ArgsType()
export class TopUpsPageArgs {
  @Field(() => TopUpsFilterInput, { nullable: true })
  filter?: TopUpsFilterInput | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1 to GRAPHQL_MAX_PAGE_SIZE (100 unless configured; default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}
