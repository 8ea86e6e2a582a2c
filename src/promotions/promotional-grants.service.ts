import { Brackets, SelectQueryBuilder } from 'typeorm';
import { badInput } from '../common/domain-error';
import type { TransactionRunner } from '../database/transaction-runner';
import { PromotionalGrantEntity } from './entities/promotional-grant.entity';
import type { ExpiryService } from './expiry.service';
import { pageSizeOrThrow } from '../common/page-size';

export interface PromotionalGrantsFilter {
  /** true: only ACTIVE grants; false: only USED_UP, EXPIRED and VOIDED ones; absent: all. */
  active?: boolean | null;
  /** Only grants whose expiry is before this instant (so never grants without an expiry). */
  expiringBefore?: Date | null;
}

export interface PromotionalGrantsPage {
  grants: PromotionalGrantEntity[];
  cursors: string[];
  hasNextPage: boolean;
  /** The instant the page was read at; statuses are computed against it. */
  readAt: Date;
}

/** The credits of an account's grant(s) expiring soonest, for "50 credits expire on 12 Jan". */
export interface NextExpiry {
  accountId: string;
  amountMicros: bigint;
  expiresAt: Date;
}

/**
 * Two orders, each a keyset on an index:
 * - `active: true` — soonest expiry first (what usage draws first), grants without an expiry last:
 *   (accountId, expiresAt, id), then (accountId, id) for the never-expiring ones;
 * - otherwise — newest grant first: (accountId, id) descending.
 * A cursor names its order, so one from another order is refused rather than misread.
 */
type Position = { order: 'expiry'; expiresAt: Date; id: number } | { order: 'expiry'; expiresAt: null; id: number } | { order: 'newest'; id: number };

