import type { Writable } from 'node:stream';

export type CsvValue = string | number | null;

export interface CsvColumn<Row> {
  header: string;
  value(row: Row): CsvValue;
}

/**
 * One RFC 4180 line: a field holding a comma, quote or line break is quoted, quotes doubled.
 * Money arrives already formatted as a decimal string, so no number is ever re-rendered here.
 */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

function csvField(value: CsvValue): string {
  if (value === null) return '';
  const text = neutraliseFormula(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab/CR) as a formula, so a customer
 * named "=HYPERLINK(...)" would run in the partner's spreadsheet. Such text gets a leading
 * apostrophe; numbers such as "-5.000000" are left as they are.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
}

/**
 * Writes the header and then each row as it is produced, waiting for the socket to drain when the
 * client reads slower than the rows come, so a long report never piles up in memory.
 */
export async function writeCsv<Row>(output: Writable, columns: readonly CsvColumn<Row>[], rows: Iterable<Row> | AsyncIterable<Row>): Promise<void> {
  const write = async (line: string) => {
    if (!output.write(line)) await drainedOrClosed(output);
  };
  await write(csvLine(columns.map((column) => column.header)));
  for await (const row of rows) {
    if (output.destroyed) return;
    await write(csvLine(columns.map((column) => column.value(row))));
  }
}

/** A client that hangs up never drains the socket; closing must end the wait too. */
function drainedOrClosed(output: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      output.off('drain', done);
      output.off('close', done);
      resolve();
    };
    output.on('drain', done);
    output.on('close', done);
  });
}
