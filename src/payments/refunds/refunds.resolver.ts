import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../audit/actor';
import { isAdmin } from '../../auth/principal';
import { invariant } from '../../common/domain-error';
import { Access } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import { toCharge, toTopUp } from '../top-ups/dtos/mappers';
import { TopUp } from '../top-ups/dtos/top-up.type';
import type { TopUpsService } from '../top-ups/top-ups.service';
import { RefundTopUpInput } from './dtos/refund-top-up.input';
import { TopUpRefund } from './dtos/top-up-refund.type';
import type { TopUpRefundEntity } from './entities/top-up-refund.entity';
import { MAX_REFUNDS_SHOWN, type RefundsService } from './refunds.service';

/** What the refund resolvers use. */
export interface RefundsResolverServices {
  refunds: Pick<RefundsService, 'refund' | 'refundsOf'>;
  topUps: Pick<TopUpsService, 'findById'>;
}

type Context = GraphQLContext<RefundsResolverServices>;

@Resolver(() => TopUpRefund)
export class RefundsResolver {
  @Authorized(Access.ADMIN)
  @Mutation(() => TopUpRefund, {
    description:
      "Platform admin: refund part or all of a paid top-up through the provider that took the money. The credits leave the account's top-up balance at once (a REFUND movement); the provider's confirmation arrives by webhook, and a refusal gives the credits back once. Idempotent per key.",
  })
  async refundTopUp(
    @Arg('input', { description: 'The purchase, the credits to take back, why, and the key.' }) input: RefundTopUpInput,
    @Ctx() context: Context,
  ): Promise<TopUpRefund> {
    const refund = await context.services.refunds.refund(
      { topUpId: input.topUpId, amountMicros: input.amount, reason: input.reason, idempotencyKey: input.idempotencyKey },
      actorOf(context),
    );
    return toTopUpRefund(refund, context);
  }

  @FieldResolver(() => TopUp, { description: 'The top-up as it is now: its status (PARTIALLY_REFUNDED, REFUNDED) and refundedAmount.' })
  async topUp(@Root() refund: TopUpRefund, @Ctx() context: Context): Promise<TopUp> {
    const topUp = await context.services.topUps.findById(refund.topUpId);
    invariant(topUp, `refund ${refund.id} names top-up ${refund.topUpId}`);
    return toTopUp(topUp, { showPayment: false });
  }
}

@Resolver(() => TopUp)
export class TopUpRefundsFieldResolver {
  @FieldResolver(() => [TopUpRefund], { description: `The refunds the platform made of this top-up (at most ${MAX_REFUNDS_SHOWN}), oldest first.` })
  async refunds(@Root() topUp: TopUp, @Ctx() context: Context): Promise<TopUpRefund[]> {
    const refunds = await context.services.refunds.refundsOf(topUp.id);
    return refunds.map((refund) => toTopUpRefund(refund, context));
  }
}

function toTopUpRefund(refund: TopUpRefundEntity, context: Context): TopUpRefund {
  return {
    id: refund.id,
    topUpId: refund.topUpId,
    accountId: refund.accountId,
    method: refund.method,
    status: refund.status,
    amount: refund.amountMicros,
    money: toCharge(refund.amountMinor, refund.currency, refund.creditPrice),
    reason: context.principal && isAdmin(context.principal) ? refund.reason : null,
    providerReference: refund.providerReference,
    failureReason: refund.failureReason,
    createdAt: refund.createdAt,
    updatedAt: refund.updatedAt,
    completedAt: refund.completedAt,
  };
}
