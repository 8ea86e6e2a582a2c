import { Role } from '../../src/auth/principal';
import type { VnpayStandIn } from '../../src/demo/stand-ins';
import { UPDATE_BILLING } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { pdfText } from '../support/pdf-text';
import { fetchReceiptPdf, receiptOf } from '../support/receipts';
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

/**
 * The receipt as PDF (`GET /receipts/{id}.pdf`): rendered by pdfkit, read back here with pdf-parse,
 * which extracts the text a person (or an accounting import) would read off the page.
 */
describe('receipt PDF', () => {
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
