import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Options, stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';

export type CsvValue = string | number | null;

export interface CsvColumn<Row> {
  header: string;
  value(row: Row): CsvValue;
}

/**
 * RFC 4180 as csv-stringify writes it: CRLF after every record, a field holding a comma, quote, CR
 * or LF quoted and its quotes doubled, null as an empty field. Every text passes through
 * `neutraliseFormula` first. csv-stringify's own `escape_formulas` is not used: it would also
 * prefix negative money ("-5.000000" arrives as a string, already formatted, so that no number is
 * ever re-rendered here), and a reconciling spreadsheet must read it as a number.
 */
const CSV_OPTIONS: Options = {
  record_delimiter: '\r\n',
  // Giving record_delimiter turns this off by default; a lone LF or CR must still be quoted.
  quote_record_delimiter: true,
  cast: { string: (value) => neutraliseFormula(value) },
};

/** One CSV line, with its CRLF. */
export function csvLine(values: readonly CsvValue[]): string {
  return stringifySync([[...values]], CSV_OPTIONS);
}

/** What a spreadsheet runs as a formula when a cell starts with it: = + - @, their full-width forms, tab and CR. */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;
const PLAIN_DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab/CR, or the full-width ＝ ＋ － ＠ that
 * some spreadsheets fold to ASCII) as a formula, so a customer named "=HYPERLINK(...)" would run
 * in the partner's spreadsheet. Such text gets a leading apostrophe; numbers such as "-5.000000"
 * are left as they are.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_DECIMAL.test(text) ? `'${text}` : text;
}

/** The stringifier's text buffer: Node's default on Node 20, set so every Node line holds the same. */
const CSV_TEXT_BUFFER_BYTES = 16 * 1024;

/**
 * Writes the header and then each row as it is produced. The rows are pulled only as fast as the
 * socket takes the text (stream back-pressure through the pipeline), so a long report never piles
 * up in memory; a client that hangs up stops the pull, and the row source is closed. The text buffer
 * is set, not Node's default (16 KB on Node 20, 64 KB from 22), so the bound is the same on every
 * supported Node line.
 */
export async function writeCsv<Row>(output: Writable, columns: readonly CsvColumn<Row>[], rows: Iterable<Row> | AsyncIterable<Row>): Promise<void> {
  const records = Readable.from(recordsOf(columns, rows), { objectMode: true, highWaterMark: 16 });
  const stringifier = stringify({
    ...CSV_OPTIONS,
    header: true,
    columns: columns.map((column) => column.header),
    readableHighWaterMark: CSV_TEXT_BUFFER_BYTES,
  });
  try {
    await pipeline(records, stringifier, output, { end: false });
  } catch (error) {
    if (output.destroyed && isPrematureClose(error)) return; // the client went away; nothing to report
    throw error;
  }
}

async function* recordsOf<Row>(columns: readonly CsvColumn<Row>[], rows: Iterable<Row> | AsyncIterable<Row>): AsyncGenerator<CsvValue[]> {
  for await (const row of rows) yield columns.map((column) => column.value(row));
}

function isPrematureClose(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
}
