import type { PageInfo } from '../ledger/dtos/credit-movement.type';

/**
 * PageInfo of a connection that pages forwards only (first/after). `hasPreviousPage` is true when
 * `after` was given: the cursor names a row an earlier page showed, so rows precede this page
 * (Relay lets a forward page answer it as cheaply as it can; this costs no statement). Credit
 * history, the one list a console pages backwards, answers it exactly instead (see
 * CreditHistoryService).
 */
export function forwardPageInfo(edges: readonly { cursor: string }[], hasNextPage: boolean, after: string | null | undefined): PageInfo {
  return {
    hasNextPage,
    hasPreviousPage: after != null,
    startCursor: edges.at(0)?.cursor ?? null,
    endCursor: edges.at(-1)?.cursor ?? null,
  };
}
