import { type FormEvent, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import {
  type AutoTransferRuleRowFragment,
  AutoTransferOutcomesDocument,
  AutoTransferRulesDocument,
  PauseAutoTransferRuleDocument,
  RemoveAutoTransferRuleDocument,
  ResumeAutoTransferRuleDocument,
  RuleCustomerChoicesDocument,
  SetAutoTransferRuleDocument,
} from '../../gql/graphql';
import { Dialog } from '../../shared/Dialog';
import { ErrorMessage } from '../../shared/errors';
import { fill, useLanguage, useMessages } from '../../shared/i18n';
import { sharedMessages } from '../../shared/messages';
import { formatCredits, parseCreditsInput } from '../../shared/money';
import { type Column, PagedTable, usePaging } from '../../shared/PagedTable';
import { useSession } from '../../shared/session';
import { opsMessages } from '../ops-messages';
import { decimalFields } from '../../shared/decimal-fields';

type Rule = AutoTransferRuleRowFragment;
const PAGE_SIZE = 20;

/**
 * Auto top-up: the partner's standing orders, one per customer (below X, up to Y, at most Z a
 * month), each with this month's transfers and its last firing, live through autoTransferOutcomes;
 * a new rule, a rule's numbers edited, paused and resumed, removed after a confirmation.
 */
export function AutoTransferRulesScreen() {
  const { accountId } = useSession();
  const text = useMessages(opsMessages);
  const shared = useMessages(sharedMessages);
  const { language } = useLanguage();
  const paging = usePaging(PAGE_SIZE);
  const [{ data, error, fetching }, refetch] = useQuery({ query: AutoTransferRulesDocument, variables: paging.cursor, requestPolicy: 'cache-and-network' });
  const [pauseState, pause] = useMutation(PauseAutoTransferRuleDocument);
  const [resumeState, resume] = useMutation(ResumeAutoTransferRuleDocument);
  const [removeState, remove] = useMutation(RemoveAutoTransferRuleDocument);
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [removing, setRemoving] = useState<Rule | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  // A firing ended (transferred or refused): the rules' months and last firings changed.
  useSubscription({ query: AutoTransferOutcomesDocument, variables: { partnerAccountId: accountId } }, () => {
    reload();
    return null;
  });
  const credits = (value: string) => formatCredits(value, language);

  const lastFiring = (rule: Rule): string => {
    const firing = rule.lastFiring;
    if (!firing) return text.noFiring;
    const what = fill(text[`firing${firing.status}`], { amount: firing.amount ? credits(firing.amount) : '' });
    return firing.refusalCode ? `${what} (${firing.refusalCode})` : what;
  };

  const columns: Column<Rule>[] = [
    {
      header: text.customer,
      cell: (rule) => (
        <>
          {rule.customer.name} <code className="muted">{rule.customerAccountId}</code>
        </>
      ),
    },
    { header: text.status, cell: (rule) => <span data-testid="rule-status">{text[`rule${rule.status}`]}</span> },
    { header: text.threshold, numeric: true, cell: (rule) => credits(rule.threshold) },
    { header: text.targetBalance, numeric: true, cell: (rule) => credits(rule.targetBalance) },
    { header: text.monthlyCap, numeric: true, cell: (rule) => credits(rule.monthlyCap) },
    { header: text.transferredThisMonth, numeric: true, cell: (rule) => credits(rule.transferredThisMonth) },
    {
      header: text.lastFiring,
      cell: (rule) => (
        <>
          {lastFiring(rule)}
          {rule.refusalCount > 0 && <small className="muted"> · {fill(text.refusals, { count: rule.refusalCount })}</small>}
        </>
      ),
    },
    {
      header: text.actions,
      cell: (rule) => (
        <span className="row-actions">
          <button type="button" onClick={() => (setNotice(null), setEditing(rule))}>
            {text.edit}
          </button>
          {rule.status === 'ACTIVE' ? (
            <button type="button" onClick={() => pause({ customerAccountId: rule.customerAccountId })}>
              {text.pause}
            </button>
          ) : (
            <button type="button" onClick={() => resume({ customerAccountId: rule.customerAccountId })}>
              {text.resume}
            </button>
          )}
          <button type="button" onClick={() => setRemoving(rule)}>
            {text.remove}
          </button>
        </span>
      ),
    },
  ];

  const confirmRemove = async () => {
    if (!removing) return;
    const result = await remove({ customerAccountId: removing.customerAccountId });
    if (!result.error) {
      setRemoving(null);
      setNotice(text.ruleRemoved);
      reload();
    }
  };

  return (
    <section>
      <h1>{text.rulesTitle}</h1>
      <p>{text.rulesIntro}</p>
      <ErrorMessage error={error ?? pauseState.error ?? resumeState.error} />
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      <PagedTable
        label={text.rulesTitle}
        columns={columns}
        rows={data?.autoTransferRules.edges.map((edge) => edge.node) ?? []}
        rowKey={(rule) => rule.id}
        fetching={fetching}
        {...paging.handlers(data?.autoTransferRules.pageInfo)}
      />
      {editing ? (
        <RuleForm
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            setNotice(text.ruleSaved);
            reload();
          }}
        />
      ) : (
        <p>
          <button type="button" className="primary" onClick={() => (setNotice(null), setEditing('new'))}>
            {text.newRule}
          </button>
        </p>
      )}
      {removing && (
        <Dialog
          title={fill(text.removeTitle, { customer: removing.customer.name })}
          onClose={() => setRemoving(null)}
          footer={
            <>
              <button type="button" onClick={() => setRemoving(null)}>
                {shared.cancel}
              </button>
              <button type="button" className="primary" onClick={confirmRemove} disabled={removeState.fetching}>
                {text.remove}
              </button>
            </>
          }
        >
          <p>{text.removeBody}</p>
          <ErrorMessage error={removeState.error} />
        </Dialog>
      )}
    </section>
  );
}

