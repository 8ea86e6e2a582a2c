import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Access, argument } from '../graphql/access';
import type { GraphQLContext } from '../graphql/context';
import { toSummaryReport, toTopUpReport, toUsageReport } from './dtos/mappers';
import { ReportPeriodInput } from './dtos/report-period.input';
import { CreditSummaryReport } from './dtos/summary-report.type';
import { CreditTopUpReport } from './dtos/top-up-report.type';
import { CreditUsageReport } from './dtos/usage-report.type';
import type { ReportsService } from './reports.service';

/** What the report resolvers use. */
export interface ReportsResolverServices {
  reports: Pick<ReportsService, 'usageReport' | 'topUpReport' | 'summaryReport'>;
}

type Context = GraphQLContext<ReportsResolverServices>;

const CUSTOMER_ARGUMENT = "Narrows the report to one of your customers (the customer detail screen); without it, every customer and the partner's own account.";

/** Partner users only (any role), about the partner's own customers: the auth checker decides before the period is validated. */
const PARTNER_REPORTS = Access.partnerReports(argument('customerAccountId'));

/** The partner whose user calls; the auth checker has made sure there is one. */
const partnerOf = (context: Context) => context.principal!.accountId!;

/** The partner reports. */
@Resolver()
export class ReportsResolver {
  @Authorized(PARTNER_REPORTS)
  @Query(() => CreditUsageReport, {
    description: "Credits consumed by the partner's customers, per customer, service and local day. Also GET /reports/usage.csv.",
  })
  async creditUsageReport(
    @Arg('period', () => ReportPeriodInput) period: ReportPeriodInput,
    @Ctx() context: Context,
    @Arg('customerAccountId', () => ID, { nullable: true, description: CUSTOMER_ARGUMENT }) customerAccountId?: string | null,
  ): Promise<CreditUsageReport> {
    return toUsageReport(await context.services.reports.usageReport(partnerOf(context), period, { customerAccountId }));
  }

  @Authorized(PARTNER_REPORTS)
  @Query(() => CreditTopUpReport, { description: "Credits transferred to each customer, and the partner's own top-ups. Also GET /reports/top-ups.csv." })
  async creditTopUpReport(
    @Arg('period', () => ReportPeriodInput) period: ReportPeriodInput,
    @Ctx() context: Context,
    @Arg('customerAccountId', () => ID, { nullable: true, description: CUSTOMER_ARGUMENT }) customerAccountId?: string | null,
  ): Promise<CreditTopUpReport> {
    return toTopUpReport(await context.services.reports.topUpReport(partnerOf(context), period, { customerAccountId }));
  }

  @Authorized(PARTNER_REPORTS)
  @Query(() => CreditSummaryReport, {
    description: 'Per customer: opening balance, credits in, usage, expiry, closing balance, with totals. Also GET /reports/summary.csv.',
  })
  async creditSummaryReport(
    @Arg('period', () => ReportPeriodInput) period: ReportPeriodInput,
    @Ctx() context: Context,
    @Arg('customerAccountId', () => ID, { nullable: true, description: CUSTOMER_ARGUMENT }) customerAccountId?: string | null,
  ): Promise<CreditSummaryReport> {
    return toSummaryReport(await context.services.reports.summaryReport(partnerOf(context), period, { customerAccountId }));
  }
}
