import { Request, Response, Router } from 'express';
import { accountLookup } from '../accounts/account-lookup';
import type { AccountsService } from '../accounts/accounts.service';
import { AccessPolicy } from '../auth/access-policy';
import { API_KEY_SCOPE_OF_ROUTE, requireApiKeyScope } from '../auth/api-key-scopes';
import { authenticate } from '../auth/bearer';
import type { TokenVerifier } from '../auth/jwt';
import { badInput, DomainError } from '../common/domain-error';
import { sendRefusal } from '../common/http-refusals';
import type { Logger } from '../common/logger';
import { isConnectionFailure, serviceUnavailable } from '../database/database-errors';
import { CsvColumn, writeCsv } from './csv';
import { queryBound, queryTimeZone } from './csv-query';
import { SUMMARY_CSV_COLUMNS, TOP_UP_CSV_COLUMNS, USAGE_CSV_COLUMNS } from './report-csv-columns';
import type { ReportPeriodInput } from './report-period';
import type { ReportScopeOptions, ReportsService } from './reports.service';

interface ReportsRouteDependencies {
  reports: Pick<ReportsService, 'usageReport' | 'topUpReportStream' | 'summaryReport'>;
  accounts: Pick<AccountsService, 'findByIds'>;
  tokens: TokenVerifier;
  logger: Logger;
}

/**
 * `GET /reports/{usage|top-ups|summary}.csv?from=&to=&timeZone=[&customerAccountId=]` with the same bearer token and the
 * same rules as the GraphQL reports, whose rows the files hold exactly. Refusals are JSON with
 * the GraphQL error shape; once the first byte is sent, a failure can only cut the file short.
 */
export function createReportsRouter(dependencies: ReportsRouteDependencies): Router {
  const router = Router();
  router.get(
    '/reports/usage.csv',
    csvRoute(
      dependencies,
      'credit-usage',
      USAGE_CSV_COLUMNS,
      async (partnerId, period, scope) => (await dependencies.reports.usageReport(partnerId, period, scope)).rows,
    ),
  );
  router.get(
    '/reports/top-ups.csv',
    csvRoute(
      dependencies,
      'credit-top-ups',
      TOP_UP_CSV_COLUMNS,
      async (partnerId, period, scope) => (await dependencies.reports.topUpReportStream(partnerId, period, scope)).rows,
    ),
  );
  router.get(
    '/reports/summary.csv',
    csvRoute(
      dependencies,
      'credit-summary',
      SUMMARY_CSV_COLUMNS,
      async (partnerId, period, scope) => (await dependencies.reports.summaryReport(partnerId, period, scope)).lines,
    ),
  );
  return router;
}

function csvRoute<Row>(
  dependencies: ReportsRouteDependencies,
  fileName: string,
  columns: readonly CsvColumn<Row>[],
  produce: (partnerId: string, period: ReportPeriodInput, scope: ReportScopeOptions) => Promise<Iterable<Row> | AsyncIterable<Row>>,
) {
  return async (request: Request, response: Response): Promise<void> => {
    let rows: Iterable<Row> | AsyncIterable<Row>;
    try {
      const principal = await authenticate(dependencies.tokens, request.header('authorization'));
      requireApiKeyScope(principal, `GET /reports/${fileName}`, API_KEY_SCOPE_OF_ROUTE.reports);
      const scope = scopeFromQuery(request.query);
      // The same rule as the GraphQL reports, decided before the period is validated.
      const partnerId = await AccessPolicy.readPartnerReports(principal, scope.customerAccountId, accountLookup(dependencies.accounts));
      rows = await produce(partnerId, periodFromQuery(request.query), scope);
    } catch (error) {
      sendError(dependencies.logger, response, error);
      return;
    }
    response.status(200);
    response.setHeader('content-type', 'text/csv; charset=utf-8');
    response.setHeader('content-disposition', `attachment; filename="${fileName}.csv"`);
    response.setHeader('cache-control', 'no-store');
    try {
      await writeCsv(response, columns, rows);
      response.end();
    } catch (error) {
      dependencies.logger.error({ err: error, requestId: request.requestId }, 'CSV report failed while streaming');
      response.destroy(error instanceof Error ? error : undefined);
    }
  };
}

/** `from` and `to` (dates are whole days in the report's zone) and `timeZone`, as GraphQL's ReportPeriodInput. */
function periodFromQuery(query: Request['query']): ReportPeriodInput {
  const timeZone = queryTimeZone(query);
  const bound = (field: 'from' | 'to'): Date => {
    const value = queryBound(query, field, timeZone);
    if (!value) throw badInput(`${field} is required: a date (2026-11-01) or an ISO 8601 date-time with an offset.`, { field });
    return value;
  };
  return { from: bound('from'), to: bound('to'), timeZone };
}

/** `customerAccountId=<id>` narrows a report to one of the partner's customers, as in GraphQL. */
function scopeFromQuery(query: Request['query']): ReportScopeOptions {
  const value = query.customerAccountId;
  if (value === undefined) return {};
  if (typeof value !== 'string' || value === '') throw badInput('customerAccountId must be given once, as an account id.', { field: 'customerAccountId' });
  return { customerAccountId: value };
}

/** A CSV route's refusal; a lost database connection met while streaming is SERVICE_UNAVAILABLE. */
export function sendError(logger: Logger, response: Response, error: unknown): void {
  sendRefusal(logger, response, !(error instanceof DomainError) && isConnectionFailure(error) ? serviceUnavailable(error) : error);
}
