import { compareCredits, parseCreditsInput } from '../../shared/money';

export interface BulkRow {
  /** The pasted line it came from, from 1 (blank lines are skipped but counted). */
  line: number;
  customerAccountId: string;
  amount: string;
  note: string | null;
}

/**
 * The pasted list as rows: one per non-blank line, "account id, amount" and an optional note after
 * the next separator; and the lines that are not one, by number. A line's separator is a tab (a
 * spreadsheet's copy), else a semicolon, else a comma; the amount takes a dot as its decimal mark,
 * or a comma when the line is not separated by commas. A comma-separated line whose note is only
 * digits ("acc, 10,5") is refused rather than read as 10 credits noted "5".
 */
export function parseBulkRows(pasted: string): { rows: BulkRow[]; badLines: number[] } {
  const rows: BulkRow[] = [];
  const badLines: number[] = [];
  pasted.split(/\r?\n/).forEach((text, index) => {
    if (text.trim() === '') return;
    const separator = ['\t', ';', ','].find((candidate) => text.includes(candidate)) ?? ',';
    const [first = '', second = '', ...rest] = text.split(separator);
    const customerAccountId = first.trim();
    const typedAmount = second.trim();
    const note = rest.join(separator).trim();
    const amount = parseCreditsInput(typedAmount);
    const ambiguous = separator === ',' && /^\d+$/.test(note);
    if (!customerAccountId || amount === null || compareCredits(amount, '0') <= 0 || ambiguous) badLines.push(index + 1);
    else rows.push({ line: index + 1, customerAccountId, amount, note: note || null });
  });
  return { rows, badLines };
}
