import { type FormEvent, type ReactNode, useState } from 'react';
import { CsvDownloadButton } from '../../shared/csv';
import { useMessages } from '../../shared/i18n';
import { reportsMessages } from '../reports-messages';
import { CustomerOptions } from './CustomerOptions';
import { type ChosenPeriod, csvQuery, daysOf, REPORT_TIME_ZONES } from './period';

/**
 * The days, time zone and customer a report covers, applied with Show, and the report's CSV for the
 * same choice (`GET /reports/<name>.csv?from=&to=&timeZone=[&customerAccountId=]`).
 */
export function PeriodForm(props: { period: ChosenPeriod; onChange(period: ChosenPeriod): void; csvPath: string; csvName: string }) {
  const text = useMessages(reportsMessages);
  const [draft, setDraft] = useState(props.period);
  const valid = draft.from !== '' && draft.to !== '' && draft.from <= draft.to && daysOf(draft).length <= 366;
  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (valid) props.onChange(draft);
  };
  return (
    <form className="filters" onSubmit={apply}>
      <label>
        {text.from}
        <input type="date" name="from" value={draft.from} onChange={(event) => setDraft({ ...draft, from: event.target.value })} />
      </label>
      <label>
        {text.to}
        <input type="date" name="to" value={draft.to} onChange={(event) => setDraft({ ...draft, to: event.target.value })} />
      </label>
      <label>
        {text.timeZone}
        <select name="timeZone" value={draft.timeZone} onChange={(event) => setDraft({ ...draft, timeZone: event.target.value })}>
          {REPORT_TIME_ZONES.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </label>
      <label>
        {text.customer}
        <select name="customer" value={draft.customerAccountId} onChange={(event) => setDraft({ ...draft, customerAccountId: event.target.value })}>
          <option value="">{text.allCustomers}</option>
          <CustomerOptions />
        </select>
      </label>
      <button type="submit" className="primary" disabled={!valid}>
        {text.show}
      </button>
      <CsvDownloadButton path={props.csvPath} query={csvQuery(props.period)} filename={`${props.csvName}-${props.period.from}-${props.period.to}.csv`} />
      {!valid && (
        <span className="field-error" role="alert">
          {text.badPeriod}
        </span>
      )}
    </form>
  );
}

/** The report's totals as labelled figures, each with a test id. */
export function Totals({ items }: { items: { label: string; value: ReactNode; testId: string }[] }) {
  return (
    <dl className="report-totals">
      {items.map((item) => (
        <div key={item.testId}>
          <dt>{item.label}</dt>
          <dd data-testid={item.testId}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
