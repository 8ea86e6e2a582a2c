import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BillingEntityType } from '../../../accounts/account.enums';
import { CreditsScalar } from '../../../common/credits.scalar';
import { PageInfo } from '../../../common/page-info';
import { PaymentMethod } from '../../providers/payment-provider';
import { CreditNoteReason, DebitNoteReason } from '../receipt.enums';

registerEnumType(CreditNoteReason, {
  name: 'CreditNoteReason',
  description: 'What gave a purchase’s money back.',
  valuesConfig: {
    PROVIDER_REFUND: { description: "A refund made at the payment provider (its dashboard or API), reported by the provider's webhook." },
    DISPUTE: { description: 'A dispute (chargeback) the payer opened with the card issuer or PayPal.' },
    REFUND: { description: 'A refund made from the platform.' },
  },
});

registerEnumType(DebitNoteReason, {
  name: 'DebitNoteReason',
  description: 'What cancelled a credit note and brought its money back to the seller.',
  valuesConfig: {
    DISPUTE_WON: { description: 'The dispute whose credit note it cancels was decided for the seller: the payment stands.' },
    REFUND_FAILED: { description: 'A refund from the platform that the provider had confirmed failed afterwards: the money never reached the buyer.' },
  },
});

@ObjectType({ description: "The buyer's billing information as it was when the purchase succeeded; a later change alters no receipt." })
export class ReceiptBillingDetails {
  @Field(() => BillingEntityType, { description: 'COMPANY or INDIVIDUAL.' })
  entityType!: BillingEntityType;

  @Field({ description: 'The legal name the receipt is made out to.' })
  legalName!: string;

  @Field({ description: "The buyer's tax code (mã số thuế)." })
  taxCode!: string;

  @Field({ description: 'First line of the postal address.' })
  addressLine1!: string;

  @Field(() => String, { nullable: true, description: 'Second line of the postal address, if any.' })
  addressLine2!: string | null;

  @Field({ description: 'City or province.' })
  city!: string;

  @Field(() => String, { nullable: true, description: 'Postal code, if any.' })
  postalCode!: string | null;

  @Field({ description: 'ISO 3166-1 alpha-2 code; it decides the tax rate (RECEIPT_TAX_RATES).' })
  country!: string;

  @Field({ description: 'Where invoices and receipts are sent.' })
  invoiceEmail!: string;
}

