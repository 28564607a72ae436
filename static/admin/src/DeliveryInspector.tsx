import { useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition } from '@atlaskit/modal-dialog';
import SectionMessage from '@atlaskit/section-message';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import { token } from '@atlaskit/tokens';
import { api, call } from './api';
import { CopyableBlock } from './HttpExchange';
import { AttemptOutcomeBadge, DeliveryStatusBadge } from './StatusBadge';
import { formatDateTime, formatDuration, formatHeaders, formatRelative, prettyBody } from './format';
import { Inline, Stack, Subtle } from './ui';
import type { AttemptView, DeliveryView } from './types';

/** Why Redeliver is not offered on a delivery, or undefined when it is (deliveries.retry's own rules). */
export function redeliverUnavailable(delivery: DeliveryView): string | undefined {
  if (delivery.test) return 'Test deliveries are not redelivered: send a new test from the Webhooks tab.';
  if (delivery.status === 'pending') return 'Still pending: it will be attempted again automatically.';
  if (delivery.status === 'delivered') return 'Already delivered: redelivering would send it twice.';
  return undefined;
}

type Notice = { appearance: 'success' | 'error'; text: string };

/**
 * One delivery in a side dialog: its status, code, duration and attempts; each attempt's request and
 * response (headers and body, copyable); and Redeliver. Escape closes the dialog and nothing else.
 */
export function DeliveryInspector(props: { delivery: DeliveryView; onClose: () => void; onRedelivered: (delivery: DeliveryView) => void }) {
  const [delivery, setDelivery] = useState(props.delivery);
  // The log keeps headers only: the request body is rebuilt by deliveries.get (undefined while it loads).
  const [requestBody, setRequestBody] = useState<{ state: 'loading' } | { state: 'ready'; body?: string } | { state: 'failed'; message: string }>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    void call('deliveries.get', { id: props.delivery.id }).then((result) => {
      if (!live) return;
      if (!result.ok) {
        setRequestBody({ state: 'failed', message: result.error.message });
        return;
      }
      setDelivery(result.data.delivery);
      setRequestBody(result.data.requestBody !== undefined ? { state: 'ready', body: result.data.requestBody } : { state: 'ready' });
    });
    return () => {
      live = false;
    };
  }, [props.delivery.id]);
  const attempts = [...delivery.attempts].sort((a, b) => b.number - a.number);
  const [selected, setSelected] = useState<number | undefined>(attempts[0]?.number);
  const [tab, setTab] = useState(0);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const attempt = attempts.find((a) => a.number === selected) ?? attempts[0];
  const latest = attempts[0];
  const unavailable = redeliverUnavailable(delivery);

  const redeliver = async () => {
    setBusy(true);
    const result = await api.retryDelivery(delivery.id);
    setBusy(false);
    if (!result.ok) {
      setNotice({ appearance: 'error', text: result.error.message });
      return;
    }
    setNotice({ appearance: 'success', text: 'Queued for redelivery: the new attempt appears here once it is made.' });
    setDelivery(result.data.delivery);
    props.onRedelivered(result.data.delivery);
  };

  return (
    <ModalTransition>
      <Modal onClose={props.onClose} width="x-large" label={`Delivery ${delivery.id}`} shouldScrollInViewport={false}>
        <ModalHeader>
          <ModalTitle>
            <Inline>
              <span>
                <code style={{ font: token('font.code') }}>{delivery.eventType}</code> to {delivery.webhookName}
              </span>
              <DeliveryStatusBadge status={delivery.status} />
            </Inline>
          </ModalTitle>
        </ModalHeader>
        <ModalBody>
          <Stack>
            {notice ? (
              <SectionMessage appearance={notice.appearance === 'success' ? 'success' : 'error'}>
                <p>{notice.text}</p>
              </SectionMessage>
            ) : null}
            <dl aria-label="Summary" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))', gap: token('space.100'), margin: 0, padding: 0 }}>
              <Fact term="Status code">{latest?.httpStatus ?? (latest?.errorClass ? `none (${latest.errorClass})` : '—')}</Fact>
              <Fact term="Duration">{formatDuration(latest?.durationMs)}</Fact>
              <Fact term="Attempts">{delivery.attempts.length}</Fact>
              <Fact term="Created">
                <span title={formatDateTime(delivery.createdAt, true)}>{formatRelative(delivery.createdAt)}</span>
              </Fact>
            </dl>
            <Subtle small>
              Message id (webhook-id) <code>{delivery.id}</code> · event <code>{delivery.eventId}</code>
              {delivery.test ? ' · test delivery' : ''}
              {delivery.nextAttemptAt && delivery.status === 'pending' ? ` · next try ${formatDateTime(delivery.nextAttemptAt, true)}` : ''}
            </Subtle>
            {attempts.length === 0 ? (
              <Subtle>No attempt yet{delivery.status === 'skipped' ? ': this delivery was skipped' : ''}.</Subtle>
            ) : (
              <>
                <div role="group" aria-label="Attempts">
                  <Inline gap="small">
                    {attempts.map((a) => (
                      <AttemptChoice key={a.number} attempt={a} selected={a.number === attempt?.number} onSelect={() => setSelected(a.number)} />
                    ))}
                  </Inline>
                </div>
                {attempt ? <AttemptTabs attempt={attempt} tab={tab} onTab={setTab} body={requestBodyText(delivery, requestBody)} /> : null}
              </>
            )}
          </Stack>
        </ModalBody>
        <ModalFooter>
          <div style={{ flex: 1 }}>{unavailable ? <Subtle small>{unavailable}</Subtle> : null}</div>
          <Button onClick={props.onClose}>Close</Button>
          {unavailable ? null : (
            <Button appearance="primary" isLoading={busy} onClick={() => void redeliver()}>
              Redeliver
            </Button>
          )}
        </ModalFooter>
      </Modal>
    </ModalTransition>
  );
}

