import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { enumMessages } from '../../customer/messages';
import { CustomerAutoTransferRuleDocument, type PartnerCustomerQuery, PartnerCustomerDocument } from '../../gql/graphql';
import { ErrorMessage } from '../../shared/errors';
import { fill, useLanguage, useMessages } from '../../shared/i18n';
import { formatCredits, formatDateTime } from '../../shared/money';
import { type Column, PagedTable, usePaging } from '../../shared/PagedTable';
import { Link, useLocation } from '../../shared/router';
import { canManageBilling } from '../../shared/routes';
import { useSession } from '../../shared/session';
import { opsMessages } from '../ops-messages';
import { type MoveDirection, MoveCreditsDialog } from '../transfers/MoveCreditsDialog';
import { canReclaimFrom, thisMonth } from './customers';

type Movement = PartnerCustomerQuery['account']['creditHistory']['edges'][number]['node'];
const PAGE_SIZE = 10;

/**
 * One customer (the help page's "detailed customer information screen", reached from its name in
 * the list): status, balances and this month's usage, Top Up and Reclaim, its auto top-up rule, and
 * its credit history.
 */
export function CustomerDetailScreen() {
  const { viewer } = useSession();
  const text = useMessages(opsMessages);
  const names = useMessages(enumMessages);
  const { language } = useLanguage();
  const id = useLocation().search.get('id') ?? '';
  const usagePeriod = useMemo(thisMonth, []);
  const paging = usePaging(PAGE_SIZE);
  const manager = canManageBilling(viewer);
  const [{ data, error, fetching }, refetch] = useQuery({ query: PartnerCustomerDocument, variables: { id, usagePeriod, ...paging.cursor }, pause: !id });
  const [rule] = useQuery({ query: CustomerAutoTransferRuleDocument, variables: { id }, pause: !id || !manager });
  const [moving, setMoving] = useState<MoveDirection | null>(null);
  const customer = data?.account;
  const credits = (value: string) => formatCredits(value, language);

  const details = (movement: Movement): string => {
    const source = movement.source;
    switch (source?.__typename) {
      case 'TransferSource':
      case 'ReclaimSource':
        return source.note ?? '';
      case 'UsageSource':
        return source.service;
      case 'PromotionalGrantSource':
        return source.reason;
      default:
        return movement.description ?? '';
    }
  };
  const columns: Column<Movement>[] = [
    { header: text.date, cell: (movement) => formatDateTime(movement.occurredAt, language) },
    { header: text.type, cell: (movement) => names[movement.type] },
    { header: text.details, cell: details },
    { header: text.amount, numeric: true, cell: (movement) => credits(movement.amount) },
    { header: text.balanceAfter, numeric: true, cell: (movement) => credits(movement.balanceAfter) },
  ];

  return (
    <section>
      <p>
        <Link to="/customers">← {text.customersTitle}</Link>
      </p>
      <ErrorMessage error={error} />
      {customer && (
        <>
          <h1>{customer.name}</h1>
          <p data-testid="customer-status">
            <code>{customer.id}</code> · {text[`status${customer.status}`]}
            {customer.depleted && <span className="badge bad"> {text.depletedMark}</span>}
          </p>
          <dl className="balances">
            <div>
              <dt>{text.totalBalanceLong}</dt>
              <dd data-testid="detail-total-balance">{credits(customer.balances.totalBalance)}</dd>
            </div>
            <div>
              <dt>{text.topUpBalanceLong}</dt>
              <dd data-testid="detail-top-up-balance">{credits(customer.balances.topUpBalance)}</dd>
            </div>
            <div>
              <dt>{text.promotionalBalanceLong}</dt>
              <dd>{credits(customer.balances.promotionalBalance)}</dd>
            </div>
            <div>
              <dt>{text.usageThisMonth}</dt>
              <dd>{credits(customer.usage)}</dd>
            </div>
          </dl>
          {manager && (
            <div className="choices">
              {customer.status === 'ACTIVE' && (
                <button type="button" className="primary" onClick={() => setMoving('transfer')}>
                  {text.topUp}
                </button>
              )}
              {canReclaimFrom(customer.status) && (
                <button type="button" onClick={() => setMoving('reclaim')}>
                  {text.reclaim}
                </button>
              )}
            </div>
          )}
          {manager && rule.data && (
            <div className="card" data-testid="customer-rule">
              <h2>{text.rulesTitle}</h2>
              {rule.data.autoTransferRule ? (
                <p>
                  {fill(text.ruleSummary, {
                    status: text[`rule${rule.data.autoTransferRule.status}`],
                    threshold: credits(rule.data.autoTransferRule.threshold),
                    target: credits(rule.data.autoTransferRule.targetBalance),
                    cap: credits(rule.data.autoTransferRule.monthlyCap),
                    transferred: credits(rule.data.autoTransferRule.transferredThisMonth),
                  })}
                </p>
              ) : (
                <p>{text.noRule}</p>
              )}
              <Link to="/auto-top-up">{text.manageRules}</Link>
            </div>
          )}
          <h2>{text.historyTitle}</h2>
          <PagedTable
            label={text.historyTitle}
            columns={columns}
            rows={customer.creditHistory.edges.map((edge) => edge.node)}
            rowKey={(movement) => movement.id}
            fetching={fetching}
            {...paging.handlers(customer.creditHistory.pageInfo)}
          />
          {moving && (
            <MoveCreditsDialog
              direction={moving}
              customer={{ id: customer.id, name: customer.name, topUpBalance: customer.balances.topUpBalance }}
              onClose={() => setMoving(null)}
              onMoved={() => refetch({ requestPolicy: 'network-only' })}
            />
          )}
        </>
      )}
    </section>
  );
}
