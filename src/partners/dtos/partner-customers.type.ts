import { ArgsType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { AccountStatus } from '../../accounts/account.enums';
import { Account } from '../../accounts/dtos/account.type';
import { PageInfo } from '../../ledger/dtos/credit-movement.type';

@InputType()
export class PartnerCustomerFilterInput {
  @Field(() => AccountStatus, { nullable: true, description: 'Only customers with this status.' })
  status?: AccountStatus | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the customer name (at most 100 characters).' })
  search?: string | null;
}

@ArgsType()
export class PartnerCustomersArgs {
  @Field(() => PartnerCustomerFilterInput, { nullable: true })
  filter?: PartnerCustomerFilterInput | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1 to GRAPHQL_MAX_PAGE_SIZE (100 unless configured; default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

@ObjectType()
export class PartnerCustomerEdge {
  @Field()
  cursor!: string;

  @Field(() => Account)
  node!: Account;
}

@ObjectType({ description: "A page of a partner's customers, by name (Relay connection)." })
export class PartnerCustomerConnection {
  @Field(() => [PartnerCustomerEdge])
  edges!: PartnerCustomerEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
