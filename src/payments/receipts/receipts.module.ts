import DataLoader from 'dataloader';
import { defineModule } from '../../feature-module';
import { loaderById } from '../../graphql/loaders';
import { CreditNotesService } from './credit-notes.service';
import { DebitNotesService } from './debit-notes.service';
import { createDocumentPdfRouter } from './document-pdf.routes';
import type { DocumentNumberingWorker } from './document-numbering.worker';
import type { CreditNoteEntity } from './entities/credit-note.entity';
import type { DebitNoteEntity } from './entities/debit-note.entity';
import type { ReceiptEntity } from './entities/receipt.entity';
import { CreditNoteIssued, DebitNoteIssued, ReceiptIssued } from './receipt-events';
import { createCreditNoteNumbering, createDebitNoteNumbering, createReceiptNumbering } from './receipt-numbering';
import { RECEIPT_ENTITIES } from './receipts.entities';
import { CreditNoteResolver, ReceiptsResolver } from './receipts.resolver';
import { ReceiptsService } from './receipts.service';

declare module '../../feature-module' {
  interface FeatureServices {
    /** Issues receipts in the crediting transaction (and late, for purchases paid before receipts existed); reads them. */
    receipts: ReceiptsService;
    /** Issues credit notes in the transaction that takes a purchase's credits back. */
    creditNotes: CreditNotesService;
    /** Issues debit notes, cancelling a credit note, in the transaction that gives its credits back. */
    debitNotes: DebitNotesService;
    receiptNumbering: DocumentNumberingWorker<ReceiptEntity>;
    creditNoteNumbering: DocumentNumberingWorker<CreditNoteEntity>;
    debitNoteNumbering: DocumentNumberingWorker<DebitNoteEntity>;
  }
}

declare module '../../graphql/loaders' {
  interface Loaders {
    /** A receipt by id (the access check and `receipt(id)`). */
    receipt: DataLoader<string, ReceiptEntity | null>;
    /** A top-up's receipt, by top-up id (`TopUp.receipt`). */
    receiptOfTopUp: DataLoader<string, ReceiptEntity | null>;
    /** A credit note by id (the access check and `creditNote(id)`). */
    creditNote: DataLoader<string, CreditNoteEntity | null>;
    /** A debit note by id (the access check and `debitNote(id)`). */
    debitNote: DataLoader<string, DebitNoteEntity | null>;
    /** A receipt's credit notes, by receipt id (`Receipt.creditNotes`). */
    creditNotesOfReceipt: DataLoader<string, CreditNoteEntity[]>;
    /** A receipt's debit notes, by receipt id (`Receipt.debitNotes`). */
    debitNotesOfReceipt: DataLoader<string, DebitNoteEntity[]>;
    /** The debit note that cancelled a credit note, by credit note id (`CreditNote.cancelledBy`). */
    debitNoteOfCreditNote: DataLoader<string, DebitNoteEntity | null>;
  }
}

/** A loader of each key's rows: one batch read, its rows grouped by key in the keys' order. */
function groupedLoader<Row>(readMany: (keys: readonly string[]) => Promise<Row[]>, keyOf: (row: Row) => string): DataLoader<string, Row[]> {
  return new DataLoader(async (keys) => {
    const rows = await readMany(keys);
    return keys.map((key) => rows.filter((row) => keyOf(row) === key));
  });
}

/**
 * Receipts, credit notes and debit notes: written by the payment paths in their own transactions
 * (top-ups calls `receipts.issueForPurchase`, `creditNotes.issue` and `debitNotes.cancel`; refunds
 * the two notes), numbered after commit by one leased worker per kind, read through GraphQL and as
 * PDF (`GET /receipts|credit-notes|debit-notes/{id}.pdf`). Listed before top-ups, whose services use it.
 */
export const receiptsModule = defineModule({
  name: 'receipts',
  entities: RECEIPT_ENTITIES,
  events: [ReceiptIssued, CreditNoteIssued, DebitNoteIssued],
  resolvers: [ReceiptsResolver, CreditNoteResolver],
  create: ({ config, runner, outbox, accounts, tokens, ...context }) => {
    const logger = context.logger.child({ component: 'receipts' });
    const numberingDependencies = { runner, outbox, logger, pollIntervalMs: config.receipts.numberingPollIntervalMs };
    const receiptNumbering = createReceiptNumbering(numberingDependencies);
    const creditNoteNumbering = createCreditNoteNumbering(numberingDependencies);
    const debitNoteNumbering = createDebitNoteNumbering(numberingDependencies);
    const receipts = new ReceiptsService({
      runner,
      config: config.receipts,
      numbering: receiptNumbering,
      maxPageSize: config.requestLimits.maxPageSize,
      logger,
    });
    const creditNotes = new CreditNotesService({ runner, config: config.receipts, numbering: creditNoteNumbering, logger });
    const debitNotes = new DebitNotesService({ runner, config: config.receipts, numbering: debitNoteNumbering, logger });
    const workers = { 'receipt-numbering': receiptNumbering, 'credit-note-numbering': creditNoteNumbering, 'debit-note-numbering': debitNoteNumbering };
    return {
      services: { receipts, creditNotes, debitNotes, receiptNumbering, creditNoteNumbering, debitNoteNumbering },
      loaders: () => ({
        receipt: loaderById(
          (ids) => receipts.findByIds(ids),
          (row) => String(row.id),
        ),
        receiptOfTopUp: loaderById(
          (topUpIds) => receipts.findByTopUpIds(topUpIds),
          (row) => row.topUpId,
        ),
        creditNote: loaderById(
          (ids) => creditNotes.findByIds(ids),
          (row) => String(row.id),
        ),
        debitNote: loaderById(
          (ids) => debitNotes.findByIds(ids),
          (row) => String(row.id),
        ),
        creditNotesOfReceipt: groupedLoader(
          (receiptIds) => creditNotes.findByReceiptIds(receiptIds.map(Number)),
          (note) => String(note.receiptId),
        ),
        debitNotesOfReceipt: groupedLoader(
          (receiptIds) => debitNotes.findByReceiptIds(receiptIds.map(Number)),
          (note) => String(note.receiptId),
        ),
        debitNoteOfCreditNote: loaderById(
          (creditNoteIds) => debitNotes.findByCreditNoteIds(creditNoteIds.map(Number)),
          (note) => String(note.creditNoteId),
        ),
      }),
      jobs: Object.entries(workers).map(([name, worker]) => ({ name, start: () => worker.start(), stop: () => worker.stop() })),
      // The same bearer parser and access policy as GraphQL, and the same request rate limit.
      routes: () => [
        {
          paths: ['/receipts', '/credit-notes', '/debit-notes'],
          rateLimit: 'request',
          handler: createDocumentPdfRouter({ receipts, creditNotes, debitNotes, accounts, tokens, logger, timeZone: config.receipts.timeZone }),
        },
      ],
    };
  },
});
