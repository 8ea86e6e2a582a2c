import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { forwardPageInfo } from '../../common/page-info';
import { Access, argument } from '../../graphql/access';
import { toTopUp } from './dtos/mappers';
import { TopUpConnection, TopUpsPageArgs } from './dtos/top-up-list.type';
import { TopUpStatusUpdate } from './dtos/top-up-status-update.type';
import { TopUp } from './dtos/top-up.type';
import { failureMessage, MessageLocale } from './failure-reasons';
import type { TopUpsContext } from './top-ups.resolver';

const LOCALE_ARGUMENT = { nullable: true, defaultValue: MessageLocale.EN, description: 'EN (default) or VI.' } as const;

@Resolver(() => TopUp)
export class TopUpListResolver {
  @Authorized(Access.readAccountData(argument('accountId')))
  @Query(() => TopUpConnection, {
    description:
      'The purchase history of an account you may see (its users of any role, its partner, the admin), newest first: pending, paid, failed, canceled, expired and refunded top-ups with method, charge and failure reason. `payment` is always null here; read topUp(id) to resume paying.',
  })
  async topUps(@Arg('accountId', () => ID) accountId: string, @Args() args: TopUpsPageArgs, @Ctx() context: TopUpsContext): Promise<TopUpConnection> {
    const page = await context.services.topUpList.page(accountId, args.filter ?? {}, args.first, args.after);
    const edges = page.topUps.map((topUp, index) => ({ cursor: page.cursors[index], node: toTopUp(topUp, { showPayment: false }) }));
    return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, args.after) };
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why it failed, was canceled or expired, in the language asked for (null when it did not).' })
  failureMessage(@Root() topUp: TopUp, @Arg('locale', () => MessageLocale, LOCALE_ARGUMENT) locale: MessageLocale): string | null {
    return topUp.failureCode ? failureMessage(topUp.failureCode, locale) : topUp.failureReason;
  }
}

@Resolver(() => TopUpStatusUpdate)
export class TopUpStatusUpdateFieldsResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Why it failed, was canceled or expired, in the language asked for (null when it did not).' })
  failureMessage(@Root() update: TopUpStatusUpdate, @Arg('locale', () => MessageLocale, LOCALE_ARGUMENT) locale: MessageLocale): string | null {
    return update.failureCode ? failureMessage(update.failureCode, locale) : update.failureReason;
  }
}