export class PromotionalGrantsService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly expiry: ExpiryService,
    private readonly maxPageSize: number,
  ) {}

  /** One page of an account's grants. Due grants are expired first, so they show as EXPIRED. */
  async page(
    accountId: string,
    filter: PromotionalGrantsFilter,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<PromotionalGrantsPage> {
    const limit = pageSizeOrThrow(first, { maxPageSize: this.maxPageSize });
    const order = filter.active === true ? 'expiry' : 'newest';
    const position = after ? decodeCursor(after) : null;
    if (position && position.order !== order) throw badInput('The cursor belongs to a list with another filter.', { field: 'after' });
    await this.expiry.expireDueGrantsOf([accountId]);
    const readAt = new Date();
    const rows =
      order === 'expiry'
        ? await this.soonestExpiryFirst({ accountId, filter, position, take: limit + 1, now: readAt })
        : await this.newestFirst({ accountId, filter, position, take: limit + 1, now: readAt });
    const grants = rows.slice(0, limit);
    const cursors = grants.map((grant) => encodeCursor(order === 'expiry' ? { order, expiresAt: grant.expiresAt, id: grant.id } : { order, id: grant.id }));
    return { grants, cursors, hasNextPage: rows.length > limit, readAt };
  }

  /**
   * The next expiry of each account, in one statement for all of them (the request's dataloader
   * batches a page of accounts): the unexpired grants with something left whose expiry is the
   * account's soonest, summed when several grants expire at that same instant.
   */
  async nextExpiryOf(accountIds: readonly string[]): Promise<(NextExpiry | null)[]> {
    const now = new Date();
    const soonest = await this.runner.read((manager) =>
      manager
        .createQueryBuilder(PromotionalGrantEntity, 'promotion')
        .select(['promotion.id', 'promotion.accountId', 'promotion.expiresAt', 'promotion.remainingMicros'])
        .where('promotion.accountId IN (:...accountIds)', { accountIds: [...new Set(accountIds)] })
        .andWhere('promotion.remainingMicros > 0')
        .andWhere(
          `promotion.expiresAt = (SELECT MIN(other.expiresAt) FROM promotional_grant other
             WHERE other.accountId = promotion.accountId AND other.remainingMicros > 0 AND other.expiresAt > :now)`,
          { now },
        )
        .getMany(),
    );
    const byAccount = new Map<string, NextExpiry>();
    for (const grant of soonest) {
      const known = byAccount.get(grant.accountId);
      if (known) known.amountMicros += grant.remainingMicros;
      else byAccount.set(grant.accountId, { accountId: grant.accountId, amountMicros: grant.remainingMicros, expiresAt: grant.expiresAt! });
    }
    return accountIds.map((accountId) => byAccount.get(accountId) ?? null);
  }

  private async soonestExpiryFirst(options: { accountId: string; filter: PromotionalGrantsFilter; position: Position | null; take: number; now: Date }) {
    const { accountId, filter, position, take, now } = options;
    return this.runner.read(async (manager) => {
      const rows: PromotionalGrantEntity[] = [];
      const inUndatedPhase = position !== null && position.order === 'expiry' && position.expiresAt === null;
      if (!inUndatedPhase) {
        const dated = this.active(manager.createQueryBuilder(PromotionalGrantEntity, 'promotion'), accountId)
          .andWhere('promotion.expiresAt IS NOT NULL')
          .andWhere('promotion.expiresAt > :now', { now });
        if (filter.expiringBefore) dated.andWhere('promotion.expiresAt < :before', { before: filter.expiringBefore });
        if (position?.order === 'expiry' && position.expiresAt) {
          // The first condition is an index range; a plain OR would scan from the account's first grant.
          dated
            .andWhere('promotion.expiresAt >= :cursorExpiry', { cursorExpiry: position.expiresAt })
            .andWhere(
              new Brackets((inner) => inner.where('promotion.expiresAt > :cursorExpiry').orWhere('promotion.id > :cursorId', { cursorId: position.id })),
            );
        }
        rows.push(...(await dated.orderBy('promotion.expiresAt', 'ASC').addOrderBy('promotion.id', 'ASC').take(take).getMany()));
      }
      // Grants that never expire come after every dated one, and only without an expiry filter.
      if (rows.length < take && !filter.expiringBefore) {
        const undated = this.active(manager.createQueryBuilder(PromotionalGrantEntity, 'promotion'), accountId).andWhere('promotion.expiresAt IS NULL');
        if (inUndatedPhase) undated.andWhere('promotion.id > :cursorId', { cursorId: position.id });
        rows.push(
          ...(await undated
            .orderBy('promotion.id', 'ASC')
            .take(take - rows.length)
            .getMany()),
        );
      }
      return rows;
    });
  }

  private async newestFirst(options: { accountId: string; filter: PromotionalGrantsFilter; position: Position | null; take: number; now: Date }) {
    const { accountId, filter, position, take, now } = options;
    return this.runner.read((manager) => {
      const query = manager.createQueryBuilder(PromotionalGrantEntity, 'promotion').where('promotion.accountId = :accountId', { accountId });
      if (filter.active === false) query.andWhere('(promotion.remainingMicros = 0 OR promotion.expiresAt <= :now)', { now });
      if (filter.expiringBefore) query.andWhere('promotion.expiresAt < :before', { before: filter.expiringBefore });
      if (position) query.andWhere('promotion.id < :cursorId', { cursorId: position.id });
      return query.orderBy('promotion.id', 'DESC').take(take).getMany();
    });
  }

  private active(query: SelectQueryBuilder<PromotionalGrantEntity>, accountId: string) {
    return query.where('promotion.accountId = :accountId', { accountId }).andWhere('promotion.remainingMicros > 0');
  }
}

function encodeCursor(position: Position): string {
  const text = position.order === 'newest' ? `n:${position.id}` : position.expiresAt ? `e:${position.expiresAt.getTime()}:${position.id}` : `u:${position.id}`;
  return Buffer.from(text).toString('base64url');
}

function decodeCursor(cursor: string): Position {
  const text = Buffer.from(cursor, 'base64url').toString();
  const dated = /^e:(\d{1,15}):(\d{1,15})$/.exec(text);
  if (dated) return { order: 'expiry', expiresAt: new Date(Number(dated[1])), id: Number(dated[2]) };
  const other = /^([nu]):(\d{1,15})$/.exec(text);
  if (other) return other[1] === 'n' ? { order: 'newest', id: Number(other[2]) } : { order: 'expiry', expiresAt: null, id: Number(other[2]) };
  throw badInput('The cursor is not one this API gave out.', { field: 'after' });
}
