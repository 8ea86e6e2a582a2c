import { PaymentMethod } from '../providers/payment-provider';
import { CreditNoteReason, DebitNoteReason, DocumentKind, ReceiptLanguage } from './receipt.enums';

/** The words that differ per kind of document. */
export interface DocumentKindLabels {
  title: string;
  /** The label of its number, also used where another document names it ("Receipt no.: RC-…"). */
  number: string;
  /** Its line's description. */
  item: string;
  /** The label of its grand total. */
  total: string;
  footer: string;
}

/** The words a document prints, per language. */
export interface DocumentLabels {
  /** The locale numbers and dates are written in. */
  locale: string;
  kinds: Record<DocumentKind, DocumentKindLabels>;
  /** A receipt's line for a purchase of the auto-recharge rule. */
  autoRechargeItem: string;
  date: string;
  /** When a receipt issued after the purchase (back-filled) was paid. */
  paidOn: string;
  seller: string;
  billedTo: string;
  taxCode: string;
  email: string;
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  subtotal: string;
  tax: (rate: string) => string;
  paidWith: string;
  paymentReference: string;
  purchase: string;
  reason: string;
  methods: Record<PaymentMethod, string>;
  creditNoteReasons: Record<CreditNoteReason, string>;
  debitNoteReasons: Record<DebitNoteReason, string>;
}

export const DOCUMENT_LABELS: Record<ReceiptLanguage, DocumentLabels> = {
  [ReceiptLanguage.EN]: {
    locale: 'en-US',
    kinds: {
      [DocumentKind.RECEIPT]: {
        title: 'Receipt',
        number: 'Receipt no.',
        item: 'Prepaid credits',
        total: 'Total paid',
        footer: 'This receipt was issued electronically and is valid without a signature.',
      },
      [DocumentKind.CREDIT_NOTE]: {
        title: 'Credit note',
        number: 'Credit note no.',
        item: 'Prepaid credits returned',
        total: 'Total refunded',
        footer: 'This credit note was issued electronically and is valid without a signature.',
      },
      [DocumentKind.DEBIT_NOTE]: {
        title: 'Debit note',
        number: 'Debit note no.',
        item: 'Prepaid credits reinstated',
        total: 'Total debited',
        footer: 'This debit note was issued electronically and is valid without a signature.',
      },
    },
    autoRechargeItem: 'Prepaid credits (auto-recharge)',
    date: 'Date',
    paidOn: 'Paid on',
    seller: 'Seller',
    billedTo: 'Billed to',
    taxCode: 'Tax code',
    email: 'Email',
    description: 'Description',
    quantity: 'Quantity',
    unitPrice: 'Unit price',
    amount: 'Amount',
    subtotal: 'Subtotal',
    tax: (rate) => `Tax (${rate}%)`,
    paidWith: 'Paid with',
    paymentReference: 'Payment reference',
    purchase: 'Purchase',
    reason: 'Reason',
    methods: { [PaymentMethod.STRIPE]: 'Card (Stripe)', [PaymentMethod.PAYPAL]: 'PayPal', [PaymentMethod.VNPAY]: 'VNPay' },
    creditNoteReasons: {
      [CreditNoteReason.PROVIDER_REFUND]: 'Refund at the payment provider',
      [CreditNoteReason.DISPUTE]: 'Dispute (chargeback)',
      [CreditNoteReason.REFUND]: 'Refund',
    },
    debitNoteReasons: {
      [DebitNoteReason.DISPUTE_WON]: 'Dispute decided for the seller: the payment stands',
      [DebitNoteReason.REFUND_FAILED]: 'Refund failed at the payment provider: the money was not returned',
    },
  },
  [ReceiptLanguage.VI]: {
    locale: 'vi-VN',
    kinds: {
      [DocumentKind.RECEIPT]: {
        title: 'Biên lai',
        number: 'Số biên lai',
        item: 'Credit trả trước',
        total: 'Tổng thanh toán',
        footer: 'Biên lai điện tử, có giá trị không cần chữ ký.',
      },
      [DocumentKind.CREDIT_NOTE]: {
        title: 'Giấy báo có',
        number: 'Số giấy báo có',
        item: 'Hoàn credit trả trước',
        total: 'Tổng hoàn trả',
        footer: 'Giấy báo có điện tử, có giá trị không cần chữ ký.',
      },
      [DocumentKind.DEBIT_NOTE]: {
        title: 'Giấy báo nợ',
        number: 'Số giấy báo nợ',
        item: 'Khôi phục credit trả trước',
        total: 'Tổng ghi nợ',
        footer: 'Giấy báo nợ điện tử, có giá trị không cần chữ ký.',
      },
    },
    autoRechargeItem: 'Credit trả trước (tự động nạp)',
    date: 'Ngày',
    paidOn: 'Ngày thanh toán',
    seller: 'Đơn vị bán',
    billedTo: 'Khách hàng',
    taxCode: 'Mã số thuế',
    email: 'Email',
    description: 'Nội dung',
    quantity: 'Số lượng',
    unitPrice: 'Đơn giá',
    amount: 'Thành tiền',
    subtotal: 'Tiền trước thuế',
    tax: (rate) => `Thuế (${rate}%)`,
    paidWith: 'Thanh toán qua',
    paymentReference: 'Mã giao dịch',
    purchase: 'Mã đơn nạp',
    reason: 'Lý do',
    methods: { [PaymentMethod.STRIPE]: 'Thẻ (Stripe)', [PaymentMethod.PAYPAL]: 'PayPal', [PaymentMethod.VNPAY]: 'VNPay' },
    creditNoteReasons: {
      [CreditNoteReason.PROVIDER_REFUND]: 'Hoàn tiền tại cổng thanh toán',
      [CreditNoteReason.DISPUTE]: 'Khiếu nại thanh toán (chargeback)',
      [CreditNoteReason.REFUND]: 'Hoàn tiền',
    },
    debitNoteReasons: {
      [DebitNoteReason.DISPUTE_WON]: 'Khiếu nại được giải quyết có lợi cho bên bán: giao dịch được giữ nguyên',
      [DebitNoteReason.REFUND_FAILED]: 'Hoàn tiền không thành công tại cổng thanh toán: tiền chưa được trả lại',
    },
  },
};
