import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { AccessPolicy } from '../auth/access-policy';
import { assertCanManageAutoTransferRule, assertCanReadAutoTransferRule, assertCanReadPartnerAutoTransfers } from '../auth/automation-access';
import { badInput, forbidden } from '../common/domain-error';
import { forwardPageInfo } from '../common/page-info';
import { DEFAULT_PAGE_SIZE } from '../ledger/credit-history.service';
import { authorisedEvents } from '../notifications/subscription-access';
import { Topic } from '../notifications/topics';
import { type GraphQLContext, loadVisibleAccount } from '../graphql/context';
import type { AutoTransferOutcomePayload } from './auto-transfer-events';
import type { AutoTransferRuleView } from './auto-transfer-rules.service';
import { AutoTransferRuleStatus } from './auto-transfer.enums';
import {
  AutoTransferFiring,
  AutoTransferFiringsArgs,
  AutoTransferOutcomeEvent,
  AutoTransferRule,
  AutoTransferRuleConnection,
  AutoTransferRulesArgs,
  SetAutoTransferRuleInput,
} from './dtos/auto-transfer-rule.type';
import type { AutoTransferFiringEntity } from './entities/auto-transfer-firing.entity';

const MANAGERS = "The customer's partner, OWNER or BILLING_ADMIN";
type OutcomeBusEvent = AutoTransferOutcomePayload & Record<string, unknown> & { eventId: number };

/** The customer, when the caller may manage (or read) its partner's rule for it. */
async function authorisedCustomer(context: GraphQLContext, customerAccountId: string, need: 'read' | 'manage') {
  const customer = await loadVisibleAccount(context, customerAccountId);
  if (need === 'manage') assertCanManageAutoTransferRule(context.principal!, customer);
  else assertCanReadAutoTransferRule(context.principal!, customer);
  return customer;
}

function pageSize(context: GraphQLContext, first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  const maxPageSize = context.services.config.requestLimits.maxPageSize;
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize) throw badInput(`first must be from 1 to ${maxPageSize}.`, { field: 'first' });
  return size;
}

@Resolver(() => AutoTransferRule)
export class AutoTransfersResolver {
  @Query(() => AutoTransferRule, { nullable: true, description: `${MANAGERS}, or the platform admin: the customer's auto-transfer rule (null when none).` })
  async autoTransferRule(@Arg('customerAccountId', () => ID) customerAccountId: string, @Ctx() context: GraphQLContext): Promise<AutoTransferRule | null> {
    const customer = await authorisedCustomer(context, customerAccountId, 'read');
    const view = await context.services.autoTransferRules.find(customer.id);
    return view && toRule(view);
  }

