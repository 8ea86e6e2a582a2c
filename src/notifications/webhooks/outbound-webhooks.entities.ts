import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookDeliveryAttemptEntity } from './entities/webhook-delivery-attempt.entity';

/** The tables this feature owns; the composition root (src/server/entities.ts) registers them. */
export const WEBHOOK_ENTITIES = [WebhookEndpointEntity, WebhookDeliveryEntity, WebhookDeliveryAttemptEntity];
