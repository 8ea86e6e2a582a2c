/** The two kinds of numbered document; each has its own series and its own counter. */
export enum DocumentKind {
  RECEIPT = 'RECEIPT',
  CREDIT_NOTE = 'CREDIT_NOTE',
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

/** The languages a receipt is rendered in. */
export enum ReceiptLanguage {
  EN = 'en',
  VI = 'vi',
}
