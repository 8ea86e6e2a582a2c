import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Account } from '../../accounts/dtos/account.type';
import type { AccountEntity } from '../../accounts/entities/account.entity';
import { actorOf } from '../../audit/actor';
import type { SubscribeResolverData } from 'type-graphql';
import { badInput } from '../../common/domain-error';
import { forwardPageInfo } from '../../common/page-info';
import { Access, argument, checkedAccount } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import type { PublishedEvent } from '../../common/event-definition';
import { subscriptionEvents, type SubscriptionServices } from '../../notifications/subscription-access';
import { AutoTransferOutcome, type AutoTransferOutcomePayload } from './auto-transfer-events';
import type { AutoTransferRulesService, AutoTransferRuleView } from './auto-transfer-rules.service';
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
import { pageSizeOrThrow } from '../../common/page-size';

const MANAGERS = "The customer's partner, OWNER or BILLING_ADMIN";
type OutcomeBusEvent = PublishedEvent<AutoTransferOutcomePayload>;

/** What the auto-transfer resolvers use. */
export interface AutoTransfersResolverServices extends SubscriptionServices {
  autoTransferRules: Pick<AutoTransferRulesService, 'find' | 'page' | 'set' | 'setStatus' | 'remove' | 'firings'>;
  config: { requestLimits: { maxPageSize: number } };
}

type Context = GraphQLContext<AutoTransfersResolverServices>;

const CUSTOMER = argument('customerAccountId');

function pageSize(context: Context, first: number | null | undefined): number {
  return pageSizeOrThrow(first, { maxPageSize: context.services.config.requestLimits.maxPageSize });
}

@Resolver(() => AutoTransferRule)
export class AutoTransfersResolver {
  @Authorized(Access.autoTransferRule(CUSTOMER, 'read'))
  @Query(() => AutoTransferRule, { nullable: true, description: `${MANAGERS}, or the platform admin: the customer's auto-transfer rule (null when none).` })
  async autoTransferRule(@Arg('customerAccountId', () => ID) customerAccountId: string, @Ctx() context: Context): Promise<AutoTransferRule | null> {
    const customer = await checkedAccount(context, customerAccountId);
    const view = await context.services.autoTransferRules.find(customer.id);
    return view && toRule(view);
  }

