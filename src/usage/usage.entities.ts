import { UsageEventEntity } from './entities/usage-event.entity';

/** The tables this feature owns; its module gives them to the data source (src/server/modules.ts). */
export const USAGE_ENTITIES = [UsageEventEntity];
