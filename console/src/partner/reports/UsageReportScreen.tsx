import { type CreditUsageReportQuery, CreditUsageReportDocument } from '../../gql/graphql';
import { ErrorMessage } from '../../shared/errors';
import { useLanguage, useMessages } from '../../shared/i18n';
import { creditsToMicros, formatCredits, localeOf } from '../../shared/money';
import type { Column } from '../../shared/PagedTable';
import { reportsMessages } from '../reports-messages';
import { BarChart, microsToCredits } from './BarChart';
import { PeriodForm, Totals } from './PeriodForm';
import { daysOf } from './period';
import { customerPoints, ReportTable, usePeriodReport } from './report-screen';

type UsageRow = CreditUsageReportQuery['creditUsageReport']['rows'][number];
type CustomerUsage = CreditUsageReportQuery['creditUsageReport']['customers'][number];

/** A day (YYYY-MM-DD) as a short date in the reader's language, for the chart's axis. */
export function shortDay(day: string, language: 'en' | 'vi'): string {
  return new Intl.DateTimeFormat(localeOf(language), { day: 'numeric', month: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** Credits consumed by the partner's customers over a period: per day and per customer as charts, the rows by day and service, the CSV. */
export function UsageReportScreen() {
  const text = useMessages(reportsMessages);
  const { language } = useLanguage();
  const { period, setPeriod, data, error, fetching } = usePeriodReport(CreditUsageReportDocument);
  const report = data?.creditUsageReport;
  const rows = report?.rows ?? [];
  const credits = (value: string) => formatCredits(value, language);

  // The per-day series: every day of the period, the rows of the day summed exactly.
  const perDay = new Map<string, bigint>();
  for (const row of rows) perDay.set(row.date, (perDay.get(row.date) ?? 0n) + creditsToMicros(row.amount));
  const dayPoints = daysOf(period).map((day) => {
    const value = microsToCredits(perDay.get(day) ?? 0n);
    return { key: day, label: shortDay(day, language), value, shown: credits(value) };
  });

  const customerColumns: Column<CustomerUsage>[] = [
    { header: text.customer, cell: (customer) => customer.customerName },
    { header: text.events, numeric: true, cell: (customer) => customer.eventCount },
    { header: text.credits, numeric: true, cell: (customer) => credits(customer.amount) },
  ];
  const rowColumns: Column<UsageRow>[] = [
    { header: text.date, cell: (row) => row.date },
    { header: text.customer, cell: (row) => row.customerName },
    { header: text.service, cell: (row) => row.service },
    { header: text.events, numeric: true, cell: (row) => row.eventCount },
    { header: text.credits, numeric: true, cell: (row) => credits(row.amount) },
  ];

  return (
    <section>
      <h1>{text.usageTitle}</h1>
      <PeriodForm period={period} onChange={setPeriod} csvPath="/reports/usage.csv" csvName="credit-usage" />
      <ErrorMessage error={error} />
      {report && (
        <>
          <Totals
            items={[
              { label: text.totalUsage, value: credits(report.totalUsage), testId: 'usage-total' },
              { label: text.usageEvents, value: report.eventCount, testId: 'usage-events' },
              {
                label: text.customersWithUsage,
                value: report.customers.filter((customer) => creditsToMicros(customer.amount) > 0n).length,
                testId: 'usage-customers',
              },
            ]}
          />
          <BarChart title={text.usagePerDay} points={dayPoints} layout="vertical" format={credits} emptyText={text.chartEmpty} testId="usage-per-day" />
          <BarChart
            title={text.usagePerCustomer}
            points={customerPoints(report?.customers, credits)}
            layout="horizontal"
            format={credits}
            emptyText={text.chartEmpty}
            testId="usage-per-customer"
          />
        </>
      )}
      <ReportTable
        title={text.usageByCustomer}
        columns={customerColumns}
        rows={report?.customers}
        rowKey={(customer) => customer.customerId}
        fetching={fetching}
      />
      <ReportTable
        title={text.usageRows}
        columns={rowColumns}
        rows={report?.rows}
        rowKey={(row) => `${row.customerId}/${row.date}/${row.service}`}
        fetching={fetching}
        pageSize={25}
      />
    </section>
  );
}
