/** The three kinds of numbered document; each has its own series and its own counter. */
export enum DocumentKind {
  RECEIPT = 'RECEIPT',
  CREDIT_NOTE = 'CREDIT_NOTE',
  DEBIT_NOTE = 'DEBIT_NOTE',
}

/** Why a credit note was issued: what took the money back. */
export enum CreditNoteReason {
  /** A refund made at the payment provider (its dashboard or API), reported by its webhook. */
  PROVIDER_REFUND = 'PROVIDER_REFUND',
  /** A dispute (chargeback) opened by the card holder or the payer. */
  DISPUTE = 'DISPUTE',
  /** A refund made from the platform (`refundTopUp`). */
  REFUND = 'REFUND',
}

/** Why a debit note was issued: what cancelled a credit note and brought the money back to the seller. */
export enum DebitNoteReason {
  /** The seller won the dispute whose credit note it cancels: the payment stands again. */
  DISPUTE_WON = 'DISPUTE_WON',
  /** A platform refund the provider had confirmed failed afterwards: the money never reached the buyer. */
  REFUND_FAILED = 'REFUND_FAILED',
}

/** The languages a receipt is rendered in. */
export enum ReceiptLanguage {
  EN = 'en',
  VI = 'vi',
}
