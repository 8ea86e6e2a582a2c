import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { CreateTopUpDocument, type PaymentMethod, TopUpOptionsDocument } from '../gql/graphql';
import { Dialog } from '../shared/Dialog';
import { ErrorMessage } from '../shared/errors';
import { fill, useLanguage, useMessages } from '../shared/i18n';
import { compareCredits, formatCredits, formatMoney, parseCreditsInput } from '../shared/money';
import { consoleUrl } from '../shared/router';
import { useSession } from '../shared/session';
import { BillingInfoForm } from './BillingInfoForm';
import { TOP_UP_RETURN_PATH } from './TopUpReturnScreen';
import { customerMessages } from './messages';

/**
 * Add credit: the minimum, the suggested amounts or an amount typed, each open payment method with
 * its price for that amount, and Pay, which starts the top-up and follows its next action (the
 * provider's page). topUpOptions says why the account cannot buy; a missing billing information
 * opens its pop-up first, as the help page describes.
 */
export function TopUpScreen() {
  const { accountId } = useSession();
  const text = useMessages(customerMessages);
  const { language } = useLanguage();
  const [typed, setTyped] = useState('');
  const [method, setMethod] = useState<PaymentMethod | null>(null);
  const [billingOpen, setBillingOpen] = useState(false);
  const amount = typed === '' ? null : parseCreditsInput(typed);
  const [{ data, error, fetching }, refetch] = useQuery({ query: TopUpOptionsDocument, variables: { accountId, amount: amount ?? undefined } });
  const options = data?.topUpOptions;
  const [{ error: payError, fetching: paying }, createTopUp] = useMutation(CreateTopUpDocument);
  // One key per amount and method chosen: a second click on Pay replays the same purchase.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), [amount, method]);
  const [redirecting, setRedirecting] = useState(false);

  const billingMissing = options?.blockers.some((blocker) => blocker.code === 'BILLING_INFO_REQUIRED') ?? false;
  useEffect(() => {
    if (billingMissing) setBillingOpen(true);
  }, [billingMissing]);
  useEffect(() => {
    if (options && !options.methods.some((option) => option.method === method)) setMethod(options.methods[0]?.method ?? null);
  }, [options, method]);

  const belowMinimum = amount !== null && options !== undefined && compareCredits(amount, options.minimumAmount) < 0;
  // The prices are for the amount the answer quoted: while the next answer is on its way, none is shown.
  const quoted = amount !== null && options !== undefined && !belowMinimum && compareCredits(options.quotedAmount, amount) === 0;
  const chosen = options?.methods.find((option) => option.method === method);
  const canPay = options?.canTopUp && quoted && chosen && !paying && !redirecting;

  const pay = async () => {
    if (!canPay || !chosen || amount === null) return;
    const result = await createTopUp({ input: { accountId, amount, method: chosen.method, idempotencyKey, returnUrl: consoleUrl(TOP_UP_RETURN_PATH) } });
    const next = result.data?.createTopUp.payment?.nextAction;
    if (next?.type === 'REDIRECT_TO_URL' && next.url) {
      setRedirecting(true);
      window.location.assign(next.url);
    }
  };

  return (
    <section className="card narrow">
      <h1>{text.topUpTitle}</h1>
      <ErrorMessage error={error} />
      {options && !options.canTopUp && (
        <div className="notice" role="status">
          <p>{text.cannotTopUp}</p>
          <ul data-testid="blockers">
            {options.blockers.map((blocker) => (
              <li key={blocker.code}>
                {blocker.message} <code className="error-code">{blocker.code}</code>
              </li>
            ))}
          </ul>
          {billingMissing && (
            <button type="button" className="primary" onClick={() => setBillingOpen(true)}>
              {text.completeBilling}
            </button>
          )}
        </div>
      )}
      {options && options.methods.length > 0 && (
        <>
          <h2>{text.suggestedAmounts}</h2>
          <div className="choices">
            {options.suggestedAmounts.map((suggested) => (
              <button
                key={suggested}
                type="button"
                aria-pressed={amount !== null && compareCredits(amount, suggested) === 0}
                onClick={() => setTyped(suggested.includes('.') ? suggested.replace(/\.?0+$/, '') : suggested)}
              >
                {formatCredits(suggested, language)}
              </button>
            ))}
          </div>
          <label>
            {text.customAmount}
            <input name="amount" inputMode="decimal" value={typed} onChange={(event) => setTyped(event.target.value)} />
            <small>{fill(text.minimumAmount, { amount: formatCredits(options.minimumAmount, language) })}</small>
          </label>
          {typed !== '' && amount === null && <p className="field-error">{text.invalidAmount}</p>}
          {belowMinimum && <p className="field-error">{fill(text.belowMinimum, { amount: formatCredits(options.minimumAmount, language) })}</p>}
          <h2>{text.paymentMethod}</h2>
          <ul className="methods">
            {options.methods.map((option) => (
              <li key={option.method}>
                <label>
                  <input type="radio" name="method" value={option.method} checked={method === option.method} onChange={() => setMethod(option.method)} />
                  <strong>{text[`method${option.method}`]}</strong>
                  <span className="price">
                    {fill(text.creditPrice, { price: formatMoney({ amount: option.creditPrice, currency: option.currency }, language) })}
                    {quoted && ` · ${fill(text.youPay, { charge: formatMoney(option.charge, language) })}`}
                  </span>
                </label>
                <small>{text[`methodNote${option.method}`]}</small>
              </li>
            ))}
          </ul>
          <ErrorMessage error={payError} />
          <button type="button" className="primary" disabled={!canPay || fetching} onClick={pay}>
            {redirecting ? text.redirecting : fill(text.pay, { charge: chosen && quoted ? formatMoney(chosen.charge, language) : '' })}
          </button>
        </>
      )}
      {options && options.methods.length === 0 && options.canTopUp && <p>{text.noMethods}</p>}
      {billingOpen && (
        <Dialog title={text.billingTitle} onClose={() => setBillingOpen(false)}>
          <p>{text.billingRequired}</p>
          <BillingInfoForm
            onSaved={() => {
              setBillingOpen(false);
              refetch({ requestPolicy: 'network-only' });
            }}
          />
        </Dialog>
      )}
    </section>
  );
}
