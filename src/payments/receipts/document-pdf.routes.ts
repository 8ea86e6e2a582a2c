import { Request, Response, Router } from 'express';
import { accountLookup } from '../../accounts/account-lookup';
import type { AccountsService } from '../../accounts/accounts.service';
import { AccessPolicy } from '../../auth/access-policy';
import { API_KEY_SCOPE_OF_ROUTE, requireApiKeyScope } from '../../auth/api-key-scopes';
import { authenticate } from '../../auth/bearer';
import type { TokenVerifier } from '../../auth/jwt';
import { badInput, DomainError, ErrorCode } from '../../common/domain-error';
import { sendRefusal } from '../../common/http-refusals';
import type { Logger } from '../../common/logger';
import type { CreditNotesService } from './credit-notes.service';
import type { DebitNotesService } from './debit-notes.service';
import { DOCUMENT_PDF_ROUTES, documentNumber } from './document-number';
import { documentFormat, type DocumentFormat, type PrintedDocument, renderDocumentPdf } from './document-pdf';
import type { ReceiptEntity } from './entities/receipt.entity';
import { printedCreditNote, printedDebitNote, printedReceipt } from './printed-documents';
import { DocumentKind, ReceiptLanguage } from './receipt.enums';
import type { ReceiptsService } from './receipts.service';

interface DocumentPdfDependencies {
  receipts: Pick<ReceiptsService, 'findById'>;
  creditNotes: Pick<CreditNotesService, 'findById'>;
  debitNotes: Pick<DebitNotesService, 'findById'>;
  accounts: Pick<AccountsService, 'findByIds'>;
  tokens: TokenVerifier;
  logger: Logger;
  /** RECEIPT_TIME_ZONE: the zone of the dates printed. */
  timeZone: string;
}

/** A document found by id, with what the route needs of it. */
interface PrintableDocument {
  accountId: string;
  /** The receipt it is (or names): its buyer's country decides the default language. */
  receipt: ReceiptEntity;
  /** Its own number first, then those of the documents it names; printed only once all are given. */
  numbers: (string | null)[];
  print(format: DocumentFormat): PrintedDocument;
}

const PDF_FILE = /^(\d{1,15})\.pdf$/;
const LANGUAGES = new Set<string>(Object.values(ReceiptLanguage));
const NAMES: Record<DocumentKind, string> = {
  [DocumentKind.RECEIPT]: 'receipt',
  [DocumentKind.CREDIT_NOTE]: 'credit note',
  [DocumentKind.DEBIT_NOTE]: 'debit note',
};

/**
 * `GET /receipts/{id}.pdf`, `GET /credit-notes/{id}.pdf` and `GET /debit-notes/{id}.pdf`
 * (`?lang=en|vi`): each document as a PDF, with the bearer token and the access of the purchase it
 * documents (whoever may see the purchase; an id that is nobody's is refused like another
 * account's). In English or Vietnamese: `lang`, else Vietnamese for a buyer billed in Vietnam and
 * English otherwise. Refusals are JSON with the GraphQL error shape.
 */
export function createDocumentPdfRouter(dependencies: DocumentPdfDependencies): Router {
  const router = Router();
  const finders = documentFinders(dependencies);
  for (const kind of Object.values(DocumentKind)) {
    const route = DOCUMENT_PDF_ROUTES[kind];
    router.get(`${route}/:file`, async (request: Request, response: Response) => {
      const file = PDF_FILE.exec(String(request.params.file));
      if (!file) {
        response
          .status(404)
          .json({ errors: [{ message: `No such document: ${NAMES[kind]}s are at ${route}/{id}.pdf.`, extensions: { code: ErrorCode.NOT_FOUND } }] });
        return;
      }
      let pdf: Buffer;
      let fileName: string;
      try {
        const principal = await authenticate(dependencies.tokens, request.header('authorization'));
        requireApiKeyScope(principal, `GET ${route}/{id}.pdf`, API_KEY_SCOPE_OF_ROUTE.documents);
        const found = await finders[kind](file[1]);
        await AccessPolicy.readBelonging(principal, { what: NAMES[kind], accountId: found?.accountId ?? null }, accountLookup(dependencies.accounts));
        const document = found!;
        const [number] = document.numbers;
        if (document.numbers.some((named) => named === null))
          throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, `This ${NAMES[kind]} is being numbered; try again in a moment.`, { retryable: true });
        const language = languageOf(request.query.lang) ?? (document.receipt.billingCountry === 'VN' ? ReceiptLanguage.VI : ReceiptLanguage.EN);
        pdf = await renderDocumentPdf(document.print(documentFormat(language, dependencies.timeZone)), language);
        fileName = `${number}.pdf`;
      } catch (error) {
        sendRefusal(dependencies.logger, response, error);
        return;
      }
      response.status(200);
      response.setHeader('content-type', 'application/pdf');
      response.setHeader('content-disposition', `inline; filename="${fileName}"`);
      response.setHeader('cache-control', 'private, no-store');
      response.end(pdf);
    });
  }
  return router;
}

/** Each kind's document by id, with the documents it names; null for an id that is no document's. */
function documentFinders({
  receipts,
  creditNotes,
  debitNotes,
}: DocumentPdfDependencies): Record<DocumentKind, (id: string) => Promise<PrintableDocument | null>> {
  const receiptOf = async (receiptId: number) => (await receipts.findById(String(receiptId)))!;
  return {
    [DocumentKind.RECEIPT]: async (id) => {
      const receipt = await receipts.findById(id);
      return receipt && { accountId: receipt.accountId, receipt, numbers: [documentNumber(receipt)], print: (format) => printedReceipt(receipt, format) };
    },
    [DocumentKind.CREDIT_NOTE]: async (id) => {
      const note = await creditNotes.findById(id);
      if (!note) return null;
      const receipt = await receiptOf(note.receiptId);
      return {
        accountId: note.accountId,
        receipt,
        numbers: [documentNumber(note), documentNumber(receipt)],
        print: (format) => printedCreditNote(note, receipt, format),
      };
    },
    [DocumentKind.DEBIT_NOTE]: async (id) => {
      const debitNote = await debitNotes.findById(id);
      if (!debitNote) return null;
      const [cancelled, receipt] = await Promise.all([creditNotes.findById(String(debitNote.creditNoteId)), receiptOf(debitNote.receiptId)]);
      return {
        accountId: debitNote.accountId,
        receipt,
        numbers: [documentNumber(debitNote), documentNumber(cancelled!), documentNumber(receipt)],
        print: (format) => printedDebitNote(debitNote, cancelled!, receipt, format),
      };
    },
  };
}

function languageOf(value: unknown): ReceiptLanguage | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !LANGUAGES.has(value.toLowerCase())) throw badInput('lang must be en or vi.', { field: 'lang' });
  return value.toLowerCase() as ReceiptLanguage;
}
