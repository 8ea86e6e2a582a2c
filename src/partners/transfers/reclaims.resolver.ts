import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import { toPartnerCustomerCommand, toPartnerCustomerPayload, toPartnerCustomerRecord } from './dtos/mappers';
import { ReclaimCreditsInput, ReclaimCreditsPayload } from './dtos/reclaim.type';
import type { ReclaimsService } from './reclaims.service';

/** What the reclaim resolver uses. */
export interface ReclaimsResolverServices {
  reclaims: Pick<ReclaimsService, 'reclaim'>;
}

type Context = GraphQLContext<ReclaimsResolverServices>;

@Resolver()
export class ReclaimsResolver {
  /** Like a transfer, a partner user's with the right to spend: OWNER or BILLING_ADMIN. */
  @Authorized(Access.accountUser('Only a partner user can reclaim credits.'), Access.billingManager('Only an OWNER or BILLING_ADMIN may reclaim credits.'))
  @Mutation(() => ReclaimCreditsPayload, {
    description:
      "Partner OWNER or BILLING_ADMIN: take unused credits back from a customer of yours (ACTIVE, SUSPENDED or CLOSED) into your top-up balance, at most the customer's top-up balance. " +
      'Idempotent per key; dryRun validates and previews the balances.',
  })
  async reclaimCredits(@Arg('input') input: ReclaimCreditsInput, @Ctx() context: Context): Promise<ReclaimCreditsPayload> {
    const result = await context.services.reclaims.reclaim(toPartnerCustomerCommand(context.principal!, input));
    return { ...toPartnerCustomerPayload(result), reclaim: result.record && toPartnerCustomerRecord(result.record) };
  }
}
