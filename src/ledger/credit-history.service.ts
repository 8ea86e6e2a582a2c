import { Brackets } from 'typeorm';
import { badInput } from '../common/domain-error';
import type { TransactionRunner } from '../database/transaction-runner';
import { AccountMovementEntity } from './entities/account-movement.entity';
import { CreditMovementType } from './ledger.enums';

export interface CreditHistoryFilter {
  types?: CreditMovementType[] | null;
  /** Inclusive start of the period. */
  from?: Date | null;
  /** Exclusive end of the period. */
  to?: Date | null;
}

export interface CreditHistoryPage {
  movements: AccountMovementEntity[];
  cursors: string[];
  hasNextPage: boolean;
}

export const DEFAULT_PAGE_SIZE = 20;
/** The default cap; GRAPHQL_MAX_PAGE_SIZE sets the one a server uses. */
export const MAX_PAGE_SIZE = 100;

/**
 * An account's credit movements, newest first, with keyset cursors on
 * (accountId, [type,] occurredAt, id): each page is one index range scan, as fast at ten million
 * rows as at ten, and a page boundary never skips or repeats a row while new movements arrive.
 * Pages come from the read replica when one is configured (they may trail the balances, which are
 * read from the primary, by the replica's lag).
 */
export class CreditHistoryService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly maxPageSize = MAX_PAGE_SIZE,
  ) {}

  async page(accountId: string, filter: CreditHistoryFilter, first: number | null | undefined, after: string | null | undefined): Promise<CreditHistoryPage> {
    const limit = first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > this.maxPageSize) {
      throw badInput(`first must be from 1 to ${this.maxPageSize}.`, { field: 'first' });
    }
    if (filter.from && filter.to && filter.from >= filter.to) throw badInput('filter.from must be before filter.to.', { field: 'filter' });
    const types = filter.types?.length ? [...new Set(filter.types)] : null;
    const position = after ? decodeCursor(after) : null;

    // One index range per type (or one for all types), each at most limit + 1 rows, merged here:
    // a filtered page costs the same however rare the type is and however deep the cursor.
    const perType = types ?? [null];
    const rows = await this.runner.readReplica(async (manager) => {
      const pages = [];
      for (const type of perType) {
        const query = manager
          .createQueryBuilder(AccountMovementEntity, 'movement')
          .where('movement.accountId = :accountId', { accountId });
        if (type) query.andWhere('movement.type = :type', { type });
        if (filter.from) query.andWhere('movement.occurredAt >= :from', { from: filter.from });
        if (filter.to) query.andWhere('movement.occurredAt < :to', { to: filter.to });
        if (position) {
          // Written so the first condition is an index range; a plain OR would scan from the newest row.
          query
            .andWhere('movement.occurredAt <= :cursorTime', { cursorTime: position.occurredAt })
            .andWhere(
              new Brackets((inner) =>
                inner.where('movement.occurredAt < :cursorTime').orWhere('movement.id < :cursorId', { cursorId: position.id }),
              ),
            );
        }
        pages.push(await query.orderBy('movement.occurredAt', 'DESC').addOrderBy('movement.id', 'DESC').take(limit + 1).getMany());
      }
      return pages.flat().sort(newestFirst).slice(0, limit + 1);
    });
    const movements = rows.slice(0, limit);
    return { movements, cursors: movements.map(encodeCursor), hasNextPage: rows.length > limit };
  }
}

function newestFirst(a: AccountMovementEntity, b: AccountMovementEntity): number {
  return b.occurredAt.getTime() - a.occurredAt.getTime() || b.id - a.id;
}

export function encodeCursor(movement: Pick<AccountMovementEntity, 'occurredAt' | 'id'>): string {
  return Buffer.from(`${movement.occurredAt.getTime()}:${movement.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { occurredAt: Date; id: number } {
  const match = /^(\d{1,15}):(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badInput('The cursor is not one this API gave out.', { field: 'after' });
  return { occurredAt: new Date(Number(match[1])), id: Number(match[2]) };
}
