import { defineModule } from '../feature-module';
import { installEmbeddedAuditGuards } from './audit-guards';
import { AuditLogService } from './audit-log.service';
import { AUDIT_ENTITIES } from './audit.entities';
import { AuditResolver } from './audit.resolver';

declare module '../feature-module' {
  interface FeatureServices {
    /** Reads the audit trail (written by recordAudit inside each audited change's transaction). */
    auditLog: AuditLogService;
  }
}

/**
 * The audit trail: who changed which setting, written by `recordAudit` in the change's own
 * transaction, read by the platform admin and an account's owners. On the embedded SQLite (whose
 * schema is synchronised from the entities, not migrated) its `ready` hook installs the triggers
 * that refuse UPDATE and DELETE on `audit_log`, as the MySQL migration does; it is first in the
 * module list, so the guards are in place before any other module's `ready` hook writes.
 */
export const auditModule = defineModule({
  name: 'audit',
  entities: AUDIT_ENTITIES,
  resolvers: [AuditResolver],
  create: ({ config, runner, dataSource }) => ({
    services: { auditLog: new AuditLogService(runner) },
    ready: async () => {
      if (config.database.kind !== 'mysql') await installEmbeddedAuditGuards(dataSource);
    },
  }),
});
