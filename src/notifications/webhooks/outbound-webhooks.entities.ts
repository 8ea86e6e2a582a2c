import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookDeliveryAttemptEntity } from './entities/webhook-delivery-attempt.entity';

/** The tables this feature owns; its module gives them to the data source (src/server/modules.ts). */
export const WEBHOOK_ENTITIES = [WebhookEndpointEntity, WebhookDeliveryEntity, WebhookDeliveryAttemptEntity];
