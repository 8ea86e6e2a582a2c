import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { toSummaryReport, toTopUpReport, toUsageReport } from './dtos/mappers';
import { ReportPeriodInput } from './dtos/report-period.input';
import { CreditSummaryReport } from './dtos/summary-report.type';
import { CreditTopUpReport } from './dtos/top-up-report.type';
import { CreditUsageReport } from './dtos/usage-report.type';

const CUSTOMER_ARGUMENT = "Narrows the report to one of your customers (the customer detail screen); without it, every customer and the partner's own account.";

/** The partner reports; the service authorises (partner users only) and validates the period. */
@Resolver()
export class ReportsResolver {
  @Query(() => CreditUsageReport, {
    description: "Credits consumed by the partner's customers, per customer, service and local day. Also GET /reports/usage.csv.",
  })
  async creditUsageReport(
    @Arg('period', () => ReportPeriodInput) period: ReportPeriodInput,
    @Ctx() context: GraphQLContext,
    @Arg('customerAccountId', () => ID, { nullable: true, description: CUSTOMER_ARGUMENT }) customerAccountId?: string | null,
  ): Promise<CreditUsageReport> {
    return toUsageReport(await context.services.reports.usageReport(context.principal, period, { customerAccountId }));
  }

  @Query(() => CreditTopUpReport, { description: "Credits transferred to each customer, and the partner's own top-ups. Also GET /reports/top-ups.csv." })
  async creditTopUpReport(
    @Arg('period', () => ReportPeriodInput) period: ReportPeriodInput,
    @Ctx() context: GraphQLContext,
    @Arg('customerAccountId', () => ID, { nullable: true, description: CUSTOMER_ARGUMENT }) customerAccountId?: string | null,
  ): Promise<CreditTopUpReport> {
    return toTopUpReport(await context.services.reports.topUpReport(context.principal, period, { customerAccountId }));
  }

  @Query(() => CreditSummaryReport, {
    description: 'Per customer: opening balance, credits in, usage, expiry, closing balance, with totals. Also GET /reports/summary.csv.',
  })
  async creditSummaryReport(
    @Arg('period', () => ReportPeriodInput) period: ReportPeriodInput,
    @Ctx() context: GraphQLContext,
    @Arg('customerAccountId', () => ID, { nullable: true, description: CUSTOMER_ARGUMENT }) customerAccountId?: string | null,
  ): Promise<CreditSummaryReport> {
    return toSummaryReport(await context.services.reports.summaryReport(context.principal, period, { customerAccountId }));
  }
}
