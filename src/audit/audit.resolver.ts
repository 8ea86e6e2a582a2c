import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { forwardPageInfo } from '../common/page-info';
import { pageSizeOrThrow } from '../common/page-size';
import { Access } from '../graphql/access';
import type { GraphQLContext } from '../graphql/context';
import { isAdmin } from '../auth/principal';
import type { AuditLogService } from './audit-log.service';
import { ActorKind } from './audit.enums';
import { AuditEntryConnection, AuditLogArgs, type AuditEntry } from './dtos/audit-entry.type';
import type { AuditLogEntity } from './entities/audit-log.entity';

/** What the audit resolvers use. */
export interface AuditResolverServices {
  auditLog: Pick<AuditLogService, 'page'>;
  config: { requestLimits: { maxPageSize: number } };
}

type Context = GraphQLContext<AuditResolverServices>;

/** How an actor from outside the reader's account is named to it. */
const FOREIGN_SUBJECT: Record<ActorKind, string> = {
  [ActorKind.ADMIN]: 'platform-admin',
  [ActorKind.USER]: 'partner',
  [ActorKind.API_KEY]: 'partner',
  [ActorKind.SERVICE]: 'service',
};

@Resolver()
export class AuditResolver {
  @Authorized(Access.readAuditLog(({ args }) => args.accountId as string | null | undefined))
  @Query(() => AuditEntryConnection, {
    description: "The audit trail, newest first. The platform admin reads every entry (accountId optional); an account's OWNER reads its own account's.",
  })
  async auditLog(@Args() args: AuditLogArgs, @Ctx() context: Context): Promise<AuditEntryConnection> {
    const first = pageSizeOrThrow(args.first, { maxPageSize: context.services.config.requestLimits.maxPageSize });
    const principal = context.principal!;
    const accountId = args.accountId ?? (isAdmin(principal) ? null : principal.accountId);
    const filter = args.filter ?? {};
    const page = await context.services.auditLog.page({
      accountId,
      actions: filter.actions,
      actor: filter.actor,
      actorAccountId: isAdmin(principal) ? null : principal.accountId,
      from: filter.from ?? null,
      to: filter.to ?? null,
      first,
      after: args.after ?? null,
    });
    const reader = isAdmin(principal) ? null : principal.accountId;
    const edges = page.entries.map((entry) => ({ cursor: String(entry.id), node: toAuditEntry(entry, reader) }));
    return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, args.after) };
  }
}

/**
 * One entry as `reader` may see it (null: the platform admin, who sees all). Whoever acted from
 * outside the reader's account (its partner's staff, the platform admin) is shown by kind only:
 * no subject, role, account, API key, address or request id of another tenant crosses over.
 */
function toAuditEntry(entry: AuditLogEntity, reader: string | null): AuditEntry {
  const foreign = reader !== null && entry.actorKind !== ActorKind.SERVICE && entry.actorAccountId !== reader;
  return {
    id: String(entry.id),
    createdAt: entry.createdAt,
    actor: foreign
      ? { kind: entry.actorKind, subject: FOREIGN_SUBJECT[entry.actorKind], role: null, accountId: null, apiKeyId: null }
      : { kind: entry.actorKind, subject: entry.actorSubject, role: entry.actorRole, accountId: entry.actorAccountId, apiKeyId: entry.apiKeyId },
    address: foreign ? null : entry.address,
    requestId: foreign ? null : entry.requestId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    accountId: entry.accountId,
    before: entry.before,
    after: entry.after,
    reason: entry.reason,
  };
}
