import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  RotateWebhookSecretDocument,
  SendTestWebhookDocument,
  UpdateWebhookEndpointDocument,
  type WebhookEndpointFieldsFragment,
  WebhookEndpointsDocument,
  type WebhookEventType,
} from '../../gql/graphql';
import { Dialog } from '../../shared/Dialog';
import { ErrorMessage } from '../../shared/errors';
import { fill, useLanguage, useMessages } from '../../shared/i18n';
import { sharedMessages } from '../../shared/messages';
import { formatDateTime } from '../../shared/money';
import { type Column, PagedTable } from '../../shared/PagedTable';
import { useSession } from '../../shared/session';
import { reportsMessages } from '../reports-messages';
import { CustomerOptions } from '../reports/CustomerOptions';
import '../reports/reports.css';
import { DeliveriesPanel } from './DeliveriesPanel';

type Endpoint = WebhookEndpointFieldsFragment;

// Every event an endpoint may subscribe to (PING is sent to it whatever it subscribes to): a new
// event type in the schema is a type error here until it is listed.
const SUBSCRIBABLE: Record<Exclude<WebhookEventType, 'PING'>, true> = {
  TRANSFER_OUT: true,
  RECLAIM_IN: true,
  AUTO_TRANSFER_SUCCEEDED: true,
  AUTO_TRANSFER_REFUSED: true,
  BALANCE_LOW: true,
  ACCOUNT_DEPLETED: true,
  TOP_UP_STATUS_CHANGED: true,
  RECEIPT_ISSUED: true,
  CREDIT_NOTE_ISSUED: true,
  DEBIT_NOTE_ISSUED: true,
  ACCOUNT_REVERSAL_HOLD_PLACED: true,
  ACCOUNT_REVERSAL_HOLD_RELEASED: true,
  AUTO_RECHARGE_SUCCEEDED: true,
  AUTO_RECHARGE_FAILED: true,
  AUTO_RECHARGE_REQUIRES_ACTION: true,
  AUTO_RECHARGE_SKIPPED: true,
  AUTO_RECHARGE_PAUSED: true,
  AUTO_RECHARGE_DISABLED: true,
  TRANSFER_IN: true,
  RECLAIM_OUT: true,
  WEBHOOK_ENDPOINT_DISABLED: true,
};
const EVENT_TYPES = Object.keys(SUBSCRIBABLE) as WebhookEventType[];

/**
 * The webhook endpoints of the partner's account or of one of its customers (a partner manages
 * both): add one (its signing secret shown once), rotate its secret, disable, enable, delete, test,
 * and each one's delivery log.
 */
