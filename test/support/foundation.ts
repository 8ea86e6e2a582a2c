import type { TestServer } from './harness';

/** GraphQL documents and small helpers for the foundation's queries, shared by its tests. */

export const ME = /* GraphQL */ `
  query Me {
    me {
      subject
      role
      scopes
      account {
        id
        kind
        status
      }
    }
  }
`;

export const ACCOUNT = /* GraphQL */ `
  query Account($id: ID!) {
    account(id: $id) {
      id
      kind
      status
      region
      name
      partnerId
      depleted
      balances {
        totalBalance
        topUpBalance
        promotionalBalance
      }
      billingInfo {
        legalName
        taxCode
        country
      }
      partner {
        id
      }
      creditHistory(first: 5) {
        edges {
          node {
            type
            amount
          }
        }
      }
    }
  }
`;

export const BALANCES = /* GraphQL */ `
  query Balances($accountId: ID!) {
    balances(accountId: $accountId) {
      accountId
      totalBalance
      topUpBalance
      promotionalBalance
    }
  }
`;

export const CREDIT_HISTORY = /* GraphQL */ `
  query CreditHistory($accountId: ID!, $filter: CreditHistoryFilterInput, $first: Int, $after: String) {
    creditHistory(accountId: $accountId, filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          occurredAt
          type
          amount
          balanceAfter
          topUpBalanceAfter
          promotionalBalanceAfter
          reference
          description
          counterparty {
            accountId
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const SET_STATUS = /* GraphQL */ `
  mutation SetStatus($accountId: ID!, $status: AccountStatus!) {
    setAccountStatus(accountId: $accountId, status: $status) {
      id
      status
    }
  }
`;

export interface Movement {
  id: string;
  occurredAt: string;
  type: string;
  amount: string;
  balanceAfter: string;
  reference: string | null;
}

export interface HistoryPage {
  edges: { cursor: string; node: Movement }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The balances as the account's owner sees them. */
export async function balancesOf(server: TestServer, accountId: string) {
  const { balances } = await server.ok(BALANCES, { accountId }, await server.userToken(accountId));
  return balances as { accountId: string; totalBalance: string; topUpBalance: string; promotionalBalance: string };
}

/** Walks every page of an account's credit history and returns the movements in page order. */
export async function allMovements(
  server: TestServer,
  accountId: string,
  options: { filter?: Record<string, unknown>; first?: number; onPage?: () => Promise<void> } = {},
): Promise<Movement[]> {
  const token = await server.userToken(accountId);
  const movements: Movement[] = [];
  let after: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const { creditHistory }: { creditHistory: HistoryPage } = await server.ok(
      CREDIT_HISTORY,
      { accountId, filter: options.filter, first: options.first ?? 20, after },
      token,
    );
    movements.push(...creditHistory.edges.map((edge) => edge.node));
    await options.onPage?.();
    if (!creditHistory.pageInfo.hasNextPage) return movements;
    after = creditHistory.pageInfo.endCursor;
  }
  throw new Error('credit history did not end after 10000 pages');
}

/** The order the history promises: newest first, by occurredAt and then id. */
export function isNewestFirst(movements: Movement[]): boolean {
  return movements.every((movement, index) => {
    if (index === 0) return true;
    const previous = movements[index - 1];
    const timeOrder = Date.parse(previous.occurredAt) - Date.parse(movement.occurredAt);
    return timeOrder > 0 || (timeOrder === 0 && BigInt(previous.id) > BigInt(movement.id));
  });
}