function Fact(props: { term: string; children: React.ReactNode }) {
  return (
    <div>
      <dt style={{ font: token('font.body.small'), color: token('color.text.subtle') }}>{props.term}</dt>
      <dd style={{ margin: 0, font: token('font.body') }}>{props.children}</dd>
    </div>
  );
}

function AttemptChoice(props: { attempt: AttemptView; selected: boolean; onSelect: () => void }) {
  const { attempt } = props;
  return (
    <Button
      spacing="compact"
      appearance={props.selected ? 'primary' : 'default'}
      aria-pressed={props.selected}
      onClick={props.onSelect}
    >
      Attempt {attempt.number}: {attempt.httpStatus !== undefined ? `HTTP ${attempt.httpStatus}` : (attempt.errorClass ?? attempt.outcome)}
    </Button>
  );
}

function requestBodyText(
  delivery: DeliveryView,
  body: { state: 'loading' } | { state: 'ready'; body?: string } | { state: 'failed'; message: string },
): string {
  if (body.state === 'loading') return 'Loading…';
  if (body.state === 'failed') return `(not available: ${body.message})`;
  if (body.body !== undefined) return prettyBody(body.body);
  return delivery.test
    ? '(not kept for test deliveries: "Send test" on the Webhooks tab shows the body it sends)'
    : '(not available: the event or its webhook is no longer kept)';
}

function AttemptTabs(props: { attempt: AttemptView; tab: number; onTab: (tab: number) => void; body: string }) {
  const { attempt } = props;
  return (
    <Stack gap="small">
      <Inline>
        <AttemptOutcomeBadge outcome={attempt.outcome} />
        <span title={formatDateTime(attempt.at, true)}>{formatRelative(attempt.at)}</span>
        <Subtle>in {formatDuration(attempt.durationMs)}</Subtle>
        {attempt.errorClass ? (
          <span style={{ color: token('color.text.danger') }}>
            {attempt.errorClass}
            {attempt.errorMessage ? `: ${attempt.errorMessage}` : ''}
          </span>
        ) : null}
      </Inline>
      <Tabs id="delivery-inspector-tabs" selected={props.tab} onChange={props.onTab}>
        <TabList>
          <Tab>Request</Tab>
          <Tab>Response</Tab>
        </TabList>
        <TabPanel>
          <div style={{ width: '100%', paddingTop: token('space.100') }}>
            <Stack gap="small">
              <code aria-label="Request line" style={{ font: token('font.code'), wordBreak: 'break-all' }}>
                <strong>{attempt.request.method}</strong> {attempt.request.url}
              </code>
              <CopyableBlock label="Request headers" text={formatHeaders(attempt.request.headers)} maxHeight={200} />
              <CopyableBlock label="Request body" text={props.body} />
            </Stack>
          </div>
        </TabPanel>
        <TabPanel>
          <div style={{ width: '100%', paddingTop: token('space.100') }}>
            {attempt.response ? (
              <Stack gap="small">
                <span>
                  HTTP <strong>{attempt.response.status}</strong> in {formatDuration(attempt.durationMs)}
                  {attempt.response.truncated ? ' (body truncated)' : ''}
                </span>
                <CopyableBlock label="Response headers" text={formatHeaders(attempt.response.headers)} maxHeight={200} />
                <CopyableBlock label="Response body" text={prettyBody(attempt.response.body)} />
              </Stack>
            ) : (
              <Subtle>No response{attempt.errorClass ? `: the request ended with ${attempt.errorClass}` : ''}.</Subtle>
            )}
          </div>
        </TabPanel>
      </Tabs>
    </Stack>
  );
}
