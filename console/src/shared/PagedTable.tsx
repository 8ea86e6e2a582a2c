import { type ReactNode, useState } from 'react';
import { useMessages } from './i18n';
import { sharedMessages } from './messages';

export interface Column<Row> {
  header: string;
  cell(row: Row): ReactNode;
  /** Right-aligned (amounts). */
  numeric?: boolean;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor?: string | null;
  endCursor?: string | null;
}

/**
 * A table over one page of a connection, with Previous / Next. The caller keeps the cursor
 * (`first`/`after` forward, `last`/`before` backward), so the same piece serves every list.
 */
export function PagedTable<Row>(props: {
  label: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey(row: Row): string;
  pageInfo?: PageInfo;
  onPrevious?(): void;
  onNext?(): void;
  fetching?: boolean;
}) {
  const text = useMessages(sharedMessages);
  const { columns, rows, pageInfo } = props;
  return (
    <div className="paged-table">
      <table aria-label={props.label} aria-busy={props.fetching ?? false}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} className={column.numeric ? 'numeric' : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="empty">
                {props.fetching ? text.loading : text.noRows}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={props.rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.header} className={column.numeric ? 'numeric' : undefined}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
      {pageInfo && (pageInfo.hasPreviousPage || pageInfo.hasNextPage) && (
        <nav className="pager" aria-label={props.label}>
          <button type="button" disabled={!pageInfo.hasPreviousPage || !props.onPrevious} onClick={props.onPrevious}>
            {text.previous}
          </button>
          <button type="button" disabled={!pageInfo.hasNextPage || !props.onNext} onClick={props.onNext}>
            {text.next}
          </button>
        </nav>
      )}
    </div>
  );
}

/**
 * The page a list shows and the handlers of its pager, over `first`/`after` (which every connection
 * takes): Next goes on from the page's endCursor, Previous back to the cursor the page before it
 * started from (kept here, so a connection without `last`/`before` pages back too).
 */
export function usePaging(size: number) {
  const [afters, setAfters] = useState<(string | null)[]>([null]);
  const after = afters[afters.length - 1];
  return {
    cursor: { first: size, after },
    /** Back to the first page (after a filter changed). */
    reset: () => setAfters([null]),
    handlers: (pageInfo: PageInfo | undefined) => ({
      pageInfo: pageInfo && { ...pageInfo, hasPreviousPage: afters.length > 1 },
      onNext: pageInfo?.endCursor ? () => setAfters([...afters, pageInfo.endCursor ?? null]) : undefined,
      onPrevious: () => setAfters(afters.slice(0, -1)),
    }),
  };
}
