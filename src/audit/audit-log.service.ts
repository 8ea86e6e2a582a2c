import { type FindOptionsWhere, In, LessThan, MoreThanOrEqual, And } from 'typeorm';
import { badInput } from '../common/domain-error';
import type { TransactionRunner } from '../database/transaction-runner';
import type { AuditAction } from './audit.enums';
import { AuditLogEntity } from './entities/audit-log.entity';

export interface AuditLogQuery {
  /** null: every account (the platform admin only; the resolver decides). */
  accountId: string | null;
  actions?: readonly AuditAction[] | null;
  actor?: string | null;
  /** With `actor`: only actors of this account (a customer's OWNER cannot look up who its partner's staff are). */
  actorAccountId?: string | null;
  from?: Date | null;
  to?: Date | null;
  first: number;
  after: string | null;
}

export interface AuditLogPage {
  entries: AuditLogEntity[];
  hasNextPage: boolean;
}

/**
 * Reads the audit trail, newest first. It only reads: the trail is written by `recordAudit` inside
 * the transactions of the changes, and nothing in the application updates or deletes an entry.
 */
export class AuditLogService {
  constructor(private readonly runner: TransactionRunner) {}

  async page(query: AuditLogQuery): Promise<AuditLogPage> {
    const afterId = query.after == null ? null : Number(query.after);
    if (afterId !== null && (!Number.isSafeInteger(afterId) || afterId < 1)) throw badInput('after is not a cursor from this list.', { field: 'after' });
    if (query.from && query.to && query.from.getTime() >= query.to.getTime()) throw badInput('from must be before to.', { field: 'filter.to' });
    const where: FindOptionsWhere<AuditLogEntity> = {};
    if (query.accountId !== null) where.accountId = query.accountId;
    if (query.actions?.length) where.action = In([...query.actions]);
    if (query.actor) where.actorSubject = query.actor;
    if (query.actor && query.actorAccountId) where.actorAccountId = query.actorAccountId;
    if (afterId !== null) where.id = LessThan(afterId);
    if (query.from && query.to) where.createdAt = And(MoreThanOrEqual(query.from), LessThan(query.to));
    else if (query.from) where.createdAt = MoreThanOrEqual(query.from);
    else if (query.to) where.createdAt = LessThan(query.to);
    const rows = await this.runner.read((manager) => manager.find(AuditLogEntity, { where, order: { id: 'DESC' }, take: query.first + 1 }));
    return { entries: rows.slice(0, query.first), hasNextPage: rows.length > query.first };
  }
}
