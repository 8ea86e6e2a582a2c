import { OutboxEventEntity } from './outbox.entity';

/** The tables this feature owns; its module gives them to the data source (src/server/modules.ts). */
export const NOTIFICATION_ENTITIES = [OutboxEventEntity];
