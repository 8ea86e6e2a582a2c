import { AuditLogEntity } from './entities/audit-log.entity';

/** The tables this feature owns; the composition root (src/server/entities.ts) registers them. */
export const AUDIT_ENTITIES = [AuditLogEntity];
