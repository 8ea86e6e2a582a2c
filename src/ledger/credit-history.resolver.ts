import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { assertCanReadAccount, type GraphQLContext } from '../graphql/context';
import { Balances } from './dtos/balances.type';
import { Counterparty, CreditHistoryPageArgs, CreditMovement, CreditMovementConnection } from './dtos/credit-movement.type';
import { toBalances, toCreditMovementConnection } from './dtos/mappers';
import { CreditMovementType } from './ledger.enums';

/** What the platform side of a movement is called when no other account is involved. */
export const PLATFORM_COUNTERPARTY: Record<CreditMovementType, string> = {
  [CreditMovementType.TOP_UP]: 'Payment',
  [CreditMovementType.TOP_UP_REVERSAL]: 'Payment reversal',
  [CreditMovementType.TRANSFER_IN]: 'Partner',
  [CreditMovementType.TRANSFER_OUT]: 'Customer',
  [CreditMovementType.USAGE]: 'Platform usage',
  [CreditMovementType.PROMOTIONAL_GRANT]: 'Platform promotion',
  [CreditMovementType.PROMOTIONAL_EXPIRY]: 'Promotion expiry',
};

@Resolver(() => CreditMovement)
export class CreditHistoryResolver {
  @Query(() => Balances, { description: 'Total, top-up and promotional balances of an account you may see.' })
  async balances(@Arg('accountId', () => ID) accountId: string, @Ctx() context: GraphQLContext): Promise<Balances> {
    await assertCanReadAccount(context, accountId);
    return toBalances(await context.loaders.balances.load(accountId));
  }

  @Query(() => CreditMovementConnection, { description: 'Credit movements of an account, newest first; filter by type and period.' })
  async creditHistory(
    @Arg('accountId', () => ID) accountId: string,
    @Args() args: CreditHistoryPageArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<CreditMovementConnection> {
    await assertCanReadAccount(context, accountId);
    const page = await context.services.creditHistory.page(accountId, args.filter ?? {}, args.first, args.after, { last: args.last, before: args.before });
    return toCreditMovementConnection(page);
  }

  @FieldResolver(() => Counterparty)
  async counterparty(@Root() movement: CreditMovement, @Ctx() context: GraphQLContext): Promise<Counterparty> {
    if (!movement.counterpartyAccountId) return { accountId: null, name: PLATFORM_COUNTERPARTY[movement.type] };
    const account = await context.loaders.account.load(movement.counterpartyAccountId);
    return { accountId: movement.counterpartyAccountId, name: account?.name ?? PLATFORM_COUNTERPARTY[movement.type] };
  }
}
