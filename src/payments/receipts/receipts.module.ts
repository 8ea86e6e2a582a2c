import DataLoader from 'dataloader';
import { defineModule } from '../../feature-module';
import { loaderById } from '../../graphql/loaders';
import { CreditNotesService } from './credit-notes.service';
import { DocumentNumberingWorker } from './document-numbering.worker';
import { CreditNoteEntity } from './entities/credit-note.entity';
import type { ReceiptEntity } from './entities/receipt.entity';
import { createReceiptNumbering } from './receipt-numbering';
import { ReceiptIssued } from './receipt-events';
import { createReceiptPdfRouter } from './receipt-pdf.routes';
import { DocumentKind } from './receipt.enums';
import { RECEIPT_ENTITIES } from './receipts.entities';
import { ReceiptsResolver } from './receipts.resolver';
import { ReceiptsService } from './receipts.service';

declare module '../../feature-module' {
  interface FeatureServices {
    /** Issues receipts in the crediting transaction; reads them. */
    receipts: ReceiptsService;
    /** Issues credit notes in the transaction that takes a purchase's credits back. */
    creditNotes: CreditNotesService;
    receiptNumbering: DocumentNumberingWorker<ReceiptEntity>;
    creditNoteNumbering: DocumentNumberingWorker<CreditNoteEntity>;
  }
}

declare module '../../graphql/loaders' {
  interface Loaders {
    /** A receipt by id (the access check and `receipt(id)`). */
    receipt: DataLoader<string, ReceiptEntity | null>;
    /** A top-up's receipt, by top-up id (`TopUp.receipt`). */
    receiptOfTopUp: DataLoader<string, ReceiptEntity | null>;
    /** A receipt's credit notes, by receipt id (`Receipt.creditNotes`). */
    creditNotesOfReceipt: DataLoader<string, CreditNoteEntity[]>;
  }
}

/**
 * Receipts and credit notes: written by the payment paths in their own transactions (top-ups calls
 * `receipts.issueForPurchase` and `creditNotes.issue`), numbered after commit by one leased worker
 * per kind, read through GraphQL and as PDF (`GET /receipts/{id}.pdf`). Listed before top-ups, whose
 * services use it.
 */
export const receiptsModule = defineModule({
  name: 'receipts',
  entities: RECEIPT_ENTITIES,
  events: [ReceiptIssued],
  resolvers: [ReceiptsResolver],
  create: ({ config, runner, outbox, accounts, tokens, ...context }) => {
    const logger = context.logger.child({ component: 'receipts' });
    const pollIntervalMs = config.receipts.numberingPollIntervalMs;
    const receiptNumbering = createReceiptNumbering({ runner, outbox, logger, pollIntervalMs });
    const creditNoteNumbering = new DocumentNumberingWorker<CreditNoteEntity>({
      runner,
      logger,
      pollIntervalMs,
      series: { kind: DocumentKind.CREDIT_NOTE, entity: CreditNoteEntity },
    });
    const receipts = new ReceiptsService({
      runner,
      config: config.receipts,
      numbering: receiptNumbering,
      maxPageSize: config.requestLimits.maxPageSize,
      logger,
    });
    const creditNotes = new CreditNotesService({ runner, config: config.receipts, numbering: creditNoteNumbering, logger });
    return {
      services: { receipts, creditNotes, receiptNumbering, creditNoteNumbering },
      loaders: () => ({
        receipt: loaderById(
          (ids) => receipts.findByIds(ids),
          (row) => String(row.id),
        ),
        receiptOfTopUp: loaderById(
          (topUpIds) => receipts.findByTopUpIds(topUpIds),
          (row) => row.topUpId,
        ),
        creditNotesOfReceipt: new DataLoader(async (receiptIds: readonly string[]) => {
          const notes = await creditNotes.findByReceiptIds(receiptIds.map(Number));
          return receiptIds.map((id) => notes.filter((note) => String(note.receiptId) === id));
        }),
      }),
      jobs: [
        { name: 'receipt-numbering', start: () => receiptNumbering.start(), stop: () => receiptNumbering.stop() },
        { name: 'credit-note-numbering', start: () => creditNoteNumbering.start(), stop: () => creditNoteNumbering.stop() },
      ],
      // The same bearer parser and access policy as GraphQL, and the same request rate limit.
      routes: () => [
        {
          paths: ['/receipts'],
          rateLimit: 'request',
          handler: createReceiptPdfRouter({ receipts, accounts, tokens, logger, timeZone: config.receipts.timeZone }),
        },
      ],
    };
  },
});
