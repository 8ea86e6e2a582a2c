/** A credit-history page with every field of every kind of typed source. */
export const HISTORY_WITH_SOURCES = /* GraphQL */ `
  query HistoryWithSources($accountId: ID!, $first: Int) {
    creditHistory(accountId: $accountId, first: $first) {
      edges {
        node {
          type
          amount
          source {
            __typename
            ... on TopUpSource {
              topUpId
              method
              status
              amount
              reversedAmount
              charge {
                currency
                amountMinor
                amount
                creditPrice
              }
            }
            ... on TransferSource {
              transferId
              note
              amount
              createdAt
              partner {
                accountId
                name
              }
              customer {
                accountId
                name
              }
              actor {
                userId
                role
              }
            }
            ... on UsageSource {
              eventId
              service
              occurredAt
              amount
              promotionalAmount
              topUpAmount
            }
            ... on PromotionalGrantSource {
              grantId
              reason
              amount
              expiresAt
            }
          }
        }
      }
    }
  }
`;
