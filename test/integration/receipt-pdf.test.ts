import { Role } from '../../src/auth/principal';
import type { VnpayStandIn } from '../../src/demo/stand-ins';
import { UPDATE_BILLING } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { pdfText } from '../support/pdf-text';
import { refundTopUp } from '../support/refunds';
import { fetchPdf, fetchReceiptPdf, RECEIPT_DOCUMENTS, receiptOf } from '../support/receipts';
import { type Buyer, createBuyer, createTopUp } from '../support/top-ups';

/** A Vietnamese company, billed in Vietnam: its name and address need the Vietnamese letters the embedded font carries. */
const VIETNAMESE_BILLING = {
  entityType: 'COMPANY',
  legalName: 'Công ty TNHH Phần mềm Ánh Dương',
  taxCode: '0315551234',
  addressLine1: 'Số 12 Đường Nguyễn Huệ, Phường Bến Nghé',
  city: 'Thành phố Hồ Chí Minh',
  country: 'VN',
  invoiceEmail: 'ke-toan@anhduong.example',
};

/** Each expected text, and whether the extracted text holds it (a failure names the missing one). */
const holds = (text: string, expected: string[]) => expected.map((line) => ({ line, found: text.includes(line) }));
const everywhere = (expected: string[]) => expected.map((line) => ({ line, found: true }));

/**
 * The documents as PDF (`GET /receipts/{id}.pdf`, `/credit-notes/{id}.pdf`, `/debit-notes/{id}.pdf`):
 * rendered by pdfkit, read back here with pdf-parse, which extracts the text a person (or an
 * accounting import) would read off the page.
 */
