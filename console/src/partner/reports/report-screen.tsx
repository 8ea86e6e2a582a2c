import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useQuery } from 'urql';
import type { CreditUsageReportQueryVariables } from '../../gql/graphql';
import { type Column, PagedTable } from '../../shared/PagedTable';
import type { ChartPoint } from './BarChart';
import { reportPeriodInput, useReportPeriod } from './period';
import { useSlicePaging } from './slice-paging';

/** The three reports take the same variables: the period and, optionally, one customer. */
type ReportVariables = CreditUsageReportQueryVariables;

/** A report screen's period (shared by the three reports) and the report for it. */
export function usePeriodReport<Data>(query: TypedDocumentNode<Data, ReportVariables>) {
  const [period, setPeriod] = useReportPeriod();
  const [{ data, error, fetching }] = useQuery({
    query,
    variables: { period: reportPeriodInput(period), customerAccountId: period.customerAccountId || null },
  });
  return { period, setPeriod, data, error, fetching };
}

/** One bar per customer of a report, with what it is worth in the chart's series. */
export function customerPoints(
  customers: readonly { customerId: string; customerName: string; amount: string }[] | undefined,
  format: (value: string) => string,
): ChartPoint[] {
  return (customers ?? []).map((customer) => ({
    key: customer.customerId,
    label: customer.customerName,
    value: customer.amount,
    shown: format(customer.amount),
  }));
}

/** A titled table of a report's rows; with `pageSize`, Previous / Next over them (a report answers all its rows at once). */
export function ReportTable<Row>(props: {
  title: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[] | undefined;
  rowKey(row: Row): string;
  fetching: boolean;
  pageSize?: number;
}) {
  const rows = props.rows ?? [];
  const paging = useSlicePaging(rows, props.pageSize ?? Math.max(1, rows.length));
  return (
    <div className="report-section">
      <h2>{props.title}</h2>
      <PagedTable label={props.title} columns={props.columns} rowKey={props.rowKey} fetching={props.fetching} {...paging} />
    </div>
  );
}
