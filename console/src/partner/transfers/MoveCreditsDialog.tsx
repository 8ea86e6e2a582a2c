import { type FormEvent, useState } from 'react';
import { type CombinedError, useMutation } from 'urql';
import { type MovedBalancesFragment, ReclaimCreditsDocument, TransferCreditsDocument } from '../../gql/graphql';
import { Dialog } from '../../shared/Dialog';
import { ErrorMessage } from '../../shared/errors';
import { fill, useLanguage, useMessages } from '../../shared/i18n';
import { sharedMessages } from '../../shared/messages';
import { compareCredits, formatCredits, parseCreditsInput } from '../../shared/money';
import { opsMessages } from '../ops-messages';

/** Which way the credits go: to the customer (Top Up) or back to the partner (Reclaim). */
export type MoveDirection = 'transfer' | 'reclaim';

export interface MoveCustomer {
  id: string;
  name: string;
  /** The customer's top-up balance now: the most a reclaim may take. */
  topUpBalance: string;
}

interface Moved {
  partnerBalances: MovedBalancesFragment;
  customerBalances: MovedBalancesFragment;
}

type Step = { kind: 'enter' } | { kind: 'confirm'; preview: Moved } | { kind: 'done'; result: Moved };

/**
 * The Top Up and Reclaim pop-ups (the help page's "Top Up" / "Cancel"): the amount and a note, then
 * a confirmation with the balances as they would be after (the mutation's dryRun), then the same
 * request for real, under the same idempotency key (a double click moves the credits once), and the
 * new balances.
 */
export function MoveCreditsDialog(props: { direction: MoveDirection; customer: MoveCustomer; onClose(): void; onMoved(): void }) {
  const { direction, customer } = props;
  const text = useMessages(opsMessages);
  const shared = useMessages(sharedMessages);
  const { language } = useLanguage();
  const [typed, setTyped] = useState('');
  const [note, setNote] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'enter' });
  const [error, setError] = useState<CombinedError | null>(null);
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const [transferState, transfer] = useMutation(TransferCreditsDocument);
  const [reclaimState, reclaim] = useMutation(ReclaimCreditsDocument);
  const busy = transferState.fetching || reclaimState.fetching;
  const amount = parseCreditsInput(typed);
  const valid = amount !== null && compareCredits(amount, '0') > 0;
  const credits = (value: string) => formatCredits(value, language);
  const names = { customer: customer.name, amount: amount ? credits(amount) : '' };

  const run = async (dryRun: boolean): Promise<Moved | null> => {
    if (!amount) return null;
    const input = { customerAccountId: customer.id, amount, note: note.trim() || null, idempotencyKey, dryRun };
    const result = direction === 'transfer' ? await transfer({ input }) : await reclaim({ input });
    const moved = result.data && ('transferCredits' in result.data ? result.data.transferCredits : result.data.reclaimCredits);
    setError(result.error ?? null);
    return moved ?? null;
  };

  const preview = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    const moved = await run(true);
    if (moved) setStep({ kind: 'confirm', preview: moved });
  };

  const confirm = async () => {
    const moved = await run(false);
    if (moved) {
      setStep({ kind: 'done', result: moved });
      props.onMoved();
    }
  };

  const back = () => {
    // Another amount or note is another request: it needs its own key.
    setIdempotencyKey(crypto.randomUUID());
    setError(null);
    setStep({ kind: 'enter' });
  };

  const balances = (moved: Moved) => (
    <dl className="moved-balances" data-testid="moved-balances">
      <dt>{text.yourBalanceAfter}</dt>
      <dd data-testid="partner-top-up-after">{credits(moved.partnerBalances.topUpBalance)}</dd>
      <dt>{fill(text.customerBalanceAfter, names)}</dt>
      <dd data-testid="customer-total-after">{credits(moved.customerBalances.totalBalance)}</dd>
      <dt>{fill(text.customerTopUpAfter, names)}</dt>
      <dd data-testid="customer-top-up-after">{credits(moved.customerBalances.topUpBalance)}</dd>
    </dl>
  );

  const title = fill(direction === 'transfer' ? text.topUpTitle : text.reclaimTitle, names);
  const action = direction === 'transfer' ? text.topUp : text.reclaim;
  const formId = `move-credits-${direction}`;
  const footer =
    step.kind === 'enter' ? (
      <>
        <button type="button" onClick={props.onClose}>
          {shared.cancel}
        </button>
        <button type="submit" form={formId} className="primary" disabled={!valid || busy}>
          {text.continue}
        </button>
      </>
    ) : step.kind === 'confirm' ? (
      <>
        <button type="button" onClick={back} disabled={busy}>
          {text.back}
        </button>
        <button type="button" onClick={props.onClose} disabled={busy}>
          {shared.cancel}
        </button>
        <button type="button" className="primary" onClick={confirm} disabled={busy}>
          {action}
        </button>
      </>
    ) : (
      <button type="button" className="primary" onClick={props.onClose}>
        {text.done}
      </button>
    );

  return (
    <Dialog title={title} onClose={props.onClose} footer={footer}>
      {step.kind === 'enter' && (
        <form id={formId} onSubmit={preview}>
          <p>{direction === 'transfer' ? text.topUpIntro : fill(text.reclaimIntro, { amount: credits(customer.topUpBalance) })}</p>
          <label>
            {text.amount}
            <input name="amount" inputMode="decimal" autoFocus value={typed} onChange={(event) => setTyped(event.target.value)} />
          </label>
          {typed !== '' && !valid && <p className="field-error">{text.invalidAmount}</p>}
          <label>
            {text.note}
            <input name="note" maxLength={255} value={note} onChange={(event) => setNote(event.target.value)} />
          </label>
        </form>
      )}
      {step.kind === 'confirm' && (
        <>
          <p>
            <strong>{fill(direction === 'transfer' ? text.confirmTopUp : text.confirmReclaim, names)}</strong>
          </p>
          {note.trim() && <p className="muted">{note.trim()}</p>}
          <h3>{text.balancesAfter}</h3>
          {balances(step.preview)}
        </>
      )}
      {step.kind === 'done' && (
        <>
          <p className="success" role="status">
            {fill(direction === 'transfer' ? text.toppedUp : text.reclaimed, names)}
          </p>
          <h3>{text.newBalances}</h3>
          {balances(step.result)}
        </>
      )}
      <ErrorMessage error={error} />
    </Dialog>
  );
}
