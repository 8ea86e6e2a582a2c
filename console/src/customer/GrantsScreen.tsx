import { useState } from 'react';
import { useQuery } from 'urql';
import { PromotionalGrantsDocument, type PromotionalGrantsQuery } from '../gql/graphql';
import { ErrorMessage } from '../shared/errors';
import { useLanguage, useMessages } from '../shared/i18n';
import { formatCredits, formatDate, formatDateTime } from '../shared/money';
import { type Column, PagedTable, usePaging } from '../shared/PagedTable';
import { useSession } from '../shared/session';
import { customerMessages, enumMessages } from './messages';

type Grant = PromotionalGrantsQuery['promotionalGrants']['edges'][number]['node'];
const PAGE_SIZE = 10;

/** Promotional credits: each grant with what remains and when it expires (active ones soonest first). */
export function GrantsScreen() {
  const { accountId } = useSession();
  const text = useMessages(customerMessages);
  const names = useMessages(enumMessages);
  const { language } = useLanguage();
  const [activeOnly, setActiveOnly] = useState(false);
  const paging = usePaging(PAGE_SIZE);
  const [{ data, error, fetching }] = useQuery({
    query: PromotionalGrantsDocument,
    variables: { accountId, filter: activeOnly ? { active: true } : undefined, ...paging.cursor },
  });
  const columns: Column<Grant>[] = [
    { header: text.date, cell: (grant) => formatDateTime(grant.createdAt, language) },
    { header: text.reason, cell: (grant) => grant.reason },
    { header: text.status, cell: (grant) => names[grant.status] },
    { header: text.amount, numeric: true, cell: (grant) => formatCredits(grant.amount, language) },
    { header: text.remaining, numeric: true, cell: (grant) => formatCredits(grant.remaining, language) },
    { header: text.expires, cell: (grant) => (grant.expiresAt ? formatDate(grant.expiresAt, language) : text.never) },
  ];
  return (
    <section>
      <h1>{text.grantsTitle}</h1>
      <div className="filters">
        <label className="inline">
          <input
            type="checkbox"
            checked={activeOnly}
            onChange={(event) => {
              setActiveOnly(event.target.checked);
              paging.reset();
            }}
          />
          {text.activeOnly}
        </label>
      </div>
      <ErrorMessage error={error} />
      <PagedTable
        label={text.grantsTitle}
        columns={columns}
        rows={data?.promotionalGrants.edges.map((edge) => edge.node) ?? []}
        rowKey={(grant) => grant.id}
        fetching={fetching}
        {...paging.handlers(data?.promotionalGrants.pageInfo)}
      />
    </section>
  );
}
