import { formatMicros, MAX_AMOUNT_MICROS, MoneyFormatError, parseCreditsToMicros, positiveAmountProblem, sqlInteger } from '../../src/common/money';

describe('credits as micro-credits', () => {
  it.each([
    ['0', 0n],
    ['12.5', 12_500_000n],
    ['0.000001', 1n],
    ['1.000000', 1_000_000n],
    ['-0.5', -500_000n],
    ['007.25', 7_250_000n],
    ['1000000000', MAX_AMOUNT_MICROS],
    ['123456789012345678901234567890', 123456789012345678901234567890n * 1_000_000n],
  ])('parses %p exactly', (text, micros) => {
    expect(parseCreditsToMicros(text)).toBe(micros);
  });

  it.each(['0.0000001', '1e3', '1E3', 'NaN', 'Infinity', '', ' ', '.5', '5.', '+5', '1,5', '0x10', '1 000', '--1', '1234567890123456789012345678901'])(
    'refuses %p',
    (text) => {
      expect(() => parseCreditsToMicros(text)).toThrow(MoneyFormatError);
    },
  );

  it.each([
    ['a leading space', ' 5'],
    ['a trailing space', '5 '],
    ['a leading tab', '\t5'],
    ['a trailing newline', '5\n'],
    ['a trailing carriage return', '5\r'],
    ['a leading non-breaking space', '\u00a05'],
    ['a trailing non-breaking space', '5\u00a0'],
    ['a narrow no-break space as a thousands separator', '1\u202f000'],
    ['an ideographic space', '\u30005'],
    ['an em space', '\u20035'],
    ['a zero-width space', '\u200b5'],
    ['a byte-order mark', '\ufeff5'],
    ['a space after the sign', '- 5'],
    ['a space around the dot', '5 .5'],
    ['Arabic-Indic digits', '\u0665'],
    ['full-width digits', '\uff15'],
    ['Devanagari digits after ASCII ones', '1\u0966'],
    ['a mathematical bold digit', '\u{1d7d3}'],
    ['a full-width full stop', '5\uff0e5'],
    ['a one-dot leader for a dot', '5\u20245'],
  ])('refuses %s: the grammar is ASCII digits with no whitespace at all', (_label, text) => {
    expect(() => parseCreditsToMicros(text)).toThrow(MoneyFormatError);
  });

  it.each([
    [0n, '0.000000'],
    [1n, '0.000001'],
    [-1n, '-0.000001'],
    [1_500_000n, '1.500000'],
    [-12_345_678n, '-12.345678'],
    [MAX_AMOUNT_MICROS, '1000000000.000000'],
  ])('formats %p as %p, always at six decimals', (micros, text) => {
    expect(formatMicros(micros)).toBe(text);
  });

  it('round-trips formatting and parsing for awkward values', () => {
    const values = [0n, 1n, -1n, 999_999n, 1_000_001n, -987_654_321n, 2n ** 60n, -(2n ** 60n), MAX_AMOUNT_MICROS];
    for (const micros of values) {
      expect(parseCreditsToMicros(formatMicros(micros))).toBe(micros);
    }
  });

  it('round-trips a decimal string through micro-credits up to trailing zeros', () => {
    for (const text of ['0.1', '3.14159', '42', '0.000001', '999999999.999999']) {
      const formatted = formatMicros(parseCreditsToMicros(text));
      expect(formatted.replace(/\.?0+$/, '')).toBe(text.replace(/\.?0+$/, '').replace(/^$/, '0'));
    }
  });

  it('accepts only positive amounts up to one billion credits for a movement', () => {
    expect(positiveAmountProblem(1n)).toBeNull();
    expect(positiveAmountProblem(MAX_AMOUNT_MICROS)).toBeNull();
    expect(positiveAmountProblem(0n)).toMatch(/greater than zero/);
    expect(positiveAmountProblem(-1n)).toMatch(/greater than zero/);
    expect(positiveAmountProblem(MAX_AMOUNT_MICROS + 1n)).toMatch(/must not exceed 1000000000.000000/);
  });

  it('renders SQL integers only from bigints', () => {
    expect(sqlInteger(-42n)).toBe('-42');
    expect(() => sqlInteger('1; DROP TABLE wallet' as unknown as bigint)).toThrow(TypeError);
  });
});
