import { Request, Response, Router } from 'express';
import { accountLookup } from '../accounts/account-lookup';
import type { AccountsService } from '../accounts/accounts.service';
import { AccessPolicy } from '../auth/access-policy';
import { API_KEY_SCOPE_OF_ROUTE, requireApiKeyScope } from '../auth/api-key-scopes';
import { authenticate } from '../auth/bearer';
import type { TokenVerifier } from '../auth/jwt';
import { badInput } from '../common/domain-error';
import type { Logger } from '../common/logger';
import { formatMicros } from '../common/money';
import { PLATFORM_COUNTERPARTY } from '../balances/history/movement-type';
import type { CreditHistoryFilter, CreditHistoryPage, CreditHistoryService } from '../balances/history/credit-history.service';
import type { AccountMovementEntity } from '../balances/history/entities/account-movement.entity';
import { visibleReference } from '../movement-sources/tenant-visibility';
import type { Principal } from '../auth/principal';
import { CreditMovementType } from '../ledger/ledger.enums';
import { CsvColumn, writeCsv } from './csv';
import { sendError } from './reports.routes';

interface HistoryCsvDependencies {
  creditHistory: Pick<CreditHistoryService, 'page'>;
  accounts: Pick<AccountsService, 'findByIds'>;
  tokens: TokenVerifier;
  logger: Logger;
  /** Rows fetched per keyset page while streaming: GRAPHQL_MAX_PAGE_SIZE, as GraphQL's largest page. */
  pageSize: number;
}

/** A history row with its counterparty's name resolved, as GraphQL's `counterparty { name }`. */
interface HistoryCsvRow {
  movement: AccountMovementEntity;
  counterpartyName: string;
  /** The reference as the caller may see it (a partner's keys only to the partner and the admin). */
  reference: string | null;
}

/** The columns: named as the GraphQL CreditMovement fields, money as full-scale decimal strings. */
export const HISTORY_CSV_COLUMNS: CsvColumn<HistoryCsvRow>[] = [
  { header: 'id', value: ({ movement }) => String(movement.id) },
  { header: 'occurredAt', value: ({ movement }) => movement.occurredAt.toISOString() },
  { header: 'type', value: ({ movement }) => movement.type },
  { header: 'amount', value: ({ movement }) => formatMicros(movement.amountMicros) },
  { header: 'balanceAfter', value: ({ movement }) => formatMicros(movement.topUpBalanceAfterMicros + movement.promotionalBalanceAfterMicros) },
  { header: 'topUpBalanceAfter', value: ({ movement }) => formatMicros(movement.topUpBalanceAfterMicros) },
  { header: 'promotionalBalanceAfter', value: ({ movement }) => formatMicros(movement.promotionalBalanceAfterMicros) },
  { header: 'counterpartyAccountId', value: ({ movement }) => movement.counterpartyAccountId },
  { header: 'counterpartyName', value: (row) => row.counterpartyName },
  { header: 'reference', value: (row) => row.reference },
  { header: 'description', value: ({ movement }) => movement.description },
];

/**
 * `GET /history.csv?accountId=&types=&from=&to=`: the account's credit history, newest first, with
 * the filters and the access rule of `creditHistory` (own account, a partner's customer, the admin).
 * Streamed one keyset page at a time, so memory stays at one page however long the history;
 * refusals are JSON with the GraphQL error shape, decided before the first byte (the first page is
 * read before the headers go out).
 */
export function createHistoryCsvRouter(dependencies: HistoryCsvDependencies): Router {
  const router = Router();
  router.get('/history.csv', async (request: Request, response: Response) => {
    let rows: AsyncIterable<HistoryCsvRow>;
    try {
      const principal = await authenticate(dependencies.tokens, request.header('authorization'));
      requireApiKeyScope(principal, 'GET /history.csv', API_KEY_SCOPE_OF_ROUTE.history);
      const { accountId, filter } = historyQuery(request.query);
      // The same rule as `creditHistory`: the token's own account needs no lookup.
      await AccessPolicy.readAccountData(principal, accountId, accountLookup(dependencies.accounts));
      const firstPage = await dependencies.creditHistory.page(accountId, filter, dependencies.pageSize, null);
      rows = historyRows(dependencies, { accountId, filter, firstPage, viewer: principal });
    } catch (error) {
      sendError(dependencies.logger, response, error);
      return;
    }
    response.status(200);
    response.setHeader('content-type', 'text/csv; charset=utf-8');
    response.setHeader('content-disposition', 'attachment; filename="credit-history.csv"');
    response.setHeader('cache-control', 'no-store');
    try {
      await writeCsv(response, HISTORY_CSV_COLUMNS, rows);
      response.end();
    } catch (error) {
      dependencies.logger.error({ err: error, requestId: request.requestId }, 'history CSV failed while streaming');
      response.destroy(error instanceof Error ? error : undefined);
    }
  });
  return router;
}

async function* historyRows(
  dependencies: HistoryCsvDependencies,
  options: { accountId: string; filter: CreditHistoryFilter; firstPage: CreditHistoryPage; viewer: Principal },
): AsyncGenerator<HistoryCsvRow> {
  let page = options.firstPage;
  for (;;) {
    const names = await counterpartyNames(dependencies.accounts, page.movements);
    for (const movement of page.movements) {
      const name = movement.counterpartyAccountId ? names.get(movement.counterpartyAccountId) : undefined;
      yield { movement, counterpartyName: name ?? PLATFORM_COUNTERPARTY[movement.type], reference: visibleReference(movement, options.viewer) };
    }
    if (!page.hasNextPage) return;
    page = await dependencies.creditHistory.page(options.accountId, options.filter, dependencies.pageSize, page.cursors.at(-1));
  }
}

/** One statement per page for every counterparty on it. */
async function counterpartyNames(accounts: Pick<AccountsService, 'findByIds'>, movements: AccountMovementEntity[]): Promise<Map<string, string>> {
  const ids = [...new Set(movements.map((movement) => movement.counterpartyAccountId).filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  return new Map((await accounts.findByIds(ids)).map((account) => [account.id, account.name]));
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const MOVEMENT_TYPES = new Set<string>(Object.values(CreditMovementType));

function historyQuery(query: Request['query']): { accountId: string; filter: CreditHistoryFilter } {
  const text = (field: string): string | undefined => {
    const value = query[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw badInput(`${field} must be given once.`, { field });
    return value;
  };
  const instant = (field: string): Date | null => {
    const value = text(field);
    if (value === undefined) return null;
    if (!ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
      throw badInput(`${field} must be an ISO 8601 date-time with an offset, e.g. 2026-11-01T00:00:00+07:00.`, { field });
    }
    return new Date(value);
  };
  const accountId = text('accountId');
  if (!accountId) throw badInput('accountId is required.', { field: 'accountId' });
  const typesText = text('types');
  const types = typesText === undefined || typesText === '' ? null : typesText.split(',').map((type) => type.trim());
  const unknown = types?.filter((type) => !MOVEMENT_TYPES.has(type)) ?? [];
  if (unknown.length > 0) {
    throw badInput(`types must be a comma-separated list of ${[...MOVEMENT_TYPES].join(', ')}; not ${unknown.slice(0, 3).join(', ').slice(0, 100)}.`, {
      field: 'types',
    });
  }
  return { accountId, filter: { types: types as CreditMovementType[] | null, from: instant('from'), to: instant('to') } };
}
