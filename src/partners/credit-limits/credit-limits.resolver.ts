import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { AccountKind } from '../../accounts/account.enums';
import { actorOf } from '../../audit/actor';
import { Balances } from '../../balances/dtos/balances.type';
import { toBalances } from '../../balances/dtos/mappers';
import { CreditsScalar } from '../../common/credits.scalar';
import { Access } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import { availableToTransferMicros } from '../../balances/balance-events';
import type { CreditLimitsService } from './credit-limits.service';
import { SetCreditLimitInput } from './dtos/credit-limit.type';

/** What the credit-limit resolvers use. */
export interface CreditLimitsResolverServices {
  creditLimits: Pick<CreditLimitsService, 'setLimit'>;
}

type Context = GraphQLContext<CreditLimitsResolverServices>;

@Resolver(() => Balances)
export class CreditLimitsResolver {
  @Authorized(Access.ADMIN)
  @Mutation(() => Balances, {
    description:
      "Platform admin: set a partner's credit limit, with a reason: its top-up balance may then go down to minus the limit through transfers, " +
      'bulk transfers and auto-transfers, never through anything else. "0" removes it; lowering it below what is owed refuses further transfers and takes nothing back.',
  })
  async setCreditLimit(
    @Arg('input', { description: 'The partner, its limit and the reason.' }) input: SetCreditLimitInput,
    @Ctx() context: Context,
  ): Promise<Balances> {
    const { balances } = await context.services.creditLimits.setLimit(
      { partnerAccountId: input.partnerAccountId, limitMicros: input.limit, reason: input.reason },
      actorOf(context),
    );
    return toBalances(balances);
  }

  @FieldResolver(() => CreditsScalar, {
    nullable: true,
    description: "A partner's credit limit: how far below zero its top-up balance may go through transfers (0 without one); null for other accounts.",
  })
  async creditLimit(@Root() balances: Balances, @Ctx() context: Context): Promise<bigint | null> {
    const account = await context.loaders.account.load(balances.accountId);
    return account?.kind === AccountKind.PARTNER ? account.creditLimitMicros : null;
  }

  @FieldResolver(() => CreditsScalar, {
    nullable: true,
    description:
      'What a partner may transfer now: topUpBalance + creditLimit, never below 0 (promotional credits are never transferred); null for other accounts.',
  })
  async availableToTransfer(@Root() balances: Balances, @Ctx() context: Context): Promise<bigint | null> {
    const account = await context.loaders.account.load(balances.accountId);
    return account?.kind === AccountKind.PARTNER ? availableToTransferMicros(balances.topUpBalance, account.creditLimitMicros) : null;
  }
}
