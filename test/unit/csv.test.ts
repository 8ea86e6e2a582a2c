import { csvLine, neutraliseFormula } from '../../src/reports/csv';

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
