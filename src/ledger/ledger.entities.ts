import { WalletEntity } from './entities/wallet.entity';
import { LedgerTransactionEntity } from './entities/ledger-transaction.entity';
import { LedgerEntryEntity } from './entities/ledger-entry.entity';
import { AccountMovementEntity } from './entities/account-movement.entity';
import { PromotionalGrantEntity } from './entities/promotional-grant.entity';

/** The tables this feature owns; the composition root (src/server/entities.ts) registers them. */
export const LEDGER_ENTITIES = [WalletEntity, LedgerTransactionEntity, LedgerEntryEntity, AccountMovementEntity, PromotionalGrantEntity];
