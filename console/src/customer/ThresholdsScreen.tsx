import { useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { BalanceLowDocument, BalanceThresholdsDocument, SetBalanceThresholdsDocument } from '../gql/graphql';
import { ErrorMessage } from '../shared/errors';
import { useLanguage, useMessages } from '../shared/i18n';
import { formatCredits, formatDateTime, parseCreditsInput } from '../shared/money';
import { useSession } from '../shared/session';
import { customerMessages } from './messages';

/** Low-balance alerts: the thresholds on the total balance (set as a whole list), and the alerts as they fire (balanceLow). */
export function ThresholdsScreen() {
  const { accountId } = useSession();
  const text = useMessages(customerMessages);
  const { language } = useLanguage();
  const [{ data, error }] = useQuery({ query: BalanceThresholdsDocument, variables: { accountId } });
  const [edited, setEdited] = useState<string[] | null>(null);
  const [typed, setTyped] = useState('');
  const [saveState, save] = useMutation(SetBalanceThresholdsDocument);
  const [saved, setSaved] = useState(false);
  const [{ data: low, error: lowError }] = useSubscription({ query: BalanceLowDocument, variables: { accountId } });
  const thresholds = edited ?? data?.account.balanceThresholds ?? [];

  const add = () => {
    const value = parseCreditsInput(typed) ?? typed.trim();
    if (value) setEdited([...thresholds, value]);
    setTyped('');
    setSaved(false);
  };
  const submit = async () => {
    const result = await save({ accountId, thresholds });
    if (result.data) {
      // The list as the API stored it (sorted, normalised): a list of scalars refreshes no cached query.
      setEdited(result.data.setBalanceThresholds);
      setSaved(true);
    }
  };

  return (
    <section className="card narrow">
      <h1>{text.thresholdsTitle}</h1>
      <p>{text.thresholdsIntro}</p>
      <ErrorMessage error={error ?? lowError} />
      {low?.balanceLow && (
        <p className="notice" role="alert">
          {formatDateTime(low.balanceLow.occurredAt, language)}: {formatCredits(low.balanceLow.totalBalance, language)} &lt;{' '}
          {formatCredits(low.balanceLow.threshold, language)}
        </p>
      )}
      {thresholds.length === 0 ? (
        <p>{text.noThresholds}</p>
      ) : (
        <ul data-testid="thresholds">
          {thresholds.map((threshold, index) => (
            <li key={`${threshold}-${index}`}>
              {shownCredits(threshold, language)}{' '}
              <button type="button" aria-label={`${text.remove} ${threshold}`} onClick={() => setEdited(thresholds.filter((_, at) => at !== index))}>
                {text.remove}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="filters">
        <label>
          {text.newThreshold}
          <input name="threshold" inputMode="decimal" value={typed} onChange={(event) => setTyped(event.target.value)} />
        </label>
        <button type="button" onClick={add}>
          {text.addThreshold}
        </button>
      </div>
      <ErrorMessage error={saveState.error} />
      {saved && (
        <p className="success" role="status">
          {text.thresholdsSaved}
        </p>
      )}
      <button type="button" className="primary" onClick={submit} disabled={saveState.fetching}>
        {text.saveThresholds}
      </button>
    </section>
  );
}

/** A threshold as the API gave it, or as typed: typed text the API will judge is shown as it is. */
function shownCredits(value: string, language: 'en' | 'vi'): string {
  const parsed = parseCreditsInput(value);
  return parsed ? formatCredits(parsed, language) : value;
}