  @Query(() => AutoTransferRuleConnection, { description: 'Partner OWNER or BILLING_ADMIN: your auto-transfer rules, oldest first.' })
  async autoTransferRules(@Args() args: AutoTransferRulesArgs, @Ctx() context: GraphQLContext): Promise<AutoTransferRuleConnection> {
    const principal = AccessPolicy.requireAuthenticated(context.principal);
    const first = pageSize(context, args.first);
    const partner = principal.accountId ? await context.loaders.account.load(principal.accountId) : null;
    if (!partner) throw forbidden('Only a partner has auto-transfer rules.');
    assertCanReadPartnerAutoTransfers(principal, partner, { adminMayRead: false });
    const page = await context.services.autoTransferRules.page(partner.id, { first, after: args.after ?? null });
    const edges = page.rules.map((view) => ({ cursor: String(view.rule.id), node: toRule(view) }));
    return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, args.after) };
  }

  @Mutation(() => AutoTransferRule, {
    description:
      `${MANAGERS}: create the customer's rule (ACTIVE), or replace its numbers (its status, history and this month's spending stay). ` +
      'Each amount positive; targetBalance above threshold.',
  })
  async setAutoTransferRule(@Arg('input') input: SetAutoTransferRuleInput, @Ctx() context: GraphQLContext): Promise<AutoTransferRule> {
    const customer = await authorisedCustomer(context, input.customerAccountId, 'manage');
    const view = await context.services.autoTransferRules.set({
      partnerAccountId: customer.partnerId!,
      customerAccountId: customer.id,
      thresholdMicros: input.threshold,
      targetMicros: input.targetBalance,
      monthlyCapMicros: input.monthlyCap,
    });
    return toRule(view);
  }

  @Mutation(() => AutoTransferRule, { description: `${MANAGERS}: stop the rule firing (crossings while paused fire nothing, also not on resuming).` })
  async pauseAutoTransferRule(@Arg('customerAccountId', () => ID) customerAccountId: string, @Ctx() context: GraphQLContext): Promise<AutoTransferRule> {
    const customer = await authorisedCustomer(context, customerAccountId, 'manage');
    return toRule(await context.services.autoTransferRules.setStatus(customer.id, AutoTransferRuleStatus.PAUSED));
  }

  @Mutation(() => AutoTransferRule, { description: `${MANAGERS}: let a paused rule fire again, from the next crossing.` })
  async resumeAutoTransferRule(@Arg('customerAccountId', () => ID) customerAccountId: string, @Ctx() context: GraphQLContext): Promise<AutoTransferRule> {
    const customer = await authorisedCustomer(context, customerAccountId, 'manage');
    return toRule(await context.services.autoTransferRules.setStatus(customer.id, AutoTransferRuleStatus.ACTIVE));
  }

  @Mutation(() => Boolean, { description: `${MANAGERS}: remove the rule and its firing history (the transfers it made stay in both histories).` })
  async removeAutoTransferRule(@Arg('customerAccountId', () => ID) customerAccountId: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    const customer = await authorisedCustomer(context, customerAccountId, 'manage');
    await context.services.autoTransferRules.remove(customer.id);
    return true;
  }

  @FieldResolver(() => [AutoTransferFiring], { description: 'Firings, newest first (one statement per rule: ask for it on one rule at a time).' })
  async firings(@Root() rule: AutoTransferRule, @Args() args: AutoTransferFiringsArgs, @Ctx() context: GraphQLContext): Promise<AutoTransferFiring[]> {
    const first = pageSize(context, args.first);
    const before = args.before == null ? null : Number(args.before);
    if (before !== null && !Number.isSafeInteger(before)) throw badInput('before is not a firing id.', { field: 'before' });
    const rows = await context.services.autoTransferRules.firings(Number(rule.id), { first, before, refusedOnly: args.refusedOnly ?? false });
    return rows.map(toFiring);
  }

  @Subscription(() => AutoTransferOutcomeEvent, {
    description: 'Partner OWNER or BILLING_ADMIN (or the admin): how each firing of your auto-transfer rules ended, succeeded or refused.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { partnerAccountId: string }, GraphQLContext>) => {
      const partner = await loadVisibleAccount(context, args.partnerAccountId);
      assertCanReadPartnerAutoTransfers(context.principal!, partner, { adminMayRead: true });
      const source = context.services.bus.subscribe(Topic.AUTO_TRANSFER_OUTCOME, partner.id) as AsyncIterable<OutcomeBusEvent>;
      return authorisedEvents(source, {
        principal: context.principal!,
        tokenExpiresAt: context.tokenExpiresAt,
        isAbout: (event) => event.accountId === partner.id,
      });
    },
  })
  autoTransferOutcomes(@Arg('partnerAccountId', () => ID) _partnerAccountId: string, @Root() event: OutcomeBusEvent): AutoTransferOutcomeEvent {
    return {
      eventId: String(event.eventId),
      ruleId: event.ruleId,
      firingId: event.firingId,
      customerAccountId: event.customerAccountId,
      status: event.status,
      amount: event.amountMicros === null ? null : BigInt(event.amountMicros),
      transferId: event.transferId,
      refusalCode: event.refusalCode,
      message: event.message,
      occurredAt: new Date(event.occurredAt),
    };
  }
}

function toRule({ rule, transferredThisMonthMicros, lastFiring }: AutoTransferRuleView): AutoTransferRule {
  return {
    id: String(rule.id),
    partnerAccountId: rule.partnerAccountId,
    customerAccountId: rule.customerAccountId,
    status: rule.status,
    threshold: rule.thresholdMicros,
    targetBalance: rule.targetMicros,
    monthlyCap: rule.monthlyCapMicros,
    transferredThisMonth: transferredThisMonthMicros,
    lastFiredAt: rule.lastFiredAt,
    lastFiring: lastFiring && toFiring(lastFiring),
    refusalCount: rule.refusalCount,
    lastRefusalCode: rule.lastRefusalCode,
    lastRefusalAt: rule.lastRefusalAt,
    createdAt: rule.createdAt,
    updatedAt: rule.updatedAt,
  };
}

function toFiring(firing: AutoTransferFiringEntity): AutoTransferFiring {
  return {
    id: String(firing.id),
    crossedAt: firing.crossedAt,
    totalBalanceAfterCrossing: firing.totalAfterMicros,
    status: firing.status,
    amount: firing.amountMicros,
    transferId: firing.transferId === null ? null : String(firing.transferId),
    refusalCode: firing.refusalCode,
    message: firing.message,
    completedAt: firing.completedAt,
  };
}