describe('receipt, credit note and debit note PDFs', () => {
  let server: TestServer;
  let vnpay: VnpayStandIn;
  beforeAll(async () => {
    server = await startTestServer({
      env: {
        RECEIPT_TAX_RATES: 'VN:10',
        RECEIPT_ISSUER_NAME: 'Mây Xanh Cloud JSC',
        RECEIPT_ISSUER_ADDRESS: '1 Lê Duẩn, Quận 1, Thành phố Hồ Chí Minh',
        RECEIPT_ISSUER_TAX_CODE: '0300000001',
      },
    });
    vnpay = server.standIns.vnpay;
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(async () => {
    expect(await server.audit()).toEqual([]);
  });

  async function paidWithVnpay(buyer: Buyer, amount: string) {
    const topUp = await createTopUp(server, buyer, { method: 'VNPAY', amount });
    vnpay.openPaymentUrl(topUp.payment.redirectUrl);
    expect((await vnpay.callIpn(vnpay.resultQuery(topUp.id, 'success'))).answer).toMatchObject({ RspCode: '00' });
    return topUp;
  }

  it("prints a VNPay purchase in Vietnamese for a buyer billed in Vietnam: the number, the buyer's name and address with their diacritics, and every amount in whole dong", async () => {
    const buyer = await createBuyer(server, { billing: false });
    await server.ok(UPDATE_BILLING, { accountId: buyer.accountId, input: VIETNAMESE_BILLING }, buyer.token);
    const topUp = await paidWithVnpay(buyer, '10');
    const receipt = await receiptOf(server, buyer, topUp.id);
    // 10 credits at 26,000 VND, tax included at 10 %: 260,000 × 10 / 110 = 23,636.36… → 23,636 VND.
    expect(receipt.line).toEqual({
      credits: '10.000000',
      unitPrice: '26000',
      currency: 'VND',
      subtotal: '236364',
      taxRate: '10',
      tax: '23636',
      total: '260000',
      totalMinor: '260000',
    });

    const pdf = await fetchReceiptPdf(server, receipt.id, buyer.token);
    expect(pdf.status).toBe(200);
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf.body);
    for (const expected of [
      'BIÊN LAI',
      `Số biên lai: ${receipt.number}`,
      'Công ty TNHH Phần mềm Ánh Dương',
      'Số 12 Đường Nguyễn Huệ, Phường Bến Nghé',
      'Thành phố Hồ Chí Minh, VN',
      'Mã số thuế: 0315551234',
      'Mây Xanh Cloud JSC',
      'Credit trả trước',
      '26.000 VND',
      '260.000 VND',
      'Tiền trước thuế',
      '236.364 VND',
      'Thuế (10%)',
      '23.636 VND',
      'Tổng thanh toán',
      'Thanh toán qua: VNPay',
      `Mã giao dịch: ${topUp.id}`,
    ]) {
      expect({ expected, found: text.includes(expected) }).toEqual({ expected, found: true });
    }
  });

  it('prints the same receipt in English when asked (?lang=en), with English number grouping', async () => {
    const buyer = await createBuyer(server, { billing: false });
    await server.ok(UPDATE_BILLING, { accountId: buyer.accountId, input: VIETNAMESE_BILLING }, buyer.token);
    const receipt = await receiptOf(server, buyer, (await paidWithVnpay(buyer, '20')).id);
    // 20 credits: 520,000 VND, of which 47,273 VND tax (47,272.7…), 472,727 VND before it.
    const text = await pdfText((await fetchReceiptPdf(server, receipt.id, buyer.token, '?lang=en')).body);
    for (const expected of [
      'RECEIPT',
      `Receipt no.: ${receipt.number}`,
      'Công ty TNHH Phần mềm Ánh Dương',
      'Billed to'.toUpperCase(),
      'Prepaid credits',
      '26,000 VND',
      '520,000 VND',
      '472,727 VND',
      'Tax (10%)',
      '47,273 VND',
      'Total paid',
    ]) {
      expect({ expected, found: text.includes(expected) }).toEqual({ expected, found: true });
    }
    expect(text).not.toContain('BIÊN LAI');
  });

  it('prints a card purchase in dollars and cents, in English for a buyer billed outside Vietnam, tax 0 there', async () => {
    const buyer = await createBuyer(server, { region: 'US', billing: false });
    await server.ok(
      UPDATE_BILLING,
      { accountId: buyer.accountId, input: { ...VIETNAMESE_BILLING, legalName: 'Nguyễn Thị Minh Khai', entityType: 'INDIVIDUAL', country: 'US' } },
      buyer.token,
    );
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '25.5' });
    await server.standIns.stripe.succeed(topUp.providerReference);
    const receipt = await receiptOf(server, buyer, topUp.id);
    const text = await pdfText((await fetchReceiptPdf(server, receipt.id, buyer.token)).body);
    for (const expected of [
      'RECEIPT',
      receipt.number,
      'Nguyễn Thị Minh Khai',
      '25.5',
      '1.00 USD',
      '25.50 USD',
      'Tax (0%)',
      '0.00 USD',
      'Paid with: Card (Stripe)',
    ]) {
      expect({ expected, found: text.includes(expected) }).toEqual({ expected, found: true });
    }
    const vietnamese = await pdfText((await fetchReceiptPdf(server, receipt.id, buyer.token, '?lang=VI')).body);
    expect(vietnamese).toContain('25,50 USD');
  });

  it('renders a receipt to the same bytes every time, for any caller who may see it', async () => {
    const buyer = await createBuyer(server, { billing: false });
    await server.ok(UPDATE_BILLING, { accountId: buyer.accountId, input: VIETNAMESE_BILLING }, buyer.token);
    const receipt = await receiptOf(server, buyer, (await paidWithVnpay(buyer, '10')).id);
    const first = await fetchReceiptPdf(server, receipt.id, buyer.token);
    await server.ok(UPDATE_BILLING, { accountId: buyer.accountId, input: { ...VIETNAMESE_BILLING, legalName: 'Tên Mới' } }, buyer.token);
    const viewer = await server.userToken(buyer.accountId, Role.VIEWER);
    const again = await fetchReceiptPdf(server, receipt.id, viewer);
    expect(again.status).toBe(200);
    expect(again.body.equals(first.body)).toBe(true);
  });

  it("prints a VNPay refund's credit note in Vietnamese: its number, the receipt it names, the buyer's name with its diacritics and every amount in whole dong", async () => {
    const buyer = await createBuyer(server, { billing: false });
    await server.ok(UPDATE_BILLING, { accountId: buyer.accountId, input: VIETNAMESE_BILLING }, buyer.token);
    const topUp = await paidWithVnpay(buyer, '10');
    // 2.5 of the 10 credits: 65,000 VND, of which 5,909 VND tax (65,000 × 10 / 110 = 5,909.09…), 59,091 VND before it.
    expect((await refundTopUp(server, { topUpId: topUp.id, amount: '2.5' })).data.refundTopUp.status).toBe('SUCCEEDED');
    const receipt = await receiptOf(server, buyer, topUp.id);
    const [creditNote] = (await server.ok(RECEIPT_DOCUMENTS, { id: receipt.id }, buyer.token)).receipt.creditNotes;
    expect(creditNote).toMatchObject({ reason: 'REFUND', credits: '2.500000', subtotal: '59091', tax: '5909', total: '65000' });

    const pdf = await fetchPdf(server, creditNote.pdfPath, buyer.token);
    expect({ status: pdf.status, contentType: pdf.contentType, head: pdf.body.subarray(0, 5).toString() }).toEqual({
      status: 200,
      contentType: 'application/pdf',
      head: '%PDF-',
    });
    const expected = [
      'GIẤY BÁO CÓ',
      `Số giấy báo có: ${creditNote.number}`,
      `Số biên lai: ${receipt.number}`,
      'Công ty TNHH Phần mềm Ánh Dương',
      'Số 12 Đường Nguyễn Huệ, Phường Bến Nghé',
      'Mã số thuế: 0315551234',
      'Mây Xanh Cloud JSC',
      'Hoàn credit trả trước',
      '2,5',
      '26.000 VND',
      '65.000 VND',
      'Tiền trước thuế',
      '59.091 VND',
      'Thuế (10%)',
      '5.909 VND',
      'Tổng hoàn trả',
      'Lý do: Hoàn tiền',
      'Thanh toán qua: VNPay',
      `Mã đơn nạp: ${topUp.id}`,
    ];
    expect(holds(await pdfText(pdf.body), expected)).toEqual(everywhere(expected));
    expect(pdf.body.equals((await fetchPdf(server, creditNote.pdfPath, buyer.token)).body)).toBe(true);
  });

  it("prints a won dispute's debit note, naming the credit note it cancels and the receipt, in English and in Vietnamese, in dollars and cents", async () => {
    const buyer = await createBuyer(server, { region: 'US', billing: false });
    await server.ok(
      UPDATE_BILLING,
      { accountId: buyer.accountId, input: { ...VIETNAMESE_BILLING, legalName: 'Nguyễn Thị Minh Khai', entityType: 'INDIVIDUAL', country: 'US' } },
      buyer.token,
    );
    const stripe = server.standIns.stripe;
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '25.5' });
    await stripe.succeed(topUp.providerReference);
    const created = await stripe.dispute(topUp.providerReference);
    await stripe.closeDispute((created.event.data.object as { id: string }).id, 'won');
    const receipt = await receiptOf(server, buyer, topUp.id);
    const { creditNotes, debitNotes } = (await server.ok(RECEIPT_DOCUMENTS, { id: receipt.id }, buyer.token)).receipt;
    const [creditNote, debitNote] = [creditNotes[0], debitNotes[0]];

    const english = [
      'DEBIT NOTE',
      `Debit note no.: ${debitNote.number}`,
      `Credit note no.: ${creditNote.number}`,
      `Receipt no.: ${receipt.number}`,
      'Nguyễn Thị Minh Khai',
      'Prepaid credits reinstated',
      '25.5',
      '1.00 USD',
      '25.50 USD',
      'Tax (0%)',
      '0.00 USD',
      'Total debited',
      'Reason: Dispute decided for the seller: the payment stands',
      'Paid with: Card (Stripe)',
      `Payment reference: ${topUp.providerReference}`,
    ];
    const debitPdf = await fetchPdf(server, debitNote.pdfPath, buyer.token);
    expect(debitPdf.status).toBe(200);
    expect(holds(await pdfText(debitPdf.body), english)).toEqual(everywhere(english));
    const vietnamese = [
      'GIẤY BÁO NỢ',
      `Số giấy báo nợ: ${debitNote.number}`,
      `Số giấy báo có: ${creditNote.number}`,
      'Nguyễn Thị Minh Khai',
      '25,50 USD',
      'Tổng ghi nợ',
    ];
    const vietnamesePdf = await fetchPdf(server, `${debitNote.pdfPath}?lang=vi`, buyer.token);
    expect(holds(await pdfText(vietnamesePdf.body), vietnamese)).toEqual(everywhere(vietnamese));

    // The credit note it cancels: the dispute, the same money.
    const credit = [
      'CREDIT NOTE',
      `Credit note no.: ${creditNote.number}`,
      `Receipt no.: ${receipt.number}`,
      'Prepaid credits returned',
      '25.50 USD',
      'Total refunded',
      'Reason: Dispute (chargeback)',
    ];
    expect(holds(await pdfText((await fetchPdf(server, creditNote.pdfPath, buyer.token)).body), credit)).toEqual(everywhere(credit));
  });

  it('refuses the notes as it refuses receipts: without a token, for another account, an unknown id, an unknown language', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const stripe = server.standIns.stripe;
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '10' });
    await stripe.succeed(topUp.providerReference);
    const created = await stripe.dispute(topUp.providerReference);
    await stripe.closeDispute((created.event.data.object as { id: string }).id, 'won');
    const { creditNotes, debitNotes } = (await server.ok(RECEIPT_DOCUMENTS, { id: (await receiptOf(server, buyer, topUp.id)).id }, buyer.token)).receipt;
    const stranger = await createBuyer(server, { region: 'US' });
    const refusal = async (path: string, token: string | null) => {
      const answer = await fetchPdf(server, path, token);
      return { status: answer.status, code: JSON.parse(answer.body.toString()).errors[0].extensions.code };
    };
    for (const path of [creditNotes[0].pdfPath, debitNotes[0].pdfPath]) {
      expect(await refusal(path, null)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(await refusal(path, stranger.token)).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(await refusal(`${path}?lang=de`, buyer.token)).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
      expect((await fetchPdf(server, path, await server.userToken(buyer.accountId, Role.VIEWER))).status).toBe(200);
    }
    expect(await refusal('/credit-notes/999999999.pdf', stranger.token)).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await refusal('/debit-notes/999999999.pdf', stranger.token)).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await refusal('/debit-notes/1.txt', buyer.token)).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('refuses without a token, for another account, for an unknown id and for an unknown language, with the GraphQL error shape', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '10' });
    await server.standIns.stripe.succeed(topUp.providerReference);
    const receipt = await receiptOf(server, buyer, topUp.id);
    const stranger = await createBuyer(server, { region: 'US' });
    const cases: [string, string | null, string, number, string][] = [
      ['no token', null, '', 401, 'UNAUTHENTICATED'],
      ["another account's user", stranger.token, '', 403, 'FORBIDDEN'],
      ['an unknown language', buyer.token, '?lang=fr', 400, 'BAD_USER_INPUT'],
    ];
    for (const [, token, query, status, code] of cases) {
      const answer = await fetchReceiptPdf(server, receipt.id, token, query);
      expect({ status: answer.status, code: JSON.parse(answer.body.toString()).errors[0].extensions.code }).toEqual({ status, code });
    }
    const unknown = await fetchReceiptPdf(server, '999999999', stranger.token);
    expect({ status: unknown.status, code: JSON.parse(unknown.body.toString()).errors[0].extensions.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    const notAPdf = await fetch(`${server.url}/receipts/${receipt.id}.txt`, { headers: { authorization: `Bearer ${buyer.token}` } });
    expect(notAPdf.status).toBe(404);
  });
});
