import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import { actorOf } from '../../audit/actor';
import type { SubscribeResolverData } from 'type-graphql';
import { Account } from '../../accounts/dtos/account.type';
import type { AccountEntity } from '../../accounts/entities/account.entity';
import { CreditsScalar } from '../../common/credits.scalar';
import { Access, argument, checkedAccount } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import type { PublishedEvent } from '../../common/event-definition';
import { authorisedEvents, eventsOf, type SubscriptionServices } from '../../notifications/subscription-access';
import { BalanceLow, type BalanceLowPayload } from './balance-low-events';
import type { BalanceThresholdsService } from './balance-thresholds.service';
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
      'OWNER or BILLING_ADMIN of the account or of its partner: replace the low-balance thresholds (total balance) of an account; ' +
      'an empty list removes them. At most BALANCE_THRESHOLDS_MAX_PER_ACCOUNT (default 10), each positive and distinct. Returns them highest first.',
  })
  async setBalanceThresholds(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('thresholds', () => [CreditsScalar]) thresholds: bigint[],
    @Ctx() context: Context,
  ): Promise<bigint[]> {
    const account = await checkedAccount(context, accountId);
    return context.services.balanceThresholds.replace(account.id, thresholds, actorOf(context));
  }

  @FieldResolver(() => [CreditsScalar], { description: 'Low-balance thresholds on the total balance, highest first (see setBalanceThresholds).' })
  async balanceThresholds(@Root() account: AccountEntity, @Ctx() context: Context): Promise<bigint[]> {
    return context.services.balanceThresholds.list(account.id);
  }

  @Authorized(Access.readAccount(argument('accountId')))
  @Subscription(() => BalanceLowEvent, {
    description: 'A low-balance threshold of an account you may see crossed downward (see setBalanceThresholds).',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { accountId: string }, Context>) => {
      const source = eventsOf(context.services.bus, BalanceLow, args.accountId);
      return authorisedEvents(source, {
        principal: context.principal!,
        tokenExpiresAt: context.tokenExpiresAt,
        isAbout: (event) => event.accountId === args.accountId,
      });
    },
  })
  balanceLow(@Arg('accountId', () => ID) _accountId: string, @Root() event: BalanceLowBusEvent): BalanceLowEvent {
    return {
      eventId: String(event.eventId),
      accountId: event.accountId,
      threshold: event.thresholdMicros,
      totalBalance: event.totalMicros,
      previousTotalBalance: event.totalBeforeMicros,
      movementType: event.movementType,
      amount: event.amountMicros,
      occurredAt: event.occurredAt,
    };
  }
}
