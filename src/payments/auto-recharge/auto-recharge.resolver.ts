import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { actorOf } from '../../audit/actor';
import type { SubscribeResolverData } from 'type-graphql';
import type { Config } from '../../config';
import { Access, argument, argumentOrOwnAccount, type BelongingOfCall } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import type { PublishedEvent } from '../../common/event-definition';
import { subscriptionEvents, type SubscriptionServices } from '../../notifications/subscription-access';
import { AutoRechargeOutcome, type AutoRechargeEventPayload } from './auto-recharge-events';
import { toPaymentNextAction } from '../top-ups/dtos/next-action.type';
import type { AutoRechargeService, AutoRechargeView } from './auto-recharge.service';
import type { SavedPaymentMethodsService } from './saved-payment-methods.service';
import { AutoRechargeEvent, AutoRechargeRule, SavedCardSetup, SavedPaymentMethod, SetAutoRechargeInput } from './dtos/auto-recharge.type';
import type { SavedPaymentMethodEntity } from './entities/saved-payment-method.entity';

/** What the auto-recharge resolvers use. */
export interface AutoRechargeResolverServices extends SubscriptionServices {
  autoRecharge: Pick<AutoRechargeService, 'get' | 'set' | 'pause' | 'remove'>;
  savedPaymentMethods: Pick<SavedPaymentMethodsService, 'list' | 'startSetup' | 'remove' | 'accountOf'>;
  config: Pick<Config, 'autoRecharge'>;
}

type Context = GraphQLContext<AutoRechargeResolverServices>;

/** The account of the saved card an `id` argument names; an unknown card is refused like another account's. */
const cardNamedById: BelongingOfCall = async ({ args, context }) => ({
  what: 'saved card',
  accountId: await (context as Context).services.savedPaymentMethods.accountOf(String(args.id)),
});

type AutoRechargeBusEvent = PublishedEvent<AutoRechargeEventPayload>;

/**
 * Auto-recharge for accounts that buy their own credits (README "Auto-recharge"). Reading: the
 * account's (or its partner's) OWNER and BILLING_ADMIN, and the admin; changing: the account's own
 * OWNER or BILLING_ADMIN, refused like a top-up (partner-managed, not active, no billing information).
 */
@Resolver()
export class AutoRechargeResolver {
  @Authorized(Access.readAutomation(argument('accountId')))
  @Query(() => AutoRechargeRule, {
    nullable: true,
    description: "The account's auto-recharge rule, or null. OWNER/BILLING_ADMIN (and its partner's), the admin.",
  })
  async autoRecharge(@Arg('accountId', () => ID) accountId: string, @Ctx() context: Context): Promise<AutoRechargeRule | null> {
    const view = await context.services.autoRecharge.get(accountId);
    return view ? toRule(view, context.services.config.autoRecharge.maxFailures) : null;
  }

  @Authorized(Access.readAutomation(argument('accountId')))
  @Query(() => [SavedPaymentMethod], { description: "The account's saved cards, newest first. OWNER/BILLING_ADMIN (and its partner's), the admin." })
  async savedPaymentMethods(@Arg('accountId', () => ID) accountId: string, @Ctx() context: Context): Promise<SavedPaymentMethod[]> {
    return (await context.services.savedPaymentMethods.list(accountId)).map(toSavedPaymentMethod);
  }

  @Authorized(Access.payBelonging(cardNamedById))
  @Mutation(() => Boolean, {
    description:
      'OWNER or BILLING_ADMIN of the account: remove a saved card. It is detached at Stripe first (it can never be charged again), then leaves savedPaymentMethods. ' +
      'An auto-recharge rule charging it is paused (disabledReason PAYMENT_METHOD_REMOVED) with an autoRechargeEvents PAUSED event and an AUTO_RECHARGE_PAUSED webhook. ' +
      'A card already removed is refused like an unknown one (FORBIDDEN); false only when a concurrent call removed it first.',
  })
  async removeSavedPaymentMethod(
    @Arg('id', () => ID, { description: 'The saved card (SavedPaymentMethod.id).' }) id: string,
    @Ctx() context: Context,
  ): Promise<boolean> {
    return context.services.savedPaymentMethods.remove(id, actorOf(context));
  }

