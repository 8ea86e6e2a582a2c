import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Account } from '../accounts/dtos/account.type';
import type { AccountEntity } from '../accounts/entities/account.entity';
import { CreditsScalar } from '../common/credits.scalar';
import type { GraphQLContext } from '../graphql/context';
import { ReportPeriodInput } from './dtos/report-period.input';

/** Account.usage: the reports' usage total of one account, batched for a page of accounts. */
@Resolver(() => Account)
export class AccountUsageResolver {
  @FieldResolver(() => CreditsScalar, {
    description: "Credits consumed over a period (whole hours, as the reports' periods), e.g. for a partner's customer list; batched for a page.",
  })
  async usage(
    @Root() account: AccountEntity,
    @Arg('period', () => ReportPeriodInput) period: ReportPeriodInput,
    @Ctx() context: GraphQLContext,
  ): Promise<bigint> {
    return context.loaders.usageIn(period).load(account.id);
  }
}
