import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { BillingInfoDocument, type BillingInfoInput, UpdateBillingInfoDocument } from '../gql/graphql';
import { ErrorMessage, errorMessageOf } from '../shared/errors';
import { useMessages } from '../shared/i18n';
import { customerMessages } from './messages';

type Field = keyof BillingInfoInput;

const EMPTY: BillingInfoInput = {
  entityType: 'INDIVIDUAL',
  legalName: '',
  taxCode: '',
  addressLine1: '',
  addressLine2: '',
  city: '',
  postalCode: '',
  country: '',
  invoiceEmail: '',
};

/**
 * The billing information form (the help page's "complete your billing information" pop-up, and
 * Account → Billing). The API validates: its message is shown beside the field it names
 * (extensions.field), so the console repeats none of the rules.
 */
export function BillingInfoForm({ onSaved }: { onSaved?(): void }) {
  const text = useMessages(customerMessages);
  const [{ data }] = useQuery({ query: BillingInfoDocument });
  const account = data?.me.account;
  const stored = account?.billingInfo;
  const [edits, setEdits] = useState<Partial<BillingInfoInput>>({});
  const [saved, setSaved] = useState(false);
  const [{ error, fetching }, update] = useMutation(UpdateBillingInfoDocument);
  const initial: BillingInfoInput = stored
    ? { ...EMPTY, ...Object.fromEntries(Object.entries(stored).filter(([key]) => key in EMPTY)) }
    : { ...EMPTY, country: account?.region ?? '' };
  const values: BillingInfoInput = { ...initial, ...edits };
  const fieldInError = error?.graphQLErrors[0]?.extensions?.field as Field | undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const input = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value === '' ? null : value])) as BillingInfoInput;
    const result = await update({ input });
    if (!result.error) {
      setSaved(true);
      setEdits({});
      onSaved?.();
    }
  };

  const field = (name: Field, label: string, options: { type?: string; hint?: string } = {}) => (
    <label>
      {label}
      <input
        name={name}
        type={options.type ?? 'text'}
        value={(values[name] as string | null | undefined) ?? ''}
        aria-invalid={fieldInError === name}
        onChange={(event) => setEdits({ ...edits, [name]: event.target.value })}
      />
      {options.hint && <small>{options.hint}</small>}
      {fieldInError === name && error && (
        <span className="field-error" role="alert">
          {errorMessageOf(error)}
        </span>
      )}
    </label>
  );

  return (
    <form className="billing-form" onSubmit={submit}>
      <label>
        {text.entityType}
        <select
          name="entityType"
          value={values.entityType}
          onChange={(event) => setEdits({ ...edits, entityType: event.target.value as BillingInfoInput['entityType'] })}
        >
          <option value="INDIVIDUAL">{text.individual}</option>
          <option value="COMPANY">{text.company}</option>
        </select>
      </label>
      {field('legalName', text.legalName)}
      {field('taxCode', text.taxCode, { hint: text.taxCodeHint })}
      {field('addressLine1', text.addressLine1)}
      {field('addressLine2', text.addressLine2)}
      {field('city', text.city)}
      {field('postalCode', text.postalCode)}
      {field('country', text.country)}
      {field('invoiceEmail', text.invoiceEmail, { type: 'email' })}
      {error && !fieldInError && <ErrorMessage error={error} />}
      {saved && (
        <p className="success" role="status">
          {text.billingSaved}
        </p>
      )}
      <button type="submit" className="primary" disabled={fetching}>
        {text.saveBilling}
      </button>
    </form>
  );
}

/** Account → Billing: the form on its own page. */
export function BillingInfoScreen() {
  const text = useMessages(customerMessages);
  return (
    <section className="card narrow">
      <h1>{text.billingTitle}</h1>
      <p>{text.billingIntro}</p>
      <BillingInfoForm />
    </section>
  );
}
