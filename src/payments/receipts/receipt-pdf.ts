import PDFDocument from 'pdfkit';
import { formatMicros } from '../../common/money';
import { CURRENCY_DECIMALS, formatMinorUnits } from '../providers/minor-units';
import { documentNumber } from './document-number';
import type { ReceiptEntity } from './entities/receipt.entity';
import { RECEIPT_FONTS } from './receipt-fonts';
import { RECEIPT_LABELS, type ReceiptLabels } from './receipt-labels';
import type { ReceiptLanguage } from './receipt.enums';
import { formatTaxRate } from './tax';

const REGULAR = 'Regular';
const BOLD = 'Bold';
const MARGIN = 50;
const PAGE_WIDTH = 595.28; // A4, in points
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
/** The line table's columns: x and width, amounts right-aligned. */
const COLUMNS = { description: [MARGIN, 200], quantity: [255, 80], unitPrice: [340, 90], amount: [435, 110] } as const;
/**
 * OpenType features for every line: fontkit's defaults but `ccmp`, whose decomposition of letters such
 * as "ị" into a base and a mark would map the base glyph to the wrong text in the PDF's ToUnicode table
 * (copied or extracted text would read "Mịnh" for "Minh"). Noto has every Vietnamese letter precomposed.
 */
const FEATURES = { ccmp: false } as unknown as PDFKit.Mixins.OpenTypeFeatures[];
const MUTED = '#555555';
const RULE = '#bbbbbb';

/**
 * The receipt as a one-page A4 PDF (pdfkit, with Noto Sans embedded so Vietnamese names and addresses
 * render). Everything printed comes from the receipt's own row, and its creation date is the issue
 * time, so the same receipt renders to the same document every time. Amounts are in the charge
 * currency with its decimals (none for VND), grouped as the language writes numbers.
 */
export async function renderReceiptPdf(receipt: ReceiptEntity, options: { language: ReceiptLanguage; timeZone: string }): Promise<Buffer> {
  const labels = RECEIPT_LABELS[options.language];
  const number = documentNumber(receipt) ?? '';
  const document = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    font: RECEIPT_FONTS.regular,
    lang: options.language,
    info: { Title: `${labels.title} ${number}`, Author: receipt.issuerName, CreationDate: receipt.issuedAt },
  });
  document.registerFont(REGULAR, RECEIPT_FONTS.regular);
  document.registerFont(BOLD, RECEIPT_FONTS.bold);
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    document.on('end', resolve);
    document.on('error', reject);
  });

  const write = new ReceiptWriter(document, receipt, labels, options.timeZone);
  write.heading(number);
  write.parties();
  write.line();
  write.totals();
  write.payment();
  document.end();
  await ended;
  return Buffer.concat(chunks);
}

class ReceiptWriter {
  private readonly money: (minor: bigint) => string;

  constructor(
    private readonly document: PDFKit.PDFDocument,
    private readonly receipt: ReceiptEntity,
    private readonly labels: ReceiptLabels,
    private readonly timeZone: string,
  ) {
    const numbers = new Intl.NumberFormat(labels.locale, { minimumFractionDigits: CURRENCY_DECIMALS[receipt.currency] });
    this.money = (minor) => `${numbers.format(formatMinorUnits(minor, CURRENCY_DECIMALS[receipt.currency]) as `${number}`)} ${receipt.currency}`;
  }

  heading(number: string): void {
    const { document, receipt, labels } = this;
    const top = document.y;
    document.font(BOLD).fontSize(16).fillColor('black');
    this.text(receipt.issuerName, MARGIN, top, { width: CONTENT_WIDTH / 2 });
    document.font(REGULAR).fontSize(9).fillColor(MUTED);
    if (receipt.issuerAddress) this.text(receipt.issuerAddress, { width: CONTENT_WIDTH / 2 });
    if (receipt.issuerTaxCode) this.text(`${labels.taxCode}: ${receipt.issuerTaxCode}`, { width: CONTENT_WIDTH / 2 });
    const leftBottom = document.y;
    const right = { align: 'right' as const, width: CONTENT_WIDTH / 2 };
    document.font(BOLD).fontSize(22).fillColor('black');
    this.text(labels.title.toUpperCase(), MARGIN + CONTENT_WIDTH / 2, top, right);
    document.font(REGULAR).fontSize(10);
    this.text(`${labels.number}: ${number}`, right);
    this.text(`${labels.date}: ${this.date(receipt.issuedAt)}`, right);
    document.y = Math.max(leftBottom, document.y) + 24;
  }

