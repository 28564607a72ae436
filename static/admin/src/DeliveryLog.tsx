import { useCallback, useEffect, useState, type MouseEvent } from 'react';
import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import { api } from './api';
import { DeliveryInspector, redeliverUnavailable } from './DeliveryInspector';
import { ApiErrorMessage } from './ErrorStates';
import { RetryFailedDialog } from './RetryFailedDialog';
import { Badge, DeliveryStatusBadge } from './StatusBadge';
import { formatDateTime, formatRelative, fromLocalInputValue } from './format';
import { nextTryNote } from './retry-policy-draft';
import { EmptyState, FormField, Heading, Inline, Loading, Stack, Subtle } from './ui';
import type { ApiError, DeliveryStatus, DeliveryView, WebhookView } from './types';

interface Option<T> {
  label: string;
  value: T;
}
const ALL = '';
const STATUS_OPTIONS: Option<DeliveryStatus | typeof ALL>[] = [
  { label: 'Any status', value: ALL },
  { label: 'Pending', value: 'pending' },
  { label: 'Delivered', value: 'delivered' },
  { label: 'Failed', value: 'failed' },
  { label: 'Skipped', value: 'skipped' },
];
type Kind = 'all' | 'events' | 'tests';
const KIND_OPTIONS: Option<Kind>[] = [
  { label: 'Events and tests', value: 'all' },
  { label: 'Events only', value: 'events' },
  { label: 'Tests only', value: 'tests' },
];
/** Typing in the event type or id filters asks the backend once typing pauses, not per key. */
const TYPING_PAUSE_MS = 400;

/** The status of a delivery, in sentence case (kept under this name for the screens that import it). */
export function DeliveryStatusLozenge(props: { status: DeliveryStatus }) {
  return <DeliveryStatusBadge status={props.status} />;
}

/** The last attempt's HTTP status, or its network error class, for the log's status-code column. */
const statusCode = (delivery: DeliveryView): string => {
  const last = delivery.attempts.reduce<DeliveryView['attempts'][number] | undefined>((a, b) => (a && a.number > b.number ? a : b), undefined);
  if (!last) return '—';
  return last.httpStatus !== undefined ? String(last.httpStatus) : (last.errorClass ?? '—');
};

/** Text filters applied once typing pauses. */
function useSettled(value: string): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value.trim()), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}

type Load = { state: 'loading' } | { state: 'failed'; error: ApiError } | { state: 'ready' };

