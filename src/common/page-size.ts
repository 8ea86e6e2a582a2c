import { badInput } from './domain-error';

/** The page size of every list when none is asked for. */
export const DEFAULT_PAGE_SIZE = 20;

/** Whether a page size is one a list may be asked for: a whole number from 1 to the largest page (GRAPHQL_MAX_PAGE_SIZE). */
export const isAllowedPageSize = (size: number, maxPageSize: number): boolean => Number.isInteger(size) && size >= 1 && size <= maxPageSize;

/**
 * The one page-size rule: the size asked for (or the default, 20) must be a whole number from 1 to
 * the largest page (GRAPHQL_MAX_PAGE_SIZE); anything else is refused as BAD_USER_INPUT on the
 * argument that asked for it, before any statement runs. The request limits check the same rule
 * on the sizes an operation names, before it runs (src/server/limits/query-cost.ts).
 */
export function pageSizeOrThrow(requested: number | null | undefined, options: { maxPageSize: number; field?: string }): number {
  const size = requested ?? DEFAULT_PAGE_SIZE;
  const field = options.field ?? 'first';
  if (!isAllowedPageSize(size, options.maxPageSize)) throw badInput(`${field} must be from 1 to ${options.maxPageSize}.`, { field });
  return size;
}
