import { WalletEntity } from './entities/wallet.entity';
import { LedgerTransactionEntity } from './entities/ledger-transaction.entity';
import { LedgerEntryEntity } from './entities/ledger-entry.entity';

/** The ledger core's tables: wallets, transactions and their entries. */
export const LEDGER_ENTITIES = [WalletEntity, LedgerTransactionEntity, LedgerEntryEntity];
