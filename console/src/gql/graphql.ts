/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** CUSTOMER buys or receives credits; PARTNER resells to its customers. */
export type AccountKind =
  /** Uses credits: buys them, or receives them from its partner. */
  | 'CUSTOMER'
  /** Buys credits and transfers them to its customers. */
  | 'PARTNER'
  /** The platform's own account, the other side of top-ups, usage and grants. */
  | 'SYSTEM';

/** Where an account stands; only ACTIVE accounts buy, receive and spend credits. */
export type AccountStatus =
  /** In use. */
  | 'ACTIVE'
  /** Closed for good. */
  | 'CLOSED'
  /** Created by the admin, not yet activated. */
  | 'PENDING'
  /** Stopped by the admin: keeps its balance, cannot buy, receive or spend credits until activated again. */
  | 'SUSPENDED';

/** What moved credits in or out of an account. */
export type CreditMovementType =
  /** The platform admin's correction moved a wallet by a signed amount (adjustBalance); the description is its reason. */
  | 'ADJUSTMENT'
  /** A dispute (chargeback) of a top-up was decided for the platform: the credits its reversal took came back. */
  | 'DISPUTE_WON'
  /** The unspent rest of a promotional grant expired. */
  | 'PROMOTIONAL_EXPIRY'
  /** The admin granted promotional credits. */
  | 'PROMOTIONAL_GRANT'
  /** The platform admin voided what was left of a promotional grant (voidPromotionalGrant); the description is its reason. */
  | 'PROMOTIONAL_VOID'
  /** Credits a partner took back from a customer (partner side). */
  | 'RECLAIM_IN'
  /** Credits the partner took back (customer side). */
  | 'RECLAIM_OUT'
  /** The platform refunded a top-up through its provider (negative); positive when the provider refused the refund and the credits came back. */
  | 'REFUND'
  /** Credits bought with a completed top-up (into the top-up balance). */
  | 'TOP_UP'
  /** A refund or chargeback made at the provider took credits of a top-up back. */
  | 'TOP_UP_REVERSAL'
  /** Credits received from the partner (customer side of a transfer). */
  | 'TRANSFER_IN'
  /** Credits sent to a customer (partner side of a transfer). */
  | 'TRANSFER_OUT'
  /** Usage recorded by the metering service spent credits (promotional first). */
  | 'USAGE';

/** A user's role in its account, from the token's `role` claim. */
export type Role =
  /** Buys credits, manages billing information and automation; cannot manage API keys. */
  | 'BILLING_ADMIN'
  /** Everything on the account, including its API keys. */
  | 'OWNER'
  /** Reads balances and history; changes nothing. */
  | 'VIEWER';

/** What a service token may do (its `scope` claim). */
export type Scope =
  /** Platform admin */
  | 'ADMIN'
  /** Metering service */
  | 'USAGE_WRITE';

export type BalancesQueryVariables = Exact<{
  accountId: string | number;
}>;


export type BalancesQuery = { balances: { accountId: string, totalBalance: string, topUpBalance: string, promotionalBalance: string, nextExpiry: { amount: string, expiresAt: string } | null } };

export type BalanceChangedSubscriptionVariables = Exact<{
  accountId: string | number;
}>;


export type BalanceChangedSubscription = { balanceChanged: { accountId: string, eventId: string, movementType: CreditMovementType | null, amount: string | null, totalBalance: string, topUpBalance: string, promotionalBalance: string } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { me: { subject: string, role: Role | null, scopes: Array<Scope>, account: { id: string, name: string, kind: AccountKind, status: AccountStatus, region: string } | null } };


export const BalancesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Balances"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"balances"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"totalBalance"}},{"kind":"Field","name":{"kind":"Name","value":"topUpBalance"}},{"kind":"Field","name":{"kind":"Name","value":"promotionalBalance"}},{"kind":"Field","name":{"kind":"Name","value":"nextExpiry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]}}]} as unknown as DocumentNode<BalancesQuery, BalancesQueryVariables>;
export const BalanceChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"BalanceChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"balanceChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"movementType"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"totalBalance"}},{"kind":"Field","name":{"kind":"Name","value":"topUpBalance"}},{"kind":"Field","name":{"kind":"Name","value":"promotionalBalance"}}]}}]}}]} as unknown as DocumentNode<BalanceChangedSubscription, BalanceChangedSubscriptionVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"region"}}]}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;