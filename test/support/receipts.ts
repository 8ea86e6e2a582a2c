import type { TestServer } from './harness';
import type { Buyer } from './top-ups';

export const CREDIT_NOTE_FIELDS = /* GraphQL */ `id number receiptId topUpId reason issuedAt credits currency subtotal taxRate tax total`;
export const DEBIT_NOTE_FIELDS = /* GraphQL */ `id number creditNoteId receiptId topUpId reason issuedAt credits currency subtotal taxRate tax total pdfPath`;

export const RECEIPT_FIELDS = /* GraphQL */ `
  id number accountId topUpId issuedAt method origin providerReference pdfPath
  billing { entityType legalName taxCode addressLine1 addressLine2 city postalCode country invoiceEmail }
  line { credits unitPrice currency subtotal taxRate tax total totalMinor }
  seller { name address taxCode }
  creditNotes { ${CREDIT_NOTE_FIELDS} }
`;

/** A receipt with both kinds of notes, each credit note with its PDF and the debit note that cancelled it. */
export const RECEIPT_DOCUMENTS = /* GraphQL */ `
  query ReceiptDocuments($id: ID!) {
    receipt(id: $id) {
      id number paidAt issuedAt
      creditNotes { ${CREDIT_NOTE_FIELDS} pdfPath cancelledBy { ${DEBIT_NOTE_FIELDS} } }
      debitNotes { ${DEBIT_NOTE_FIELDS} }
    }
  }
`;
export const CREDIT_NOTE = /* GraphQL */ `query CreditNote($id: ID!) { creditNote(id: $id) { ${CREDIT_NOTE_FIELDS} pdfPath cancelledBy { id number } } }`;
export const DEBIT_NOTE = /* GraphQL */ `query DebitNote($id: ID!) { debitNote(id: $id) { ${DEBIT_NOTE_FIELDS} } }`;

export const TOP_UP_RECEIPT = /* GraphQL */ `query TopUpReceipt($id: ID!) { topUp(id: $id) { id status receipt { ${RECEIPT_FIELDS} } } }`;
export const RECEIPT = /* GraphQL */ `query Receipt($id: ID!) { receipt(id: $id) { ${RECEIPT_FIELDS} } }`;
export const RECEIPTS = /* GraphQL */ `
  query Receipts($accountId: ID!, $filter: ReceiptsFilterInput, $first: Int, $after: String) {
    receipts(accountId: $accountId, filter: $filter, first: $first, after: $after) {
      edges { cursor node { ${RECEIPT_FIELDS} } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** The receipt of a top-up, through `topUp { receipt }` (null when it has none). */
export async function receiptOf(server: TestServer, buyer: Buyer, topUpId: string) {
  return (await server.ok(TOP_UP_RECEIPT, { id: topUpId }, buyer.token)).topUp.receipt;
}

/** Every document number of a series, as stored, for gapless checks. */
export async function sequencesOf(server: TestServer, table: 'receipt' | 'credit_note' | 'debit_note', series: string): Promise<number[]> {
  const rows = (await server.services.dataSource.query(`SELECT sequence FROM ${table} WHERE series = ? AND sequence IS NOT NULL ORDER BY sequence`, [
    series,
  ])) as { sequence: number | string }[];
  return rows.map((row) => Number(row.sequence));
}

/** 1..n: what a gapless series of n numbers holds. */
export const oneTo = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

/** GET /receipts/{id}.pdf with a bearer token: the status, the content type and the body. */
export function fetchReceiptPdf(server: TestServer, receiptId: string, token: string | null, query = '') {
  return fetchPdf(server, `/receipts/${receiptId}.pdf${query}`, token);
}

/** GET a document's PDF (`pdfPath`, e.g. /credit-notes/3.pdf, with `?lang=` if wanted) with a bearer token. */
export async function fetchPdf(server: TestServer, path: string, token: string | null) {
  const response = await fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, contentType: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
}
