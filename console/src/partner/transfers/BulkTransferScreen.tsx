import { type FormEvent, useMemo, useState } from 'react';
import { useMutation } from 'urql';
import { type TransferBatchMode, type TransferCreditsBatchMutation, TransferCreditsBatchDocument } from '../../gql/graphql';
import { ErrorMessage } from '../../shared/errors';
import { fill, useLanguage, useMessages } from '../../shared/i18n';
import { formatCredits } from '../../shared/money';
import { type Column, PagedTable } from '../../shared/PagedTable';
import { opsMessages } from '../ops-messages';
import { type BulkRow, parseBulkRows } from './bulk-rows';

type Batch = TransferCreditsBatchMutation['transferCreditsBatch'];
type RowResult = Batch['results'][number];

const MODES: TransferBatchMode[] = ['EACH_ON_ITS_OWN', 'ALL_OR_NOTHING'];

/**
 * Bulk Top Up: a pasted list of customers and amounts (e.g. a monthly allowance) checked first
 * (transferCreditsBatch with dryRun: every row's fate, nothing moved), then transferred under one
 * idempotency key, with one result per row: the customer's name (an id that names none of the
 * partner's customers shows none), transferred with the customer's balance after, or refused with
 * the API's reason and code.
 */
export function BulkTransferScreen() {
  const text = useMessages(opsMessages);
  const { language } = useLanguage();
  const [pasted, setPasted] = useState('');
  const [mode, setMode] = useState<TransferBatchMode>('EACH_ON_ITS_OWN');
  const [batch, setBatch] = useState<{ rows: BulkRow[]; result: Batch } | null>(null);
  const [{ error, fetching }, runBatch] = useMutation(TransferCreditsBatchDocument);
  const parsed = useMemo(() => parseBulkRows(pasted), [pasted]);
  // One key per list and mode (a double click moves the credits once), and a new one once a batch went through.
  const [sent, setSent] = useState(0);
  const idempotencyKey = useMemo(() => crypto.randomUUID(), [pasted, mode, sent]);
  const credits = (value: string) => formatCredits(value, language);

  const send = async (dryRun: boolean) => {
    const rows = parsed.rows;
    const result = await runBatch({
      input: { idempotencyKey, mode, dryRun, rows: rows.map(({ customerAccountId, amount, note }) => ({ customerAccountId, amount, note })) },
    });
    setBatch(result.data ? { rows, result: result.data.transferCreditsBatch } : null);
    if (result.data && !dryRun) setSent(sent + 1);
  };

  const check = (event: FormEvent) => {
    event.preventDefault();
    if (parsed.rows.length > 0 && parsed.badLines.length === 0) void send(true);
  };

  const result = batch?.result;
  const checkedThisList = batch !== null && batch.rows === parsed.rows && result?.dryRun === true && result.mode === mode;
  const columns: Column<RowResult>[] = [
    { header: text.line, cell: (row) => batch?.rows[row.index]?.line ?? row.index + 1 },
    {
      header: text.customer,
      cell: (row) => (
        <>
          {row.customer && `${row.customer.name} `}
          <code className="muted">{row.customerAccountId}</code>
        </>
      ),
    },
    { header: text.amount, numeric: true, cell: (row) => credits(row.amount) },
    {
      header: text.result,
      cell: (row) => (
        <span data-testid="row-status">
          {row.status === 'OK' && !result?.dryRun ? text.rowOKDone : text[`row${row.status}`]}
          {row.message && ` — ${row.message}`}
          {row.code && <code className="error-code"> {row.code}</code>}
        </span>
      ),
    },
    { header: text.customerTotalAfter, numeric: true, cell: (row) => (row.customerBalances ? credits(row.customerBalances.totalBalance) : '') },
  ];

  return (
    <section>
      <h1>{text.bulkTitle}</h1>
      <p>{text.bulkIntro}</p>
      <form className="card" onSubmit={check}>
        <label>
          {text.bulkRows}
          <textarea
            name="rows"
            rows={8}
            spellCheck={false}
            placeholder={'demo-partner-customer-1, 100\ndemo-partner-customer-2, 250, Monthly allowance'}
            value={pasted}
            onChange={(event) => setPasted(event.target.value)}
          />
        </label>
        {parsed.badLines.map((line) => (
          <p key={line} className="field-error">
            {fill(text.bulkLineError, { line })}
          </p>
        ))}
        <label>
          {text.bulkMode}
          <select name="mode" value={mode} onChange={(event) => setMode(event.target.value as TransferBatchMode)}>
            {MODES.map((option) => (
              <option key={option} value={option}>
                {text[`mode${option}`]}
              </option>
            ))}
          </select>
        </label>
        <div className="choices">
          <button type="submit" disabled={fetching || parsed.rows.length === 0 || parsed.badLines.length > 0}>
            {text.bulkCheck}
          </button>
          <button type="button" className="primary" disabled={fetching || !checkedThisList || result?.totals.okCount === 0} onClick={() => void send(false)}>
            {fill(text.bulkTransfer, { count: result?.totals.okCount ?? 0 })}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
      {result && (
        <>
          <p className={result.dryRun ? 'notice' : 'success'} role="status" data-testid="bulk-summary">
            {fill(result.dryRun ? text.bulkChecked : text.bulkDone, {
              ok: result.totals.okCount,
              rows: result.totals.rowCount,
              amount: credits(result.totals.amount),
            })}
          </p>
          <PagedTable label={text.bulkResults} columns={columns} rows={result.results} rowKey={(row) => String(row.index)} />
        </>
      )}
    </section>
  );
}
