import { BalanceThresholdEntity } from './entities/balance-threshold.entity';
import { BalanceThresholdCrossingEntity } from './entities/balance-threshold-crossing.entity';

/** The tables this feature owns; its module gives them to the data source (src/server/modules.ts). */
export const BALANCE_THRESHOLD_ENTITIES = [BalanceThresholdEntity, BalanceThresholdCrossingEntity];
