import { useEffect, useState } from 'react';
import type { PageInfo } from '../../shared/PagedTable';

/** Previous / Next over rows already loaded (a report answers all its rows at once): `size` at a time. */
export function useSlicePaging<Row>(rows: readonly Row[], size: number) {
  const [page, setPage] = useState(0);
  // A new report (another period) starts again at its first page.
  useEffect(() => setPage(0), [rows]);
  const pageInfo: PageInfo = { hasPreviousPage: page > 0, hasNextPage: (page + 1) * size < rows.length };
  return {
    rows: rows.slice(page * size, (page + 1) * size),
    pageInfo,
    onPrevious: () => setPage(Math.max(0, page - 1)),
    onNext: () => setPage(page + 1),
  };
}
