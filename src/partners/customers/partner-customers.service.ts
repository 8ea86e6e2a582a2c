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
  /** Case-insensitive substring of the customer's name. */
  search?: string | null;
  /** Only customers whose usage has (true) or has not (false) taken the top-up balance below zero. */
  depleted?: boolean | null;
  /** Only customers whose total balance is strictly below this many micro-credits. */
  totalBalanceBelowMicros?: bigint | null;
}

export enum PartnerCustomerSort {
  /** By name, then id (the default). */
  NAME = 'NAME',
  /** Lowest total balance first, then id: who needs credits soonest. */
  BALANCE = 'BALANCE',
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
    page: { first?: number | null; after?: string | null; sortBy?: PartnerCustomerSort | null },
  ): Promise<PartnerCustomerPage> {
    const limit = pageSizeOrThrow(page.first, { maxPageSize: this.maxPageSize });
    const search = filter.search?.trim() ?? '';
    if (search.length > MAX_SEARCH_LENGTH) throw badInput(`search is at most ${MAX_SEARCH_LENGTH} characters.`, { field: 'search' });
    if (filter.status && !Object.values(AccountStatus).includes(filter.status)) throw badInput('Unknown status.', { field: 'status' });
    const sortBy = page.sortBy ?? PartnerCustomerSort.NAME;
    const position = page.after ? decodeCustomerCursor(page.after, sortBy) : null;

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
        query.andWhere(`LOWER(account.name) LIKE :pattern ESCAPE '${LIKE_ESCAPE}'`, { pattern: `%${escapeLike(search.toLowerCase())}%` });
      }
      return sortBy === PartnerCustomerSort.BALANCE
        ? byBalance(query, position as BalancePosition | null, limit)
        : byName(query, position as NamePosition | null, limit);
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

async function byName(query: SelectQueryBuilder<AccountEntity>, position: NamePosition | null, limit: number): Promise<CustomerRow[]> {
  if (position) {
    query.andWhere(
      new Brackets((inner) =>
        inner
          .where('account.name > :cursorName', { cursorName: position.name })
          .orWhere('(account.name = :cursorName AND account.id > :cursorId)', { cursorId: position.id }),
      ),
    );
  }
  const accounts = await query
    .orderBy('account.name', 'ASC')
    .addOrderBy('account.id', 'ASC')
    .take(limit + 1)
    .getMany();
  return accounts.map((account) => ({ account, cursor: [account.name, account.id] }));
}

/**
 * Balances move while a console pages, so a customer whose balance changed between two pages may
 * appear twice or not at all; each page is still exact at the moment it is read.
 */
async function byBalance(query: SelectQueryBuilder<AccountEntity>, position: BalancePosition | null, limit: number): Promise<CustomerRow[]> {
  if (position) {
    query.andWhere(
      new Brackets((inner) =>
        inner
          .where(`${TOTAL_BALANCE_SQL} > ${sqlInteger(position.totalMicros)}`)
          .orWhere(`(${TOTAL_BALANCE_SQL} = ${sqlInteger(position.totalMicros)} AND account.id > :cursorId)`, { cursorId: position.id }),
      ),
    );
  }
  const { entities, raw } = await query
    .addSelect(TOTAL_BALANCE_SQL, 'totalBalanceMicros')
    .orderBy('totalBalanceMicros', 'ASC')
    .addOrderBy('account.id', 'ASC')
    .limit(limit + 1)
    .getRawAndEntities<{ account_id: string; totalBalanceMicros: string | number }>();
  const totals = new Map(raw.map((row) => [row.account_id, BigInt(String(row.totalBalanceMicros))]));
  return entities.map((account) => ({ account, cursor: ['B', totals.get(account.id)!.toString(), account.id] }));
}

function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (character) => `${LIKE_ESCAPE}${character}`);
}

function encodeCustomerCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** A name cursor is `[name, id]`; a balance cursor is `['B', totalMicros, id]`. Each fits only its own sort. */
function decodeCustomerCursor(cursor: string, sortBy: PartnerCustomerSort): NamePosition | BalancePosition {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(decoded) && decoded.every((part) => typeof part === 'string')) {
      if (sortBy === PartnerCustomerSort.NAME && decoded.length === 2) return { name: decoded[0], id: decoded[1] };
      if (sortBy === PartnerCustomerSort.BALANCE && decoded.length === 3 && decoded[0] === 'B' && /^-?\d{1,19}$/.test(decoded[1])) {
        return { totalMicros: BigInt(decoded[1]), id: decoded[2] };
      }
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw badInput('The cursor is not one this API gave out for this sort order.', { field: 'after' });
}