export function DeliveryLog(props: {
  webhooks: WebhookView[];
  webhookId?: string;
  onWebhookIdChange: (id: string | undefined) => void;
}) {
  const { webhookId } = props;
  const [status, setStatus] = useState<DeliveryStatus | typeof ALL>(ALL);
  const [kind, setKind] = useState<Kind>('all');
  const [eventTypeDraft, setEventTypeDraft] = useState('');
  const [eventIdDraft, setEventIdDraft] = useState('');
  const [fromDraft, setFromDraft] = useState('');
  const [toDraft, setToDraft] = useState('');
  const eventType = useSettled(eventTypeDraft);
  const eventId = useSettled(eventIdDraft);
  const from = fromLocalInputValue(fromDraft);
  const to = fromLocalInputValue(toDraft);
  const [deliveries, setDeliveries] = useState<DeliveryView[]>([]);
  const [nextCursor, setNextCursor] = useState<string | undefined>(undefined);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [loadingMore, setLoadingMore] = useState(false);
  const [inspected, setInspected] = useState<DeliveryView | null>(null);
  const [retryingFailed, setRetryingFailed] = useState(false);
  // Notices appear where the admin acted: on the row they retried, or beside "Load older deliveries".
  const [rowNotices, setRowNotices] = useState<Record<string, { ok: boolean; text: string }>>({});
  const [moreError, setMoreError] = useState<string | null>(null);
  const filtered = Boolean(webhookId || status || kind !== 'all' || eventType || eventId || from || to);

  const query = useCallback(
    (cursor?: string) =>
      api.listDeliveries({
        ...(webhookId ? { webhookId } : {}),
        ...(status ? { outcome: status } : {}),
        ...(kind === 'all' ? {} : { test: kind === 'tests' }),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(eventType ? { eventType } : {}),
        ...(eventId ? { eventId } : {}),
        ...(cursor ? { cursor } : {}),
        limit: 25,
      }),
    [webhookId, status, kind, from, to, eventType, eventId],
  );

  const refresh = useCallback(async () => {
    setLoad({ state: 'loading' });
    const result = await query();
    if (!result.ok) {
      setLoad({ state: 'failed', error: result.error });
      return;
    }
    setDeliveries(result.data.deliveries);
    setNextCursor(result.data.nextCursor);
    setLoad({ state: 'ready' });
  }, [query]);

  useEffect(() => {
    setRowNotices({});
    setMoreError(null);
    void refresh();
  }, [refresh]);

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    const result = await query(nextCursor);
    setLoadingMore(false);
    if (!result.ok) {
      setMoreError(result.error.message);
      return;
    }
    setDeliveries((list) => [...list, ...result.data.deliveries]);
    setNextCursor(result.data.nextCursor);
  };

  const replace = (delivery: DeliveryView) => setDeliveries((list) => list.map((d) => (d.id === delivery.id ? delivery : d)));

  /** The webhook's retry policy beside "next try": " · retry 2 of 3, every 60 s". */
  const retryNote = (delivery: DeliveryView): string => {
    const note = nextTryNote(props.webhooks.find((w) => w.id === delivery.webhookId)?.retryPolicy, delivery.attempts.length);
    return note ? ` · ${note}` : '';
  };

  const retry = async (delivery: DeliveryView) => {
    const result = await api.retryDelivery(delivery.id);
    if (!result.ok) {
      setRowNotices((notices) => ({ ...notices, [delivery.id]: { ok: false, text: result.error.message } }));
      return;
    }
    setRowNotices((notices) => ({ ...notices, [delivery.id]: { ok: true, text: `Delivery ${delivery.id} is queued again.` } }));
    replace(result.data.delivery);
  };

  const clearFilters = () => {
    props.onWebhookIdChange(undefined);
    setStatus(ALL);
    setKind('all');
    setEventTypeDraft('');
    setEventIdDraft('');
    setFromDraft('');
    setToDraft('');
  };

  // A click anywhere on a row opens it, except on the row's own buttons.
  const openRow = (event: MouseEvent<HTMLTableRowElement>, delivery: DeliveryView) => {
    if ((event.target as HTMLElement).closest('button, a')) return;
    setInspected(delivery);
  };

  const webhookOptions: Option<string>[] = [
    { label: 'All webhooks', value: ALL },
    ...props.webhooks.map((w) => ({ label: w.name, value: w.id })),
  ];

  return (
    <Stack>
      <Inline spread align="end">
        <div>
          <Heading level={2}>Delivery log</Heading>
          <Subtle>Every message sent or about to be sent, newest first. Select a row to see its requests and responses.</Subtle>
        </div>
        <Inline>
          <Button onClick={() => setRetryingFailed(true)} isDisabled={props.webhooks.length === 0}>
            Retry all failed
          </Button>
          <Button onClick={() => void refresh()}>Refresh</Button>
        </Inline>
      </Inline>
      <div role="search" aria-label="Filter deliveries">
        <Inline align="start">
          <div style={{ flex: '1 1 200px' }}>
            <FormField id="log-webhook" label="Webhook">
              <Select<Option<string>>
                inputId="log-webhook"
                options={webhookOptions}
                value={webhookOptions.find((o) => o.value === (webhookId ?? ALL))}
                onChange={(o) => props.onWebhookIdChange(o && o.value !== ALL ? o.value : undefined)}
              />
            </FormField>
          </div>
          <div style={{ flex: '1 1 150px' }}>
            <FormField id="log-status" label="Status">
              <Select<Option<DeliveryStatus | typeof ALL>>
                inputId="log-status"
                options={STATUS_OPTIONS}
                value={STATUS_OPTIONS.find((o) => o.value === status)}
                onChange={(o) => setStatus(o ? o.value : ALL)}
                isSearchable={false}
              />
            </FormField>
          </div>
          <div style={{ flex: '1 1 150px' }}>
            <FormField id="log-kind" label="Type">
              <Select<Option<Kind>>
                inputId="log-kind"
                options={KIND_OPTIONS}
                value={KIND_OPTIONS.find((o) => o.value === kind)}
                onChange={(o) => setKind(o ? o.value : 'all')}
                isSearchable={false}
              />
            </FormField>
          </div>
        </Inline>
        <Inline align="start">
          <div style={{ flex: '1 1 180px' }}>
            <FormField id="log-event-type" label="Event type">
              <Textfield id="log-event-type" placeholder="e.g. issue.deleted" value={eventTypeDraft} onChange={(e) => setEventTypeDraft(e.currentTarget.value)} />
            </FormField>
          </div>
          <div style={{ flex: '1 1 180px' }}>
            <FormField id="log-event-id" label="Event id">
              <Textfield id="log-event-id" value={eventIdDraft} onChange={(e) => setEventIdDraft(e.currentTarget.value)} />
            </FormField>
          </div>
          <div style={{ flex: '1 1 180px' }}>
            <FormField id="log-from" label="From">
              <Textfield id="log-from" type="datetime-local" value={fromDraft} onChange={(e) => setFromDraft(e.currentTarget.value)} />
            </FormField>
          </div>
          <div style={{ flex: '1 1 180px' }}>
            <FormField id="log-to" label="To">
              <Textfield id="log-to" type="datetime-local" value={toDraft} onChange={(e) => setToDraft(e.currentTarget.value)} />
            </FormField>
          </div>
          {filtered ? (
            <div style={{ alignSelf: 'flex-end' }}>
              <Button appearance="subtle" onClick={clearFilters}>
                Clear filters
              </Button>
            </div>
          ) : null}
        </Inline>
      </div>
      {load.state === 'loading' ? (
        <Loading label="Loading deliveries" />
      ) : load.state === 'failed' ? (
        <ApiErrorMessage error={load.error} onRetry={() => void refresh()} />
      ) : deliveries.length === 0 ? (
        <EmptyState title={nextCursor ? 'No matches among the newest deliveries' : filtered ? 'No deliveries match these filters' : 'No deliveries yet'}>
          {nextCursor
            ? 'Each page searches part of the 14-day log: load older deliveries to search further back.'
            : 'Deliveries appear here as soon as an audit event is queued for a webhook. Use “Send test” on the Webhooks tab to create one now.'}
        </EmptyState>
      ) : (
        <table aria-label="Deliveries" style={{ width: '100%', borderCollapse: 'collapse' }}>
          <thead>
            <tr>
              {['Time', 'Webhook', 'Event', 'Status', 'Code', 'Attempts', ''].map((h, i) => (
                <th
                  key={i}
                  scope="col"
                  style={{
                    textAlign: 'left',
                    padding: token('space.100'),
                    color: token('color.text.subtle'),
                    font: token('font.body.small'),
                    fontWeight: token('font.weight.bold'),
                    borderBottom: `2px solid ${token('color.border')}`,
                  }}
                >
                  {h || <span style={{ position: 'absolute', left: -10000 }}>Actions</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {deliveries.map((delivery) => (
              <tr
                key={delivery.id}
                data-delivery-id={delivery.id}
                onClick={(event) => openRow(event, delivery)}
                style={{ borderBottom: `1px solid ${token('color.border')}`, cursor: 'pointer' }}
              >
                <td style={cell}>
                  <span title={formatDateTime(delivery.createdAt, true)}>{formatRelative(delivery.createdAt)}</span>
                </td>
                <td style={cell}>{delivery.webhookName}</td>
                <td style={cell}>
                  <code style={{ font: token('font.code') }}>{delivery.eventType}</code> {delivery.test ? <Badge tone="discovery">Test</Badge> : null}
                </td>
                <td style={cell}>
                  <DeliveryStatusBadge status={delivery.status} />
                  {delivery.nextAttemptAt && delivery.status === 'pending' ? (
                    <div>
                      <Subtle small>
                        next try <span title={formatDateTime(delivery.nextAttemptAt, true)}>{formatRelative(delivery.nextAttemptAt)}</span>
                        {retryNote(delivery)}
                      </Subtle>
                    </div>
                  ) : null}
                </td>
                <td style={cell}>{statusCode(delivery)}</td>
                <td style={cell}>{delivery.attempts.length}</td>
                <td style={{ ...cell, textAlign: 'right', whiteSpace: 'nowrap' }}>
                  <Inline gap="small" style={{ justifyContent: 'flex-end' }}>
                    {delivery.status === 'failed' && !redeliverUnavailable(delivery) ? (
                      <Button spacing="compact" onClick={() => void retry(delivery)}>
                        Retry
                      </Button>
                    ) : null}
                    <Button spacing="compact" appearance="subtle" onClick={() => setInspected(delivery)} aria-haspopup="dialog">
                      Details
                    </Button>
                  </Inline>
                  {rowNotices[delivery.id] ? (
                    <div
                      role="status"
                      style={{ font: token('font.body.small'), whiteSpace: 'normal', marginTop: token('space.050'), color: rowNotices[delivery.id]!.ok ? token('color.text.success') : token('color.text.danger') }}
                    >
                      {rowNotices[delivery.id]!.text}
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {load.state === 'ready' && nextCursor ? (
        <div style={{ textAlign: 'center' }}>
          <Button onClick={() => void loadMore()} isLoading={loadingMore}>
            Load older deliveries
          </Button>
          {moreError ? (
            <div style={{ marginTop: token('space.100') }}>
              <SectionMessage appearance="error">
                <p role="status">{moreError}</p>
              </SectionMessage>
            </div>
          ) : null}
        </div>
      ) : null}
      {inspected ? <DeliveryInspector delivery={inspected} onClose={() => setInspected(null)} onRedelivered={replace} /> : null}
      {retryingFailed ? (
        <RetryFailedDialog
          webhooks={props.webhooks}
          {...(webhookId ? { webhookId } : {})}
          {...(fromDraft ? { from: fromDraft } : {})}
          {...(toDraft ? { to: toDraft } : {})}
          onClose={() => setRetryingFailed(false)}
          onQueued={() => void refresh()}
        />
      ) : null}
    </Stack>
  );
}

const cell = { padding: token('space.100'), verticalAlign: 'top' } as const;
