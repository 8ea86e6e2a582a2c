import { Writable } from 'node:stream';
import { CsvColumn, csvLine, neutraliseFormula, writeCsv } from '../../src/reports/csv';

describe('CSV lines', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', null, 'plain'])).toBe('"a,b","say ""hi""","two\nlines",,plain\r\n');
  });

  it('keeps money, including negative amounts, exactly as given', () => {
    expect(csvLine(['-5.000000', '0.000001', '12'])).toBe('-5.000000,0.000001,12\r\n');
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(neutraliseFormula('=HYPERLINK("http://x","y")')).toBe('\'=HYPERLINK("http://x","y")');
    expect(neutraliseFormula('+1+2')).toBe("'+1+2");
    expect(neutraliseFormula('-cmd')).toBe("'-cmd");
    expect(neutraliseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseFormula('Pho Analytics')).toBe('Pho Analytics');
    expect(csvLine(['=1+1'])).toBe("'=1+1\r\n");
  });
});

describe('CSV formula guard', () => {
  it.each([
    ['full-width equals', '＝HYPERLINK("http://x","y")'],
    ['full-width plus', '＋1＋2'],
    ['full-width minus', '－cmd'],
    ['full-width at', '＠SUM(A1)'],
    ['a tab', '\t=1+1'],
    ['a carriage return', '\r=1+1'],
  ])('neutralises text starting with %s', (_label, text) => {
    expect(neutraliseFormula(text)).toBe(`'${text}`);
  });

  it('leaves plain text and plain decimals alone, but not full-width digits behind a minus', () => {
    expect(neutraliseFormula('-12.345678')).toBe('-12.345678');
    expect(neutraliseFormula('－12')).toBe("'－12");
    expect(neutraliseFormula('-１２')).toBe("'-１２");
    expect(neutraliseFormula('Ｐho ＝ fine')).toBe('Ｐho ＝ fine');
  });

  it('neutralises before quoting, so a quoted formula still starts with the apostrophe', () => {
    expect(csvLine(['＝1,2', '\r=x'])).toBe(`"'＝1,2","'\r=x"\r\n`);
  });
});

describe('streaming CSV', () => {
  const columns: CsvColumn<number>[] = [
    { header: 'n', value: (row) => row },
    { header: 'name', value: (row) => (row % 2 === 0 ? `＝cell ${row}` : null) },
  ];

  /** A source of `count` rows that records how many were pulled and whether it was closed. */
  function countingRows(count: number) {
    const state = { pulled: 0, closed: false };
    async function* rows() {
      try {
        for (let row = 0; row < count; row++) {
          state.pulled++;
          yield row;
        }
      } finally {
        state.closed = true;
      }
    }
    return { state, rows: rows() };
  }

  /** A socket-like sink that takes nothing until `resume` is called. */
  function stalledSink() {
    const chunks: Buffer[] = [];
    let release: (() => void) | null = null;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(Buffer.from(chunk));
        void gate.then(() => callback());
      },
    });
    return { sink, chunks, resume: () => release!() };
  }

  it('writes the header and every row, neutralised and quoted, then leaves the output open for the caller', async () => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(Buffer.from(chunk));
        callback();
      },
    });
    await writeCsv(sink, columns, [0, 1, 2]);
    expect(sink.writableEnded).toBe(false);
    await new Promise<void>((resolve) => sink.end(resolve));
    expect(Buffer.concat(chunks).toString()).toBe("n,name\r\n0,'＝cell 0\r\n1,\r\n2,'＝cell 2\r\n");
  });

  it('pulls rows only as fast as the output takes them (back-pressure)', async () => {
    const { state, rows } = countingRows(20_000);
    const { sink, chunks, resume } = stalledSink();
    const writing = writeCsv(sink, columns, rows);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // A stalled client holds the report at a few stream buffers' worth of rows (about 16 KB of
    // text, some 1,500 of these short rows), not the whole report.
    expect(state.pulled).toBeGreaterThan(0);
    expect(state.pulled).toBeLessThan(5_000);
    resume();
    await writing;
    // As the route does: end the response, which flushes what the socket has not taken yet.
    await new Promise<void>((resolve) => sink.end(resolve));
    expect(state.pulled).toBe(20_000);
    expect(Buffer.concat(chunks).toString().split('\r\n')).toHaveLength(20_002);
  });

  it('stops pulling and closes the row source when the client hangs up', async () => {
    const { state, rows } = countingRows(100_000);
    const { sink } = stalledSink();
    const writing = writeCsv(sink, columns, rows);
    await new Promise((resolve) => setTimeout(resolve, 100));
    sink.destroy();
    await expect(writing).resolves.toBeUndefined();
    expect(state.closed).toBe(true);
    expect(state.pulled).toBeLessThan(5_000);
  });

  it('rejects when the row source fails, so the route can cut the file short', async () => {
    async function* failing() {
      yield 1;
      throw new Error('database went away');
    }
    const sink = new Writable({
      write(_chunk, _encoding, callback) {
        callback();
      },
    });
    await expect(writeCsv(sink, columns, failing())).rejects.toThrow('database went away');
  });
});
