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
import type { MovementSourcesService } from '../movement-sources/movement-sources.service';
import { visibleReference } from '../movement-sources/tenant-visibility';
import type { TopUpEntity } from '../payments/top-ups/entities/top-up.entity';
import { formatMinor } from '../payments/top-ups/pricing';
import type { Principal } from '../auth/principal';
import { CreditMovementType } from '../ledger/ledger.enums';
import { CsvColumn, writeCsv } from './csv';
import { queryBound, queryText, queryTimeZone } from './csv-query';
import { sendError } from './reports.routes';

interface HistoryCsvDependencies {
  creditHistory: Pick<CreditHistoryService, 'page'>;
  accounts: Pick<AccountsService, 'findByIds'>;
  movementSources: Pick<MovementSourcesService, 'sourcesOf'>;
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
  /** The purchase behind a TOP_UP or TOP_UP_REVERSAL row (GraphQL's TopUpSource), or null. */
  topUp: TopUpEntity | null;
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
  { header: 'paymentMethod', value: ({ topUp }) => topUp?.method ?? null },
  { header: 'chargeCurrency', value: ({ topUp }) => topUp?.currency ?? null },
  { header: 'chargeAmountMinor', value: ({ topUp }) => topUp?.chargeMinor.toString() ?? null },
  { header: 'chargeAmount', value: ({ topUp }) => (topUp ? formatMinor(topUp.chargeMinor, topUp.currency) : null) },
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
    const topUps = await purchasesOf(dependencies.movementSources, options.accountId, page.movements);
    for (const movement of page.movements) {
      const name = movement.counterpartyAccountId ? names.get(movement.counterpartyAccountId) : undefined;
      yield {
        movement,
        counterpartyName: name ?? PLATFORM_COUNTERPARTY[movement.type],
        reference: visibleReference(movement, options.viewer),
        topUp: topUps.get(movement) ?? null,
      };
    }
    if (!page.hasNextPage) return;
    page = await dependencies.creditHistory.page(options.accountId, options.filter, dependencies.pageSize, page.cursors.at(-1));
  }
}

const PURCHASE_MOVEMENTS = new Set<CreditMovementType>([CreditMovementType.TOP_UP, CreditMovementType.TOP_UP_REVERSAL]);

/** The purchases behind a page's top-up rows, through the same lookup as GraphQL's `source` (one statement per page). */
async function purchasesOf(
  sources: Pick<MovementSourcesService, 'sourcesOf'>,
  accountId: string,
  movements: AccountMovementEntity[],
): Promise<Map<AccountMovementEntity, TopUpEntity>> {
  const purchases = movements.filter((movement) => PURCHASE_MOVEMENTS.has(movement.type));
  if (purchases.length === 0) return new Map();
  const rows = await sources.sourcesOf(
    purchases.map((movement) => ({ accountId, type: movement.type, transactionId: movement.transactionId, reference: movement.reference })),
  );
  return new Map(purchases.flatMap((movement, index) => (rows[index]?.kind === 'TOP_UP' ? [[movement, rows[index].topUp] as const] : [])));
}

/** One statement per page for every counterparty on it. */
async function counterpartyNames(accounts: Pick<AccountsService, 'findByIds'>, movements: AccountMovementEntity[]): Promise<Map<string, string>> {
  const ids = [...new Set(movements.map((movement) => movement.counterpartyAccountId).filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  return new Map((await accounts.findByIds(ids)).map((account) => [account.id, account.name]));
}

const MOVEMENT_TYPES = new Set<string>(Object.values(CreditMovementType));

function historyQuery(query: Request['query']): { accountId: string; filter: CreditHistoryFilter } {
  const text = (field: string) => queryText(query, field);
  const timeZone = queryTimeZone(query);
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
  const [from, to] = [queryBound(query, 'from', timeZone) ?? null, queryBound(query, 'to', timeZone) ?? null];
  return { accountId, filter: { types: types as CreditMovementType[] | null, from, to } };
}
