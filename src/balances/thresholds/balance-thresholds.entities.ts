import { BalanceThresholdEntity } from './entities/balance-threshold.entity';
import { BalanceThresholdCrossingEntity } from './entities/balance-threshold-crossing.entity';

/** The tables this feature owns; the composition root (src/server/entities.ts) registers them. */
export const BALANCE_THRESHOLD_ENTITIES = [BalanceThresholdEntity, BalanceThresholdCrossingEntity];
