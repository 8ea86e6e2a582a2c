import { Request, Response, Router } from 'express';
import type { AccountsService } from '../accounts/accounts.service';
import { AccessPolicy, type AccountLookup } from '../auth/access-policy';
import { API_KEY_SCOPE_OF_ROUTE, requireApiKeyScope } from '../auth/api-key-scopes';
import { authenticateBearer } from '../auth/bearer';
import type { TokenVerifier } from '../auth/jwt';
import type { Principal } from '../auth/principal';
import { badInput, DomainError, ErrorCode } from '../common/domain-error';
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

/** HTTP status of each refusal a CSV download can meet; anything else is a 500. */
const STATUS_OF_CODE: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

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

/** The caller of a CSV route: a bearer token is required (UNAUTHENTICATED without one). */
export async function authenticate(tokens: TokenVerifier, header: string | undefined): Promise<Principal> {
  const verified = await authenticateBearer(tokens, header);
  return AccessPolicy.requireAuthenticated(verified?.principal ?? null);
}

/** The access policy's account lookup for the CSV routes (GraphQL uses the request's loader). */
export function accountLookup(accounts: Pick<AccountsService, 'findByIds'>): AccountLookup {
  return async (accountId) => (await accounts.findByIds([accountId]))[0] ?? null;
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

export function sendError(logger: Logger, response: Response, error: unknown): void {
  if (!(error instanceof DomainError) && isConnectionFailure(error)) error = serviceUnavailable(error);
  if (error instanceof DomainError && STATUS_OF_CODE[error.code]) {
    if (error.code === ErrorCode.SERVICE_UNAVAILABLE)
      logger.warn({ err: (error as { cause?: unknown }).cause ?? error }, 'CSV report refused: database unavailable');
    response.status(STATUS_OF_CODE[error.code]!).json({ errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }] });
    return;
  }
  logger.error({ err: error }, 'CSV report failed');
  response.status(500).json({
    errors: [
      { message: 'Something went wrong on our side. It has been logged; please try again later.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } },
    ],
  });
}
