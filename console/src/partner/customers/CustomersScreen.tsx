import { type FormEvent, useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { type AccountStatus, type PartnerCustomerSort, type PartnerCustomersQuery, PartnerCustomersDocument, type SortDirection } from '../../gql/graphql';
import { ErrorMessage } from '../../shared/errors';
import { useLanguage, useMessages } from '../../shared/i18n';
import { formatCredits, parseCreditsInput } from '../../shared/money';
import { type Column, PagedTable, usePaging } from '../../shared/PagedTable';
import { Link } from '../../shared/router';
import { canManageBilling } from '../../shared/routes';
import { useSession } from '../../shared/session';
import { opsMessages } from '../ops-messages';
import { ACCOUNT_STATUSES, canReclaimFrom, customerDetailLink, thisMonth } from './customers';
import { type MoveCustomer, type MoveDirection, MoveCreditsDialog } from '../transfers/MoveCreditsDialog';

type Customer = PartnerCustomersQuery['partnerCustomers']['edges'][number]['node'];

const PAGE_SIZE = 10;

interface Filters {
  search: string;
  status: string;
  depleted: string;
  balanceBelow: string;
  sortBy: PartnerCustomerSort;
  sortDirection: SortDirection;
}

/**
 * The partner's customers (the help page's "Account" list): status, balances and this month's
 * usage, searched by name or account id, filtered, sorted either way and paged; each row opens the
 * Top Up pop-up (ACTIVE customers) and the Reclaim pop-up, and its name the customer's detail. Above it, what the partner may transfer.
 */
export function CustomersScreen() {
  const { accountId, viewer } = useSession();
  const text = useMessages(opsMessages);
  const { language } = useLanguage();
  const [draft, setDraft] = useState<Filters>({ search: '', status: '', depleted: '', balanceBelow: '', sortBy: 'NAME', sortDirection: 'ASC' });
  const [applied, setApplied] = useState(draft);
  const [moving, setMoving] = useState<{ direction: MoveDirection; customer: MoveCustomer } | null>(null);
  const paging = usePaging(PAGE_SIZE);
  const usagePeriod = useMemo(thisMonth, []);
  const balanceBelow = applied.balanceBelow === '' ? undefined : (parseCreditsInput(applied.balanceBelow) ?? undefined);
  const filter = {
    search: applied.search.trim() || undefined,
    status: (applied.status || undefined) as AccountStatus | undefined,
    depleted: applied.depleted === '' ? undefined : applied.depleted === 'true',
    totalBalanceBelow: balanceBelow,
  };
  const [{ data, error, fetching }, refetch] = useQuery({
    query: PartnerCustomersDocument,
    variables: { partnerAccountId: accountId, filter, sortBy: applied.sortBy, sortDirection: applied.sortDirection, usagePeriod, ...paging.cursor },
  });
  const customers = data?.partnerCustomers;
  const manager = canManageBilling(viewer);
  const badBalanceBelow = draft.balanceBelow !== '' && parseCreditsInput(draft.balanceBelow) === null;

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (badBalanceBelow) return;
    setApplied(draft);
    paging.reset();
  };

  const credits = (value: string) => formatCredits(value, language);
  const open = (direction: MoveDirection, customer: Customer) =>
    setMoving({ direction, customer: { id: customer.id, name: customer.name, topUpBalance: customer.balances.topUpBalance } });

  const columns: Column<Customer>[] = [
    { header: text.name, cell: (customer) => <Link to={customerDetailLink(customer.id)}>{customer.name}</Link> },
    { header: text.accountId, cell: (customer) => <code>{customer.id}</code> },
    {
      header: text.status,
      cell: (customer) => (
        <>
          {text[`status${customer.status}`]}
          {customer.depleted && <span className="badge bad"> {text.depletedMark}</span>}
        </>
      ),
    },
    { header: text.topUpBalance, numeric: true, cell: (customer) => credits(customer.balances.topUpBalance) },
    { header: text.promotionalBalance, numeric: true, cell: (customer) => credits(customer.balances.promotionalBalance) },
    { header: text.totalBalance, numeric: true, cell: (customer) => <strong data-testid="customer-total">{credits(customer.balances.totalBalance)}</strong> },
    { header: text.usageThisMonth, numeric: true, cell: (customer) => credits(customer.usage) },
  ];
  if (manager) {
    columns.push({
      header: text.actions,
      cell: (customer) => (
        <span className="row-actions">
          {customer.status === 'ACTIVE' && (
            <button type="button" onClick={() => open('transfer', customer)}>
              {text.topUp}
            </button>
          )}
          {canReclaimFrom(customer.status) && (
            <button type="button" onClick={() => open('reclaim', customer)}>
              {text.reclaim}
            </button>
          )}
        </span>
      ),
    });
  }

  const select = (name: keyof Filters, label: string, options: [string, string][]) => (
    <label>
      {label}
      <select name={name} value={draft[name]} onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}>
        {options.map(([value, optionLabel]) => (
          <option key={value} value={value}>
            {optionLabel}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section>
      <h1>{text.customersTitle}</h1>
      {data && (
        <dl className="balances">
          <div>
            <dt>{text.yourTopUpBalance}</dt>
            <dd data-testid="partner-top-up-balance">{credits(data.balances.topUpBalance)}</dd>
          </div>
          <div>
            <dt>{text.availableToTransfer}</dt>
            <dd data-testid="partner-available">{credits(data.balances.availableToTransfer ?? '0')}</dd>
          </div>
        </dl>
      )}
      <form className="filters" onSubmit={apply}>
        <label>
          {text.search}
          <input name="search" type="search" maxLength={100} value={draft.search} onChange={(event) => setDraft({ ...draft, search: event.target.value })} />
        </label>
        {select('status', text.status, [['', text.anyStatus], ...ACCOUNT_STATUSES.map((status): [string, string] => [status, text[`status${status}`]])])}
        {select('depleted', text.depleted, [
          ['', text.anyDepletion],
          ['true', text.depletedOnly],
          ['false', text.notDepleted],
        ])}
        <label>
          {text.balanceBelow}
          <input
            name="balanceBelow"
            inputMode="decimal"
            size={8}
            aria-invalid={badBalanceBelow}
            value={draft.balanceBelow}
            onChange={(event) => setDraft({ ...draft, balanceBelow: event.target.value })}
          />
        </label>
        {select('sortBy', text.sortBy, [
          ['NAME', text.sortName],
          ['BALANCE', text.sortBalance],
        ])}
        {select('sortDirection', text.direction, [
          ['ASC', text.ascending],
          ['DESC', text.descending],
        ])}
        <button type="submit" disabled={badBalanceBelow}>
          {text.applyFilters}
        </button>
      </form>
      {badBalanceBelow && <p className="field-error">{text.invalidBalanceBelow}</p>}
      <ErrorMessage error={error} />
      <PagedTable
        label={text.customersTitle}
        columns={columns}
        rows={customers?.edges.map((edge) => edge.node) ?? []}
        rowKey={(customer) => customer.id}
        fetching={fetching}
        {...paging.handlers(customers?.pageInfo)}
      />
      {moving && (
        <MoveCreditsDialog
          direction={moving.direction}
          customer={moving.customer}
          onClose={() => setMoving(null)}
          onMoved={() => refetch({ requestPolicy: 'network-only' })}
        />
      )}
    </section>
  );
}
