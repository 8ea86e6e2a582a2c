import { AutoTransferFiringEntity } from './entities/auto-transfer-firing.entity';
import { AutoTransferRuleEntity } from './entities/auto-transfer-rule.entity';

/** The tables this feature owns; its module gives them to the data source (src/server/modules.ts). */
export const AUTO_TRANSFER_ENTITIES = [AutoTransferRuleEntity, AutoTransferFiringEntity];
