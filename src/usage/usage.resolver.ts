import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Scope } from '../auth/principal';
import { Access } from '../graphql/access';
import { toBalances } from '../balances/dtos/mappers';
import type { GraphQLContext } from '../graphql/context';
import { RecordUsagePayload, UsageEventInput } from './dtos/usage.type';
import { type UsageService, UsageEventStatus } from './usage.service';

/** What the usage resolvers use. */
export interface UsageResolverServices {
  usage: Pick<UsageService, 'record'>;
}

type Context = GraphQLContext<UsageResolverServices>;

@Resolver()
export class UsageResolver {
  @Authorized(Access.scope(Scope.USAGE_WRITE))
  @Mutation(() => RecordUsagePayload, {
    description:
      'Metering service (scope usage:write): record up to 500 consumption events. Each event id is applied once; ' +
      'promotional credits are used first (soonest expiry first), then top-up credits, which may go below zero.',
  })
  async recordUsage(@Arg('events', () => [UsageEventInput]) events: UsageEventInput[], @Ctx() context: Context): Promise<RecordUsagePayload> {
    const outcomes = await context.services.usage.record(
      events.map((event) => ({
        eventId: event.eventId,
        accountId: event.accountId,
        service: event.service,
        amountMicros: event.amount,
        occurredAt: event.occurredAt,
      })),
    );
    const count = (status: UsageEventStatus) => outcomes.filter((item) => item.status === status).length;
    return {
      results: outcomes.map((item) => ({
        eventId: item.eventId,
        status: item.status,
        code: item.code,
        message: item.message,
        promotionalAmount: item.promotionalMicros,
        topUpAmount: item.topUpMicros,
        balances: item.balancesAfter && toBalances(item.balancesAfter),
      })),
      appliedCount: count(UsageEventStatus.APPLIED),
      duplicateCount: count(UsageEventStatus.DUPLICATE),
      refusedCount: count(UsageEventStatus.REFUSED),
    };
  }
}
