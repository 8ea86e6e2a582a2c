import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { forwardPageInfo } from '../../common/page-info';
import { Access } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import { PartnerCustomerConnection, PartnerCustomersArgs } from './dtos/partner-customers.type';
import type { PartnerCustomersService } from './partner-customers.service';

/** What the partner resolvers use. */
export interface PartnersResolverServices {
  partnerCustomers: Pick<PartnerCustomersService, 'page'>;
}

type Context = GraphQLContext<PartnersResolverServices>;

@Resolver()
export class PartnerCustomersResolver {
  @Authorized(Access.accountUser('Only a partner user has customers.'))
  @Query(() => PartnerCustomerConnection, {
    description:
      'Partner users (any role): your customers with status and balances, by name or by balance; filter by status, name, depletion and balance. Each row can carry its usage for a period (Account.usage).',
  })
  async partnerCustomers(@Args() args: PartnerCustomersArgs, @Ctx() context: Context): Promise<PartnerCustomerConnection> {
    const { filter, first, after, sortBy, sortDirection } = args;
    const page = await context.services.partnerCustomers.page(
      context.principal!.accountId!,
      { status: filter?.status, search: filter?.search, depleted: filter?.depleted, totalBalanceBelowMicros: filter?.totalBalanceBelow },
      { first, after, sortBy, sortDirection },
    );
    const edges = page.customers.map((customer, index) => ({ cursor: page.cursors[index], node: customer }));
    // Balances and other fields of each Account come from the Account field resolvers, batched by the request's loaders.
    return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, after) };
  }
}
