import type { ReactNode } from 'react';

/**
 * Labelled decimal inputs bound to the fields of a form held in state (the amounts of an
 * auto-recharge or an auto top-up rule): `const input = decimalFields(form, setForm)`, then
 * `input('threshold', text.threshold)`.
 */
export function decimalFields<Form extends Record<string, string>>(form: Form, setForm: (form: Form) => void) {
  return (name: keyof Form & string, label: string): ReactNode => (
    <label>
      {label}
      <input name={name} inputMode="decimal" value={form[name]} onChange={(event) => setForm({ ...form, [name]: event.target.value })} />
    </label>
  );
}
