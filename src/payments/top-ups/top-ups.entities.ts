import { TopUpEntity } from './entities/top-up.entity';
import { PaymentEventEntity } from './entities/payment-event.entity';

/** The tables this feature owns; its module gives them to the data source (src/server/modules.ts). */
export const TOP_UP_ENTITIES = [TopUpEntity, PaymentEventEntity];
