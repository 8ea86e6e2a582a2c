import { useQuery, useSubscription } from 'urql';
import { BalanceChangedDocument, BalancesDocument } from '../gql/graphql';
import { ErrorMessage } from '../shared/errors';
import { fill, useLanguage, useMessages } from '../shared/i18n';
import { formatCredits, formatDate } from '../shared/money';
import { Link } from '../shared/router';
import { canManageBilling } from '../shared/routes';
import { useSession } from '../shared/session';
import { customerMessages } from './messages';

/** Total, top-up and promotional balances, live (balanceChanged: its first message is the balances now), and the next expiry. */
export function BalancesScreen() {
  const { accountId, viewer } = useSession();
  const text = useMessages(customerMessages);
  const { language } = useLanguage();
  const [{ data, error }, refetch] = useQuery({ query: BalancesDocument, variables: { accountId } });
  // Each movement carries the balances after it; the next expiry is read again when one arrives.
  const [{ data: live }] = useSubscription({ query: BalanceChangedDocument, variables: { accountId } }, (_previous, next) => {
    if (next.balanceChanged.eventId !== '0') refetch({ requestPolicy: 'network-only' });
    return next;
  });
  const balances = live?.balanceChanged ?? data?.balances;
  const nextExpiry = data?.balances.nextExpiry;
  return (
    <section>
      <h1>{text.balancesTitle}</h1>
      <ErrorMessage error={error} />
      {balances && (
        <dl className="balances">
          <div>
            <dt>{text.totalBalance}</dt>
            <dd data-testid="total-balance">{formatCredits(balances.totalBalance, language)}</dd>
          </div>
          <div>
            <dt>{text.topUpBalance}</dt>
            <dd data-testid="top-up-balance">{formatCredits(balances.topUpBalance, language)}</dd>
          </div>
          <div>
            <dt>{text.promotionalBalance}</dt>
            <dd data-testid="promotional-balance">{formatCredits(balances.promotionalBalance, language)}</dd>
          </div>
        </dl>
      )}
      {data && (
        <p className="next-expiry">
          {nextExpiry
            ? fill(text.nextExpiry, { amount: formatCredits(nextExpiry.amount, language), date: formatDate(nextExpiry.expiresAt, language) })
            : text.noExpiry}
        </p>
      )}
      {canManageBilling(viewer) && (
        <Link to="/top-up" className="button primary">
          {text.addCredit}
        </Link>
      )}
    </section>
  );
}
