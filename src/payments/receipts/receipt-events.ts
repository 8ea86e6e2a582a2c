import { z } from 'zod';
import { defineEvent, instant, micros, type PayloadOf } from '../../common/event-definition';
import { formatMicros } from '../../common/money';
import { WebhookEventType } from '../../notifications/webhooks/webhook.enums';
import { CURRENCY_DECIMALS, formatMinorUnits } from '../providers/minor-units';
import { pdfPathOf } from './document-number';
import { CreditNoteReason, DebitNoteReason, DocumentKind } from './receipt.enums';

/** An amount of money in a currency's minor units, as an integer string. */
const minorUnits = z.string().regex(/^\d+$/);

/**
 * RECEIPT_ISSUED: a receipt got its number (written by the numbering worker in the transaction that
 * numbered it), keyed by the account. Its webhook tells the account's systems the document is ready.
 */
export const ReceiptIssued = defineEvent({
  topic: 'RECEIPT_ISSUED',
  version: 1,
  schema: z.object({
    receiptId: z.string(),
    accountId: z.string(),
    topUpId: z.string(),
    number: z.string(),
    amountMicros: micros,
    currency: z.enum(['USD', 'VND']),
    /** The total charged, in the currency's minor units, as an integer string. */
    totalMinor: minorUnits,
    issuedAt: instant,
  }),
  keyOf: (payload) => payload.accountId,
  webhook: (payload) => ({
    type: WebhookEventType.RECEIPT_ISSUED,
    accountId: payload.accountId,
    data: {
      receiptId: payload.receiptId,
      number: payload.number,
      topUpId: payload.topUpId,
      amount: formatMicros(payload.amountMicros),
      currency: payload.currency,
      total: formatMinorUnits(BigInt(payload.totalMinor), CURRENCY_DECIMALS[payload.currency]),
      issuedAt: payload.issuedAt.toISOString(),
      pdfPath: pdfPathOf(DocumentKind.RECEIPT, payload.receiptId),
    },
  }),
});

export type ReceiptIssuedPayload = PayloadOf<typeof ReceiptIssued>;

/** What the two notes' events carry: the note, the receipt it names, its credits and money. */
const noteFields = {
  accountId: z.string(),
  receiptId: z.string(),
  topUpId: z.string(),
  number: z.string(),
  amountMicros: micros,
  currency: z.enum(['USD', 'VND']),
  /** The money it gives back (a credit note) or returns to the seller (a debit note), in minor units. */
  totalMinor: minorUnits,
  issuedAt: instant,
};

/** The webhook data both notes share, money with the currency's decimals. */
function noteData(payload: {
  receiptId: string;
  topUpId: string;
  number: string;
  amountMicros: bigint;
  currency: 'USD' | 'VND';
  totalMinor: string;
  issuedAt: Date;
}) {
  return {
    number: payload.number,
    receiptId: payload.receiptId,
    topUpId: payload.topUpId,
    amount: formatMicros(payload.amountMicros),
    currency: payload.currency,
    total: formatMinorUnits(BigInt(payload.totalMinor), CURRENCY_DECIMALS[payload.currency]),
    issuedAt: payload.issuedAt.toISOString(),
  };
}

/** CREDIT_NOTE_ISSUED: a credit note (money of a receipt given back) got its number, written by its numbering worker. */
export const CreditNoteIssued = defineEvent({
  topic: 'CREDIT_NOTE_ISSUED',
  version: 1,
  schema: z.object({ creditNoteId: z.string(), reason: z.enum(CreditNoteReason), ...noteFields }),
  keyOf: (payload) => payload.accountId,
  webhook: (payload) => ({
    type: WebhookEventType.CREDIT_NOTE_ISSUED,
    accountId: payload.accountId,
    data: {
      creditNoteId: payload.creditNoteId,
      reason: payload.reason,
      ...noteData(payload),
      pdfPath: pdfPathOf(DocumentKind.CREDIT_NOTE, payload.creditNoteId),
    },
  }),
});

/** DEBIT_NOTE_ISSUED: a debit note (a credit note cancelled, its money back with the seller) got its number. */
export const DebitNoteIssued = defineEvent({
  topic: 'DEBIT_NOTE_ISSUED',
  version: 1,
  schema: z.object({ debitNoteId: z.string(), creditNoteId: z.string(), reason: z.enum(DebitNoteReason), ...noteFields }),
  keyOf: (payload) => payload.accountId,
  webhook: (payload) => ({
    type: WebhookEventType.DEBIT_NOTE_ISSUED,
    accountId: payload.accountId,
    data: {
      debitNoteId: payload.debitNoteId,
      creditNoteId: payload.creditNoteId,
      reason: payload.reason,
      ...noteData(payload),
      pdfPath: pdfPathOf(DocumentKind.DEBIT_NOTE, payload.debitNoteId),
    },
  }),
});
