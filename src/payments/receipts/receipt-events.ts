import { z } from 'zod';
import { defineEvent, instant, micros, type PayloadOf } from '../../common/event-definition';
import { formatMicros } from '../../common/money';
import { WebhookEventType } from '../../notifications/webhooks/webhook.enums';
import { CURRENCY_DECIMALS, formatMinorUnits } from '../providers/minor-units';

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
    totalMinor: z.string().regex(/^\d+$/),
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
      pdfPath: `/receipts/${payload.receiptId}.pdf`,
    },
  }),
});

export type ReceiptIssuedPayload = PayloadOf<typeof ReceiptIssued>;
