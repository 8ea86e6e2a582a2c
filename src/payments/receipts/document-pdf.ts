import type PDFDocument from 'pdfkit';
import { onFirstUse } from '../../common/on-first-use';
import { formatMicros } from '../../common/money';
import type { PaymentCurrency } from '../providers/payment-provider';
import { CURRENCY_DECIMALS, formatMinorUnits } from '../providers/minor-units';
import { DOCUMENT_LABELS, type DocumentLabels } from './document-labels';
import { RECEIPT_FONTS } from './receipt-fonts';
import type { ReceiptLanguage } from './receipt.enums';

/** pdfkit (with its font engine), required with the first document printed (not when this file loads: onFirstUse). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pdfkit = onFirstUse(() => require('pdfkit') as typeof PDFDocument);

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
 * One document as printed: every text already in the document's language, laid out the same way for
 * a receipt, a credit note and a debit note (`printed-documents.ts` makes each kind's parts).
 */
export interface PrintedDocument {
  title: string;
  /** Its number (the PDF's title names it too). */
  number: string;
  /** The PDF's creation date: the document's issue time, so it renders to the same bytes every time. */
  issuedAt: Date;
  /** Right of the title: the number, the date, and the documents it names. */
  facts: string[];
  /** The seller: its name, then its address and tax code lines. */
  issuer: { name: string; lines: string[] };
  /** The buyer as billed (its name, then address, tax code and e-mail lines); null: none was recorded. */
  billedTo: { name: string; lines: string[] } | null;
  /** Description, quantity, unit price, amount. */
  line: [string, string, string, string];
  /** Label and amount rows above the grand total (subtotal, tax). */
  totals: [string, string][];
  total: [string, string];
  /** Lines under the totals: the reason, the payment and the purchase. */
  notes: string[];
  footer: string;
}

/** How a document's numbers, money and dates are written in one language and zone. */
export interface DocumentFormat {
  labels: DocumentLabels;
  /** Money in its currency's minor units, with the currency's decimals (none for VND), grouped as the language writes numbers. */
  money(minor: bigint, currency: PaymentCurrency): string;
  /** A credit price (an exact decimal string) with at least the currency's decimals. */
  unitPrice(price: string, currency: PaymentCurrency): string;
  credits(micros: bigint): string;
  date(instant: Date): string;
}

export function documentFormat(language: ReceiptLanguage, timeZone: string): DocumentFormat {
  const labels = DOCUMENT_LABELS[language];
  const grouped = (currency: PaymentCurrency, maximumFractionDigits?: number) =>
    new Intl.NumberFormat(labels.locale, { minimumFractionDigits: CURRENCY_DECIMALS[currency], maximumFractionDigits });
  return {
    labels,
    money: (minor, currency) => `${grouped(currency).format(formatMinorUnits(minor, CURRENCY_DECIMALS[currency]) as `${number}`)} ${currency}`,
    unitPrice: (price, currency) => `${grouped(currency, 6).format(price as `${number}`)} ${currency}`,
    credits: (micros) => new Intl.NumberFormat(labels.locale, { maximumFractionDigits: 6 }).format(formatMicros(micros) as `${number}`),
    date: (instant) => new Intl.DateTimeFormat(labels.locale, { timeZone, dateStyle: 'long' }).format(instant),
  };
}

/**
 * A document as a one-page A4 PDF (pdfkit, with Noto Sans embedded so Vietnamese names and addresses
 * render): the one renderer of receipts, credit notes and debit notes. Everything printed comes from
 * `printed`, and the creation date is the document's issue time, so the same document renders to the
 * same bytes every time.
 */
export async function renderDocumentPdf(printed: PrintedDocument, language: ReceiptLanguage): Promise<Buffer> {
  const PDFKitDocument = pdfkit();
  const document = new PDFKitDocument({
    size: 'A4',
    margin: MARGIN,
    font: RECEIPT_FONTS.regular,
    lang: language,
    info: { Title: `${printed.title} ${printed.number}`, Author: printed.issuer.name, CreationDate: printed.issuedAt },
  });
  document.registerFont(REGULAR, RECEIPT_FONTS.regular);
  document.registerFont(BOLD, RECEIPT_FONTS.bold);
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    document.on('end', resolve);
    document.on('error', reject);
  });

  const write = new DocumentWriter(document, printed);
  write.heading();
  write.parties(DOCUMENT_LABELS[language].billedTo);
  write.line(DOCUMENT_LABELS[language]);
  write.totals();
  write.notes();
  document.end();
  await ended;
  return Buffer.concat(chunks);
}

class DocumentWriter {
  constructor(
    private readonly document: PDFKit.PDFDocument,
    private readonly printed: PrintedDocument,
  ) {}

  heading(): void {
    const { document, printed } = this;
    const top = document.y;
    document.font(BOLD).fontSize(16).fillColor('black');
    this.text(printed.issuer.name, MARGIN, top, { width: CONTENT_WIDTH / 2 });
    document.font(REGULAR).fontSize(9).fillColor(MUTED);
    for (const line of printed.issuer.lines) this.text(line, { width: CONTENT_WIDTH / 2 });
    const leftBottom = document.y;
    const right = { align: 'right' as const, width: CONTENT_WIDTH / 2 };
    document.font(BOLD).fontSize(22).fillColor('black');
    this.text(printed.title.toUpperCase(), MARGIN + CONTENT_WIDTH / 2, top, right);
    document.font(REGULAR).fontSize(10);
    for (const fact of printed.facts) this.text(fact, right);
    document.y = Math.max(leftBottom, document.y) + 24;
  }

  parties(billedToLabel: string): void {
    const { document, printed } = this;
    document.x = MARGIN;
    document.font(BOLD).fontSize(10).fillColor(MUTED);
    this.text(billedToLabel.toUpperCase());
    document.moveDown(0.3);
    if (printed.billedTo === null) {
      document.font(REGULAR).fillColor('black');
      this.text('—');
    } else {
      document.font(BOLD).fontSize(12).fillColor('black');
      this.text(printed.billedTo.name);
      document.font(REGULAR).fontSize(10);
      for (const line of printed.billedTo.lines) this.text(line);
    }
    document.moveDown(1.5);
  }

  line(labels: DocumentLabels): void {
    const { document } = this;
    document.font(BOLD).fontSize(9).fillColor(MUTED);
    this.row([labels.description, labels.quantity, labels.unitPrice, labels.amount]);
    this.rule();
    document.font(REGULAR).fontSize(10).fillColor('black');
    this.row(this.printed.line);
    this.rule();
    document.moveDown(0.5);
  }

  totals(): void {
    const { document, printed } = this;
    document.font(REGULAR).fontSize(10).fillColor('black');
    for (const [label, value] of printed.totals) this.total(label, value);
    document.font(BOLD).fontSize(12);
    this.total(...printed.total);
    document.moveDown(2);
  }

  notes(): void {
    const { document, printed } = this;
    document.x = MARGIN;
    document.font(REGULAR).fontSize(9).fillColor(MUTED);
    for (const note of printed.notes) this.text(note, { width: CONTENT_WIDTH });
    document.moveDown(2);
    this.text(printed.footer, { width: CONTENT_WIDTH });
  }

  /** One table row: every cell starts at the same height; the next row starts below the tallest. */
  private row(cells: readonly [string, string, string, string]): void {
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
}
