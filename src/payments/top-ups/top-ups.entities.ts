import { TopUpEntity } from './entities/top-up.entity';
import { PaymentEventEntity } from './entities/payment-event.entity';

/** The tables this feature owns; the composition root (src/server/entities.ts) registers them. */
export const TOP_UP_ENTITIES = [TopUpEntity, PaymentEventEntity];
