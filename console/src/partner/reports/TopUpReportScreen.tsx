import { type CreditTopUpReportQuery, CreditTopUpReportDocument } from '../../gql/graphql';
import { ErrorMessage } from '../../shared/errors';
import { useLanguage, useMessages } from '../../shared/i18n';
import { formatCredits, formatDateTime } from '../../shared/money';
import type { Column } from '../../shared/PagedTable';
import { reportsMessages } from '../reports-messages';
import { BarChart } from './BarChart';
import { PeriodForm, Totals } from './PeriodForm';
import { customerPoints, ReportTable, usePeriodReport } from './report-screen';

type Entry = CreditTopUpReportQuery['creditTopUpReport']['rows'][number];
type CustomerTransfers = CreditTopUpReportQuery['creditTopUpReport']['customers'][number];

/** Credits the partner transferred to (and took back from) each customer, and its own top-ups: totals, a chart per customer, every entry with who made it, the CSV. */
export function TopUpReportScreen() {
  const text = useMessages(reportsMessages);
  const { language } = useLanguage();
  const { period, setPeriod, data, error, fetching } = usePeriodReport(CreditTopUpReportDocument);
  const report = data?.creditTopUpReport;
  const credits = (value: string) => formatCredits(value, language);

  const customerColumns: Column<CustomerTransfers>[] = [
    { header: text.customer, cell: (customer) => customer.customerName },
    { header: text.transfers, numeric: true, cell: (customer) => customer.transferCount },
    { header: text.transferred, numeric: true, cell: (customer) => credits(customer.amount) },
    { header: text.reclaims, numeric: true, cell: (customer) => customer.reclaimCount },
    { header: text.reclaimed, numeric: true, cell: (customer) => credits(customer.reclaimed) },
  ];
  const entryColumns: Column<Entry>[] = [
    { header: text.time, cell: (entry) => formatDateTime(entry.occurredAt, language) },
    { header: text.kind, cell: (entry) => text[`kind${entry.kind}`] },
    { header: text.account, cell: (entry) => entry.accountName },
    { header: text.credits, numeric: true, cell: (entry) => credits(entry.amount) },
    { header: text.reference, cell: (entry) => entry.reference ?? '' },
    { header: text.actor, cell: (entry) => [entry.actorName ?? entry.actor, entry.actorRole].filter(Boolean).join(' · ') },
  ];

  return (
    <section>
      <h1>{text.topUpTitle}</h1>
      <PeriodForm period={period} onChange={setPeriod} csvPath="/reports/top-ups.csv" csvName="credit-top-ups" />
      <ErrorMessage error={error} />
      {report && (
        <>
          <Totals
            items={[
              { label: text.totalTransferred, value: credits(report.totalTransferred), testId: 'top-up-transferred' },
              { label: text.totalReclaimed, value: credits(report.totalReclaimed), testId: 'top-up-reclaimed' },
              { label: text.partnerTopUps, value: credits(report.partnerTopUps), testId: 'top-up-partner' },
            ]}
          />
          <BarChart
            title={text.transferredPerCustomer}
            points={customerPoints(report.customers, credits)}
            layout="horizontal"
            format={credits}
            emptyText={text.chartEmpty}
            testId="transferred-per-customer"
          />
        </>
      )}
      <ReportTable
        title={text.topUpByCustomer}
        columns={customerColumns}
        rows={report?.customers}
        rowKey={(customer) => customer.customerId}
        fetching={fetching}
      />
      <ReportTable
        title={text.topUpRows}
        columns={entryColumns}
        rows={report?.rows}
        rowKey={(entry) => `${entry.kind}/${entry.reference ?? ''}/${entry.occurredAt}/${entry.accountId}`}
        fetching={fetching}
        pageSize={25}
      />
    </section>
  );
}
