import { CreditReclaimEntity } from './entities/credit-reclaim.entity';
import { CreditTransferEntity } from './entities/credit-transfer.entity';
import { TransferBatchRefusalEntity } from './entities/transfer-batch-refusal.entity';
import { TransferBatchEntity } from './entities/transfer-batch.entity';

/** The tables this feature owns; its module gives them to the data source (src/server/modules.ts). */
export const TRANSFER_ENTITIES = [CreditTransferEntity, CreditReclaimEntity, TransferBatchEntity, TransferBatchRefusalEntity];
