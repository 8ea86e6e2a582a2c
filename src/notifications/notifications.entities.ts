import { OutboxEventEntity } from './outbox.entity';

/** The tables this feature owns; the composition root (src/server/entities.ts) registers them. */
export const NOTIFICATION_ENTITIES = [OutboxEventEntity];
