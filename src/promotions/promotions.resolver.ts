import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { AccessPolicy } from '../auth/access-policy';
import { toBalances } from '../ledger/dtos/mappers';
import type { GraphQLContext } from '../graphql/context';
import { toPromotionalGrant } from './dtos/mappers';
import { GrantPromotionalCreditsInput, GrantPromotionalCreditsPayload } from './dtos/grant.type';

@Resolver()
export class PromotionsResolver {
  @Mutation(() => GrantPromotionalCreditsPayload, {
    description: 'Platform admin: grant promotional credits, optionally expiring. Idempotent per account and key.',
  })
  async grantPromotionalCredits(@Arg('input') input: GrantPromotionalCreditsInput, @Ctx() context: GraphQLContext): Promise<GrantPromotionalCreditsPayload> {
    AccessPolicy.requireAdmin(context.principal);
    const { grant, balancesAfter } = await context.services.promotions.grant({
      accountId: input.accountId,
      amountMicros: input.amount,
      expiresAt: input.expiresAt ?? null,
      reason: input.reason,
      idempotencyKey: input.idempotencyKey,
    });
    return {
      grant: toPromotionalGrant(grant, new Date()),
      balances: toBalances(balancesAfter),
    };
  }
}
