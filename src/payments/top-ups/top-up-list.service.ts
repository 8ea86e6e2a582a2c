import { Brackets } from 'typeorm';
import { badInput } from '../../common/domain-error';
import type { TransactionRunner } from '../../database/transaction-runner';
import { PaymentMethod } from '../providers/payment-provider';
import { TopUpEntity } from './entities/top-up.entity';
import { TopUpOrigin, TopUpStatus } from './top-up.enums';
import { pageSizeOrThrow } from '../../common/page-size';

export interface TopUpListFilter {
  statuses?: TopUpStatus[] | null;
  methods?: PaymentMethod[] | null;
  origins?: TopUpOrigin[] | null;
  /** Inclusive start of the period (creation time). */
  from?: Date | null;
  /** Exclusive end of the period. */
  to?: Date | null;
}

export interface TopUpPage {
  topUps: TopUpEntity[];
  cursors: string[];
  hasNextPage: boolean;
}

/**
 * An account's purchase history, newest first, with keyset cursors on (createdAt, id). Without a
 * status filter a page is one range of the index top_up(accountId, createdAt, id); with one, one
 * range of top_up(accountId, status, createdAt, id) per status, each at most a page long, merged
 * here. The method and origin filters are applied inside those ranges: there are three methods and two origins.
 */
export class TopUpListService {
  constructor(
    private readonly runner: TransactionRunner,
    /** GRAPHQL_MAX_PAGE_SIZE. */
    private readonly maxPageSize: number,
  ) {}

  async page(accountId: string, filter: TopUpListFilter, first: number | null | undefined, after: string | null | undefined): Promise<TopUpPage> {
    const limit = pageSizeOrThrow(first, { maxPageSize: this.maxPageSize });
    if (filter.from && filter.to && filter.from >= filter.to) throw badInput('filter.from must be before filter.to.', { field: 'filter' });
    const statuses = filter.statuses?.length ? [...new Set(filter.statuses)] : null;
    const methods = filter.methods?.length ? [...new Set(filter.methods)] : null;
    const origins = filter.origins?.length ? [...new Set(filter.origins)] : null;
    if (statuses?.some((status) => !Object.values(TopUpStatus).includes(status))) throw badInput('Unknown status.', { field: 'statuses' });
    if (methods?.some((method) => !Object.values(PaymentMethod).includes(method))) throw badInput('Unknown method.', { field: 'methods' });
    if (origins?.some((origin) => !Object.values(TopUpOrigin).includes(origin))) throw badInput('Unknown origin.', { field: 'origins' });
    const position = after ? decodeTopUpCursor(after) : null;

    const rows = await this.runner.read(async (manager) => {
      const pages: TopUpEntity[][] = [];
      for (const status of statuses ?? [null]) {
        const query = manager.createQueryBuilder(TopUpEntity, 'topUp').where('topUp.accountId = :accountId', { accountId });
        if (status) query.andWhere('topUp.status = :status', { status });
        if (methods) query.andWhere('topUp.method IN (:...methods)', { methods });
        if (origins) query.andWhere('topUp.origin IN (:...origins)', { origins });
        if (filter.from) query.andWhere('topUp.createdAt >= :from', { from: filter.from });
        if (filter.to) query.andWhere('topUp.createdAt < :to', { to: filter.to });
        if (position) {
          // The first condition bounds the index range; the bracket breaks ties within one millisecond.
          query
            .andWhere('topUp.createdAt <= :cursorTime', { cursorTime: position.createdAt })
            .andWhere(new Brackets((inner) => inner.where('topUp.createdAt < :cursorTime').orWhere('topUp.id < :cursorId', { cursorId: position.id })));
        }
        pages.push(
          await query
            .orderBy('topUp.createdAt', 'DESC')
            .addOrderBy('topUp.id', 'DESC')
            .take(limit + 1)
            .getMany(),
        );
      }
      return pages
        .flat()
        .sort(newestFirst)
        .slice(0, limit + 1);
    });
    const topUps = rows.slice(0, limit);
    return { topUps, cursors: topUps.map(encodeTopUpCursor), hasNextPage: rows.length > limit };
  }
}

function newestFirst(a: TopUpEntity, b: TopUpEntity): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function encodeTopUpCursor(topUp: Pick<TopUpEntity, 'createdAt' | 'id'>): string {
  return Buffer.from(`${topUp.createdAt.getTime()}:${topUp.id}`).toString('base64url');
}

function decodeTopUpCursor(cursor: string): { createdAt: Date; id: string } {
  const match =
    typeof cursor === 'string' && cursor.length <= 200 ? /^(\d{1,15}):([0-9a-zA-Z-]{1,40})$/.exec(Buffer.from(cursor, 'base64url').toString()) : null;
  if (!match) throw badInput('The cursor is not one this API gave out.', { field: 'after' });
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}
