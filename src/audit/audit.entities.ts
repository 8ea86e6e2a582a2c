import { AuditLogEntity } from './entities/audit-log.entity';

/** The tables this feature owns; its module gives them to the data source (src/server/modules.ts). */
export const AUDIT_ENTITIES = [AuditLogEntity];