  parties(): void {
    const { document, receipt, labels } = this;
    document.x = MARGIN;
    document.font(BOLD).fontSize(10).fillColor(MUTED);
    this.text(labels.billedTo.toUpperCase());
    document.moveDown(0.3);
    if (receipt.billingLegalName === null) {
      document.font(REGULAR).fillColor('black');
      this.text('—');
    } else {
      document.font(BOLD).fontSize(12).fillColor('black');
      this.text(receipt.billingLegalName);
      document.font(REGULAR).fontSize(10);
      const address = [receipt.billingAddressLine1, receipt.billingAddressLine2].filter(Boolean).join(', ');
      this.text(address);
      this.text([receipt.billingCity, receipt.billingPostalCode, receipt.billingCountry].filter(Boolean).join(', '));
      this.text(`${labels.taxCode}: ${receipt.billingTaxCode ?? ''}`);
      this.text(`${labels.email}: ${receipt.billingInvoiceEmail ?? ''}`);
    }
    document.moveDown(1.5);
  }

  line(): void {
    const { document, receipt, labels } = this;
    const credits = new Intl.NumberFormat(labels.locale, { maximumFractionDigits: 6 }).format(formatMicros(receipt.amountMicros) as `${number}`);
    const unitPrice = new Intl.NumberFormat(labels.locale, { minimumFractionDigits: CURRENCY_DECIMALS[receipt.currency], maximumFractionDigits: 6 });
    document.font(BOLD).fontSize(9).fillColor(MUTED);
    this.row([labels.description, labels.quantity, labels.unitPrice, labels.amount]);
    this.rule();
    document.font(REGULAR).fontSize(10).fillColor('black');
    this.row([
      receipt.origin === 'AUTO_RECHARGE' ? labels.autoRechargeItem : labels.item,
      credits,
      `${unitPrice.format(receipt.creditPrice as `${number}`)} ${receipt.currency}`,
      this.money(receipt.totalMinor),
    ]);
    this.rule();
    document.moveDown(0.5);
  }

  totals(): void {
    const { document, receipt, labels } = this;
    const rows: [string, string][] = [
      [labels.subtotal, this.money(receipt.totalMinor - receipt.taxMinor)],
      [labels.tax(formatTaxRate(receipt.taxBasisPoints)), this.money(receipt.taxMinor)],
    ];
    document.font(REGULAR).fontSize(10).fillColor('black');
    for (const [label, value] of rows) this.total(label, value);
    document.font(BOLD).fontSize(12);
    this.total(labels.total, this.money(receipt.totalMinor));
    document.moveDown(2);
  }

  payment(): void {
    const { document, receipt, labels } = this;
    document.x = MARGIN;
    document.font(REGULAR).fontSize(9).fillColor(MUTED);
    this.text(`${labels.paidWith}: ${labels.methods[receipt.method]}`, { width: CONTENT_WIDTH });
    if (receipt.providerReference) this.text(`${labels.paymentReference}: ${receipt.providerReference}`, { width: CONTENT_WIDTH });
    this.text(`${labels.purchase}: ${receipt.topUpId}`, { width: CONTENT_WIDTH });
    document.moveDown(2);
    this.text(labels.footer, { width: CONTENT_WIDTH });
  }

  /** One table row: every cell starts at the same height; the next row starts below the tallest. */
  private row(cells: [string, string, string, string]): void {
    const { document } = this;
    const top = document.y;
    let bottom = top;
    const columns = [COLUMNS.description, COLUMNS.quantity, COLUMNS.unitPrice, COLUMNS.amount];
    cells.forEach((cell, index) => {
      const [x, width] = columns[index];
      this.text(cell, x, top, { width, align: index === 0 ? 'left' : 'right' });
      bottom = Math.max(bottom, document.y);
    });
    document.x = MARGIN;
    document.y = bottom + 4;
  }

  private rule(): void {
    const { document } = this;
    document
      .moveTo(MARGIN, document.y)
      .lineTo(MARGIN + CONTENT_WIDTH, document.y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    document.y += 6;
  }

  private total(label: string, value: string): void {
    const { document } = this;
    const top = document.y;
    this.text(label, COLUMNS.unitPrice[0] - 80, top, { width: 170, align: 'right' });
    this.text(value, COLUMNS.amount[0], top, { width: COLUMNS.amount[1], align: 'right' });
    document.x = MARGIN;
    document.y = Math.max(document.y, top) + 2;
  }

  /** pdfkit's text, with the features above. */
  private text(content: string, ...rest: [number, number, PDFKit.Mixins.TextOptions?] | [PDFKit.Mixins.TextOptions?]): void {
    if (typeof rest[0] === 'number') {
      const [x, y, options] = rest as [number, number, PDFKit.Mixins.TextOptions?];
      this.document.text(content, x, y, { ...options, features: FEATURES });
    } else {
      this.document.text(content, { ...(rest[0] as PDFKit.Mixins.TextOptions | undefined), features: FEATURES });
    }
  }

  private date(instant: Date): string {
    return new Intl.DateTimeFormat(this.labels.locale, { timeZone: this.timeZone, dateStyle: 'long' }).format(instant);
  }
}
