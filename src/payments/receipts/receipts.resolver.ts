import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { invariant } from '../../common/domain-error';
import { forwardPageInfo } from '../../common/page-info';
import { Access, argument, type BelongingOfCall, type ResolverCall } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import { toCreditNote, toReceipt } from './dtos/mappers';
import { CreditNote, Receipt, ReceiptConnection, ReceiptsPageArgs } from './dtos/receipt.type';
import type { ReceiptsService } from './receipts.service';

/** What the receipt resolvers use (the loaders are this module's: receipt, creditNotesOfReceipt). */
export interface ReceiptsResolverServices {
  receipts: Pick<ReceiptsService, 'page'>;
}

export type ReceiptsContext = GraphQLContext<ReceiptsResolverServices>;

/**
 * The account of the receipt an argument names. One that does not exist and one of another account
 * are refused alike (FORBIDDEN, same message), so receipt ids cannot be probed, as for top-ups.
 */
const receiptNamedBy =
  (read: (args: ResolverCall['args']) => string): BelongingOfCall =>
  async ({ args, context }) => {
    const receipt = await (context as ReceiptsContext).loaders.receipt.load(read(args));
    return { what: 'receipt', accountId: receipt?.accountId ?? null };
  };

@Resolver(() => Receipt)
export class ReceiptsResolver {
  @Authorized(Access.readAccountData(argument('accountId')))
  @Query(() => ReceiptConnection, {
    description:
      'The receipts of an account you may see (its users of any role, its partner, the admin): one per purchase that succeeded, newest first, each with its number, the billing information and line as they were, and its credit notes.',
  })
  async receipts(
    @Arg('accountId', () => ID, { description: 'The account whose receipts to list.' }) accountId: string,
    @Args() args: ReceiptsPageArgs,
    @Ctx() context: ReceiptsContext,
  ): Promise<ReceiptConnection> {
    const page = await context.services.receipts.page(accountId, args.filter ?? {}, args.first, args.after);
    const edges = page.receipts.map((receipt, index) => ({ cursor: page.cursors[index], node: toReceipt(receipt) }));
    return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, args.after) };
  }

  @Authorized(Access.readBelonging(receiptNamedBy((args) => args.id)))
  @Query(() => Receipt, { description: 'One receipt, for whoever may see its purchase (topUp).' })
  async receipt(@Arg('id', () => ID, { description: 'The receipt id.' }) id: string, @Ctx() context: ReceiptsContext): Promise<Receipt> {
    const receipt = await context.loaders.receipt.load(id);
    invariant(receipt, `the auth checker let receipt ${id} through`);
    return toReceipt(receipt);
  }

  @FieldResolver(() => [CreditNote], { description: 'The credit notes giving money of this receipt back (refunds, disputes), oldest first.' })
  async creditNotes(@Root() receipt: Receipt, @Ctx() context: ReceiptsContext): Promise<CreditNote[]> {
    return (await context.loaders.creditNotesOfReceipt.load(receipt.id)).map(toCreditNote);
  }
}
