import { parse } from 'graphql';
import { variablesThatPrice } from '../../src/server/limits/operation-limits';

describe('variables that can change an operation price', () => {
  it('are those given to page-size arguments and directives, nested or in fragments, and no others', () => {
    const document = parse(`
      query Q($id: ID!, $first: Int, $last: Int, $show: Boolean!, $input: TransferCreditsInput!, $unused: Int) {
        account(id: $id) { creditHistory(first: $first) { edges { cursor } } ...F }
        partnerCustomers(first: 5, filter: { search: $id }) { edges { cursor } }
      }
      fragment F on Account { history: creditHistory(last: $last) @include(if: $show) { edges { cursor } } }
      mutation M($input: TransferCreditsInput!) { transferCredits(input: $input) { dryRun } }
    `);
    expect(variablesThatPrice(document)).toEqual(['first', 'last', 'show']);
    expect(variablesThatPrice(parse('mutation M($input: TransferCreditsInput!) { transferCredits(input: $input) { dryRun } }'))).toEqual([]);
    expect(variablesThatPrice(parse('{ __typename }'))).toEqual([]);
  });
});
