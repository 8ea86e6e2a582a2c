import { Brackets, SelectQueryBuilder } from 'typeorm';
import { AccountKind, AccountStatus } from '../../accounts/account.enums';
import { AccountEntity } from '../../accounts/entities/account.entity';
import { badInput, forbidden } from '../../common/domain-error';
import { sqlInteger } from '../../common/money';
import type { TransactionRunner } from '../../database/transaction-runner';
import { WalletKind } from '../../ledger/ledger.enums';
import { pageSizeOrThrow } from '../../common/page-size';

export interface PartnerCustomerFilter {
  status?: AccountStatus | null;
  /** Case-insensitive substring of the customer's name or account id. */
  search?: string | null;
  /** Only customers whose usage has (true) or has not (false) taken the top-up balance below zero. */
  depleted?: boolean | null;
  /** Only customers whose total balance is strictly below this many micro-credits. */
  totalBalanceBelowMicros?: bigint | null;
}

export enum PartnerCustomerSort {
  /** By name, then id (the default). */
  NAME = 'NAME',
  /** By total balance, then id; ascending is who needs credits soonest. */
  BALANCE = 'BALANCE',
}

/** The direction of a sort; its tie-breaker (the id) follows it. */
export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

/**
 * A customer's total balance (top-up + promotional), as a correlated subquery: one seek on the
 * wallet's (accountId, kind) index per customer of the partner.
 */
const TOTAL_BALANCE_SQL = `(SELECT COALESCE(SUM(wallet.balanceMicros), 0) FROM wallet wallet WHERE wallet.accountId = account.id AND wallet.kind IN ('${WalletKind.TOPUP}', '${WalletKind.PROMOTIONAL}'))`;

export interface PartnerCustomerPage {
  customers: AccountEntity[];
  cursors: string[];
  hasNextPage: boolean;
}

const MAX_SEARCH_LENGTH = 100;
/** The LIKE escape character; '!' because a backslash means different things in MySQL and SQLite literals. */
const LIKE_ESCAPE = '!';

/**
 * A partner's customers by name, with keyset cursors on (name, id): each page is one range scan
 * of the index account(partnerId, name, id), never an OFFSET. The search is a case-insensitive
 * substring ("nguyen" finds "Lan Nguyen Studio"); it filters rows inside the partner's range of
 * that index, so its cost grows with the partner's customer count, not the whole table.
 */
export class PartnerCustomersService {
  constructor(
    private readonly runner: TransactionRunner,
    /** GRAPHQL_MAX_PAGE_SIZE. */
    private readonly maxPageSize: number,
  ) {}

  async page(
    partnerAccountId: string,
    filter: PartnerCustomerFilter,
    page: { first?: number | null; after?: string | null; sortBy?: PartnerCustomerSort | null; sortDirection?: SortDirection | null },
  ): Promise<PartnerCustomerPage> {
    const limit = pageSizeOrThrow(page.first, { maxPageSize: this.maxPageSize });
    const search = filter.search?.trim() ?? '';
    if (search.length > MAX_SEARCH_LENGTH) throw badInput(`search is at most ${MAX_SEARCH_LENGTH} characters.`, { field: 'search' });
    if (filter.status && !Object.values(AccountStatus).includes(filter.status)) throw badInput('Unknown status.', { field: 'status' });
    const order = { sortBy: page.sortBy ?? PartnerCustomerSort.NAME, direction: page.sortDirection ?? SortDirection.ASC };
    const position = page.after ? decodeCustomerCursor(page.after, order) : null;

    const rows = await this.runner.read(async (manager) => {
      const partner = await manager.findOneBy(AccountEntity, { id: partnerAccountId });
      if (!partner || partner.kind !== AccountKind.PARTNER) throw forbidden('Only a partner account has customers.');
      const query = manager.createQueryBuilder(AccountEntity, 'account').where('account.partnerId = :partnerAccountId', { partnerAccountId });
      if (filter.status) query.andWhere('account.status = :status', { status: filter.status });
      if (filter.depleted != null) query.andWhere('account.depleted = :depleted', { depleted: filter.depleted });
      if (filter.totalBalanceBelowMicros != null) {
        // A literal, not a parameter: SQLite compares a bound text with an integer by type, not by value.
        query.andWhere(`${TOTAL_BALANCE_SQL} < ${sqlInteger(filter.totalBalanceBelowMicros)}`);
      }
      if (search) {
        const matches = (column: string) => `LOWER(${column}) LIKE :pattern ESCAPE '${LIKE_ESCAPE}'`;
        query.andWhere(new Brackets((inner) => inner.where(matches('account.name')).orWhere(matches('account.id'))), {
          pattern: `%${escapeLike(search.toLowerCase())}%`,
        });
      }
      return order.sortBy === PartnerCustomerSort.BALANCE
        ? byBalance(query, position as BalancePosition | null, { limit, direction: order.direction })
        : byName(query, position as NamePosition | null, { limit, direction: order.direction });
    });
    const customers = rows.slice(0, limit);
    return {
      customers: customers.map((row) => row.account),
      cursors: customers.map((row) => encodeCustomerCursor(row.cursor)),
      hasNextPage: rows.length > limit,
    };
  }
}

