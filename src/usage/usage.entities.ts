import { UsageEventEntity } from './entities/usage-event.entity';

/** The tables this feature owns; the composition root (src/server/entities.ts) registers them. */
export const USAGE_ENTITIES = [UsageEventEntity];
