import { type FormEvent, useState } from 'react';
import { useQuery } from 'urql';
import { type CreditHistoryQuery, CreditHistoryDocument, type CreditMovementType } from '../gql/graphql';
import { CsvDownloadButton } from '../shared/csv';
import { ErrorMessage } from '../shared/errors';
import { fill, useLanguage, useMessages } from '../shared/i18n';
import { formatCredits, formatDate, formatDateTime, formatMoney } from '../shared/money';
import { type Column, PagedTable, usePaging } from '../shared/PagedTable';
import { useSession } from '../shared/session';
import { customerMessages, enumMessages } from './messages';

type Movement = CreditHistoryQuery['creditHistory']['edges'][number]['node'];

const MOVEMENT_TYPES: CreditMovementType[] = [
  'TOP_UP',
  'USAGE',
  'PROMOTIONAL_GRANT',
  'PROMOTIONAL_EXPIRY',
  'TRANSFER_IN',
  'RECLAIM_OUT',
  'REFUND',
  'TOP_UP_REVERSAL',
  'ADJUSTMENT',
];
const PAGE_SIZE = 10;

/** A date input's day as the instant its local midnight is (from), or the next day's (to: the day is included). */
function dayBound(day: string, which: 'from' | 'to'): string | undefined {
  if (!day) return undefined;
  const start = new Date(`${day}T00:00:00`);
  if (which === 'to') start.setDate(start.getDate() + 1);
  return start.toISOString();
}

/** Credit history: every movement with its typed source (what was paid and how, the partner's note, the service used), filters, paging and the CSV. */
export function HistoryScreen() {
  const { accountId } = useSession();
  const text = useMessages(customerMessages);
  const names = useMessages(enumMessages);
  const { language } = useLanguage();
  const [draft, setDraft] = useState({ type: '', from: '', to: '' });
  const [applied, setApplied] = useState(draft);
  const paging = usePaging(PAGE_SIZE);
  const filter = {
    types: applied.type ? [applied.type as CreditMovementType] : undefined,
    from: dayBound(applied.from, 'from'),
    to: dayBound(applied.to, 'to'),
  };
  const [{ data, error, fetching }] = useQuery({ query: CreditHistoryDocument, variables: { accountId, filter, ...paging.cursor } });
  const history = data?.creditHistory;

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
    paging.reset();
  };

  const details = (movement: Movement): string => {
    const source = movement.source;
    switch (source?.__typename) {
      case 'TopUpSource':
        return fill(text.paidWith, { method: names[source.method], charge: formatMoney(source.charge, language) });
      case 'TransferSource':
      case 'ReclaimSource':
        return [fill(text.fromPartner, { partner: source.partner.name }), source.note].filter(Boolean).join(' — ');
      case 'UsageSource':
        return fill(text.usageOf, { service: source.service });
      case 'PromotionalGrantSource':
        return [fill(text.grantReason, { reason: source.reason }), source.expiresAt && fill(text.expiresOn, { date: formatDate(source.expiresAt, language) })]
          .filter(Boolean)
          .join(', ');
      case 'CreditCorrection':
        return source.reason;
      default:
        return movement.description ?? movement.counterparty.name;
    }
  };

  const columns: Column<Movement>[] = [
    { header: text.date, cell: (movement) => formatDateTime(movement.occurredAt, language) },
    { header: text.type, cell: (movement) => names[movement.type] },
    { header: text.details, cell: details },
    { header: text.amount, numeric: true, cell: (movement) => formatCredits(movement.amount, language) },
    { header: text.balanceAfter, numeric: true, cell: (movement) => formatCredits(movement.balanceAfter, language) },
  ];

  return (
    <section>
      <h1>{text.historyTitle}</h1>
      <form className="filters" onSubmit={apply}>
        <label>
          {text.type}
          <select name="type" value={draft.type} onChange={(event) => setDraft({ ...draft, type: event.target.value })}>
            <option value="">{text.allTypes}</option>
            {MOVEMENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {names[type]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {text.from}
          <input type="date" name="from" value={draft.from} onChange={(event) => setDraft({ ...draft, from: event.target.value })} />
        </label>
        <label>
          {text.to}
          <input type="date" name="to" value={draft.to} onChange={(event) => setDraft({ ...draft, to: event.target.value })} />
        </label>
        <button type="submit">{text.applyFilters}</button>
        <CsvDownloadButton
          path="/history.csv"
          query={{ accountId, types: filter.types?.join(','), from: filter.from, to: filter.to }}
          filename={`credit-history-${accountId}.csv`}
        />
      </form>
      <ErrorMessage error={error} />
      <PagedTable
        label={text.historyTitle}
        columns={columns}
        rows={history?.edges.map((edge) => edge.node) ?? []}
        rowKey={(movement) => movement.id}
        fetching={fetching}
        {...paging.handlers(history?.pageInfo)}
      />
    </section>
  );
}
