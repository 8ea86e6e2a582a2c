import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Balances } from '../balances/dtos/balances.type';
import { Access, argument } from '../graphql/access';
import type { GraphQLContext } from '../graphql/context';
import { toPromotionalGrantConnection } from './dtos/mappers';
import { NextExpiry, PromotionalGrantConnection, PromotionalGrantsArgs } from './dtos/promotional-grants.type';
import type { PromotionsResolverServices } from './promotions.resolver';

type Context = GraphQLContext<PromotionsResolverServices>;

@Resolver()
export class PromotionalGrantsResolver {
  @Authorized(Access.readAccountData(argument('accountId')))
  @Query(() => PromotionalGrantConnection, {
    description:
      'Promotional grants of an account you may see (as balances), with what remains and when it expires; filter.active = true lists soonest expiry first.',
  })
  async promotionalGrants(
    @Arg('accountId', () => ID) accountId: string,
    @Args() args: PromotionalGrantsArgs,
    @Ctx() context: Context,
  ): Promise<PromotionalGrantConnection> {
    const filter = { active: args.filter?.active, expiringBefore: args.filter?.expiringBefore };
    return toPromotionalGrantConnection(await context.services.promotionalGrants.page(accountId, filter, args.first, args.after), args.after);
  }
}

@Resolver(() => Balances)
export class NextExpiryResolver {
  @FieldResolver(() => NextExpiry, {
    nullable: true,
    description: 'The promotional credits expiring soonest and when (null when no grant with something left expires); batched for a page of accounts.',
  })
  async nextExpiry(@Root() balances: Balances, @Ctx() context: Context): Promise<NextExpiry | null> {
    const next = await context.loaders.nextExpiry.load(balances.accountId);
    return next && { amount: next.amountMicros, expiresAt: next.expiresAt };
  }
}
