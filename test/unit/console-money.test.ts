import { formatCredits, formatMoney, parseCreditsInput } from '../../console/src/shared/money';

describe('the console money formatting', () => {
  it('formats a VND charge without decimals and a USD charge with two, per language', () => {
    expect(formatMoney({ amount: '260000', currency: 'VND' }, 'en')).toBe('₫260,000');
    expect(formatMoney({ amount: '260000', currency: 'VND' }, 'vi')).toBe('260.000\u00a0₫');
    expect(formatMoney({ amount: '10.5', currency: 'USD' }, 'en')).toBe('$10.50');
    expect(formatMoney({ amount: '10.50', currency: 'USD' }, 'vi')).toBe('10,50\u00a0US$');
  });

  it('formats credits exactly, with the decimals they have and no float rounding', () => {
    expect(formatCredits('1500.500000', 'en')).toBe('1,500.5');
    expect(formatCredits('1500.500000', 'vi')).toBe('1.500,5');
    expect(formatCredits('9007199254740993.000001', 'en')).toBe('9,007,199,254,740,993.000001');
    expect(formatCredits('-12.000000', 'en')).toBe('-12');
  });

  it('reads a typed amount with a dot or a comma as the decimal mark, and refuses anything else', () => {
    expect(parseCreditsInput(' 250 ')).toBe('250');
    expect(parseCreditsInput('12,5')).toBe('12.5');
    expect(parseCreditsInput('1.000.000')).toBeNull();
    expect(parseCreditsInput('-5')).toBeNull();
    expect(parseCreditsInput('1.1234567')).toBeNull();
    expect(parseCreditsInput('abc')).toBeNull();
  });
});