type NamePosition = { name: string; id: string };
type BalancePosition = { totalMicros: bigint; id: string };
interface CustomerRow {
  account: AccountEntity;
  cursor: unknown[];
}

interface Order {
  limit: number;
  direction: SortDirection;
}

/** The comparison that means "after the cursor" in a direction. */
const afterIn = (direction: SortDirection) => (direction === SortDirection.ASC ? '>' : '<');

async function byName(query: SelectQueryBuilder<AccountEntity>, position: NamePosition | null, { limit, direction }: Order): Promise<CustomerRow[]> {
  const after = afterIn(direction);
  if (position) {
    query.andWhere(
      new Brackets((inner) =>
        inner
          .where(`account.name ${after} :cursorName`, { cursorName: position.name })
          .orWhere(`(account.name = :cursorName AND account.id ${after} :cursorId)`, { cursorId: position.id }),
      ),
    );
  }
  const accounts = await query
    .orderBy('account.name', direction)
    .addOrderBy('account.id', direction)
    .take(limit + 1)
    .getMany();
  return accounts.map((account) => ({ account, cursor: [...CURSOR_TAGS[PartnerCustomerSort.NAME][direction], account.name, account.id] }));
}

/**
 * Balances move while a console pages, so a customer whose balance changed between two pages may
 * appear twice or not at all; each page is still exact at the moment it is read.
 */
async function byBalance(query: SelectQueryBuilder<AccountEntity>, position: BalancePosition | null, { limit, direction }: Order): Promise<CustomerRow[]> {
  const after = afterIn(direction);
  if (position) {
    query.andWhere(
      new Brackets((inner) =>
        inner
          .where(`${TOTAL_BALANCE_SQL} ${after} ${sqlInteger(position.totalMicros)}`)
          .orWhere(`(${TOTAL_BALANCE_SQL} = ${sqlInteger(position.totalMicros)} AND account.id ${after} :cursorId)`, { cursorId: position.id }),
      ),
    );
  }
  const { entities, raw } = await query
    .addSelect(TOTAL_BALANCE_SQL, 'totalBalanceMicros')
    .orderBy('totalBalanceMicros', direction)
    .addOrderBy('account.id', direction)
    .limit(limit + 1)
    .getRawAndEntities<{ account_id: string; totalBalanceMicros: string | number }>();
  const totals = new Map(raw.map((row) => [row.account_id, BigInt(String(row.totalBalanceMicros))]));
  return entities.map((account) => ({
    account,
    cursor: [...CURSOR_TAGS[PartnerCustomerSort.BALANCE][direction], totals.get(account.id)!.toString(), account.id],
  }));
}

function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (character) => `${LIKE_ESCAPE}${character}`);
}

function encodeCustomerCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/**
 * What a cursor starts with, per sort and direction, so that each fits only its own order: a name
 * cursor is `[name, id]` (`['N-', name, id]` descending), a balance cursor `['B', totalMicros, id]`
 * (`['B-', …]` descending).
 */
const CURSOR_TAGS: Record<PartnerCustomerSort, Record<SortDirection, string[]>> = {
  [PartnerCustomerSort.NAME]: { [SortDirection.ASC]: [], [SortDirection.DESC]: ['N-'] },
  [PartnerCustomerSort.BALANCE]: { [SortDirection.ASC]: ['B'], [SortDirection.DESC]: ['B-'] },
};

function decodeCustomerCursor(cursor: string, order: { sortBy: PartnerCustomerSort; direction: SortDirection }): NamePosition | BalancePosition {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    const tags = CURSOR_TAGS[order.sortBy][order.direction];
    if (Array.isArray(decoded) && decoded.length === tags.length + 2 && decoded.every((part) => typeof part === 'string')) {
      const [key, id] = decoded.slice(tags.length) as [string, string];
      if (!tags.every((tag, index) => decoded[index] === tag)) throw new Error('another order');
      if (order.sortBy === PartnerCustomerSort.NAME) return { name: key, id };
      if (/^-?\d{1,19}$/.test(key)) return { totalMicros: BigInt(key), id };
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw badInput('The cursor is not one this API gave out for this sort order.', { field: 'after' });
}
