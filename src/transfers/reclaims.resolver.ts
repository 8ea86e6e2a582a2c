import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { AccessPolicy } from '../auth/access-policy';
import { canManageBilling } from '../auth/principal';
import { forbidden } from '../common/domain-error';
import { toBalances } from '../ledger/dtos/mappers';
import type { GraphQLContext } from '../server/context';
import { toPartnerCustomerRecord } from './dtos/mappers';
import { ReclaimCreditsInput, ReclaimCreditsPayload } from './dtos/reclaim.type';

@Resolver()
export class ReclaimsResolver {
  @Mutation(() => ReclaimCreditsPayload, {
    description:
      "Partner OWNER or BILLING_ADMIN: take unused credits back from a customer of yours (ACTIVE, SUSPENDED or CLOSED) into your top-up balance, at most the customer's top-up balance. " +
      'Idempotent per key; dryRun validates and previews the balances.',
  })
  async reclaimCredits(@Arg('input') input: ReclaimCreditsInput, @Ctx() context: GraphQLContext): Promise<ReclaimCreditsPayload> {
    const principal = AccessPolicy.requireAuthenticated(context.principal);
    if (!principal.accountId) throw forbidden('Only a partner user can reclaim credits.');
    if (!canManageBilling(principal)) throw forbidden('Only an OWNER or BILLING_ADMIN may reclaim credits.');
    const result = await context.services.reclaims.reclaim({
      partnerAccountId: principal.accountId,
      customerAccountId: input.customerAccountId,
      amountMicros: input.amount,
      idempotencyKey: input.idempotencyKey,
      note: input.note ?? null,
      actor: { userId: principal.subject, role: principal.role },
      dryRun: input.dryRun,
    });
    return {
      dryRun: result.dryRun,
      reclaim: result.reclaim && toPartnerCustomerRecord(result.reclaim),
      partnerBalances: toBalances(result.partnerBalancesAfter),
      customerBalances: toBalances(result.customerBalancesAfter),
    };
  }
}