  @Authorized(Access.manageOwnBilling(argumentOrOwnAccount((args) => args.accountId)))
  @Mutation(() => SavedCardSetup, {
    description:
      'OWNER or BILLING_ADMIN: start saving a card for auto-recharge (a Stripe SetupIntent for off-session use). Confirm clientSecret with Stripe.js; the card is listed by savedPaymentMethods once Stripe reports it (setup_intent.succeeded).',
  })
  async startSavedCardSetup(
    @Ctx() context: Context,
    @Arg('accountId', () => ID, { nullable: true, description: 'Defaults to your own account.' }) _accountId?: string,
    @Arg('returnUrl', () => String, {
      nullable: true,
      description:
        "Where a page that saves the card (a REDIRECT_TO_URL next action) sends the card holder back: a console URL, allowed as createTopUp's returnUrl is (BAD_USER_INPUT otherwise).",
    })
    returnUrl?: string | null,
  ): Promise<SavedCardSetup> {
    // manageOwnBilling lets only an OWNER or BILLING_ADMIN of the named account itself through.
    const principal = context.principal!;
    const setup = await context.services.savedPaymentMethods.startSetup(
      principal.accountId!,
      { accountId: principal.accountId, role: principal.role },
      returnUrl,
    );
    return { setupIntentId: setup.setupIntentId, clientSecret: setup.clientSecret, nextAction: toPaymentNextAction(setup.nextAction, setup.clientSecret) };
  }

  @Authorized(Access.manageOwnBilling(argumentOrOwnAccount((args) => args.input.accountId)))
  @Mutation(() => AutoRechargeRule, {
    description:
      'OWNER or BILLING_ADMIN: set (create or replace) the auto-recharge rule; it becomes ACTIVE with its failures cleared. Give amount or targetBalance.',
  })
  async setAutoRecharge(@Arg('input') input: SetAutoRechargeInput, @Ctx() context: Context): Promise<AutoRechargeRule> {
    const principal = context.principal!;
    const view = await context.services.autoRecharge.set(
      {
        accountId: principal.accountId!,
        thresholdMicros: input.threshold,
        amountMicros: input.amount ?? null,
        targetBalanceMicros: input.targetBalance ?? null,
        monthlyCapMicros: input.monthlyCap,
        paymentMethodId: input.paymentMethodId,
        buyer: { accountId: principal.accountId, role: principal.role },
        subject: principal.subject,
      },
      actorOf(context),
    );
    return toRule(view, context.services.config.autoRecharge.maxFailures);
  }

  @Authorized(Access.manageOwnBilling(argument('accountId')))
  @Mutation(() => AutoRechargeRule, {
    description: 'OWNER or BILLING_ADMIN: pause the rule, or resume it (paused: false; also turns a DISABLED rule back on).',
  })
  async pauseAutoRecharge(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('paused', { defaultValue: true }) paused: boolean,
    @Ctx() context: Context,
  ): Promise<AutoRechargeRule> {
    return toRule(await context.services.autoRecharge.pause(accountId, paused, actorOf(context)), context.services.config.autoRecharge.maxFailures);
  }

  @Authorized(Access.manageOwnBilling(argument('accountId')))
  @Mutation(() => Boolean, { description: 'OWNER or BILLING_ADMIN: delete the rule (false when there was none). Its top-ups stay in topUps.' })
  async removeAutoRecharge(@Arg('accountId', () => ID) accountId: string, @Ctx() context: Context): Promise<boolean> {
    return context.services.autoRecharge.remove(accountId, actorOf(context));
  }

  @Authorized(Access.readAccount(argument('accountId')))
  @Subscription(() => AutoRechargeEvent, {
    description: 'What the auto-recharge rule of an account you may see did: SUCCEEDED, REQUIRES_ACTION (complete 3-D Secure), FAILED, SKIPPED, DISABLED.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { accountId: string }, Context>) => {
      return subscriptionEvents(context, AutoRechargeOutcome, args.accountId, (event) => event.accountId === args.accountId);
    },
  })
  autoRechargeEvents(@Arg('accountId', () => ID) _accountId: string, @Root() event: AutoRechargeBusEvent): AutoRechargeEvent {
    return {
      eventId: String(event.eventId),
      accountId: event.accountId,
      type: event.type,
      topUpId: event.topUpId,
      amount: event.amountMicros,
      reason: event.reason,
      consecutiveFailures: event.consecutiveFailures,
      ruleStatus: event.ruleStatus,
      occurredAt: event.occurredAt,
    };
  }
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
