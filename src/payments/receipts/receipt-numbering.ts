import type { Logger } from '../../common/logger';
import type { TransactionRunner } from '../../database/transaction-runner';
import type { OutboxService } from '../../notifications/outbox.service';
import { documentNumber } from './document-number';
import { DocumentNumberingWorker } from './document-numbering.worker';
import { CreditNoteEntity } from './entities/credit-note.entity';
import { DebitNoteEntity } from './entities/debit-note.entity';
import { ReceiptEntity } from './entities/receipt.entity';
import { CreditNoteIssued, DebitNoteIssued, ReceiptIssued } from './receipt-events';
import { DocumentKind } from './receipt.enums';

interface NumberingDependencies {
  runner: TransactionRunner;
  outbox: OutboxService;
  logger: Logger;
  pollIntervalMs: number;
}

/** The worker that numbers receipts, announcing each numbered receipt (RECEIPT_ISSUED) in the numbering transaction. */
export function createReceiptNumbering({ outbox, ...dependencies }: NumberingDependencies): DocumentNumberingWorker<ReceiptEntity> {
  return new DocumentNumberingWorker<ReceiptEntity>({
    ...dependencies,
    series: {
      kind: DocumentKind.RECEIPT,
      entity: ReceiptEntity,
      announce: (manager, numbered) =>
        outbox.emit(
          manager,
          ReceiptIssued,
          numbered.map((receipt) => ({
            receiptId: String(receipt.id),
            accountId: receipt.accountId,
            topUpId: receipt.topUpId,
            number: documentNumber(receipt)!,
            amountMicros: receipt.amountMicros,
            currency: receipt.currency,
            totalMinor: receipt.totalMinor.toString(),
            issuedAt: receipt.issuedAt,
          })),
        ),
    },
  });
}

/** What a numbered note's event carries, whichever kind it is. */
function noteFields(note: CreditNoteEntity | DebitNoteEntity) {
  return {
    accountId: note.accountId,
    receiptId: String(note.receiptId),
    topUpId: note.topUpId,
    number: documentNumber(note)!,
    amountMicros: note.amountMicros,
    currency: note.currency,
    totalMinor: note.totalMinor.toString(),
    issuedAt: note.issuedAt,
  };
}

/** The worker that numbers credit notes in their own series, announcing each (CREDIT_NOTE_ISSUED). */
export function createCreditNoteNumbering({ outbox, ...dependencies }: NumberingDependencies): DocumentNumberingWorker<CreditNoteEntity> {
  return new DocumentNumberingWorker<CreditNoteEntity>({
    ...dependencies,
    series: {
      kind: DocumentKind.CREDIT_NOTE,
      entity: CreditNoteEntity,
      announce: (manager, numbered) =>
        outbox.emit(
          manager,
          CreditNoteIssued,
          numbered.map((note) => ({ creditNoteId: String(note.id), reason: note.reason, ...noteFields(note) })),
        ),
    },
  });
}

/** The worker that numbers debit notes in their own series, announcing each (DEBIT_NOTE_ISSUED). */
export function createDebitNoteNumbering({ outbox, ...dependencies }: NumberingDependencies): DocumentNumberingWorker<DebitNoteEntity> {
  return new DocumentNumberingWorker<DebitNoteEntity>({
    ...dependencies,
    series: {
      kind: DocumentKind.DEBIT_NOTE,
      entity: DebitNoteEntity,
      announce: (manager, numbered) =>
        outbox.emit(
          manager,
          DebitNoteIssued,
          numbered.map((note) => ({ debitNoteId: String(note.id), creditNoteId: String(note.creditNoteId), reason: note.reason, ...noteFields(note) })),
        ),
    },
  });
}
