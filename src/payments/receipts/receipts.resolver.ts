import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { invariant } from '../../common/domain-error';
import { forwardPageInfo } from '../../common/page-info';
import { Access, argument, type BelongingOfCall, type ResolverCall } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import { toCreditNote, toDebitNote, toReceipt } from './dtos/mappers';
import { CreditNote, DebitNote, Receipt, ReceiptConnection, ReceiptsPageArgs } from './dtos/receipt.type';
import type { ReceiptsService } from './receipts.service';

/** What the receipt resolvers use (the loaders are this module's: receipt, creditNote, debitNote and the notes of each). */
export interface ReceiptsResolverServices {
  receipts: Pick<ReceiptsService, 'page'>;
}

export type ReceiptsContext = GraphQLContext<ReceiptsResolverServices>;

/**
 * The account of the document an argument names. One that does not exist and one of another account
 * are refused alike (FORBIDDEN, same message), so document ids cannot be probed, as for top-ups.
 */
const documentNamedBy =
  (what: 'receipt' | 'credit note' | 'debit note', load: (context: ReceiptsContext, id: string) => Promise<{ accountId: string } | null>): BelongingOfCall =>
  async ({ args, context }: ResolverCall) => {
    const document = await load(context as ReceiptsContext, (args as { id: string }).id);
    return { what, accountId: document?.accountId ?? null };
  };

const ID_ARGUMENT = { description: 'The document id.' };

@Resolver(() => Receipt)
export class ReceiptsResolver {
  @Authorized(Access.readAccountData(argument('accountId')))
  @Query(() => ReceiptConnection, {
    description:
      'The receipts of an account you may see (its users of any role, its partner, the admin): one per purchase that succeeded, newest first, each with its number, the billing information and line as they were, and its credit and debit notes.',
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

  @Authorized(Access.readBelonging(documentNamedBy('receipt', (context, id) => context.loaders.receipt.load(id))))
  @Query(() => Receipt, { description: 'One receipt, for whoever may see its purchase (topUp).' })
  async receipt(@Arg('id', () => ID, ID_ARGUMENT) id: string, @Ctx() context: ReceiptsContext): Promise<Receipt> {
    const receipt = await context.loaders.receipt.load(id);
    invariant(receipt, `the auth checker let receipt ${id} through`);
    return toReceipt(receipt);
  }

  @Authorized(Access.readBelonging(documentNamedBy('credit note', (context, id) => context.loaders.creditNote.load(id))))
  @Query(() => CreditNote, { description: 'One credit note, for whoever may see its purchase (topUp).' })
  async creditNote(@Arg('id', () => ID, ID_ARGUMENT) id: string, @Ctx() context: ReceiptsContext): Promise<CreditNote> {
    const note = await context.loaders.creditNote.load(id);
    invariant(note, `the auth checker let credit note ${id} through`);
    return toCreditNote(note);
  }

  @Authorized(Access.readBelonging(documentNamedBy('debit note', (context, id) => context.loaders.debitNote.load(id))))
  @Query(() => DebitNote, { description: 'One debit note, for whoever may see its purchase (topUp).' })
  async debitNote(@Arg('id', () => ID, ID_ARGUMENT) id: string, @Ctx() context: ReceiptsContext): Promise<DebitNote> {
    const note = await context.loaders.debitNote.load(id);
    invariant(note, `the auth checker let debit note ${id} through`);
    return toDebitNote(note);
  }

  @FieldResolver(() => [CreditNote], { description: 'The credit notes giving money of this receipt back (refunds, disputes), oldest first.' })
  async creditNotes(@Root() receipt: Receipt, @Ctx() context: ReceiptsContext): Promise<CreditNote[]> {
    return (await context.loaders.creditNotesOfReceipt.load(receipt.id)).map(toCreditNote);
  }

  @FieldResolver(() => [DebitNote], {
    description: 'The debit notes cancelling credit notes of this receipt (disputes won, refunds that failed after they succeeded), oldest first.',
  })
  async debitNotes(@Root() receipt: Receipt, @Ctx() context: ReceiptsContext): Promise<DebitNote[]> {
    return (await context.loaders.debitNotesOfReceipt.load(receipt.id)).map(toDebitNote);
  }
}

@Resolver(() => CreditNote)
export class CreditNoteResolver {
  @FieldResolver(() => DebitNote, {
    nullable: true,
    description: 'The debit note that cancelled this credit note (a dispute won, a refund that failed after it succeeded); null while it stands.',
  })
  async cancelledBy(@Root() note: CreditNote, @Ctx() context: ReceiptsContext): Promise<DebitNote | null> {
    const debitNote = await context.loaders.debitNoteOfCreditNote.load(note.id);
    return debitNote ? toDebitNote(debitNote) : null;
  }
}
