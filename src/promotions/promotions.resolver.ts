import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { AccessPolicy } from '../auth/access-policy';
import { toBalances } from '../ledger/dtos/mappers';
import type { GraphQLContext } from '../server/context';
import { GrantPromotionalCreditsInput, GrantPromotionalCreditsPayload } from './dtos/grant.type';

@Resolver()
export class PromotionsResolver {
  @Mutation(() => GrantPromotionalCreditsPayload, {
    description: 'Platform admin: grant promotional credits, optionally expiring. Idempotent per account and key.',
  })
  async grantPromotionalCredits(
    @Arg('input') input: GrantPromotionalCreditsInput,
    @Ctx() context: GraphQLContext,
  ): Promise<GrantPromotionalCreditsPayload> {
    AccessPolicy.requireAdmin(context.principal);
    const { grant, balancesAfter } = await context.services.promotions.grant({
      accountId: input.accountId,
      amountMicros: input.amount,
      expiresAt: input.expiresAt ?? null,
      reason: input.reason,
      idempotencyKey: input.idempotencyKey,
    });
    return {
      grant: {
        id: String(grant.id),
        accountId: grant.accountId,
        amount: grant.amountMicros,
        remaining: grant.remainingMicros,
        expiresAt: grant.expiresAt,
        reason: grant.reason,
        grantedAt: grant.createdAt,
      },
      balances: toBalances(balancesAfter),
    };
  }
}
