import { type FormEvent, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import {
  AutoRechargeDocument,
  AutoRechargeEventsDocument,
  PauseAutoRechargeDocument,
  RemoveAutoRechargeDocument,
  SetAutoRechargeDocument,
  StartSavedCardSetupDocument,
} from '../gql/graphql';
import { ErrorMessage } from '../shared/errors';
import { fill, useLanguage, useMessages } from '../shared/i18n';
import { formatCredits, formatDateTime, formatMoney, parseCreditsInput } from '../shared/money';
import { consoleUrl } from '../shared/router';
import { useSession } from '../shared/session';
import { customerMessages, enumMessages } from './messages';
import { decimalFields } from '../shared/decimal-fields';

/**
 * Auto-recharge: the saved cards (a card is saved on Stripe's page, which returns here), the rule
 * (below a threshold buy an amount or up to a target, at most a monthly cap) with its status and
 * this month's spending, pause, resume and remove, and the purchases it made; live through
 * autoRechargeEvents.
 */
export function AutoRechargeScreen() {
  const { accountId } = useSession();
  const text = useMessages(customerMessages);
  const names = useMessages(enumMessages);
  const { language } = useLanguage();
  const [{ data, error }, refetch] = useQuery({ query: AutoRechargeDocument, variables: { accountId }, requestPolicy: 'network-only' });
  useSubscription({ query: AutoRechargeEventsDocument, variables: { accountId } }, () => {
    refetch({ requestPolicy: 'network-only' });
    return null;
  });
  const [setup, startSetup] = useMutation(StartSavedCardSetupDocument);
  const [pauseState, pause] = useMutation(PauseAutoRechargeDocument);
  const [removeState, remove] = useMutation(RemoveAutoRechargeDocument);
  const rule = data?.autoRecharge;
  const cards = data?.savedPaymentMethods ?? [];

  const saveCard = async () => {
    const result = await startSetup({ returnUrl: consoleUrl('/auto-recharge') });
    const next = result.data?.startSavedCardSetup.nextAction;
    if (next?.type === 'REDIRECT_TO_URL' && next.url) window.location.assign(next.url);
  };

  return (
    <section>
      <h1>{text.autoRechargeTitle}</h1>
      <p>{text.autoRechargeIntro}</p>
      <ErrorMessage error={error ?? setup.error ?? pauseState.error ?? removeState.error} />
      <div className="card">
        <h2>{text.savedCards}</h2>
        {cards.length === 0 ? (
          <p>{text.noSavedCards}</p>
        ) : (
          <ul data-testid="saved-cards">
            {cards.map((card) => (
              <li key={card.id}>
                {card.brand} •••• {card.last4} ({String(card.expMonth).padStart(2, '0')}/{card.expYear})
              </li>
            ))}
          </ul>
        )}
        <button type="button" onClick={saveCard} disabled={setup.fetching}>
          {text.saveCard}
        </button>
      </div>
      {rule ? (
        <div className="card" data-testid="auto-recharge-rule">
          <p>
            <strong>{fill(text.ruleStatus, { status: names[rule.status] })}</strong>
            {rule.disabledReason && ` (${rule.disabledReason})`}
          </p>
          <p>
            {text.threshold} {formatCredits(rule.threshold, language)} →{' '}
            {rule.amount
              ? `${text.buyAmount}: ${formatCredits(rule.amount, language)}`
              : `${text.orTarget} ${formatCredits(rule.targetBalance ?? '0', language)}`}
            {rule.paymentMethod && ` · ${rule.paymentMethod.brand} •••• ${rule.paymentMethod.last4}`}
          </p>
          <p>{fill(text.spentThisMonth, { spent: formatCredits(rule.spentThisMonth, language), cap: formatCredits(rule.monthlyCap, language) })}</p>
          <p>{fill(text.failures, { count: rule.consecutiveFailures, max: rule.maxConsecutiveFailures })}</p>
          <div className="choices">
            <button type="button" onClick={() => pause({ accountId, paused: rule.status === 'ACTIVE' })}>
              {rule.status === 'ACTIVE' ? text.pause : text.resume}
            </button>
            <button type="button" onClick={() => remove({ accountId }).then(() => refetch({ requestPolicy: 'network-only' }))}>
              {text.remove}
            </button>
          </div>
        </div>
      ) : (
        data && <p>{text.noRule}</p>
      )}
      {cards.length > 0 && <RuleForm cards={cards} onSaved={() => refetch({ requestPolicy: 'network-only' })} />}
      {data && data.topUps.edges.length > 0 && (
        <div className="card">
          <h2>{text.recentPurchases}</h2>
          <ul data-testid="auto-recharge-purchases">
            {data.topUps.edges.map(({ node }) => (
              <li key={node.id}>
                {formatDateTime(node.createdAt, language)} · {names[node.status]} · {formatCredits(node.amount, language)} ·{' '}
                {formatMoney(node.charge, language)}
                {node.failureCode && ` (${node.failureCode})`}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function RuleForm({ cards, onSaved }: { cards: { id: string; brand: string; last4: string }[]; onSaved(): void }) {
  const { accountId } = useSession();
  const text = useMessages(customerMessages);
  const [form, setForm] = useState({ paymentMethodId: cards[0].id, threshold: '', amount: '', targetBalance: '', monthlyCap: '' });
  const [{ error, fetching }, save] = useMutation(SetAutoRechargeDocument);
  const [saved, setSaved] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    // The API checks the numbers (positive, amount or target, above the minimum): what was typed goes as typed.
    const credits = (value: string) => (value === '' ? null : (parseCreditsInput(value) ?? value));
    const result = await save({
      input: {
        accountId,
        paymentMethodId: form.paymentMethodId,
        threshold: credits(form.threshold) ?? '',
        amount: credits(form.amount),
        targetBalance: credits(form.targetBalance),
        monthlyCap: credits(form.monthlyCap) ?? '',
      },
    });
    if (!result.error) {
      setSaved(true);
      onSaved();
    }
  };
  const input = decimalFields(form, setForm);
  return (
    <form className="card" onSubmit={submit}>
      <label>
        {text.card}
        <select name="paymentMethodId" value={form.paymentMethodId} onChange={(event) => setForm({ ...form, paymentMethodId: event.target.value })}>
          {cards.map((card) => (
            <option key={card.id} value={card.id}>
              {card.brand} •••• {card.last4}
            </option>
          ))}
        </select>
      </label>
      {input('threshold', text.threshold)}
      {input('amount', text.buyAmount)}
      {input('targetBalance', text.orTarget)}
      {input('monthlyCap', text.monthlyCap)}
      <ErrorMessage error={error} />
      {saved && (
        <p className="success" role="status">
          {text.ruleSaved}
        </p>
      )}
      <button type="submit" className="primary" disabled={fetching}>
        {text.saveRule}
      </button>
    </form>
  );
}
