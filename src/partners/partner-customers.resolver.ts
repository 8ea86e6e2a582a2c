import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { forwardPageInfo } from '../common/page-info';
import { AccessPolicy } from '../auth/access-policy';
import { forbidden } from '../common/domain-error';
import type { GraphQLContext } from '../graphql/context';
import { PartnerCustomerConnection, PartnerCustomersArgs } from './dtos/partner-customers.type';

@Resolver()
export class PartnerCustomersResolver {
  @Query(() => PartnerCustomerConnection, {
    description:
      'Partner users (any role): your customers with status and balances, by name or by balance; filter by status, name, depletion and balance. Each row can carry its usage for a period (Account.usage).',
  })
  async partnerCustomers(@Args() args: PartnerCustomersArgs, @Ctx() context: GraphQLContext): Promise<PartnerCustomerConnection> {
    const principal = AccessPolicy.requireAuthenticated(context.principal);
    if (!principal.accountId) throw forbidden('Only a partner user has customers.');
    const { filter, first, after, sortBy } = args;
    const page = await context.services.partnerCustomers.page(
      principal.accountId,
      { status: filter?.status, search: filter?.search, depleted: filter?.depleted, totalBalanceBelowMicros: filter?.totalBalanceBelow },
      { first, after, sortBy },
    );
    const edges = page.customers.map((customer, index) => ({ cursor: page.cursors[index], node: customer }));
    // Balances and other fields of each Account come from the Account field resolvers, batched by the request's loaders.
    return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, after) };
  }
}
