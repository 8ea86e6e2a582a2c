import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { actorOf } from '../audit/actor';
import { toBalances } from '../balances/dtos/mappers';
import { Access } from '../graphql/access';
import type { GraphQLContext } from '../graphql/context';
import { PromotionalGrant } from '../promotions/dtos/grant.type';
import { toPromotionalGrant } from '../promotions/dtos/mappers';
import type { BalanceAdjustmentsService } from './balance-adjustments.service';
import {
  AdjustBalanceInput,
  AdjustBalancePayload,
  ChangePromotionalGrantExpiryInput,
  VoidPromotionalGrantInput,
  VoidPromotionalGrantPayload,
} from './dtos/correction.type';
import { toCreditCorrection } from './dtos/mappers';
import type { GrantCorrectionsService } from './grant-corrections.service';

/** What the corrections resolvers use. */
export interface CorrectionsResolverServices {
  balanceAdjustments: Pick<BalanceAdjustmentsService, 'adjust'>;
  grantCorrections: Pick<GrantCorrectionsService, 'voidGrant' | 'changeExpiry'>;
}

type Context = GraphQLContext<CorrectionsResolverServices>;

@Resolver()
export class CorrectionsResolver {
  @Authorized(Access.ADMIN)
  @Mutation(() => AdjustBalancePayload, {
    description:
      'Platform admin: move one wallet of an account by a signed amount (movement ADJUSTMENT), with a reason. Never takes the promotional wallet below zero; ' +
      'the top-up wallet may go negative (credits already spent). Idempotent per account and key.',
  })
  async adjustBalance(@Arg('input', { description: 'The adjustment.' }) input: AdjustBalanceInput, @Ctx() context: Context): Promise<AdjustBalancePayload> {
    const { correction, balancesAfter } = await context.services.balanceAdjustments.adjust(
      { accountId: input.accountId, wallet: input.wallet, amountMicros: input.amount, reason: input.reason, idempotencyKey: input.idempotencyKey },
      actorOf(context),
    );
    return { correction: toCreditCorrection(correction), balances: toBalances(balancesAfter) };
  }

  @Authorized(Access.ADMIN)
  @Mutation(() => VoidPromotionalGrantPayload, {
    description:
      'Platform admin: void what is left of an ACTIVE promotional grant (movement PROMOTIONAL_VOID), with a reason. Once per grant: a retry with the same reason answers the first void.',
  })
  async voidPromotionalGrant(
    @Arg('input', { description: 'The grant and the reason.' }) input: VoidPromotionalGrantInput,
    @Ctx() context: Context,
  ): Promise<VoidPromotionalGrantPayload> {
    const { correction, grant, balancesAfter } = await context.services.grantCorrections.voidGrant(
      { grantId: input.grantId, reason: input.reason },
      actorOf(context),
    );
    return { correction: toCreditCorrection(correction), grant: toPromotionalGrant(grant!, new Date()), balances: toBalances(balancesAfter) };
  }

  @Authorized(Access.ADMIN)
  @Mutation(() => PromotionalGrant, {
    description:
      "Platform admin: move an ACTIVE promotional grant's expiry (never into the past; null: never expires), with a reason. No credits move; " +
      'setting the expiry it already has changes nothing.',
  })
  async changePromotionalGrantExpiry(
    @Arg('input', { description: 'The grant, its new expiry and the reason.' }) input: ChangePromotionalGrantExpiryInput,
    @Ctx() context: Context,
  ): Promise<PromotionalGrant> {
    const grant = await context.services.grantCorrections.changeExpiry(
      { grantId: input.grantId, expiresAt: input.expiresAt ?? null, reason: input.reason },
      actorOf(context),
    );
    return toPromotionalGrant(grant, new Date());
  }
}
