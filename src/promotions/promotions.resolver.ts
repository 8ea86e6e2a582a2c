import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../graphql/access';
import { toBalances } from '../balances/dtos/mappers';
import { actorOf } from '../audit/actor';
import type { GraphQLContext } from '../graphql/context';
import { toPromotionalGrant } from './dtos/mappers';
import { GrantPromotionalCreditsInput, GrantPromotionalCreditsPayload } from './dtos/grant.type';
import type { PromotionalGrantsService } from './promotional-grants.service';
import type { PromotionsService } from './promotions.service';

/** What the promotions resolvers use. */
export interface PromotionsResolverServices {
  promotions: Pick<PromotionsService, 'grant'>;
  promotionalGrants: Pick<PromotionalGrantsService, 'page'>;
}

type Context = GraphQLContext<PromotionsResolverServices>;

@Resolver()
export class PromotionsResolver {
  @Authorized(Access.ADMIN)
  @Mutation(() => GrantPromotionalCreditsPayload, {
    description: 'Platform admin: grant promotional credits, optionally expiring. Idempotent per account and key.',
  })
  async grantPromotionalCredits(@Arg('input') input: GrantPromotionalCreditsInput, @Ctx() context: Context): Promise<GrantPromotionalCreditsPayload> {
    const { grant, balancesAfter } = await context.services.promotions.grant(
      {
        accountId: input.accountId,
        amountMicros: input.amount,
        expiresAt: input.expiresAt ?? null,
        reason: input.reason,
        idempotencyKey: input.idempotencyKey,
      },
      actorOf(context),
    );
    return {
      grant: toPromotionalGrant(grant, new Date()),
      balances: toBalances(balancesAfter),
    };
  }
}
