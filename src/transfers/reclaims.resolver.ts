import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../server/context';
import { toPartnerCustomerCommand, toPartnerCustomerPayload, toPartnerCustomerRecord } from './dtos/mappers';
import { ReclaimCreditsInput, ReclaimCreditsPayload } from './dtos/reclaim.type';

@Resolver()
export class ReclaimsResolver {
  @Mutation(() => ReclaimCreditsPayload, {
    description:
      "Partner OWNER or BILLING_ADMIN: take unused credits back from a customer of yours (ACTIVE, SUSPENDED or CLOSED) into your top-up balance, at most the customer's top-up balance. " +
      'Idempotent per key; dryRun validates and previews the balances.',
  })
  async reclaimCredits(@Arg('input') input: ReclaimCreditsInput, @Ctx() context: GraphQLContext): Promise<ReclaimCreditsPayload> {
    const command = toPartnerCustomerCommand(context.principal, input, 'reclaim credits');
    const result = await context.services.reclaims.reclaim(command);
    return { ...toPartnerCustomerPayload(result), reclaim: result.reclaim && toPartnerCustomerRecord(result.reclaim) };
  }
}
