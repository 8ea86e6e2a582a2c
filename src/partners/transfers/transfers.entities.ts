import { CreditReclaimEntity } from './entities/credit-reclaim.entity';
import { CreditTransferEntity } from './entities/credit-transfer.entity';
import { TransferBatchRefusalEntity } from './entities/transfer-batch-refusal.entity';
import { TransferBatchEntity } from './entities/transfer-batch.entity';

/** The tables this feature owns; the composition root (src/server/entities.ts) registers them. */
export const TRANSFER_ENTITIES = [CreditTransferEntity, CreditReclaimEntity, TransferBatchEntity, TransferBatchRefusalEntity];
