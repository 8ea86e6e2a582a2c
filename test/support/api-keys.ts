/** GraphQL documents for the API key tests. */
export const CREATE_API_KEY = /* GraphQL */ `
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      secret
      apiKey {
        id
        accountId
        name
        prefix
        scopes
        createdBy
        createdAt
        lastUsedAt
        expiresAt
        revokedAt
      }
    }
  }
`;
