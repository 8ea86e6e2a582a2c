import { type CreditSummaryReportQuery, CreditSummaryReportDocument } from '../../gql/graphql';
import { ErrorMessage } from '../../shared/errors';
import { fill, useLanguage, useMessages } from '../../shared/i18n';
import { formatCredits } from '../../shared/money';
import { reportsMessages } from '../reports-messages';
import { BarChart } from './BarChart';
import { PeriodForm, Totals } from './PeriodForm';
import { usePeriodReport } from './report-screen';

type Line = CreditSummaryReportQuery['creditSummaryReport']['lines'][number];
type Figures = Pick<Line, 'openingBalance' | 'creditsIn' | 'usage' | 'creditsOut' | 'closingBalance'>;

const FIGURES = ['openingBalance', 'creditsIn', 'usage', 'creditsOut', 'closingBalance'] as const satisfies readonly (keyof Figures)[];

/** Every customer's opening balance, credits in and out and closing balance (then the partner's own line), the customers' totals, closing balances as a chart, the CSV. */
export function SummaryReportScreen() {
  const text = useMessages(reportsMessages);
  const { language } = useLanguage();
  const { period, setPeriod, data, error, fetching } = usePeriodReport(CreditSummaryReportDocument);
  const report = data?.creditSummaryReport;
  const credits = (value: string) => formatCredits(value, language);
  const customers = report?.lines.filter((line) => line.accountKind === 'CUSTOMER') ?? [];
  const nameOf = (line: Line) => (line.accountKind === 'PARTNER' ? fill(text.partnerAccount, { name: line.accountName }) : line.accountName);

  return (
    <section>
      <h1>{text.summaryTitle}</h1>
      <PeriodForm period={period} onChange={setPeriod} csvPath="/reports/summary.csv" csvName="credit-summary" />
      <ErrorMessage error={error} />
      {report && (
        <>
          <Totals items={FIGURES.map((figure) => ({ label: text[figure], value: credits(report.customerTotals[figure]), testId: `summary-${figure}` }))} />
          <p className="chart-empty">{text.customersTotalsNote}</p>
          <BarChart
            title={text.closingPerCustomer}
            points={customers.map((line) => ({
              key: line.accountId,
              label: line.accountName,
              value: line.closingBalance,
              shown: credits(line.closingBalance),
            }))}
            layout="horizontal"
            format={credits}
            emptyText={text.chartEmpty}
            testId="closing-per-customer"
          />
        </>
      )}
      <div className="report-section paged-table">
        <h2>{text.summaryLines}</h2>
        <table aria-label={text.summaryLines} aria-busy={fetching}>
          <thead>
            <tr>
              <th>{text.account}</th>
              {FIGURES.map((figure) => (
                <th key={figure} className="numeric">
                  {text[figure]}
                </th>
              ))}
              <th className="numeric">{text.owedAtClose}</th>
            </tr>
          </thead>
          <tbody>
            {report?.lines.map((line) => (
              <tr key={line.accountId} data-account-id={line.accountId}>
                <td>{nameOf(line)}</td>
                {FIGURES.map((figure) => (
                  <td key={figure} className="numeric">
                    {credits(line[figure])}
                  </td>
                ))}
                <td className="numeric">{credits(line.owedAtClose)}</td>
              </tr>
            ))}
          </tbody>
          {report && (
            <tfoot>
              <tr>
                <td>{text.customerTotals}</td>
                {FIGURES.map((figure) => (
                  <td key={figure} className="numeric">
                    {credits(report.customerTotals[figure])}
                  </td>
                ))}
                <td />
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </section>
  );
}
