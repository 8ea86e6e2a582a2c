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
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
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
