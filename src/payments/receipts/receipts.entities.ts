import { CreditNoteEntity } from './entities/credit-note.entity';
import { DebitNoteEntity } from './entities/debit-note.entity';
import { DocumentCounterEntity } from './entities/document-counter.entity';
import { ReceiptEntity } from './entities/receipt.entity';

export const RECEIPT_ENTITIES = [ReceiptEntity, CreditNoteEntity, DebitNoteEntity, DocumentCounterEntity];
