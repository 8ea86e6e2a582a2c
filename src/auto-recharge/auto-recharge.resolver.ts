import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { AccessPolicy } from '../auth/access-policy';
import { assertCanReadAutomation } from '../auth/automation-access';
import type { Principal } from '../auth/principal';
import { authorisedEvents } from '../notifications/subscription-access';
import { Topic } from '../notifications/topics';
import { type GraphQLContext, loadVisibleAccount } from '../graphql/context';
import type { AutoRechargeEventPayload } from './auto-recharge-events';
import type { AutoRechargeView } from './auto-recharge.service';
import { AutoRechargeEvent, AutoRechargeRule, SavedCardSetup, SavedPaymentMethod, SetAutoRechargeInput } from './dtos/auto-recharge.type';
import type { SavedPaymentMethodEntity } from './entities/saved-payment-method.entity';

type AutoRechargeBusEvent = AutoRechargeEventPayload & Record<string, unknown> & { eventId: number };

/**
 * Auto-recharge for accounts that buy their own credits (README "Auto-recharge"). Reading: the
 * account's (or its partner's) OWNER and BILLING_ADMIN, and the admin; changing: the account's own
 * OWNER or BILLING_ADMIN, refused like a top-up (partner-managed, not active, no billing information).
 */
@Resolver()
export class AutoRechargeResolver {
  @Query(() => AutoRechargeRule, {
    nullable: true,
    description: "The account's auto-recharge rule, or null. OWNER/BILLING_ADMIN (and its partner's), the admin.",
  })
  async autoRecharge(@Arg('accountId', () => ID) accountId: string, @Ctx() context: GraphQLContext): Promise<AutoRechargeRule | null> {
    await assertCanReadAutoRecharge(context, accountId);
    const view = await context.services.autoRecharge.get(accountId);
    return view ? toRule(view, context.services.config.autoRecharge.maxFailures) : null;
  }

  @Query(() => [SavedPaymentMethod], { description: "The account's saved cards, newest first. OWNER/BILLING_ADMIN (and its partner's), the admin." })
  async savedPaymentMethods(@Arg('accountId', () => ID) accountId: string, @Ctx() context: GraphQLContext): Promise<SavedPaymentMethod[]> {
    await assertCanReadAutoRecharge(context, accountId);
    return (await context.services.savedPaymentMethods.list(accountId)).map(toSavedPaymentMethod);
  }

  @Mutation(() => SavedCardSetup, {
    description:
      'OWNER or BILLING_ADMIN: start saving a card for auto-recharge (a Stripe SetupIntent for off-session use). Confirm clientSecret with Stripe.js; the card is listed by savedPaymentMethods once Stripe reports it (setup_intent.succeeded).',
  })
  async startSavedCardSetup(
    @Ctx() context: GraphQLContext,
    @Arg('accountId', () => ID, { nullable: true, description: 'Defaults to your own account.' }) accountId?: string,
  ): Promise<SavedCardSetup> {
    const principal = ownBillingManager(context, accountId);
    const setup = await context.services.savedPaymentMethods.startSetup(principal.accountId!, { accountId: principal.accountId, role: principal.role });
    return { ...setup, demoSetupUrl: context.services.payments.standIns?.stripe.setupPageUrl(setup.setupIntentId) ?? null };
  }

  @Mutation(() => AutoRechargeRule, {
    description:
      'OWNER or BILLING_ADMIN: set (create or replace) the auto-recharge rule; it becomes ACTIVE with its failures cleared. Give amount or targetBalance.',
  })
  async setAutoRecharge(@Arg('input') input: SetAutoRechargeInput, @Ctx() context: GraphQLContext): Promise<AutoRechargeRule> {
    const principal = ownBillingManager(context, input.accountId);
    const view = await context.services.autoRecharge.set({
      accountId: principal.accountId!,
      thresholdMicros: input.threshold,
      amountMicros: input.amount ?? null,
      targetBalanceMicros: input.targetBalance ?? null,
      monthlyCapMicros: input.monthlyCap,
      paymentMethodId: input.paymentMethodId,
      buyer: { accountId: principal.accountId, role: principal.role },
      subject: principal.subject,
    });
    return toRule(view, context.services.config.autoRecharge.maxFailures);
  }

