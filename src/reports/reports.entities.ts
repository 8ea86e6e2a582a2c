import { AccountActivityDayEntity } from './entities/account-activity-day.entity';
import { AccountActivityHourEntity } from './entities/account-activity-hour.entity';

/** The tables this feature owns; the composition root (src/server/entities.ts) registers them. */
export const REPORT_ENTITIES = [AccountActivityHourEntity, AccountActivityDayEntity];
