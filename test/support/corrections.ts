import { newKey } from './fixtures';
import type { TestServer } from './harness';

export const ADJUST_BALANCE = /* GraphQL */ `
  mutation AdjustBalance($input: AdjustBalanceInput!) {
    adjustBalance(input: $input) {
      correction {
        id
        kind
        accountId
        wallet
        amount
        grantId
        reason
      }
      balances {
        totalBalance
        topUpBalance
        promotionalBalance
      }
    }
  }
`;

export const VOID_GRANT = /* GraphQL */ `
  mutation VoidGrant($input: VoidPromotionalGrantInput!) {
    voidPromotionalGrant(input: $input) {
      correction {
        id
        kind
        accountId
        wallet
        amount
        grantId
        reason
      }
      grant {
        id
        status
        remaining
        voidedAmount
      }
      balances {
        totalBalance
        topUpBalance
        promotionalBalance
      }
    }
  }
`;

export const CHANGE_GRANT_EXPIRY = /* GraphQL */ `
  mutation ChangeGrantExpiry($input: ChangePromotionalGrantExpiryInput!) {
    changePromotionalGrantExpiry(input: $input) {
      id
      status
      remaining
      expiresAt
    }
  }
`;

/** Credit history with the correction behind each correction row. */
export const HISTORY_WITH_CORRECTIONS = /* GraphQL */ `
  query HistoryWithCorrections($accountId: ID!) {
    creditHistory(accountId: $accountId, first: 50) {
      edges {
        node {
          type
          amount
          topUpBalanceAfter
          promotionalBalanceAfter
          description
          counterparty {
            name
          }
          source {
            __typename
            ... on CreditCorrection {
              id
              kind
              wallet
              amount
              grantId
              reason
            }
          }
        }
      }
    }
  }
`;

export const AUDIT_OF = /* GraphQL */ `
  query AuditOf($accountId: ID, $actions: [AuditAction!]) {
    auditLog(accountId: $accountId, filter: { actions: $actions }, first: 50) {
      edges {
        node {
          action
          targetType
          targetId
          accountId
          before
          after
          reason
          actor {
            kind
          }
        }
      }
    }
  }
`;

/** The admin's adjustment of one wallet; the answer's data or errors, as `server.call` gives them. */
export async function adjust(
  server: TestServer,
  accountId: string,
  wallet: 'TOPUP' | 'PROMOTIONAL',
  amount: string,
  extra: { reason?: string; idempotencyKey?: string } = {},
) {
  return server.call(
    ADJUST_BALANCE,
    { input: { accountId, wallet, amount, reason: extra.reason ?? 'correction', idempotencyKey: extra.idempotencyKey ?? newKey() } },
    await server.adminToken(),
  );
}

export const SET_CREDIT_LIMIT = /* GraphQL */ `
  mutation SetCreditLimit($input: SetCreditLimitInput!) {
    setCreditLimit(input: $input) {
      accountId
      totalBalance
      topUpBalance
      creditLimit
      availableToTransfer
    }
  }
`;
