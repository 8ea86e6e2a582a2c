import { DocumentKind } from './receipt.enums';

/** How many digits a sequence is printed with at least (RC-2026-000042); larger sequences print in full. */
const SEQUENCE_DIGITS = 6;

/** A document's number, `<series>-<year>-<sequence>`; null until the numbering worker numbered it. */
export function documentNumber(document: { series: string; year: number; sequence: number | null }): string | null {
  if (document.sequence === null) return null;
  return `${document.series}-${document.year}-${String(document.sequence).padStart(SEQUENCE_DIGITS, '0')}`;
}

/** The calendar year of `instant` in `timeZone`: the year whose series a document is numbered in. */
export function calendarYear(instant: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(instant));
}

/** Where each kind of document is served as PDF: `GET <route>/{id}.pdf` (document-pdf.routes.ts). */
export const DOCUMENT_PDF_ROUTES: Readonly<Record<DocumentKind, string>> = {
  [DocumentKind.RECEIPT]: '/receipts',
  [DocumentKind.CREDIT_NOTE]: '/credit-notes',
  [DocumentKind.DEBIT_NOTE]: '/debit-notes',
};

/** The PDF path of one document (`/credit-notes/12.pdf`), as GraphQL and the webhooks give it. */
export const pdfPathOf = (kind: DocumentKind, id: number | string): string => `${DOCUMENT_PDF_ROUTES[kind]}/${id}.pdf`;
