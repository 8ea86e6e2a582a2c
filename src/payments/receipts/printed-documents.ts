import { documentNumber } from './document-number';
import type { DocumentFormat, PrintedDocument } from './document-pdf';
import type { CreditNoteEntity } from './entities/credit-note.entity';
import type { DebitNoteEntity } from './entities/debit-note.entity';
import type { ReceiptEntity } from './entities/receipt.entity';
import { DocumentKind } from './receipt.enums';
import { formatTaxRate } from './tax';

/**
 * Each kind of document's parts for the one renderer (`document-pdf.ts`). A note prints the seller
 * and the buyer of the receipt it names (as copied onto the receipt at the purchase), that receipt's
 * number, and its own line and money; a debit note names the credit note it cancels too.
 */

export function printedReceipt(receipt: ReceiptEntity, format: DocumentFormat): PrintedDocument {
  const { labels } = format;
  const kind = labels.kinds[DocumentKind.RECEIPT];
  const number = documentNumber(receipt) ?? '';
  // A receipt issued after its purchase (back-filled) tells when it was paid.
  const paidOn = receipt.paidAt.getTime() === receipt.issuedAt.getTime() ? [] : [`${labels.paidOn}: ${format.date(receipt.paidAt)}`];
  return {
    ...sellerAndBuyer(receipt, format),
    title: kind.title,
    number,
    issuedAt: receipt.issuedAt,
    facts: [`${kind.number}: ${number}`, `${labels.date}: ${format.date(receipt.issuedAt)}`, ...paidOn],
    line: [
      receipt.origin === 'AUTO_RECHARGE' ? labels.autoRechargeItem : kind.item,
      format.credits(receipt.amountMicros),
      format.unitPrice(receipt.creditPrice, receipt.currency),
      format.money(receipt.totalMinor, receipt.currency),
    ],
    ...money(receipt, kind.total, format),
    notes: payment(receipt, format),
    footer: kind.footer,
  };
}

export function printedCreditNote(note: CreditNoteEntity, receipt: ReceiptEntity, format: DocumentFormat): PrintedDocument {
  const { labels } = format;
  return printedNote(note, {
    kind: DocumentKind.CREDIT_NOTE,
    receipt,
    format,
    names: [`${labels.kinds[DocumentKind.RECEIPT].number}: ${documentNumber(receipt) ?? ''}`],
    reason: labels.creditNoteReasons[note.reason],
  });
}

export function printedDebitNote(debitNote: DebitNoteEntity, cancelled: CreditNoteEntity, receipt: ReceiptEntity, format: DocumentFormat): PrintedDocument {
  const { labels } = format;
  return printedNote(debitNote, {
    kind: DocumentKind.DEBIT_NOTE,
    receipt,
    format,
    names: [
      `${labels.kinds[DocumentKind.CREDIT_NOTE].number}: ${documentNumber(cancelled) ?? ''}`,
      `${labels.kinds[DocumentKind.RECEIPT].number}: ${documentNumber(receipt) ?? ''}`,
    ],
    reason: labels.debitNoteReasons[debitNote.reason],
  });
}

/** What a credit note and a debit note share: a line of credits at the receipt's unit price, and their money. */
type Note = Pick<CreditNoteEntity, 'series' | 'year' | 'sequence' | 'issuedAt' | 'amountMicros' | 'totalMinor' | 'taxMinor' | 'taxBasisPoints' | 'currency'>;

function printedNote(
  note: Note,
  context: { kind: DocumentKind; receipt: ReceiptEntity; format: DocumentFormat; names: string[]; reason: string },
): PrintedDocument {
  const { kind: kindName, receipt, format } = context;
  const { labels } = format;
  const kind = labels.kinds[kindName];
  const number = documentNumber(note) ?? '';
  return {
    ...sellerAndBuyer(receipt, format),
    title: kind.title,
    number,
    issuedAt: note.issuedAt,
    facts: [`${kind.number}: ${number}`, `${labels.date}: ${format.date(note.issuedAt)}`, ...context.names],
    line: [kind.item, format.credits(note.amountMicros), format.unitPrice(receipt.creditPrice, note.currency), format.money(note.totalMinor, note.currency)],
    ...money(note, kind.total, format),
    notes: [`${labels.reason}: ${context.reason}`, ...payment(receipt, format)],
    footer: kind.footer,
  };
}

/** The seller and the buyer as the receipt recorded them. */
function sellerAndBuyer(receipt: ReceiptEntity, { labels }: DocumentFormat): Pick<PrintedDocument, 'issuer' | 'billedTo'> {
  const issuerLines = [receipt.issuerAddress, receipt.issuerTaxCode === null ? null : `${labels.taxCode}: ${receipt.issuerTaxCode}`];
  return {
    issuer: { name: receipt.issuerName, lines: issuerLines.filter((line): line is string => Boolean(line)) },
    billedTo:
      receipt.billingLegalName === null
        ? null
        : {
            name: receipt.billingLegalName,
            lines: [
              [receipt.billingAddressLine1, receipt.billingAddressLine2].filter(Boolean).join(', '),
              [receipt.billingCity, receipt.billingPostalCode, receipt.billingCountry].filter(Boolean).join(', '),
              `${labels.taxCode}: ${receipt.billingTaxCode ?? ''}`,
              `${labels.email}: ${receipt.billingInvoiceEmail ?? ''}`,
            ],
          },
  };
}

/** The subtotal and tax rows and the grand total of a document's money (tax included in the total). */
function money(
  document: Pick<Note, 'totalMinor' | 'taxMinor' | 'taxBasisPoints' | 'currency'>,
  totalLabel: string,
  format: DocumentFormat,
): Pick<PrintedDocument, 'totals' | 'total'> {
  const { labels } = format;
  const amount = (minor: bigint) => format.money(minor, document.currency);
  return {
    totals: [
      [labels.subtotal, amount(document.totalMinor - document.taxMinor)],
      [labels.tax(formatTaxRate(document.taxBasisPoints)), amount(document.taxMinor)],
    ],
    total: [totalLabel, amount(document.totalMinor)],
  };
}

/** How the purchase was paid, and which purchase it was. */
function payment(receipt: ReceiptEntity, { labels }: DocumentFormat): string[] {
  return [
    `${labels.paidWith}: ${labels.methods[receipt.method]}`,
    ...(receipt.providerReference ? [`${labels.paymentReference}: ${receipt.providerReference}`] : []),
    `${labels.purchase}: ${receipt.topUpId}`,
  ];
}
