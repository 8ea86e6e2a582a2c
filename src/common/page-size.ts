import { badInput } from './domain-error';

/**
 * The one page-size rule: the size asked for (or the list's default) must be a whole number from 1
 * to the largest page (GRAPHQL_MAX_PAGE_SIZE); anything else is refused as BAD_USER_INPUT on the
 * argument that asked for it, before any statement runs.
 */
export function pageSizeOrThrow(requested: number | null | undefined, options: { defaultSize: number; maxPageSize: number; field?: string }): number {
  const size = requested ?? options.defaultSize;
  const field = options.field ?? 'first';
  if (!Number.isInteger(size) || size < 1 || size > options.maxPageSize) throw badInput(`${field} must be from 1 to ${options.maxPageSize}.`, { field });
  return size;
}
