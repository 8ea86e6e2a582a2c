import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { forwardPageInfo } from '../common/page-info';
import { AccessPolicy } from '../auth/access-policy';
import { assertCanManageAutomation, assertCanReadAutomation } from '../auth/automation-access';
import { badInput } from '../common/domain-error';
import { DEFAULT_PAGE_SIZE } from '../ledger/credit-history.service';
import { type GraphQLContext, loadVisibleAccount } from '../graphql/context';
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

const MANAGERS = 'OWNER or BILLING_ADMIN of the account or of its partner';

/**
 * Loads an endpoint and checks the caller may read (or manage) its account. An endpoint that is not
 * yours answers like one that does not exist (FORBIDDEN; NOT_FOUND for the admin), so ids cannot be probed.
 */
async function authorisedEndpoint(context: GraphQLContext, endpointId: string, need: 'read' | 'manage'): Promise<WebhookEndpointEntity> {
  AccessPolicy.requireAuthenticated(context.principal);
  const found = await context.services.webhookEndpoints.find(endpointId);
  const owner = found ? await context.loaders.account.load(found.accountId) : null;
  AccessPolicy.assertCanReadBelonging(context.principal, 'webhook endpoint', owner);
  const endpoint = found!;
  const account = owner!;
  if (need === 'manage') assertCanManageAutomation(context.principal!, account);
  else assertCanReadAutomation(context.principal!, account);
  return endpoint;
}

@Resolver(() => WebhookDelivery)
export class WebhooksResolver {
  @Query(() => [WebhookEndpoint], { description: `${MANAGERS}, or the platform admin: the account's webhook endpoints (never their secrets).` })
  async webhookEndpoints(@Arg('accountId', () => ID) accountId: string, @Ctx() context: GraphQLContext): Promise<WebhookEndpoint[]> {
    const account = await loadVisibleAccount(context, accountId);
    assertCanReadAutomation(context.principal!, account);
    return (await context.services.webhookEndpoints.list(account.id)).map(toEndpoint);
  }

  @Query(() => WebhookDeliveryConnection, { description: `${MANAGERS}, or the platform admin: an endpoint's delivery log, newest first.` })
  async webhookDeliveries(@Args() args: WebhookDeliveriesArgs, @Ctx() context: GraphQLContext): Promise<WebhookDeliveryConnection> {
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const maxPageSize = context.services.config.requestLimits.maxPageSize;
    if (!Number.isInteger(first) || first < 1 || first > maxPageSize) throw badInput(`first must be from 1 to ${maxPageSize}.`, { field: 'first' });
    const endpoint = await authorisedEndpoint(context, args.endpointId, 'read');
    const page = await context.services.webhookEndpoints.deliveries(endpoint.id, { first, after: args.after ?? null });
    const edges = page.deliveries.map((delivery) => ({ cursor: String(delivery.id), node: toDelivery(delivery) }));
    return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, args.after) };
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: `${MANAGERS}: register a webhook endpoint (at most WEBHOOK_ENDPOINTS_MAX_PER_ACCOUNT, default 10). The signing secret is in this answer only.`,
  })
  async createWebhookEndpoint(@Arg('input') input: CreateWebhookEndpointInput, @Ctx() context: GraphQLContext): Promise<WebhookEndpointWithSecret> {
    const account = await loadVisibleAccount(context, input.accountId);
    assertCanManageAutomation(context.principal!, account);
    const { endpoint, secret } = await context.services.webhookEndpoints.create({ ...input, accountId: account.id });
    return { endpoint: toEndpoint(endpoint), secret };
  }

  @Mutation(() => WebhookEndpoint, { description: `${MANAGERS}: change an endpoint's URL, events or description, or disable / enable it.` })
  async updateWebhookEndpoint(@Arg('input') input: UpdateWebhookEndpointInput, @Ctx() context: GraphQLContext): Promise<WebhookEndpoint> {
    const endpoint = await authorisedEndpoint(context, input.endpointId, 'manage');
    return toEndpoint(await context.services.webhookEndpoints.update(endpoint.id, input));
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description:
      `${MANAGERS}: a new signing secret (in this answer only). For overlapSeconds (default WEBHOOK_SECRET_OVERLAP_SECONDS, 86400) ` +
      'deliveries carry a second v1 signature made with the old secret.',
  })
  async rotateWebhookSecret(
    @Arg('endpointId', () => ID) endpointId: string,
    @Ctx() context: GraphQLContext,
    @Arg('overlapSeconds', () => Int, { nullable: true }) overlapSeconds?: number | null,
  ): Promise<WebhookEndpointWithSecret> {
    const endpoint = await authorisedEndpoint(context, endpointId, 'manage');
    const rotated = await context.services.webhookEndpoints.rotateSecret(endpoint.id, overlapSeconds ?? null);
    return { endpoint: toEndpoint(rotated.endpoint), secret: rotated.secret };
  }

  @Mutation(() => Boolean, { description: `${MANAGERS}: remove an endpoint and its delivery log.` })
  async deleteWebhookEndpoint(@Arg('endpointId', () => ID) endpointId: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    const endpoint = await authorisedEndpoint(context, endpointId, 'manage');
    await context.services.webhookEndpoints.delete(endpoint.id);
    return true;
  }

  @Mutation(() => WebhookDelivery, { description: `${MANAGERS}: send a delivery again (same body and event id, fresh signature and retry window).` })
  async redeliverWebhook(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() context: GraphQLContext): Promise<WebhookDelivery> {
    AccessPolicy.requireAuthenticated(context.principal);
    const delivery = await context.services.webhookEndpoints.findDelivery(deliveryId);
    if (!delivery) AccessPolicy.assertCanReadBelonging(context.principal, 'webhook delivery', null);
    await authorisedEndpoint(context, delivery!.endpointId, 'manage');
    return toDelivery(await context.services.webhookEndpoints.redeliver(delivery!));
  }

  @FieldResolver(() => [WebhookDeliveryAttempt], { description: 'The newest attempts (at most 20), newest first.' })
  async recentAttempts(@Root() delivery: WebhookDelivery, @Ctx() context: GraphQLContext): Promise<WebhookDeliveryAttempt[]> {
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
