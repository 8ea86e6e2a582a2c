import { writeFileSync } from 'fs';
import { documentFormat, renderDocumentPdf } from './src/payments/receipts/document-pdf';
import { printedReceipt } from './src/payments/receipts/printed-documents';
const receipt: any = {
  id: 7, accountId: 'a', topUpId: 'top-1', series: 'RC', year: 2026, sequence: 42, numberedAt: new Date(), issuedAt: new Date('2026-11-05T03:00:00Z'), paidAt: new Date('2026-11-05T03:00:00Z'),
  method: 'VNPAY', origin: 'MANUAL', providerReference: 'ref-9', billingEntityType: 'COMPANY', billingLegalName: 'Công ty TNHH Phần mềm Ánh Dương', billingTaxCode: '0315551234',
  billingAddressLine1: 'Số 12 Đường Nguyễn Huệ', billingAddressLine2: null, billingCity: 'Thành phố Hồ Chí Minh', billingPostalCode: null, billingCountry: 'VN', billingInvoiceEmail: 'k@x.example',
  amountMicros: 10_000_000n, creditPrice: '26000', currency: 'VND', totalMinor: 260000n, taxMinor: 23636n, taxBasisPoints: 1000, issuerName: 'Mây Xanh', issuerAddress: '1 Lê Duẩn', issuerTaxCode: '0300000001',
};
(async () => {
  for (const language of ['vi', 'en'] as const) writeFileSync(`/tmp/documents-check/${process.argv[2]}-${language}.pdf`, await renderDocumentPdf(printedReceipt(receipt, documentFormat(language as any, 'Asia/Ho_Chi_Minh')), language as any));
})();