export function WebhooksScreen() {
  const { accountId: ownAccountId, viewer } = useSession();
  const text = useMessages(reportsMessages);
  const shared = useMessages(sharedMessages);
  const { language } = useLanguage();
  const [accountId, setAccountId] = useState(ownAccountId);
  const [{ data, error, fetching }, refetch] = useQuery({ query: WebhookEndpointsDocument, variables: { accountId } });
  const [updateState, update] = useMutation(UpdateWebhookEndpointDocument);
  const [deleteState, remove] = useMutation(DeleteWebhookEndpointDocument);
  const [testState, sendTest] = useMutation(SendTestWebhookDocument);
  const [rotateState, rotate] = useMutation(RotateWebhookSecretDocument);
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [deleting, setDeleting] = useState<Endpoint | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [tested, setTested] = useState<string | null>(null);
  const endpoints = data?.webhookEndpoints ?? [];
  const shown = endpoints.find((endpoint) => endpoint.id === selected);

  const confirmDelete = async () => {
    if (!deleting) return;
    const result = await remove({ endpointId: deleting.id });
    if (result.data) {
      if (selected === deleting.id) setSelected(null);
      setDeleting(null);
      refetch({ requestPolicy: 'network-only' });
    }
  };
  const rotateSecret = async (endpoint: Endpoint) => {
    const result = await rotate({ endpointId: endpoint.id });
    if (result.data) setSecret({ title: text.rotatedTitle, value: result.data.rotateWebhookSecret.secret });
  };
  const test = async (endpoint: Endpoint) => {
    setTested(null);
    const result = await sendTest({ endpointId: endpoint.id });
    if (result.data?.sendTestWebhook) {
      setTested(endpoint.id);
      setSelected(endpoint.id);
    }
  };

  const columns: Column<Endpoint>[] = [
    {
      header: text.url,
      cell: (endpoint) => (
        <>
          <code>{endpoint.url}</code>
          {endpoint.description && <div className="chart-empty">{endpoint.description}</div>}
          {endpoint.previousSecretExpiresAt && (
            <div className="chart-empty">{fill(text.previousSecretUntil, { time: formatDateTime(endpoint.previousSecretExpiresAt, language) })}</div>
          )}
        </>
      ),
    },
    { header: text.eventTypes, cell: (endpoint) => endpoint.events.join(', ') },
    {
      header: text.status,
      cell: (endpoint) => (
        <span className={`status-${endpoint.status}`} title={endpoint.disabledReason ?? undefined}>
          {text[`status${endpoint.status}`]}
          {endpoint.disabledReason && ` (${endpoint.disabledReason})`}
        </span>
      ),
    },
    { header: text.failures, numeric: true, cell: (endpoint) => endpoint.consecutiveFailures },
    { header: text.created, cell: (endpoint) => formatDateTime(endpoint.createdAt, language) },
    {
      header: text.actions,
      cell: (endpoint) => (
        <span className="row-actions">
          <button type="button" aria-pressed={selected === endpoint.id} onClick={() => setSelected(endpoint.id)}>
            {text.showDeliveries}
          </button>
          <button type="button" onClick={() => test(endpoint)} disabled={testState.fetching}>
            {text.sendTest}
          </button>
          <button type="button" onClick={() => rotateSecret(endpoint)} disabled={rotateState.fetching}>
            {text.rotate}
          </button>
          <button
            type="button"
            onClick={() => update({ input: { endpointId: endpoint.id, enabled: endpoint.status !== 'ACTIVE' } })}
            disabled={updateState.fetching}
          >
            {endpoint.status === 'ACTIVE' ? text.disable : text.enable}
          </button>
          <button type="button" onClick={() => setDeleting(endpoint)}>
            {text.delete}
          </button>
        </span>
      ),
    },
  ];

  return (
    <section>
      <h1>{text.webhooksTitle}</h1>
      <p>{text.webhooksIntro}</p>
      <div className="filters">
        <label>
          {text.accountOf}
          <select
            name="account"
            value={accountId}
            onChange={(event) => {
              setAccountId(event.target.value);
              setSelected(null);
              setTested(null);
            }}
          >
            <option value={ownAccountId}>{fill(text.ownAccount, { name: viewer.account?.name ?? ownAccountId })}</option>
            <CustomerOptions />
          </select>
        </label>
      </div>
      <ErrorMessage error={error ?? updateState.error ?? testState.error ?? rotateState.error} />
      {tested && (
        <p className="success" role="status">
          {text.testSent}
        </p>
      )}
      <div className="report-section">
        <h2>{text.endpoints}</h2>
        {endpoints.length === 0 && !fetching ? (
          <p>{text.noEndpoints}</p>
        ) : (
          <PagedTable label={text.endpoints} columns={columns} rows={endpoints} rowKey={(endpoint) => endpoint.id} fetching={fetching} />
        )}
      </div>
      {shown && <DeliveriesPanel key={shown.id} endpoint={shown} />}
      <AddEndpointForm
        key={accountId}
        accountId={accountId}
        onCreated={(created) => {
          setSecret({ title: text.secretTitle, value: created });
          refetch({ requestPolicy: 'network-only' });
        }}
      />
      {secret && (
        <Dialog
          title={secret.title}
          onClose={() => setSecret(null)}
          footer={
            <button type="button" className="primary" onClick={() => setSecret(null)}>
              {text.secretStored}
            </button>
          }
        >
          <p>{text.secretBody}</p>
          <code className="secret" data-testid="webhook-secret">
            {secret.value}
          </code>
        </Dialog>
      )}
      {deleting && (
        <Dialog
          title={text.deleteTitle}
          onClose={() => setDeleting(null)}
          footer={
            <>
              <button type="button" onClick={() => setDeleting(null)}>
                {shared.cancel}
              </button>
              <button type="button" className="primary" onClick={confirmDelete} disabled={deleteState.fetching}>
                {text.delete}
              </button>
            </>
          }
        >
          <p>{fill(text.deleteBody, { url: deleting.url })}</p>
          <ErrorMessage error={deleteState.error} />
        </Dialog>
      )}
    </section>
  );
}

/** The URL, a description and the events of a new endpoint; the API judges the URL (and says why it refuses one). */
function AddEndpointForm({ accountId, onCreated }: { accountId: string; onCreated(secret: string): void }) {
  const text = useMessages(reportsMessages);
  const [state, create] = useMutation(CreateWebhookEndpointDocument);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await create({ input: { accountId, url: url.trim(), description: description.trim() || null, events } });
    if (result.data) {
      setUrl('');
      setDescription('');
      setEvents([]);
      onCreated(result.data.createWebhookEndpoint.secret);
    }
  };
  const toggle = (type: WebhookEventType, on: boolean) => setEvents(on ? [...events, type] : events.filter((chosen) => chosen !== type));
  return (
    <form className="card" onSubmit={submit} aria-label={text.addEndpoint}>
      <h2>{text.addEndpoint}</h2>
      <label>
        {text.url}
        <input name="url" type="url" required placeholder="https://example.com/credits-webhooks" value={url} onChange={(event) => setUrl(event.target.value)} />
      </label>
      <label>
        {text.description}
        <input name="description" maxLength={200} value={description} onChange={(event) => setDescription(event.target.value)} />
      </label>
      <fieldset className="event-fieldset">
        <legend>{text.eventsToReceive}</legend>
        <span className="row-actions">
          <button type="button" onClick={() => setEvents(EVENT_TYPES)}>
            {text.selectAll}
          </button>
          <button type="button" onClick={() => setEvents([])}>
            {text.selectNone}
          </button>
        </span>
        <div className="event-choices">
          {EVENT_TYPES.map((type) => (
            <label key={type}>
              <input type="checkbox" name="events" value={type} checked={events.includes(type)} onChange={(event) => toggle(type, event.target.checked)} />
              <code>{type}</code>
            </label>
          ))}
        </div>
      </fieldset>
      <ErrorMessage error={state.error} />
      <button type="submit" className="primary" disabled={state.fetching || events.length === 0}>
        {text.add}
      </button>
    </form>
  );
}