  @Authorized(Access.partnerAutoTransfers(null, { adminMayRead: false }))
  @Query(() => AutoTransferRuleConnection, { description: 'Partner OWNER or BILLING_ADMIN: your auto-transfer rules, oldest first.' })
  async autoTransferRules(@Args() args: AutoTransferRulesArgs, @Ctx() context: Context): Promise<AutoTransferRuleConnection> {
    const first = pageSize(context, args.first);
    const page = await context.services.autoTransferRules.page(context.principal!.accountId!, { first, after: args.after ?? null });
    const edges = page.rules.map((view) => ({ cursor: String(view.rule.id), node: toRule(view) }));
    return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, args.after) };
  }

  @Authorized(Access.autoTransferRule(({ args }) => args.input.customerAccountId, 'manage'))
  @Mutation(() => AutoTransferRule, {
    description:
      `${MANAGERS}: create the customer's rule (ACTIVE), or replace its numbers (its status, history and this month's spending stay). ` +
      'Each amount positive; targetBalance above threshold.',
  })
  async setAutoTransferRule(@Arg('input') input: SetAutoTransferRuleInput, @Ctx() context: Context): Promise<AutoTransferRule> {
    const customer = await checkedAccount(context, input.customerAccountId);
    const view = await context.services.autoTransferRules.set(
      {
        partnerAccountId: customer.partnerId!,
        customerAccountId: customer.id,
        thresholdMicros: input.threshold,
        targetMicros: input.targetBalance,
        monthlyCapMicros: input.monthlyCap,
      },
      actorOf(context),
    );
    return toRule(view);
  }

  @Authorized(Access.autoTransferRule(CUSTOMER, 'manage'))
  @Mutation(() => AutoTransferRule, { description: `${MANAGERS}: stop the rule firing (crossings while paused fire nothing, also not on resuming).` })
  async pauseAutoTransferRule(@Arg('customerAccountId', () => ID) customerAccountId: string, @Ctx() context: Context): Promise<AutoTransferRule> {
    const customer = await checkedAccount(context, customerAccountId);
    return toRule(await context.services.autoTransferRules.setStatus(customer.id, AutoTransferRuleStatus.PAUSED, actorOf(context)));
  }

  @Authorized(Access.autoTransferRule(CUSTOMER, 'manage'))
  @Mutation(() => AutoTransferRule, { description: `${MANAGERS}: let a paused rule fire again, from the next crossing.` })
  async resumeAutoTransferRule(@Arg('customerAccountId', () => ID) customerAccountId: string, @Ctx() context: Context): Promise<AutoTransferRule> {
    const customer = await checkedAccount(context, customerAccountId);
    return toRule(await context.services.autoTransferRules.setStatus(customer.id, AutoTransferRuleStatus.ACTIVE, actorOf(context)));
  }

  @Authorized(Access.autoTransferRule(CUSTOMER, 'manage'))
  @Mutation(() => Boolean, { description: `${MANAGERS}: remove the rule and its firing history (the transfers it made stay in both histories).` })
  async removeAutoTransferRule(@Arg('customerAccountId', () => ID) customerAccountId: string, @Ctx() context: Context): Promise<boolean> {
    const customer = await checkedAccount(context, customerAccountId);
    await context.services.autoTransferRules.remove(customer.id, actorOf(context));
    return true;
  }

  @FieldResolver(() => Account, {
    description: 'The customer it tops up (name, status, balances), read in one batch for a page of rules.',
  })
  async customer(@Root() rule: AutoTransferRule, @Ctx() context: Context): Promise<AccountEntity> {
    const customer = await context.loaders.account.load(rule.customerAccountId);
    // A rule's customer is an account of its partner's (foreign key); accounts are never deleted.
    if (!customer) throw new Error(`auto-transfer rule ${rule.id}: customer ${rule.customerAccountId} is missing`);
    return customer;
  }

  @FieldResolver(() => [AutoTransferFiring], { description: 'Firings, newest first (one statement per rule: ask for it on one rule at a time).' })
  async firings(@Root() rule: AutoTransferRule, @Args() args: AutoTransferFiringsArgs, @Ctx() context: Context): Promise<AutoTransferFiring[]> {
    const first = pageSize(context, args.first);
    const before = args.before == null ? null : Number(args.before);
    if (before !== null && !Number.isSafeInteger(before)) throw badInput('before is not a firing id.', { field: 'before' });
    const rows = await context.services.autoTransferRules.firings(Number(rule.id), { first, before, refusedOnly: args.refusedOnly ?? false });
    return rows.map(toFiring);
  }

  @Authorized(Access.partnerAutoTransfers(argument('partnerAccountId'), { adminMayRead: true }))
  @Subscription(() => AutoTransferOutcomeEvent, {
    description: 'Partner OWNER or BILLING_ADMIN (or the admin): how each firing of your auto-transfer rules ended, succeeded or refused.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { partnerAccountId: string }, Context>) => {
      return subscriptionEvents(context, AutoTransferOutcome, args.partnerAccountId, (event) => event.accountId === args.partnerAccountId);
    },
  })
  autoTransferOutcomes(@Arg('partnerAccountId', () => ID) _partnerAccountId: string, @Root() event: OutcomeBusEvent): AutoTransferOutcomeEvent {
    return {
      eventId: String(event.eventId),
      ruleId: event.ruleId,
      firingId: event.firingId,
      customerAccountId: event.customerAccountId,
      status: event.status,
      amount: event.amountMicros,
      transferId: event.transferId,
      refusalCode: event.refusalCode,
      message: event.message,
      occurredAt: event.occurredAt,
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
