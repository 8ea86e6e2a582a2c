import { CreditTransferEntity } from './entities/credit-transfer.entity';

/** The tables this feature owns; the composition root (src/server/entities.ts) registers them. */
export const TRANSFER_ENTITIES = [CreditTransferEntity];
