import { useQuery, useSubscription } from 'urql';
import { TopUpResultDocument, TopUpStatusChangedDocument } from '../gql/graphql';
import { Dialog } from '../shared/Dialog';
import { ErrorMessage } from '../shared/errors';
import { fill, useLanguage, useMessages } from '../shared/i18n';
import { formatCredits } from '../shared/money';
import { Link, navigate, useLocation } from '../shared/router';
import { BalanceCards } from './BalanceCards';
import { customerMessages, enumMessages } from './messages';

/** Where every provider sends the buyer back: this page (the server adds the top-up's id). */
export const TOP_UP_RETURN_PATH = '/top-ups/return';

/**
 * Where every payment page sends the buyer back (`?topUpId=…`, added by the server). The page
 * subscribes to topUpStatusChanged, whose first message is the top-up as it is, so a payment that
 * completed before the page loaded shows at once; the success pop-up shows the balances after it.
 */
export function TopUpReturnScreen() {
  const { search } = useLocation();
  const topUpId = search.get('topUpId');
  return topUpId ? <TopUpResult topUpId={topUpId} /> : <p>…</p>;
}

function TopUpResult({ topUpId }: { topUpId: string }) {
  const text = useMessages(customerMessages);
  const names = useMessages(enumMessages);
  const { language } = useLanguage();
  const locale = language === 'vi' ? 'VI' : 'EN';
  const [{ data: topUpData, error }] = useQuery({ query: TopUpResultDocument, variables: { id: topUpId, locale } });
  const [{ data }] = useSubscription({ query: TopUpStatusChangedDocument, variables: { topUpId, locale } });
  const update = data?.topUpStatusChanged;
  const topUp = topUpData?.topUp;
  const status = update?.status ?? topUp?.status;
  const reason = update?.failureMessage ?? topUp?.failureMessage ?? '';
  const retryUrl = topUp?.payment?.nextAction.type === 'REDIRECT_TO_URL' ? topUp.payment.nextAction.url : null;
  const succeeded = status === 'SUCCEEDED' && update;

  return (
    <section className="card narrow">
      <h1>{text.resultTitle}</h1>
      <ErrorMessage error={error} />
      {status && (
        <p data-testid="top-up-status">
          {names[status]}
          {topUp && ` · ${formatCredits(topUp.amount, language)} · ${names[topUp.method]}`}
        </p>
      )}
      {(status === 'PENDING' || status === 'REQUIRES_ACTION') && !reason && <p role="status">{text.pendingBody}</p>}
      {(status === 'PENDING' || status === 'REQUIRES_ACTION') && reason && (
        <div className="notice" role="alert">
          <p>{fill(text.retryBody, { reason })}</p>
          {retryUrl && (
            <button type="button" className="primary" onClick={() => window.location.assign(retryUrl)}>
              {text.tryAgain}
            </button>
          )}
        </div>
      )}
      {(status === 'FAILED' || status === 'EXPIRED') && (
        <p className="error" role="alert">
          {fill(text.failedBody, { reason })}
        </p>
      )}
      {status === 'CANCELED' && <p role="alert">{text.canceledBody}</p>}
      <p>
        <Link to="/history">{text.viewHistory}</Link>
      </p>
      {succeeded && (
        <Dialog
          title={text.successTitle}
          onClose={() => navigate('/balances')}
          footer={
            <button type="button" className="primary" onClick={() => navigate('/balances')}>
              OK
            </button>
          }
        >
          <p>{fill(text.successBody, { amount: formatCredits(update.amount, language) })}</p>
          <BalanceCards totalBalance={update.totalBalance} topUpBalance={update.topUpBalance} testIdPrefix="success-" />
        </Dialog>
      )}
    </section>
  );
}
