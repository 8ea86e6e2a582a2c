import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import type { CreditUsageReportQueryVariables } from '../../gql/graphql';
import { type Column, PagedTable } from '../../shared/PagedTable';
import type { ChartPoint } from './BarChart';
import { addDays, type ChosenPeriod, REPORT_TIME_ZONES, reportPeriodInput } from './period';
import { useSlicePaging } from './slice-paging';

const STORAGE_KEY = 'console.reportPeriod';

/** Today in the reader's calendar, YYYY-MM-DD. */
function today(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())).toISOString().slice(0, 10);
}

function initialPeriod(): ChosenPeriod {
  const defaults: ChosenPeriod = { from: addDays(today(), -29), to: today(), timeZone: REPORT_TIME_ZONES[0], customerAccountId: '' };
  try {
    return { ...defaults, ...(JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<ChosenPeriod>) };
  } catch {
    return defaults; // A damaged value: start from the default.
  }
}

/** The period the three reports share (kept for the tab, so going from one report to another keeps it). */
function useReportPeriod(): [ChosenPeriod, (period: ChosenPeriod) => void] {
  const [period, setPeriod] = useState<ChosenPeriod>(initialPeriod);
  useEffect(() => sessionStorage.setItem(STORAGE_KEY, JSON.stringify(period)), [period]);
  return [period, setPeriod];
}

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
