import { useEffect } from 'react';
import { useMutation, useQuery } from 'urql';
import { RedeliverWebhookDocument, type WebhookDeliveryFieldsFragment, WebhookDeliveriesDocument, type WebhookEndpointFieldsFragment } from '../../gql/graphql';
import { ErrorMessage } from '../../shared/errors';
import { fill, useLanguage, useMessages } from '../../shared/i18n';
import { formatDateTime } from '../../shared/money';
import { type Column, PagedTable, usePaging } from '../../shared/PagedTable';
import { reportsMessages } from '../reports-messages';

type Delivery = WebhookDeliveryFieldsFragment;

const PAGE_SIZE = 10;
/** While the log is open it is asked again this often, so a delivery shows without a click. */
const POLL_MS = 3000;

/** One endpoint's delivery log, newest first: status, attempts, the last answer, each recent attempt and the body; Redeliver. */
export function DeliveriesPanel({ endpoint }: { endpoint: WebhookEndpointFieldsFragment }) {
  const text = useMessages(reportsMessages);
  const { language } = useLanguage();
  const paging = usePaging(PAGE_SIZE);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: WebhookDeliveriesDocument,
    variables: { endpointId: endpoint.id, ...paging.cursor },
    requestPolicy: 'cache-and-network',
  });
  const [redeliverState, redeliver] = useMutation(RedeliverWebhookDocument);
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), POLL_MS);
    return () => clearInterval(timer);
  }, [refetch]);
  const deliveries = data?.webhookDeliveries;
  const answer = (code: number | null | undefined, failure: string | null | undefined) =>
    [code ?? text.noAnswer, failure].filter((part) => part !== null && part !== undefined).join(' — ');

  const columns: Column<Delivery>[] = [
    { header: text.time, cell: (delivery) => formatDateTime(delivery.createdAt, language) },
    {
      header: text.event,
      cell: (delivery) => (
        <>
          <code>{delivery.eventType}</code> <span className="chart-empty">{delivery.eventId}</span>
        </>
      ),
    },
    {
      header: text.status,
      cell: (delivery) => <span className={`status-${delivery.status}`}>{text[`delivery${delivery.status}`]}</span>,
    },
    { header: text.attempts, numeric: true, cell: (delivery) => delivery.attempts },
    { header: text.lastAnswer, cell: (delivery) => (delivery.attempts > 0 ? answer(delivery.lastResponseCode, delivery.lastError) : '') },
    {
      header: text.deliveryDetails,
      cell: (delivery) => (
        <details className="delivery-details">
          <summary>{text.deliveryDetails}</summary>
          <ul>
            {delivery.recentAttempts.map((attempt) => (
              <li key={attempt.attemptedAt}>
                {fill(text.attemptLine, {
                  time: formatDateTime(attempt.attemptedAt, language),
                  answer: answer(attempt.responseCode, attempt.error),
                  ms: attempt.durationMs,
                })}
              </li>
            ))}
          </ul>
          <pre>{delivery.payload}</pre>
        </details>
      ),
    },
    {
      header: text.actions,
      cell: (delivery) =>
        delivery.status !== 'PENDING' && (
          <button type="button" onClick={() => redeliver({ deliveryId: delivery.id })} disabled={redeliverState.fetching}>
            {text.redeliver}
          </button>
        ),
    },
  ];

  return (
    <div className="report-section" data-testid="webhook-deliveries">
      <h2>{fill(text.deliveriesOf, { url: endpoint.url })}</h2>
      <p className="row-actions">
        <button type="button" onClick={() => refetch({ requestPolicy: 'network-only' })}>
          {text.refresh}
        </button>
      </p>
      <ErrorMessage error={error ?? redeliverState.error} />
      <PagedTable
        label={fill(text.deliveriesOf, { url: endpoint.url })}
        columns={columns}
        rows={deliveries?.edges.map((edge) => edge.node) ?? []}
        rowKey={(delivery) => delivery.id}
        fetching={fetching}
        {...paging.handlers(deliveries?.pageInfo)}
      />
    </div>
  );
}
