import { useState } from 'react';
import { useQuery } from 'urql';
import { PurchasesDocument, type PurchasesQuery, type TopUpStatus } from '../gql/graphql';
import { ErrorMessage } from '../shared/errors';
import { useLanguage, useMessages } from '../shared/i18n';
import { formatCredits, formatDateTime, formatMoney } from '../shared/money';
import { type Column, PagedTable, usePaging } from '../shared/PagedTable';
import { useSession } from '../shared/session';
import { customerMessages, enumMessages } from './messages';

type Purchase = PurchasesQuery['topUps']['edges'][number]['node'];
const STATUSES: TopUpStatus[] = ['SUCCEEDED', 'PENDING', 'FAILED', 'CANCELED', 'EXPIRED', 'REFUNDED', 'PARTIALLY_REFUNDED'];
const PAGE_SIZE = 10;

/** Purchases: every top-up (pending, paid, failed, canceled, expired, refunded) with method, charge, why it failed and its receipt. */
export function PurchasesScreen() {
  const { accountId } = useSession();
  const text = useMessages(customerMessages);
  const names = useMessages(enumMessages);
  const { language } = useLanguage();
  const [status, setStatus] = useState('');
  const paging = usePaging(PAGE_SIZE);
  const filter = status ? { statuses: [status as TopUpStatus] } : undefined;
  const locale = language === 'vi' ? 'VI' : 'EN';
  const [{ data, error, fetching }] = useQuery({ query: PurchasesDocument, variables: { accountId, filter, locale, ...paging.cursor } });
  const columns: Column<Purchase>[] = [
    { header: text.date, cell: (topUp) => formatDateTime(topUp.createdAt, language) },
    { header: text.status, cell: (topUp) => [names[topUp.status], topUp.failureMessage].filter(Boolean).join(': ') },
    { header: text.method, cell: (topUp) => names[topUp.method] },
    { header: text.origin, cell: (topUp) => names[topUp.origin] },
    { header: text.amount, numeric: true, cell: (topUp) => formatCredits(topUp.amount, language) },
    { header: text.charge, numeric: true, cell: (topUp) => formatMoney(topUp.charge, language) },
    { header: text.receipt, cell: (topUp) => topUp.receipt?.number ?? '' },
  ];
  return (
    <section>
      <h1>{text.purchasesTitle}</h1>
      <div className="filters">
        <label>
          {text.status}
          <select
            name="status"
            value={status}
            onChange={(event) => {
              setStatus(event.target.value);
              paging.reset();
            }}
          >
            <option value="">{text.allStatuses}</option>
            {STATUSES.map((option) => (
              <option key={option} value={option}>
                {names[option]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage error={error} />
      <PagedTable
        label={text.purchasesTitle}
        columns={columns}
        rows={data?.topUps.edges.map((edge) => edge.node) ?? []}
        rowKey={(topUp) => topUp.id}
        fetching={fetching}
        {...paging.handlers(data?.topUps.pageInfo)}
      />
    </section>
  );
}
