import { Brackets, EntityManager, SelectQueryBuilder } from 'typeorm';
import { badInput } from '../../common/domain-error';
import type { TransactionRunner } from '../../database/transaction-runner';
import { AccountMovementEntity } from './entities/account-movement.entity';
import { CreditMovementType } from '../../ledger/ledger.enums';
import { pageSizeOrThrow } from '../../common/page-size';

export interface CreditHistoryFilter {
  types?: CreditMovementType[] | null;
  /** Inclusive start of the period. */
  from?: Date | null;
  /** Exclusive end of the period. */
  to?: Date | null;
}

export interface CreditHistoryPage {
  /** Newest first, whichever way the page was read. */
  movements: AccountMovementEntity[];
  cursors: string[];
  /** Older rows follow the page's last row. */
  hasNextPage: boolean;
  /** Newer rows precede the page's first row. */
  hasPreviousPage: boolean;
}

/** Paging backwards: the `last` rows just newer than `before` (or the oldest rows without it). */
export interface BackwardPaging {
  last?: number | null;
  before?: string | null;
}

type Position = { occurredAt: Date; id: number };
/** NEWER: rows newer than a position, read oldest first; OLDER: rows older than it, newest first. */
type Direction = 'NEWER' | 'OLDER';

/**
 * An account's credit movements, newest first, with keyset cursors on
 * (accountId, [type,] occurredAt, id): each page is one index range scan, as fast at ten million
 * rows as at ten, and a page boundary never skips or repeats a row while new movements arrive.
 * Pages come from the read replica when one is configured (they may trail the balances, which are
 * read from the primary, by the replica's lag).
 *
 * Forward pages (`first`/`after`) walk the index ranges downwards; backward pages (`last`/`before`)
 * walk the same ranges upwards and are turned round, so edges are newest first either way. A page
 * read from a cursor also seeks one row the other way (one `LIMIT 1` statement) to answer
 * `hasPreviousPage` (forward) or `hasNextPage` (backward) exactly; a page read without a cursor
 * starts at an end of the history, so that flag is false without a statement.
 */
export class CreditHistoryService {
  constructor(
    private readonly runner: TransactionRunner,
    /** GRAPHQL_MAX_PAGE_SIZE. */
    private readonly maxPageSize: number,
    /** Work a page waits for first: promotions write the PROMOTIONAL_EXPIRY rows of grants that are due. */
    private readonly beforeRead: (accountId: string) => Promise<void> = async () => {},
  ) {}

