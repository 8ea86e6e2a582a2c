import { AccountEntity } from './entities/account.entity';
import { BillingInfoEntity } from './entities/billing-info.entity';

/** The tables this feature owns; the composition root (src/server/entities.ts) registers them. */
export const ACCOUNT_ENTITIES = [AccountEntity, BillingInfoEntity];
