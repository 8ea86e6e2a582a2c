import { parseBulkRows } from '../../console/src/partner/transfers/bulk-rows';

describe("the console's Bulk Top Up list", () => {
  it('reads "account id, amount[, note]" lines separated by commas, semicolons or tabs, skipping blank lines', () => {
    const pasted = ['pho, 10', '', 'mekong;12,5;June, and July', 'hanoi\t7.25\tMonthly, allowance', '  saigon ,  3  , note, with commas  '].join('\n');
    expect(parseBulkRows(pasted)).toEqual({
      rows: [
        { line: 1, customerAccountId: 'pho', amount: '10', note: null },
        { line: 3, customerAccountId: 'mekong', amount: '12.5', note: 'June, and July' },
        { line: 4, customerAccountId: 'hanoi', amount: '7.25', note: 'Monthly, allowance' },
        { line: 5, customerAccountId: 'saigon', amount: '3', note: 'note, with commas' },
      ],
      badLines: [],
    });
  });

  it('names the lines that are not a customer and an amount above zero, and a comma-separated amount with a comma decimal', () => {
    const pasted = ['pho, 10', 'not a line', 'pho, 0', 'pho, -3', ', 5', 'pho, 1.1234567', 'pho, 10,5', 'pho, 1e3', 'pho\r', 'mekong, 2'].join('\r\n');
    expect(parseBulkRows(pasted)).toEqual({
      rows: [
        { line: 1, customerAccountId: 'pho', amount: '10', note: null },
        { line: 10, customerAccountId: 'mekong', amount: '2', note: null },
      ],
      badLines: [2, 3, 4, 5, 6, 7, 8, 9],
    });
  });
});
