import type { EntityManager } from 'typeorm';
import type { Actor } from './actor';
import type { AuditAction } from './audit.enums';
import { AuditLogEntity } from './entities/audit-log.entity';

/** One change to record. `before`/`after` hold the changed fields only, never a secret. */
export interface AuditChange {
  action: AuditAction;
  targetType: string;
  targetId: string;
  accountId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

/** JSON of a snapshot: bigint amounts as decimal strings, dates as ISO strings. */
export function auditJson(value: Record<string, unknown> | null | undefined): string | null {
  if (value == null) return null;
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}

/**
 * Records a change in the transaction that makes it (`manager` is that transaction's): the entry
 * and the change commit or roll back together. Every service that changes something audited calls
 * this with the actor its resolver passed in.
 */
export async function recordAudit(manager: EntityManager, actor: Actor, change: AuditChange): Promise<void> {
  await manager.insert(AuditLogEntity, {
    createdAt: new Date(),
    actorKind: actor.kind,
    actorSubject: actor.subject.slice(0, 191),
    actorRole: actor.role,
    actorAccountId: actor.accountId,
    apiKeyId: actor.apiKeyId,
    address: actor.address?.slice(0, 64) ?? null,
    requestId: actor.requestId?.slice(0, 128) ?? null,
    action: change.action,
    targetType: change.targetType,
    targetId: change.targetId,
    accountId: change.accountId,
    before: auditJson(change.before),
    after: auditJson(change.after),
    reason: change.reason?.slice(0, 500) ?? null,
  });
}
