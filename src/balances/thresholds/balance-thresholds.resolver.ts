import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import { actorOf } from '../../audit/actor';
import type { SubscribeResolverData } from 'type-graphql';
import { Account } from '../../accounts/dtos/account.type';
import type { AccountEntity } from '../../accounts/entities/account.entity';
import { CreditsScalar } from '../../common/credits.scalar';
import { Access, argument, checkedAccount } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import type { PublishedEvent } from '../../common/event-definition';
import { subscriptionEvents, type SubscriptionServices } from '../../notifications/subscription-access';
import { BalanceLow, type BalanceLowPayload } from './balance-low-events';
import type { BalanceThresholdsService } from './balance-thresholds.service';
import { BalanceMeasure } from './balance-measure';
import { BalanceLowEvent } from './dtos/balance-low.type';

/** What the balance-threshold resolvers use. */
export interface BalanceThresholdsResolverServices extends SubscriptionServices {
  balanceThresholds: Pick<BalanceThresholdsService, 'replace' | 'list'>;
}

type Context = GraphQLContext<BalanceThresholdsResolverServices>;

type BalanceLowBusEvent = PublishedEvent<BalanceLowPayload>;

@Resolver(() => Account)
export class BalanceThresholdsResolver {
  @Authorized(Access.manageAutomation(argument('accountId')))
  @Mutation(() => [CreditsScalar], {
    description:
      'OWNER or BILLING_ADMIN of the account or of its partner: replace the low-balance thresholds of an account on one measure (the total ' +
      "balance by default, or a partner's available credit; the other measure's stay); an empty list removes them. At most " +
      'BALANCE_THRESHOLDS_MAX_PER_ACCOUNT (default 10) per measure, each positive and distinct. Returns them highest first.',
  })
  async setBalanceThresholds(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('thresholds', () => [CreditsScalar]) thresholds: bigint[],
    @Arg('measure', () => BalanceMeasure, { defaultValue: BalanceMeasure.TOTAL, description: 'What the thresholds watch.' }) measure: BalanceMeasure,
    @Ctx() context: Context,
  ): Promise<bigint[]> {
    const account = await checkedAccount(context, accountId);
    return context.services.balanceThresholds.replace(account.id, thresholds, actorOf(context), measure);
  }

  @FieldResolver(() => [CreditsScalar], {
    description: 'Low-balance thresholds on one measure (the total balance by default), highest first (see setBalanceThresholds).',
  })
  async balanceThresholds(
    @Root() account: AccountEntity,
    @Arg('measure', () => BalanceMeasure, { defaultValue: BalanceMeasure.TOTAL, description: 'Which thresholds: on the total balance or on available credit.' })
    measure: BalanceMeasure,
    @Ctx() context: Context,
  ): Promise<bigint[]> {
    return context.services.balanceThresholds.list(account.id, measure);
  }

  @Authorized(Access.readAccount(argument('accountId')))
  @Subscription(() => BalanceLowEvent, {
    description: 'A low-balance threshold of an account you may see crossed downward (see setBalanceThresholds).',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { accountId: string }, Context>) => {
      return subscriptionEvents(context, BalanceLow, args.accountId, (event) => event.accountId === args.accountId);
    },
  })
  balanceLow(@Arg('accountId', () => ID) _accountId: string, @Root() event: BalanceLowBusEvent): BalanceLowEvent {
    return {
      eventId: String(event.eventId),
      accountId: event.accountId,
      measure: event.measure,
      threshold: event.thresholdMicros,
      balance: event.balanceMicros,
      previousBalance: event.balanceBeforeMicros,
      totalBalance: event.totalMicros,
      previousTotalBalance: event.totalBeforeMicros,
      movementType: event.movementType,
      amount: event.amountMicros,
      occurredAt: event.occurredAt,
    };
  }
}
