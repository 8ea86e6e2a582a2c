import { PaymentMethod } from '../providers/payment-provider';
import { ReceiptLanguage } from './receipt.enums';

/** The words a receipt prints, per language. */
export interface ReceiptLabels {
  /** The locale numbers and dates are written in. */
  locale: string;
  title: string;
  number: string;
  date: string;
  seller: string;
  billedTo: string;
  taxCode: string;
  email: string;
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  item: string;
  autoRechargeItem: string;
  subtotal: string;
  tax: (rate: string) => string;
  total: string;
  paidWith: string;
  paymentReference: string;
  purchase: string;
  methods: Record<PaymentMethod, string>;
  footer: string;
}

export const RECEIPT_LABELS: Record<ReceiptLanguage, ReceiptLabels> = {
  [ReceiptLanguage.EN]: {
    locale: 'en-US',
    title: 'Receipt',
    number: 'Receipt no.',
    date: 'Date',
    seller: 'Seller',
    billedTo: 'Billed to',
    taxCode: 'Tax code',
    email: 'Email',
    description: 'Description',
    quantity: 'Quantity',
    unitPrice: 'Unit price',
    amount: 'Amount',
    item: 'Prepaid credits',
    autoRechargeItem: 'Prepaid credits (auto-recharge)',
    subtotal: 'Subtotal',
    tax: (rate) => `Tax (${rate}%)`,
    total: 'Total paid',
    paidWith: 'Paid with',
    paymentReference: 'Payment reference',
    purchase: 'Purchase',
    methods: { [PaymentMethod.STRIPE]: 'Card (Stripe)', [PaymentMethod.PAYPAL]: 'PayPal', [PaymentMethod.VNPAY]: 'VNPay' },
    footer: 'This receipt was issued electronically and is valid without a signature.',
  },
  [ReceiptLanguage.VI]: {
    locale: 'vi-VN',
    title: 'Biên lai',
    number: 'Số biên lai',
    date: 'Ngày',
    seller: 'Đơn vị bán',
    billedTo: 'Khách hàng',
    taxCode: 'Mã số thuế',
    email: 'Email',
    description: 'Nội dung',
    quantity: 'Số lượng',
    unitPrice: 'Đơn giá',
    amount: 'Thành tiền',
    item: 'Credit trả trước',
    autoRechargeItem: 'Credit trả trước (tự động nạp)',
    subtotal: 'Tiền trước thuế',
    tax: (rate) => `Thuế (${rate}%)`,
    total: 'Tổng thanh toán',
    paidWith: 'Thanh toán qua',
    paymentReference: 'Mã giao dịch',
    purchase: 'Mã đơn nạp',
    methods: { [PaymentMethod.STRIPE]: 'Thẻ (Stripe)', [PaymentMethod.PAYPAL]: 'PayPal', [PaymentMethod.VNPAY]: 'VNPay' },
    footer: 'Biên lai điện tử, có giá trị không cần chữ ký.',
  },
};
