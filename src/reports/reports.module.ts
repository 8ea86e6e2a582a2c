import DataLoader from 'dataloader';
import { defineModule } from '../feature-module';
import { createHistoryCsvRouter } from './history-csv.routes';
import type { ReportPeriodInput } from './report-period';
import { REPORT_ENTITIES } from './reports.entities';
import { AccountUsageResolver } from './account-usage.resolver';
import { ReportsResolver } from './reports.resolver';
import { createReportsRouter } from './reports.routes';
import { ReportsService } from './reports.service';
import { backfillEmbeddedRollup } from './rollup-backfill';
import { RollupWriter } from './rollup-writer';

declare module '../feature-module' {
  interface FeatureServices {
    reports: ReportsService;
  }
}

declare module '../graphql/loaders' {
  interface Loaders {
    /** Usage over a period, one loader per distinct period in the request. */
    usageIn(period: ReportPeriodInput): DataLoader<string, bigint>;
  }
}

/** Reports: the hourly and daily rollups (a projection of every posting), their queries and CSV routes. */
export const reportsModule = defineModule({
  name: 'reports',
  entities: REPORT_ENTITIES,
  resolvers: [ReportsResolver, AccountUsageResolver],
  create: (context) => {
    const reports = new ReportsService(context.runner);
    return {
      services: { reports },
      projections: [new RollupWriter()],
      loaders: () => {
        const usageByPeriod = new Map<string, DataLoader<string, bigint>>();
        return {
          usageIn(period) {
            const key = JSON.stringify([period.from, period.to]);
            let loader = usageByPeriod.get(key);
            if (!loader) {
              loader = new DataLoader((ids) => reports.usageTotals(ids, period));
              usageByPeriod.set(key, loader);
            }
            return loader;
          },
        };
      },
      // The same bearer parser and access policy as GraphQL, and the same request rate limit.
      routes: () => [
        { paths: ['/reports'], rateLimit: 'request', handler: createReportsRouter(context) },
        { paths: ['/history.csv'], rateLimit: 'request', handler: createHistoryCsvRouter({ ...context, pageSize: context.config.requestLimits.maxPageSize }) },
      ],
      ready: () => backfillEmbeddedRollup(context.runner),
    };
  },
});
