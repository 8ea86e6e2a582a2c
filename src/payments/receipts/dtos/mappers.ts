import type { BillingEntityType } from '../../../accounts/account.enums';
import { CURRENCY_DECIMALS, formatMinorUnits } from '../../providers/minor-units';
import { documentNumber, pdfPathOf } from '../document-number';
import type { CreditNoteEntity } from '../entities/credit-note.entity';
import type { DebitNoteEntity } from '../entities/debit-note.entity';
import { DocumentKind } from '../receipt.enums';
import type { ReceiptEntity } from '../entities/receipt.entity';
import { formatTaxRate } from '../tax';
import type { CreditNote, DebitNote, Receipt, ReceiptBillingDetails } from './receipt.type';

export function toReceipt(receipt: ReceiptEntity): Receipt {
  const money = (minor: bigint) => formatMinorUnits(minor, CURRENCY_DECIMALS[receipt.currency]);
  return {
    id: String(receipt.id),
    number: documentNumber(receipt),
    accountId: receipt.accountId,
    topUpId: receipt.topUpId,
    issuedAt: receipt.issuedAt,
    paidAt: receipt.paidAt,
    method: receipt.method,
    origin: receipt.origin,
    providerReference: receipt.providerReference,
    billing: toBillingDetails(receipt),
    line: {
      credits: receipt.amountMicros,
      unitPrice: receipt.creditPrice,
      currency: receipt.currency,
      subtotal: money(receipt.totalMinor - receipt.taxMinor),
      taxRate: formatTaxRate(receipt.taxBasisPoints),
      tax: money(receipt.taxMinor),
      total: money(receipt.totalMinor),
      totalMinor: receipt.totalMinor.toString(),
    },
    seller: { name: receipt.issuerName, address: receipt.issuerAddress, taxCode: receipt.issuerTaxCode },
    pdfPath: pdfPathOf(DocumentKind.RECEIPT, receipt.id),
  };
}

function toBillingDetails(receipt: ReceiptEntity): ReceiptBillingDetails | null {
  if (receipt.billingLegalName === null) return null;
  return {
    entityType: receipt.billingEntityType as BillingEntityType,
    legalName: receipt.billingLegalName,
    taxCode: receipt.billingTaxCode ?? '',
    addressLine1: receipt.billingAddressLine1 ?? '',
    addressLine2: receipt.billingAddressLine2,
    city: receipt.billingCity ?? '',
    postalCode: receipt.billingPostalCode,
    country: receipt.billingCountry ?? '',
    invoiceEmail: receipt.billingInvoiceEmail ?? '',
  };
}

export function toCreditNote(note: CreditNoteEntity): CreditNote {
  return {
    id: String(note.id),
    number: documentNumber(note),
    receiptId: String(note.receiptId),
    topUpId: note.topUpId,
    reason: note.reason,
    issuedAt: note.issuedAt,
    ...noteMoney(note),
    pdfPath: pdfPathOf(DocumentKind.CREDIT_NOTE, note.id),
  };
}

export function toDebitNote(note: DebitNoteEntity): DebitNote {
  return {
    id: String(note.id),
    number: documentNumber(note),
    creditNoteId: String(note.creditNoteId),
    receiptId: String(note.receiptId),
    topUpId: note.topUpId,
    reason: note.reason,
    issuedAt: note.issuedAt,
    ...noteMoney(note),
    pdfPath: pdfPathOf(DocumentKind.DEBIT_NOTE, note.id),
  };
}

/** A note's credits and money, with its currency's decimals. */
function noteMoney(note: CreditNoteEntity | DebitNoteEntity) {
  const money = (minor: bigint) => formatMinorUnits(minor, CURRENCY_DECIMALS[note.currency]);
  return {
    credits: note.amountMicros,
    currency: note.currency,
    subtotal: money(note.totalMinor - note.taxMinor),
    taxRate: formatTaxRate(note.taxBasisPoints),
    tax: money(note.taxMinor),
    total: money(note.totalMinor),
  };
}
