import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { forwardPageInfo } from '../../common/page-info';
import { invariant } from '../../common/domain-error';
import type { Belonging } from '../../auth/access-policy';
import { Access, argument, type BelongingOfCall, checkedAccount, type ResolverCall } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import { actorOf } from '../../audit/actor';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveriesArgs,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookDeliveryConnection,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from './dtos/webhook-endpoint.type';
import type { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import type { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { endpointEvents } from './webhook-deliveries.consumer';
import { webhookEventId } from './webhook-envelope';
import type { WebhookEndpointsService } from './webhook-endpoints.service';
import { pageSizeOrThrow } from '../../common/page-size';

const MANAGERS = 'OWNER or BILLING_ADMIN of the account or of its partner';

/** What the outbound-webhook resolvers use. */
export interface WebhooksResolverServices {
  webhookEndpoints: Pick<
    WebhookEndpointsService,
    'find' | 'findDelivery' | 'list' | 'deliveries' | 'create' | 'update' | 'rotateSecret' | 'delete' | 'redeliver' | 'recentAttempts' | 'sendTest'
  >;
  config: { requestLimits: { maxPageSize: number } };
}

type Context = GraphQLContext<WebhooksResolverServices>;

async function endpointBelonging(context: Context, endpointId: string): Promise<Belonging> {
  const endpoint = await context.services.webhookEndpoints.find(endpointId);
  return { what: 'webhook endpoint', accountId: endpoint?.accountId ?? null };
}

/**
 * The account of the endpoint an argument names. One that is not yours answers like one that does
 * not exist (FORBIDDEN; NOT_FOUND for the admin), so ids cannot be probed.
 */
const endpointNamedBy =
  (read: (args: ResolverCall['args']) => string): BelongingOfCall =>
  ({ args, context }) =>
    endpointBelonging(context, read(args));

/** The account of a delivery's endpoint; an unknown delivery is refused like another account's. */
const deliveryNamedBy: BelongingOfCall = async ({ args, context }) => {
  const delivery = await (context as Context).services.webhookEndpoints.findDelivery(args.deliveryId);
  return delivery ? endpointBelonging(context, delivery.endpointId) : { what: 'webhook delivery', accountId: null };
};

@Resolver(() => WebhookDelivery)
export class WebhooksResolver {
  @Authorized(Access.readAutomation(argument('accountId')))
  @Query(() => [WebhookEndpoint], { description: `${MANAGERS}, or the platform admin: the account's webhook endpoints (never their secrets).` })
  async webhookEndpoints(@Arg('accountId', () => ID) accountId: string, @Ctx() context: Context): Promise<WebhookEndpoint[]> {
    const account = await checkedAccount(context, accountId);
    return (await context.services.webhookEndpoints.list(account.id)).map(toEndpoint);
  }

  @Authorized(Access.readBelongingAutomation(endpointNamedBy((args) => args.endpointId)))
  @Query(() => WebhookDeliveryConnection, { description: `${MANAGERS}, or the platform admin: an endpoint's delivery log, newest first.` })
  async webhookDeliveries(@Args() args: WebhookDeliveriesArgs, @Ctx() context: Context): Promise<WebhookDeliveryConnection> {
    const first = pageSizeOrThrow(args.first, { maxPageSize: context.services.config.requestLimits.maxPageSize });
    const page = await context.services.webhookEndpoints.deliveries(args.endpointId, { first, after: args.after ?? null });
    const edges = page.deliveries.map((delivery) => ({ cursor: String(delivery.id), node: toDelivery(delivery) }));
    return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, args.after) };
  }

  @Authorized(Access.manageAutomation(({ args }) => args.input.accountId))
  @Mutation(() => WebhookEndpointWithSecret, {
    description: `${MANAGERS}: register a webhook endpoint (at most WEBHOOK_ENDPOINTS_MAX_PER_ACCOUNT, default 10). The signing secret is in this answer only.`,
  })
  async createWebhookEndpoint(@Arg('input') input: CreateWebhookEndpointInput, @Ctx() context: Context): Promise<WebhookEndpointWithSecret> {
    const account = await checkedAccount(context, input.accountId);
    const { endpoint, secret } = await context.services.webhookEndpoints.create({ ...input, accountId: account.id }, actorOf(context));
    return { endpoint: toEndpoint(endpoint), secret };
  }

  @Authorized(Access.manageBelongingAutomation(endpointNamedBy((args) => args.input.endpointId)))
  @Mutation(() => WebhookEndpoint, { description: `${MANAGERS}: change an endpoint's URL, events or description, or disable / enable it.` })
  async updateWebhookEndpoint(@Arg('input') input: UpdateWebhookEndpointInput, @Ctx() context: Context): Promise<WebhookEndpoint> {
    return toEndpoint(await context.services.webhookEndpoints.update(input.endpointId, input, actorOf(context)));
  }

  @Authorized(Access.manageBelongingAutomation(endpointNamedBy((args) => args.endpointId)))
  @Mutation(() => WebhookEndpointWithSecret, {
    description:
      `${MANAGERS}: a new signing secret (in this answer only). For overlapSeconds (default WEBHOOK_SECRET_OVERLAP_SECONDS, 86400) ` +
      'deliveries carry a second v1 signature made with the old secret.',
  })
  async rotateWebhookSecret(
    @Arg('endpointId', () => ID) endpointId: string,
    @Ctx() context: Context,
    @Arg('overlapSeconds', () => Int, { nullable: true }) overlapSeconds?: number | null,
  ): Promise<WebhookEndpointWithSecret> {
    const rotated = await context.services.webhookEndpoints.rotateSecret(endpointId, overlapSeconds ?? null, actorOf(context));
    return { endpoint: toEndpoint(rotated.endpoint), secret: rotated.secret };
  }

  @Authorized(Access.manageBelongingAutomation(endpointNamedBy((args) => args.endpointId)))
  @Mutation(() => Boolean, {
    description:
      `${MANAGERS}: send the endpoint a signed PING event through the ordinary delivery path (it appears in webhookDeliveries, ` +
      'is retried and can be redelivered), whatever events it subscribes to. Moves no money. Answers true once the event is queued.',
  })
  async sendTestWebhook(@Arg('endpointId', () => ID, { description: 'The endpoint to test.' }) endpointId: string, @Ctx() context: Context): Promise<boolean> {
    await context.services.webhookEndpoints.sendTest(endpointId);
    return true;
  }

  @Authorized(Access.manageBelongingAutomation(endpointNamedBy((args) => args.endpointId)))
  @Mutation(() => Boolean, { description: `${MANAGERS}: remove an endpoint and its delivery log.` })
  async deleteWebhookEndpoint(@Arg('endpointId', () => ID) endpointId: string, @Ctx() context: Context): Promise<boolean> {
    await context.services.webhookEndpoints.delete(endpointId, actorOf(context));
    return true;
  }

  @Authorized(Access.manageBelongingAutomation(deliveryNamedBy))
  @Mutation(() => WebhookDelivery, { description: `${MANAGERS}: send a delivery again (same body and event id, fresh signature and retry window).` })
  async redeliverWebhook(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() context: Context): Promise<WebhookDelivery> {
    const delivery = await context.services.webhookEndpoints.findDelivery(deliveryId);
    invariant(delivery, `the auth checker let delivery ${deliveryId} through`);
    return toDelivery(await context.services.webhookEndpoints.redeliver(delivery));
  }

  @FieldResolver(() => [WebhookDeliveryAttempt], { description: 'The newest attempts (at most 20), newest first.' })
  async recentAttempts(@Root() delivery: WebhookDelivery, @Ctx() context: Context): Promise<WebhookDeliveryAttempt[]> {
    return context.services.webhookEndpoints.recentAttempts(Number(delivery.id));
  }
}

function toEndpoint(endpoint: WebhookEndpointEntity): WebhookEndpoint {
  return {
    id: endpoint.id,
    accountId: endpoint.accountId,
    url: endpoint.url,
    events: endpointEvents(endpoint),
    description: endpoint.description,
    status: endpoint.status,
    disabledReason: endpoint.disabledReason,
    disabledAt: endpoint.disabledAt,
    consecutiveFailures: endpoint.consecutiveFailures,
    previousSecretExpiresAt: endpoint.previousSecret ? endpoint.previousSecretExpiresAt : null,
    createdAt: endpoint.createdAt,
  };
}

function toDelivery(delivery: WebhookDeliveryEntity): WebhookDelivery {
  return {
    id: String(delivery.id),
    endpointId: delivery.endpointId,
    eventId: webhookEventId(delivery.eventId),
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    lastResponseCode: delivery.lastResponseCode,
    lastError: delivery.lastError,
    lastAttemptAt: delivery.lastAttemptAt,
    nextAttemptAt: delivery.nextAttemptAt,
    deliveredAt: delivery.deliveredAt,
    payload: delivery.body,
    createdAt: delivery.createdAt,
  };
}
