import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../../../common/page-info';
import { WebhookDeliveryStatus, WebhookEndpointStatus, WebhookEventType } from '../webhook.enums';

registerEnumType(WebhookEventType, { name: 'WebhookEventType', description: "What an endpoint receives; also the envelope's `type`." });
registerEnumType(WebhookEndpointStatus, { name: 'WebhookEndpointStatus' });
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

@ObjectType({ description: 'A receiver of signed webhooks for one account. Its signing secret is shown only when made (create, rotate).' })
export class WebhookEndpoint {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  accountId!: string;

  @Field()
  url!: string;

  @Field(() => [WebhookEventType])
  events!: WebhookEventType[];

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => WebhookEndpointStatus)
  status!: WebhookEndpointStatus;

  @Field(() => String, { nullable: true, description: 'Why it was disabled (sustained failure, or by its owner).' })
  disabledReason!: string | null;

  @Field(() => Date, { nullable: true })
  disabledAt!: Date | null;

  @Field(() => Int, { description: 'Failed attempts in a row since the last success.' })
  consecutiveFailures!: number;

  @Field(() => Date, { nullable: true, description: 'Until then deliveries also carry a signature with the previous secret.' })
  previousSecretExpiresAt!: Date | null;

  @Field()
  createdAt!: Date;
}

@ObjectType({ description: 'An endpoint with its signing secret: returned once, by createWebhookEndpoint and rotateWebhookSecret.' })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field({ description: 'The HMAC-SHA256 key for Credits-Signature. Store it now: it is never shown again.' })
  secret!: string;
}

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => ID)
  accountId!: string;

  @Field({ description: 'http(s) URL. In production private, loopback and link-local destinations are refused.' })
  url!: string;

  @Field(() => [WebhookEventType])
  events!: WebhookEventType[];

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => ID)
  endpointId!: string;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [WebhookEventType], { nullable: true })
  events?: WebhookEventType[] | null;

  @Field(() => String, { nullable: true, description: 'An empty string removes it.' })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'false disables the endpoint; true enables it again and clears its failure streak.' })
  enabled?: boolean | null;
}

@ObjectType({ description: 'One HTTP attempt of a delivery.' })
export class WebhookDeliveryAttempt {
  @Field()
  attemptedAt!: Date;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when no answer came." })
  responseCode!: number | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => Int)
  durationMs!: number;

  @Field()
  succeeded!: boolean;
}

@ObjectType({ description: 'One event for one endpoint, with its attempts (the delivery log).' })
export class WebhookDelivery {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  endpointId!: string;

  @Field(() => ID, { description: 'The envelope id (Credits-Event-Id), e.g. evt_42.' })
  eventId!: string;

  @Field(() => WebhookEventType)
  eventType!: WebhookEventType;

  @Field(() => WebhookDeliveryStatus)
  status!: WebhookDeliveryStatus;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Int, { nullable: true })
  lastResponseCode!: number | null;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => Date, { nullable: true })
  lastAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (PENDING only).' })
  nextAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;

  @Field({ description: 'The exact body sent (the JSON envelope).' })
  payload!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType()
export class WebhookDeliveryEdge {
  @Field()
  cursor!: string;

  @Field(() => WebhookDelivery)
  node!: WebhookDelivery;
}

@ObjectType()
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge])
  edges!: WebhookDeliveryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => ID)
  endpointId!: string;

  @Field(() => Int, { nullable: true, description: 'Page size, 1 to GRAPHQL_MAX_PAGE_SIZE (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}
