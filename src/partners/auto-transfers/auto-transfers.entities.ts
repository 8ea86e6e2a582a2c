import { AutoTransferFiringEntity } from './entities/auto-transfer-firing.entity';
import { AutoTransferRuleEntity } from './entities/auto-transfer-rule.entity';

/** The tables this feature owns; the composition root (src/server/entities.ts) registers them. */
export const AUTO_TRANSFER_ENTITIES = [AutoTransferRuleEntity, AutoTransferFiringEntity];