  @Mutation(() => AutoRechargeRule, {
    description: 'OWNER or BILLING_ADMIN: pause the rule, or resume it (paused: false; also turns a DISABLED rule back on).',
  })
  async pauseAutoRecharge(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('paused', { defaultValue: true }) paused: boolean,
    @Ctx() context: GraphQLContext,
  ): Promise<AutoRechargeRule> {
    ownBillingManager(context, accountId);
    return toRule(await context.services.autoRecharge.pause(accountId, paused), context.services.config.autoRecharge.maxFailures);
  }

  @Mutation(() => Boolean, { description: 'OWNER or BILLING_ADMIN: delete the rule (false when there was none). Its top-ups stay in topUps.' })
  async removeAutoRecharge(@Arg('accountId', () => ID) accountId: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    ownBillingManager(context, accountId);
    return context.services.autoRecharge.remove(accountId);
  }

  @Subscription(() => AutoRechargeEvent, {
    description: 'What the auto-recharge rule of an account you may see did: SUCCEEDED, REQUIRES_ACTION (complete 3-D Secure), FAILED, SKIPPED, DISABLED.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { accountId: string }, GraphQLContext>) => {
      await loadVisibleAccount(context, args.accountId);
      const source = context.services.bus.subscribe(Topic.AUTO_RECHARGE, args.accountId) as AsyncIterable<AutoRechargeBusEvent>;
      return authorisedEvents(source, {
        principal: context.principal!,
        tokenExpiresAt: context.tokenExpiresAt,
        isAbout: (event) => event.accountId === args.accountId,
      });
    },
  })
  autoRechargeEvents(@Arg('accountId', () => ID) _accountId: string, @Root() event: AutoRechargeBusEvent): AutoRechargeEvent {
    return {
      eventId: String(event.eventId),
      accountId: event.accountId,
      type: event.type,
      topUpId: event.topUpId,
      amount: event.amountMicros === null ? null : BigInt(event.amountMicros),
      reason: event.reason,
      consecutiveFailures: event.consecutiveFailures,
      ruleStatus: event.ruleStatus,
      occurredAt: new Date(event.occurredAt),
    };
  }
}

async function assertCanReadAutoRecharge(context: GraphQLContext, accountId: string): Promise<void> {
  const account = await loadVisibleAccount(context, accountId);
  assertCanReadAutomation(context.principal!, account);
}

/** The caller, an OWNER or BILLING_ADMIN of the account itself (its own account when none is named). */
function ownBillingManager(context: GraphQLContext, accountId: string | undefined): Principal {
  const principal = AccessPolicy.requireAuthenticated(context.principal);
  return AccessPolicy.assertCanManageOwnBilling(principal, accountId ?? principal.accountId ?? '');
}

function toSavedPaymentMethod(row: SavedPaymentMethodEntity): SavedPaymentMethod {
  return { id: String(row.id), brand: row.brand, last4: row.last4, expMonth: row.expMonth, expYear: row.expYear, createdAt: row.createdAt };
}

function toRule({ rule, paymentMethod, spentThisMonthMicros }: AutoRechargeView, maxConsecutiveFailures: number): AutoRechargeRule {
  return {
    accountId: rule.accountId,
    status: rule.status,
    disabledReason: rule.disabledReason,
    threshold: rule.thresholdMicros,
    amount: rule.amountMicros,
    targetBalance: rule.targetBalanceMicros,
    monthlyCap: rule.monthlyCapMicros,
    spentThisMonth: spentThisMonthMicros,
    paymentMethod: paymentMethod ? toSavedPaymentMethod(paymentMethod) : null,
    consecutiveFailures: rule.consecutiveFailures,
    maxConsecutiveFailures,
    createdAt: rule.createdAt,
    updatedAt: rule.updatedAt,
  };
}
