import { AccountEntity } from './entities/account.entity';
import { BillingInfoEntity } from './entities/billing-info.entity';

/** The tables this feature owns; its module gives them to the data source (src/server/modules.ts). */
export const ACCOUNT_ENTITIES = [AccountEntity, BillingInfoEntity];