  async page(
    accountId: string,
    filter: CreditHistoryFilter,
    first: number | null | undefined,
    after: string | null | undefined,
    backward: BackwardPaging = {},
  ): Promise<CreditHistoryPage> {
    await this.beforeRead(accountId);
    const { last, before } = backward;
    const isBackward = last != null || before != null;
    if (isBackward && (first != null || after != null)) {
      throw badInput('Page forwards (first/after) or backwards (last/before), not both.', { field: first != null && last != null ? 'last' : 'before' });
    }
    const sizeField = isBackward ? 'last' : 'first';
    const limit = pageSizeOrThrow(isBackward ? last : first, { maxPageSize: this.maxPageSize, field: sizeField });
    if (filter.from && filter.to && filter.from >= filter.to) throw badInput('filter.from must be before filter.to.', { field: 'filter' });
    const types = filter.types?.length ? [...new Set(filter.types)] : null;
    const cursor = isBackward ? before : after;
    const position = cursor ? decodeCursor(cursor, isBackward ? 'before' : 'after') : null;
    const direction: Direction = isBackward ? 'NEWER' : 'OLDER';

    // One index range per type (or one for all types), each at most limit + 1 rows, merged here:
    // a filtered page costs the same however rare the type is and however deep the cursor.
    const perType = types ?? [null];
    const { rows, beyondCursor } = await this.runner.readReplica(async (manager) => {
      const pages = [];
      for (const type of perType) {
        const ids = rangeQuery(manager, accountId, filter, type ? [type] : null);
        if (position) afterPosition(ids, direction, position, false);
        const order = direction === 'OLDER' ? 'DESC' : 'ASC';
        ids
          .select('movement.id', 'id')
          .orderBy('movement.occurredAt', order)
          .addOrderBy('movement.id', order)
          .limit(limit + 1);
        // The page's ids first, from the index alone, then their rows by primary key (a derived
        // table, so still one statement). Asked for whole rows directly, MariaDB picks a lookup on
        // accountId alone and walks back from the newest row through every row newer than the
        // cursor (100,000 reads for a cursor 100,000 deep) instead of starting at the cursor.
        pages.push(
          await manager
            .createQueryBuilder(AccountMovementEntity, 'movement')
            .innerJoin(`(${ids.getQuery()})`, 'page', 'page.id = movement.id')
            .setParameters(ids.getParameters())
            .orderBy('movement.occurredAt', order)
            .addOrderBy('movement.id', order)
            .getMany(),
        );
      }
      const merged = pages
        .flat()
        .sort(direction === 'OLDER' ? newestFirst : oldestFirst)
        .slice(0, limit + 1);
      // The cursor's own row and everything past it the other way: one row is enough to know.
      let beyond = false;
      if (position) {
        const seek = rangeQuery(manager, accountId, filter, types);
        afterPosition(seek, direction === 'OLDER' ? 'NEWER' : 'OLDER', position, true);
        beyond = (await seek.select('movement.id').limit(1).getRawMany()).length > 0;
      }
      return { rows: merged, beyondCursor: beyond };
    });
    const taken = rows.slice(0, limit);
    const more = rows.length > limit;
    const movements = direction === 'OLDER' ? taken : taken.reverse();
    return {
      movements,
      cursors: movements.map(encodeCursor),
      hasNextPage: direction === 'OLDER' ? more : beyondCursor,
      hasPreviousPage: direction === 'OLDER' ? beyondCursor : more,
    };
  }
}

function rangeQuery(
  manager: EntityManager,
  accountId: string,
  filter: CreditHistoryFilter,
  types: CreditMovementType[] | null,
): SelectQueryBuilder<AccountMovementEntity> {
  const query = manager.createQueryBuilder(AccountMovementEntity, 'movement').where('movement.accountId = :accountId', { accountId });
  if (types?.length === 1) query.andWhere('movement.type = :type', { type: types[0] });
  else if (types) query.andWhere('movement.type IN (:...types)', { types });
  if (filter.from) query.andWhere('movement.occurredAt >= :from', { from: filter.from });
  if (filter.to) query.andWhere('movement.occurredAt < :to', { to: filter.to });
  return query;
}

/**
 * Rows strictly past a position in a direction (or at it too, when inclusive). Written so the first
 * condition is an index range on occurredAt; a plain OR would scan from an end of the account's rows.
 */
function afterPosition(query: SelectQueryBuilder<AccountMovementEntity>, direction: Direction, position: Position, inclusive: boolean): void {
  const [timeBound, idBound] = direction === 'OLDER' ? ['<=', inclusive ? '<=' : '<'] : ['>=', inclusive ? '>=' : '>'];
  const strictTime = direction === 'OLDER' ? '<' : '>';
  query
    .andWhere(`movement.occurredAt ${timeBound} :cursorTime`, { cursorTime: position.occurredAt })
    .andWhere(
      new Brackets((inner) =>
        inner.where(`movement.occurredAt ${strictTime} :cursorTime`).orWhere(`movement.id ${idBound} :cursorId`, { cursorId: position.id }),
      ),
    );
}

function oldestFirst(a: AccountMovementEntity, b: AccountMovementEntity): number {
  return -newestFirst(a, b);
}

function newestFirst(a: AccountMovementEntity, b: AccountMovementEntity): number {
  return b.occurredAt.getTime() - a.occurredAt.getTime() || b.id - a.id;
}

export function encodeCursor(movement: Pick<AccountMovementEntity, 'occurredAt' | 'id'>): string {
  return Buffer.from(`${movement.occurredAt.getTime()}:${movement.id}`).toString('base64url');
}

function decodeCursor(cursor: string, field: 'after' | 'before'): Position {
  const match = /^(\d{1,15}):(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badInput('The cursor is not one this API gave out.', { field });
  return { occurredAt: new Date(Number(match[1])), id: Number(match[2]) };
}
