import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AccountStatus } from '../../../accounts/account.enums';
import { Account } from '../../../accounts/dtos/account.type';
import { CreditsScalar } from '../../../common/credits.scalar';
import { PageInfo } from '../../../common/page-info';
import { PartnerCustomerSort, SortDirection } from '../partner-customers.service';

registerEnumType(PartnerCustomerSort, {
  name: 'PartnerCustomerSort',
  valuesConfig: {
    NAME: { description: 'By name, then id (the default).' },
    BALANCE: { description: 'By total balance, then id: lowest first, or largest first with sortDirection DESC.' },
  },
});

registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'The direction of a sort; ties are broken by id in the same direction.',
  valuesConfig: {
    ASC: { description: 'Ascending: A to Z, lowest first (the default).' },
    DESC: { description: 'Descending: Z to A, largest first.' },
  },
});

@InputType()
export class PartnerCustomerFilterInput {
  @Field(() => AccountStatus, { nullable: true, description: 'Only customers with this status.' })
  status?: AccountStatus | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the customer name or account id (at most 100 characters).' })
  search?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only customers whose usage took the top-up balance below zero; false: only the others.' })
  depleted?: boolean | null;

  @Field(() => CreditsScalar, { nullable: true, description: 'Only customers whose total balance is below this amount.' })
  totalBalanceBelow?: bigint | null;
}

@ArgsType()
export class PartnerCustomersArgs {
  @Field(() => PartnerCustomerFilterInput, { nullable: true })
  filter?: PartnerCustomerFilterInput | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1 to GRAPHQL_MAX_PAGE_SIZE (100 unless configured; default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page (of the same sort order).' })
  after?: string | null;

  @Field(() => PartnerCustomerSort, { nullable: true, defaultValue: PartnerCustomerSort.NAME })
  sortBy?: PartnerCustomerSort | null;

  @Field(() => SortDirection, {
    nullable: true,
    defaultValue: SortDirection.ASC,
    description: 'ASC (default) or DESC; a cursor fits only the order it came from.',
  })
  sortDirection?: SortDirection | null;
}

@ObjectType()
export class PartnerCustomerEdge {
  @Field()
  cursor!: string;

  @Field(() => Account)
  node!: Account;
}

@ObjectType({ description: "A page of a partner's customers, in the order asked for (Relay connection)." })
export class PartnerCustomerConnection {
  @Field(() => [PartnerCustomerEdge])
  edges!: PartnerCustomerEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
