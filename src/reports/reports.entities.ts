import { AccountActivityDayEntity } from './entities/account-activity-day.entity';
import { AccountActivityHourEntity } from './entities/account-activity-hour.entity';

/** The tables this feature owns; its module gives them to the data source (src/server/modules.ts). */
export const REPORT_ENTITIES = [AccountActivityHourEntity, AccountActivityDayEntity];
