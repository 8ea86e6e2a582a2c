import { useQuery, useSubscription } from 'urql';
import { BalanceChangedDocument, BalancesDocument } from '../gql/graphql';
import { ErrorMessage } from '../shared/errors';
import { fill, useLanguage, useMessages } from '../shared/i18n';
import { formatCredits, formatDate } from '../shared/money';
import { Link } from '../shared/router';
import { canManageBilling } from '../shared/routes';
import { useSession } from '../shared/session';
import { BalanceCards } from './BalanceCards';
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
      {balances && <BalanceCards totalBalance={balances.totalBalance} topUpBalance={balances.topUpBalance} promotionalBalance={balances.promotionalBalance} />}
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
