import { PageInfo } from '../../../common/page-info';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { CreditMovementType } from '../../../ledger/ledger.enums';

registerEnumType(CreditMovementType, { name: 'CreditMovementType', description: 'What moved credits in or out of an account.' });

@ObjectType({ description: 'The other side of a movement: another account, or the platform.', simpleResolvers: true })
export class Counterparty {
  @Field(() => ID, { nullable: true, description: 'The other account, when there is one (e.g. the partner of a transfer).' })
  accountId!: string | null;

  @Field()
  name!: string;
}

@ObjectType({ description: 'One credit movement of an account.', simpleResolvers: true })
export class CreditMovement {
  @Field(() => ID)
  id!: string;

  @Field()
  occurredAt!: Date;

  @Field(() => CreditMovementType)
  type!: CreditMovementType;

  @Field(() => CreditsScalar, { description: 'Signed change of the total balance: positive in, negative out.' })
  amount!: bigint;

  @Field(() => CreditsScalar, { description: 'Total balance right after this movement.' })
  balanceAfter!: bigint;

  @Field(() => CreditsScalar)
  topUpBalanceAfter!: bigint;

  @Field(() => CreditsScalar)
  promotionalBalanceAfter!: bigint;

  counterpartyAccountId!: string | null;

  /** The account whose history row this is, and the ledger transaction it shows: they find its source. */
  accountId!: string;

  transactionId!: number;

  /**
   * The ledger's reference text, as stored: shown through `CreditMovement.reference` (a field
   * resolver) only as the caller may see it; read here to find the movement's source.
   */
  ledgerReference!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class CreditMovementEdge {
  @Field()
  cursor!: string;

  @Field(() => CreditMovement)
  node!: CreditMovement;
}

@ObjectType({ description: 'A page of credit history, newest first (Relay connection).', simpleResolvers: true })
export class CreditMovementConnection {
  @Field(() => [CreditMovementEdge])
  edges!: CreditMovementEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType()
export class CreditHistoryFilterInput {
  @Field(() => [CreditMovementType], { nullable: true, description: 'Only these types.' })
  types?: CreditMovementType[] | null;

  @Field({ nullable: true, description: 'Inclusive start of the period.' })
  from?: Date;

  @Field({ nullable: true, description: 'Exclusive end of the period.' })
  to?: Date;
}

@ArgsType()
export class CreditHistoryPageArgs {
  @Field(() => CreditHistoryFilterInput, { nullable: true })
  filter?: CreditHistoryFilterInput | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1 to GRAPHQL_MAX_PAGE_SIZE (100 unless configured; default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Page backwards: the page size, 1 to GRAPHQL_MAX_PAGE_SIZE, of the rows just before `before` (or the oldest rows without it). Edges stay newest first. Not with first/after.',
  })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'The startCursor of the page after this one (paging backwards). Not with first/after.' })
  before?: string | null;
}
