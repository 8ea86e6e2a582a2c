import { Brackets } from 'typeorm';
import { AccountKind, AccountStatus } from '../accounts/account.enums';
import { AccountEntity } from '../accounts/entities/account.entity';
import { badInput, forbidden } from '../common/domain-error';
import type { TransactionRunner } from '../database/transaction-runner';

export interface PartnerCustomerFilter {
  status?: AccountStatus | null;
  /** Case-insensitive substring of the customer's name. */
  search?: string | null;
}

export interface PartnerCustomerPage {
  customers: AccountEntity[];
  cursors: string[];
  hasNextPage: boolean;
}

export const DEFAULT_CUSTOMER_PAGE_SIZE = 20;
/** The default cap; GRAPHQL_MAX_PAGE_SIZE sets the one a server uses. */
export const MAX_CUSTOMER_PAGE_SIZE = 100;
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
    private readonly maxPageSize = MAX_CUSTOMER_PAGE_SIZE,
  ) {}

  async page(
    partnerAccountId: string,
    filter: PartnerCustomerFilter,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<PartnerCustomerPage> {
    const limit = first ?? DEFAULT_CUSTOMER_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > this.maxPageSize) {
      throw badInput(`first must be from 1 to ${this.maxPageSize}.`, { field: 'first' });
    }
    const search = filter.search?.trim() ?? '';
    if (search.length > MAX_SEARCH_LENGTH) throw badInput(`search is at most ${MAX_SEARCH_LENGTH} characters.`, { field: 'search' });
    if (filter.status && !Object.values(AccountStatus).includes(filter.status)) throw badInput('Unknown status.', { field: 'status' });
    const position = after ? decodeCustomerCursor(after) : null;

    const rows = await this.runner.read(async (manager) => {
      const partner = await manager.findOneBy(AccountEntity, { id: partnerAccountId });
      if (!partner || partner.kind !== AccountKind.PARTNER) throw forbidden('Only a partner account has customers.');
      const query = manager.createQueryBuilder(AccountEntity, 'account').where('account.partnerId = :partnerAccountId', { partnerAccountId });
      if (filter.status) query.andWhere('account.status = :status', { status: filter.status });
      if (search) {
        query.andWhere(`LOWER(account.name) LIKE :pattern ESCAPE '${LIKE_ESCAPE}'`, { pattern: `%${escapeLike(search.toLowerCase())}%` });
      }
      if (position) {
        query.andWhere(
          new Brackets((inner) =>
            inner
              .where('account.name > :cursorName', { cursorName: position.name })
              .orWhere('(account.name = :cursorName AND account.id > :cursorId)', { cursorId: position.id }),
          ),
        );
      }
      return query.orderBy('account.name', 'ASC').addOrderBy('account.id', 'ASC').take(limit + 1).getMany();
    });
    const customers = rows.slice(0, limit);
    return { customers, cursors: customers.map(encodeCustomerCursor), hasNextPage: rows.length > limit };
  }
}

function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (character) => `${LIKE_ESCAPE}${character}`);
}

export function encodeCustomerCursor(account: Pick<AccountEntity, 'name' | 'id'>): string {
  return Buffer.from(JSON.stringify([account.name, account.id])).toString('base64url');
}

function decodeCustomerCursor(cursor: string): { name: string; id: string } {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(decoded) && decoded.length === 2 && typeof decoded[0] === 'string' && typeof decoded[1] === 'string') {
      return { name: decoded[0], id: decoded[1] };
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw badInput('The cursor is not one this API gave out.', { field: 'after' });
}