/** An amount as a person types it: "500.000000" as "500", "12.500000" as "12.5". */
const asTyped = (credits: string): string => (credits.includes('.') ? credits.replace(/0+$/, '').replace(/\.$/, '') : credits);

/** A new rule (its customer chosen by name or id), or a rule's numbers. The API checks them (positive, the target above the threshold). */
function RuleForm({ rule, onCancel, onSaved }: { rule: Rule | null; onCancel(): void; onSaved(): void }) {
  const text = useMessages(opsMessages);
  const shared = useMessages(sharedMessages);
  const [form, setForm] = useState({
    customerAccountId: rule?.customerAccountId ?? '',
    threshold: rule ? asTyped(rule.threshold) : '',
    targetBalance: rule ? asTyped(rule.targetBalance) : '',
    monthlyCap: rule ? asTyped(rule.monthlyCap) : '',
  });
  const [choices] = useQuery({ query: RuleCustomerChoicesDocument, variables: { search: form.customerAccountId.trim() || null }, pause: rule !== null });
  const [{ error, fetching }, save] = useMutation(SetAutoTransferRuleDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // What was typed goes as typed when it is not a number: the API's message says what is wrong.
    const amount = (value: string) => parseCreditsInput(value) ?? value;
    const result = await save({
      input: {
        customerAccountId: form.customerAccountId.trim(),
        threshold: amount(form.threshold),
        targetBalance: amount(form.targetBalance),
        monthlyCap: amount(form.monthlyCap),
      },
    });
    if (!result.error) onSaved();
  };
  const input = decimalFields(form, setForm);
  return (
    <form className="card narrow" onSubmit={submit} aria-label={rule ? fill(text.editRule, { customer: rule.customer.name }) : text.newRule}>
      <h2>{rule ? fill(text.editRule, { customer: rule.customer.name }) : text.newRule}</h2>
      <label>
        {text.ruleCustomer}
        <input
          name="customerAccountId"
          list="rule-customer-choices"
          autoComplete="off"
          disabled={rule !== null}
          value={form.customerAccountId}
          onChange={(event) => setForm({ ...form, customerAccountId: event.target.value })}
        />
      </label>
      <datalist id="rule-customer-choices">
        {choices.data?.partnerCustomers.edges.map(({ node }) => (
          <option key={node.id} value={node.id}>
            {node.name}
          </option>
        ))}
      </datalist>
      {input('threshold', text.threshold)}
      {input('targetBalance', text.targetBalance)}
      {input('monthlyCap', text.monthlyCap)}
      <ErrorMessage error={error} />
      <div className="choices">
        <button type="button" onClick={onCancel}>
          {shared.cancel}
        </button>
        <button type="submit" className="primary" disabled={fetching}>
          {text.saveRule}
        </button>
      </div>
    </form>
  );
}