@ObjectType({ description: 'The seller named on a receipt, as it was configured when the receipt was issued (RECEIPT_ISSUER_*).' })
export class ReceiptSeller {
  @Field({ description: 'RECEIPT_ISSUER_NAME.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'RECEIPT_ISSUER_ADDRESS (null when not configured).' })
  address!: string | null;

  @Field(() => String, { nullable: true, description: 'RECEIPT_ISSUER_TAX_CODE (null when not configured).' })
  taxCode!: string | null;
}

@ObjectType({ description: 'What a receipt charges for: credits at a unit price, in the charge currency, tax included.' })
export class ReceiptLine {
  @Field(() => CreditsScalar, { description: 'The credits bought.' })
  credits!: bigint;

  @Field({ description: 'The price of one credit in the currency, exact ("1.00" USD, "26000" VND).' })
  unitPrice!: string;

  @Field({ description: 'ISO 4217 code: USD or VND.' })
  currency!: string;

  @Field({ description: 'The amount before tax (total − tax), with the currency’s decimals ("10.00" USD, "260000" VND).' })
  subtotal!: string;

  @Field({ description: 'The tax rate in percent ("10", "7.5"; "0" where none is configured for the billing country).' })
  taxRate!: string;

  @Field({ description: 'The tax included in the total, with the currency’s decimals.' })
  tax!: string;

  @Field({ description: 'What the buyer paid, tax included, with the currency’s decimals.' })
  total!: string;

  @Field({ description: 'The same total in the currency’s minor units, as an integer string (USD cents, VND dong).' })
  totalMinor!: string;
}

@ObjectType({ description: 'Money of a receipt given back (a refund or a dispute), numbered in its own series.' })
export class CreditNote {
  @Field(() => ID, { description: 'The credit note id.' })
  id!: string;

  @Field(() => String, {
    nullable: true,
    description: '<CREDIT_NOTE_NUMBER_PREFIX>-<year>-<sequence>, gapless per calendar year; null only for the moment before it is numbered.',
  })
  number!: string | null;

  @Field(() => ID, { description: 'The receipt whose money it gives back.' })
  receiptId!: string;

  @Field(() => ID, { description: 'The purchase whose money it gives back.' })
  topUpId!: string;

  @Field(() => CreditNoteReason, { description: 'What gave the money back.' })
  reason!: CreditNoteReason;

  @Field({ description: 'When the credits were taken back.' })
  issuedAt!: Date;

  @Field(() => CreditsScalar, { description: 'The credits taken back.' })
  credits!: bigint;

  @Field({ description: 'ISO 4217 code, the receipt’s currency.' })
  currency!: string;

  @Field({ description: 'The amount before tax, with the currency’s decimals.' })
  subtotal!: string;

  @Field({ description: 'The receipt’s tax rate in percent.' })
  taxRate!: string;

  @Field({ description: 'The share of the receipt’s tax given back.' })
  tax!: string;

  @Field({ description: 'The money given back, tax included, with the currency’s decimals.' })
  total!: string;

  @Field({ description: 'Where the document is, as PDF: GET it with the same bearer token (`?lang=en|vi`).' })
  pdfPath!: string;
}

@ObjectType({
  description:
    'A credit note cancelled: the money it gave back is the seller’s again (a dispute won, a refund that failed after it succeeded), for exactly its credits and money, numbered in its own series.',
})
export class DebitNote {
  @Field(() => ID, { description: 'The debit note id (debitNote(id), GET /debit-notes/{id}.pdf).' })
  id!: string;

  @Field(() => String, {
    nullable: true,
    description: '<DEBIT_NOTE_NUMBER_PREFIX>-<year>-<sequence>, gapless per calendar year; null only for the moment before it is numbered.',
  })
  number!: string | null;

  @Field(() => ID, { description: 'The credit note it cancels.' })
  creditNoteId!: string;

  @Field(() => ID, { description: 'The receipt both notes name.' })
  receiptId!: string;

  @Field(() => ID, { description: 'The purchase.' })
  topUpId!: string;

  @Field(() => DebitNoteReason, { description: 'What cancelled the credit note.' })
  reason!: DebitNoteReason;

  @Field({ description: 'When the credits were given back.' })
  issuedAt!: Date;

  @Field(() => CreditsScalar, { description: 'The credits given back to the account: the credit note’s.' })
  credits!: bigint;

  @Field({ description: 'ISO 4217 code, the receipt’s currency.' })
  currency!: string;

  @Field({ description: 'The amount before tax, with the currency’s decimals.' })
  subtotal!: string;

  @Field({ description: 'The receipt’s tax rate in percent.' })
  taxRate!: string;

  @Field({ description: 'The tax it returns to the seller: the credit note’s.' })
  tax!: string;

  @Field({ description: 'The money that is the seller’s again, tax included, with the currency’s decimals: the credit note’s total.' })
  total!: string;

  @Field({ description: 'Where the document is, as PDF: GET it with the same bearer token (`?lang=en|vi`).' })
  pdfPath!: string;
}

@ObjectType({ description: 'The document of one successful purchase: never changed once issued.' })
export class Receipt {
  @Field(() => ID, { description: 'The receipt id (receipt(id), GET /receipts/{id}.pdf).' })
  id!: string;

  @Field(() => String, {
    nullable: true,
    description: '<RECEIPT_NUMBER_PREFIX>-<year>-<sequence>, gapless per calendar year; null only for the moment after the payment before it is numbered.',
  })
  number!: string | null;

  @Field(() => ID, { description: 'The buyer account.' })
  accountId!: string;

  @Field(() => ID, { description: 'The purchase it documents.' })
  topUpId!: string;

  @Field({
    description: 'When the receipt was issued: when the purchase succeeded, or, for a purchase paid before receipts existed, when the back-fill issued it.',
  })
  issuedAt!: Date;

  @Field({ description: 'When the purchase succeeded (issuedAt, but for a back-filled receipt).' })
  paidAt!: Date;

  @Field(() => PaymentMethod, { description: 'How the purchase was paid.' })
  method!: PaymentMethod;

  @Field({ description: 'MANUAL (createTopUp) or AUTO_RECHARGE (bought by the auto-recharge rule).' })
  origin!: string;

  @Field(() => String, { nullable: true, description: 'Stripe PaymentIntent id, PayPal order id or VNPay transaction reference.' })
  providerReference!: string | null;

  @Field(() => ReceiptBillingDetails, {
    nullable: true,
    description: 'The buyer as billed at the purchase (null only for an account that had no billing information).',
  })
  billing!: ReceiptBillingDetails | null;

  @Field(() => ReceiptLine, { description: 'What was bought and paid, tax included.' })
  line!: ReceiptLine;

  @Field(() => ReceiptSeller, { description: 'Who sold it.' })
  seller!: ReceiptSeller;

  @Field({ description: 'Where the document is, as PDF: GET it with the same bearer token (`?lang=en|vi`).' })
  pdfPath!: string;
}

@ObjectType()
export class ReceiptEdge {
  @Field()
  cursor!: string;

  @Field(() => Receipt)
  node!: Receipt;
}

@ObjectType({ description: 'A page of receipts, newest first (Relay connection).' })
export class ReceiptConnection {
  @Field(() => [ReceiptEdge])
  edges!: ReceiptEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType({ description: 'Which receipts to list: a period of issue times (both bounds optional).' })
export class ReceiptsFilterInput {
  @Field({ nullable: true, description: 'Inclusive start of the period (when the purchase succeeded).' })
  from?: Date;

  @Field({ nullable: true, description: 'Exclusive end of the period.' })
  to?: Date;
}

@ArgsType()
export class ReceiptsPageArgs {
  @Field(() => ReceiptsFilterInput, { nullable: true, description: 'Only receipts issued in this period.' })
  filter?: ReceiptsFilterInput | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1 to GRAPHQL_MAX_PAGE_SIZE (100 unless configured; default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}
