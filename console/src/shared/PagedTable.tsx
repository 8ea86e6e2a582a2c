import type { ReactNode } from 'react';
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

/** The cursor arguments of a page: forward from `after`, or backward to `before`. */
export type PageCursor = { first: number; after?: string | null } | { last: number; before: string };

export function nextPage(size: number, pageInfo: PageInfo): PageCursor {
  return { first: size, after: pageInfo.endCursor ?? null };
}

export function previousPage(size: number, pageInfo: PageInfo): PageCursor {
  return pageInfo.startCursor ? { last: size, before: pageInfo.startCursor } : { first: size };
}
