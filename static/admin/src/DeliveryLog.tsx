import { Fragment, useCallback, useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import { api } from './api';
import { ApiErrorMessage } from './ErrorStates';
import { RequestView, ResponseView } from './HttpExchange';
import { formatDateTime, formatDuration, pluralize, toLocalInputValue } from './format';
import { EmptyState, FormField, Heading, Inline, Loading, Panel, Stack, Subtle } from './ui';
import type { ApiError, AttemptView, DeliveryStatus, DeliveryView, WebhookView } from './types';

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
const MAX_RECOVER_DAYS = 14;
/** Parts of one recovery the page asks for before it lets the admin go on by hand. */
const MAX_RECOVER_CALLS = 20;

export function DeliveryStatusLozenge(props: { status: DeliveryStatus }) {
  const appearance = { pending: 'inprogress', delivered: 'success', failed: 'removed', skipped: 'moved' } as const;
  return <Lozenge appearance={appearance[props.status]}>{props.status}</Lozenge>;
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
  const [deliveries, setDeliveries] = useState<DeliveryView[]>([]);
  const [nextCursor, setNextCursor] = useState<string | undefined>(undefined);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [loadingMore, setLoadingMore] = useState(false);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<{ appearance: 'success' | 'error'; text: string } | null>(null);

  const query = useCallback(
    (cursor?: string) =>
      api.listDeliveries({
        ...(webhookId ? { webhookId } : {}),
        ...(status ? { outcome: status } : {}),
        ...(kind === 'all' ? {} : { test: kind === 'tests' }),
        ...(cursor ? { cursor } : {}),
        limit: 25,
      }),
    [webhookId, status, kind],
  );

  const refresh = useCallback(async () => {
    setLoad({ state: 'loading' });
    setNotice(null);
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
    void refresh();
  }, [refresh]);

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    const result = await query(nextCursor);
    setLoadingMore(false);
    if (!result.ok) {
      setNotice({ appearance: 'error', text: result.error.message });
      return;
    }
    setDeliveries((list) => [...list, ...result.data.deliveries]);
    setNextCursor(result.data.nextCursor);
  };

  const retry = async (delivery: DeliveryView) => {
    const result = await api.retryDelivery(delivery.id);
    if (!result.ok) {
      setNotice({ appearance: 'error', text: result.error.message });
      return;
    }
    setNotice({ appearance: 'success', text: `Delivery ${delivery.id} is queued again.` });
    setDeliveries((list) => list.map((d) => (d.id === delivery.id ? result.data.delivery : d)));
  };

  const toggle = (id: string) =>
    setExpanded((set) => {
      const next = new Set(set);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const webhookOptions: Option<string>[] = [
    { label: 'All webhooks', value: ALL },
    ...props.webhooks.map((w) => ({ label: w.name, value: w.id })),
  ];
  const selectedWebhook = props.webhooks.find((w) => w.id === webhookId);

  return (
    <Stack>
      <Inline spread align="end">
        <div>
          <Heading level={2}>Delivery log</Heading>
          <Subtle>Every message sent or about to be sent, newest first, with each attempt.</Subtle>
        </div>
        <Button onClick={() => void refresh()}>Refresh</Button>
      </Inline>
      <Inline align="start">
        <div style={{ flex: '1 1 220px' }}>
          <FormField id="log-webhook" label="Webhook">
            <Select<Option<string>>
              inputId="log-webhook"
              options={webhookOptions}
              value={webhookOptions.find((o) => o.value === (webhookId ?? ALL))}
              onChange={(o) => props.onWebhookIdChange(o && o.value !== ALL ? o.value : undefined)}
            />
          </FormField>
        </div>
        <div style={{ flex: '1 1 180px' }}>
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
        <div style={{ flex: '1 1 180px' }}>
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
      {selectedWebhook ? <RecoverPanel webhook={selectedWebhook} onRecovered={refresh} /> : null}
      {notice ? (
        <SectionMessage appearance={notice.appearance === 'success' ? 'success' : 'error'}>
          <p>{notice.text}</p>
        </SectionMessage>
      ) : null}
      {load.state === 'loading' ? (
        <Loading label="Loading deliveries" />
      ) : load.state === 'failed' ? (
        <ApiErrorMessage error={load.error} onRetry={() => void refresh()} />
      ) : deliveries.length === 0 ? (
        <EmptyState
          title={nextCursor ? 'No matches among the newest deliveries' : webhookId || status || kind !== 'all' ? 'No deliveries match these filters' : 'No deliveries yet'}
        >
          {nextCursor
            ? 'Each page searches part of the 14-day log: load older deliveries to search further back.'
            : 'Deliveries appear here as soon as an audit event is queued for a webhook. Use “Send test” on the Webhooks tab to create one now.'}
        </EmptyState>
      ) : (
        <table aria-label="Deliveries" style={{ width: '100%', borderCollapse: 'collapse' }}>
          <thead>
            <tr>
              {['Time', 'Webhook', 'Event', 'Status', 'Attempts', ''].map((h, i) => (
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
            {deliveries.map((delivery) => {
              const open = expanded.has(delivery.id);
              return (
                <Fragment key={delivery.id}>
                  <tr data-delivery-id={delivery.id} style={{ borderBottom: open ? undefined : `1px solid ${token('color.border')}` }}>
                    <td style={cell}>{formatDateTime(delivery.createdAt, true)}</td>
                    <td style={cell}>{delivery.webhookName}</td>
                    <td style={cell}>
                      <code style={{ font: token('font.code') }}>{delivery.eventType}</code>{' '}
                      {delivery.test ? <Lozenge appearance="new">test</Lozenge> : null}
                    </td>
                    <td style={cell}>
                      <DeliveryStatusLozenge status={delivery.status} />
                      {delivery.nextAttemptAt && delivery.status === 'pending' ? (
                        <div>
                          <Subtle small>next try {formatDateTime(delivery.nextAttemptAt)}</Subtle>
                        </div>
                      ) : null}
                    </td>
                    <td style={cell}>{delivery.attempts.length}</td>
                    <td style={{ ...cell, textAlign: 'right', whiteSpace: 'nowrap' }}>
                      <Inline gap="small" style={{ justifyContent: 'flex-end' }}>
                        {delivery.status === 'failed' ? (
                          <Button spacing="compact" onClick={() => void retry(delivery)}>
                            Retry
                          </Button>
                        ) : null}
                        <Button spacing="compact" appearance="subtle" onClick={() => toggle(delivery.id)} aria-expanded={open}>
                          {open ? 'Hide attempts' : 'Show attempts'}
                        </Button>
                      </Inline>
                    </td>
                  </tr>
                  {open ? (
                    <tr style={{ borderBottom: `1px solid ${token('color.border')}` }}>
                      <td colSpan={6} style={{ padding: `0 ${token('space.100')} ${token('space.200')}` }}>
                        <DeliveryDetails delivery={delivery} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
      {load.state === 'ready' && nextCursor ? (
        <div style={{ textAlign: 'center' }}>
          <Button onClick={() => void loadMore()} isLoading={loadingMore}>
            Load older deliveries
          </Button>
        </div>
      ) : null}
    </Stack>
  );
}

const cell = { padding: token('space.100'), verticalAlign: 'top' } as const;

function DeliveryDetails(props: { delivery: DeliveryView }) {
  const { delivery } = props;
  return (
    <Panel label={`Attempts of delivery ${delivery.id}`}>
      <Stack gap="small">
        <Subtle small>
          Message id (webhook-id) <code>{delivery.id}</code> · event <code>{delivery.eventId}</code> · updated{' '}
          {formatDateTime(delivery.updatedAt, true)}
        </Subtle>
        {delivery.attempts.length === 0 ? (
          <Subtle>No attempt yet{delivery.status === 'skipped' ? ': this delivery was skipped' : ''}.</Subtle>
        ) : (
          [...delivery.attempts]
            .sort((a, b) => b.number - a.number)
            .map((attempt) => <AttemptDetails key={attempt.number} attempt={attempt} />)
        )}
      </Stack>
    </Panel>
  );
}

function AttemptDetails(props: { attempt: AttemptView }) {
  const { attempt } = props;
  const appearance = { delivered: 'success', retry: 'moved', failed: 'removed' } as const;
  return (
    <details style={{ borderTop: `1px solid ${token('color.border')}`, paddingTop: token('space.100') }}>
      <summary style={{ cursor: 'pointer' }}>
        <Inline style={{ display: 'inline-flex' }}>
          <strong>Attempt {attempt.number}</strong>
          <span>{formatDateTime(attempt.at, true)}</span>
          <Lozenge appearance={appearance[attempt.outcome]}>{attempt.outcome}</Lozenge>
          {attempt.httpStatus !== undefined ? <span>HTTP {attempt.httpStatus}</span> : null}
          <Subtle>{formatDuration(attempt.durationMs)}</Subtle>
          {attempt.errorClass ? (
            <span style={{ color: token('color.text.danger') }}>
              {attempt.errorClass}
              {attempt.errorMessage ? `: ${attempt.errorMessage}` : ''}
            </span>
          ) : null}
        </Inline>
      </summary>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', gap: token('space.200'), marginTop: token('space.100') }}>
        <div>
          <Subtle small>Request</Subtle>
          <RequestView request={attempt.request} label={`Attempt ${attempt.number} request`} />
        </div>
        <div>
          <Subtle small>Response</Subtle>
          {attempt.response ? (
            <ResponseView response={attempt.response} durationMs={attempt.durationMs} label={`Attempt ${attempt.number} response`} />
          ) : (
            <div>
              <Subtle>No response{attempt.errorClass ? ` (${attempt.errorClass})` : ''}.</Subtle>
            </div>
          )}
        </div>
      </div>
    </details>
  );
}

function RecoverPanel(props: { webhook: WebhookView; onRecovered: () => Promise<void> }) {
  const earliest = new Date(Date.now() - MAX_RECOVER_DAYS * 24 * 3600 * 1000);
  const [since, setSince] = useState(() => toLocalInputValue(new Date(Date.now() - 24 * 3600 * 1000)));
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const recover = async () => {
    const date = new Date(since);
    if (Number.isNaN(date.getTime())) {
      setResult({ ok: false, text: 'Enter a date and time.' });
      return;
    }
    setBusy(true);
    // A long recovery answers in parts (each call stays within Forge's limits): go on while it says so.
    let recovered = 0;
    let cursor: string | undefined;
    let failure: string | undefined;
    for (let call = 0; call < MAX_RECOVER_CALLS; call += 1) {
      const answer = await api.recoverDeliveries(props.webhook.id, date.toISOString(), cursor);
      if (!answer.ok) {
        failure = answer.error.fields?.['since'] ?? answer.error.message;
        break;
      }
      recovered += answer.data.recovered;
      cursor = answer.data.nextCursor;
      if (!cursor) break;
    }
    setBusy(false);
    const queued = `${pluralize(recovered, 'delivery', 'deliveries')} queued again.`;
    if (failure) setResult({ ok: false, text: recovered > 0 ? `${queued} Then: ${failure}` : failure });
    else if (cursor) setResult({ ok: true, text: `${queued} More remain: recover again to go on.` });
    else setResult({ ok: true, text: queued });
    if (recovered > 0) await props.onRecovered();
  };

  return (
    <Panel label="Recover deliveries">
      <Inline align="center" spread>
        <div style={{ flex: '1 1 320px' }}>
          <strong>Recover failed &amp; skipped since…</strong>
          <div>
            <Subtle small>
              Sends every failed or skipped delivery of “{props.webhook.name}” again, for example after an outage
              of your endpoint. At most {MAX_RECOVER_DAYS} days back.
            </Subtle>
          </div>
        </div>
        <Inline align="end">
          <div style={{ width: 240 }}>
            <FormField id="recover-since" label="Recover since">
              <Textfield
                id="recover-since"
                type="datetime-local"
                min={toLocalInputValue(earliest)}
                max={toLocalInputValue(new Date())}
                value={since}
                onChange={(e) => setSince(e.currentTarget.value)}
              />
            </FormField>
          </div>
          <Button appearance="primary" isLoading={busy} onClick={() => void recover()}>
            Recover
          </Button>
        </Inline>
      </Inline>
      {result ? (
        <p role="status" style={{ color: result.ok ? token('color.text.success') : token('color.text.danger'), marginTop: token('space.100') }}>
          {result.text}
        </p>
      ) : null}
    </Panel>
  );
}
