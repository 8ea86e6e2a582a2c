import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Access, argument } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import type { CreditHistoryService } from './credit-history.service';
import { Balances } from '../dtos/balances.type';
import { Counterparty, CreditHistoryPageArgs, CreditMovement, CreditMovementConnection } from './dtos/credit-movement.type';
import { toBalances } from '../dtos/mappers';
import { toCreditMovementConnection } from './dtos/mappers';
import { PLATFORM_COUNTERPARTY } from './movement-type';

/** What the ledger resolvers use. */
export interface LedgerResolverServices {
  creditHistory: Pick<CreditHistoryService, 'page'>;
}

type Context = GraphQLContext<LedgerResolverServices>;

@Resolver(() => CreditMovement)
export class CreditHistoryResolver {
  @Authorized(Access.readAccountData(argument('accountId')))
  @Query(() => Balances, { description: 'Total, top-up and promotional balances of an account you may see.' })
  async balances(@Arg('accountId', () => ID) accountId: string, @Ctx() context: Context): Promise<Balances> {
    return toBalances(await context.loaders.balances.load(accountId));
  }

  @Authorized(Access.readAccountData(argument('accountId')))
  @Query(() => CreditMovementConnection, { description: 'Credit movements of an account, newest first; filter by type and period.' })
  async creditHistory(
    @Arg('accountId', () => ID) accountId: string,
    @Args() args: CreditHistoryPageArgs,
    @Ctx() context: Context,
  ): Promise<CreditMovementConnection> {
    const page = await context.services.creditHistory.page(accountId, args.filter ?? {}, args.first, args.after, { last: args.last, before: args.before });
    return toCreditMovementConnection(page);
  }

  @FieldResolver(() => Counterparty)
  async counterparty(@Root() movement: CreditMovement, @Ctx() context: Context): Promise<Counterparty> {
    if (!movement.counterpartyAccountId) return { accountId: null, name: PLATFORM_COUNTERPARTY[movement.type] };
    const account = await context.loaders.account.load(movement.counterpartyAccountId);
    return { accountId: movement.counterpartyAccountId, name: account?.name ?? PLATFORM_COUNTERPARTY[movement.type] };
  }
}
