import { useState } from 'react';
import Button from '@atlaskit/button/new';
import DropdownMenu, { DropdownItem, DropdownItemGroup } from '@atlaskit/dropdown-menu';
import DynamicTable from '@atlaskit/dynamic-table';
import Lozenge from '@atlaskit/lozenge';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition } from '@atlaskit/modal-dialog';
import SectionMessage from '@atlaskit/section-message';
import Toggle from '@atlaskit/toggle';
import Tooltip from '@atlaskit/tooltip';
import { token } from '@atlaskit/tokens';
import { api } from './api';
import { AddToSlack } from './AddToSlack';
import { HealthLozenge } from './HealthLozenge';
import { ReenableAndRecoverButton, type ReenableOutcome } from './HealthBanner';
import { TestModal } from './TestModal';
import { WebhookForm } from './WebhookForm';
import { Heading, Inline, Stack, Subtle } from './ui';
import { flag } from './flags';
import type { ApiError, DestinationView, EventTypeInfo, WebhookView } from './types';

type Editing = { mode: 'create' } | { mode: 'edit'; webhook: WebhookView } | null;

export function WebhooksTab(props: {
  webhooks: WebhookView[];
  eventTypes: EventTypeInfo[];
  destinations: DestinationView[];
  onChanged: () => Promise<void>;
  onShowDeliveries: (webhookId: string) => void;
}) {
  const { webhooks, eventTypes, onChanged } = props;
  const [editing, setEditing] = useState<Editing>(null);
  const [testing, setTesting] = useState<WebhookView | null>(null);
  const [deleting, setDeleting] = useState<WebhookView | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const toggleEnabled = async (webhook: WebhookView) => {
    setBusyId(webhook.id);
    setError(null);
    const result = await api.updateWebhook({ id: webhook.id, version: webhook.version, enabled: !webhook.enabled });
    if (!result.ok) setError(result.error);
    else flag({ title: webhook.enabled ? `“${webhook.name}” turned off` : `“${webhook.name}” turned on`, appearance: webhook.enabled ? 'info' : 'success' });
    await onChanged();
    setBusyId(null);
  };

  const recovered = async (webhook: WebhookView, outcome: ReenableOutcome) => {
    if (outcome.ok) flag({ title: `“${webhook.name}” re-enabled`, description: `${outcome.recovered === 1 ? '1 delivery' : `${outcome.recovered} deliveries`} queued to be sent again.`, appearance: 'success' });
    else flag({ title: `“${webhook.name}” not fully recovered`, description: outcome.message, appearance: 'error' });
    await onChanged();
  };

  const head = {
    cells: [
      { key: 'name', content: 'Name', width: 17 },
      { key: 'kind', content: 'Kind', width: 14 },
      { key: 'url', content: 'URL', width: 20 },
      { key: 'events', content: 'Events', width: 9 },
      { key: 'health', content: 'Health', width: 21 },
      { key: 'enabled', content: 'Enabled', width: 8 },
      { key: 'actions', content: 'Actions', width: 11 },
    ],
  };

  const rows = webhooks.map((webhook) => ({
    key: webhook.id,
    testId: `webhook-row-${webhook.id}`,
    cells: [
      { key: 'name', content: <strong>{webhook.name}</strong> },
      {
        key: 'kind',
        content: <Lozenge appearance="inprogress">{kindLabel(webhook, props.destinations)}</Lozenge>,
      },
      {
        key: 'url',
        content: (
          // One line, cut with an ellipsis; the whole (masked) URL in a tooltip and to screen readers.
          <Tooltip content={webhook.urlMasked ? `${webhook.url} (parts hidden)` : webhook.url}>
            <span
              tabIndex={0}
              aria-label={`URL: ${webhook.url}`}
              style={{ font: token('font.code'), display: 'block', maxWidth: '100%', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
            >
              {webhook.url}
            </span>
          </Tooltip>
        ),
      },
      {
        key: 'events',
        content: (
          <Stack gap="small">
            <span title={webhook.events.join('\n')}>{eventsLabel(webhook.events)}</span>
            {/* The filters in one line (filtersSummary), e.g. "Projects SEC, OPS · not actor 5b10ac8d…". */}
            {webhook.filtersSummary ? <Subtle small>{webhook.filtersSummary}</Subtle> : null}
          </Stack>
        ),
      },
      { key: 'health', content: <HealthLozenge webhook={webhook} /> },
      {
        key: 'enabled',
        content: (
          <Toggle
            label={`Enabled: ${webhook.name}`}
            isChecked={webhook.enabled}
            isLoading={busyId === webhook.id}
            onChange={() => void toggleEnabled(webhook)}
          />
        ),
      },
      {
        key: 'actions',
        content: (
          <Inline gap="small" wrap={false} align="center">
            {webhook.health.state === 'disabled' && webhook.health.disabledBy === 'app' ? <ReenableAndRecoverButton webhook={webhook} onDone={recovered} /> : null}
            <DropdownMenu<HTMLButtonElement>
              shouldRenderToParent
              trigger={({ triggerRef, ...triggerProps }) => (
                <Button {...triggerProps} ref={triggerRef} spacing="compact" appearance="subtle" aria-label={`Actions for ${webhook.name}`}>
                  •••
                </Button>
              )}
            >
              <DropdownItemGroup>
                <DropdownItem onClick={() => setEditing({ mode: 'edit', webhook })}>Edit</DropdownItem>
                <DropdownItem onClick={() => setTesting(webhook)}>Send test</DropdownItem>
                <DropdownItem onClick={() => props.onShowDeliveries(webhook.id)}>Deliveries</DropdownItem>
              </DropdownItemGroup>
              <DropdownItemGroup hasSeparator>
                <DropdownItem onClick={() => setDeleting(webhook)}>Delete</DropdownItem>
              </DropdownItemGroup>
            </DropdownMenu>
          </Inline>
        ),
      },
    ],
  }));

  return (
    <Stack>
      <Inline spread>
        <div>
          <Heading level={2}>Webhooks</Heading>
          <Subtle>Where audit events are sent. Each webhook gets its own signed copy of every event it subscribes to.</Subtle>
        </div>
        <Inline gap="small">
          <AddToSlack onCreated={onChanged} />
          <Button appearance="primary" onClick={() => setEditing({ mode: 'create' })}>
            Create webhook
          </Button>
        </Inline>
      </Inline>
      {error ? (
        <SectionMessage
          appearance="error"
          title={error.code === 'CONFLICT' ? 'Someone else changed this webhook' : 'The change was not saved'}
        >
          <p>{error.code === 'CONFLICT' ? 'The list has been reloaded with their changes. Try again.' : error.message}</p>
        </SectionMessage>
      ) : null}
      <DynamicTable
        label="Webhooks"
        // Fixed layout: the columns keep their share of the width, so a long URL or health reason is cut
        // with an ellipsis instead of widening the table past an 800 px page.
        isFixedSize
        head={head}
        rows={rows}
        emptyView={<EmptyState onCreate={() => setEditing({ mode: 'create' })} />}
        testId="webhooks-table"
      />
      {editing ? (
        <WebhookForm
          webhook={editing.mode === 'edit' ? editing.webhook : undefined}
          eventTypes={eventTypes}
          destinations={props.destinations}
          onClose={() => setEditing(null)}
          onSaved={async (saved) => {
            flag({ title: editing.mode === 'edit' ? `Changes to “${editing.webhook.name}” saved` : `“${saved.name}” created` });
            // A new webhook's form stays open on its last step, which offers a test send.
            if (editing.mode === 'edit') setEditing(null);
            await onChanged();
          }}
          onSendTest={(created) => {
            setEditing(null);
            setTesting(created);
          }}
        />
      ) : null}
      {testing ? (
        <TestModal
          webhook={testing}
          onClose={() => {
            setTesting(null);
            void onChanged();
          }}
          onShowDeliveries={() => {
            const id = testing.id;
            setTesting(null);
            props.onShowDeliveries(id);
          }}
        />
      ) : null}
      <ModalTransition>
        {deleting ? (
          <DeleteModal
            webhook={deleting}
            onClose={() => setDeleting(null)}
            onDeleted={async () => {
              flag({ title: `“${deleting.name}” deleted`, appearance: 'info' });
              setDeleting(null);
              await onChanged();
            }}
          />
        ) : null}
      </ModalTransition>
    </Stack>
  );
}

function EmptyState(props: { onCreate: () => void }) {
  return (
    <div style={{ padding: token('space.400'), textAlign: 'center', maxWidth: 560, margin: '0 auto' }}>
      <Heading level={3}>No webhooks yet</Heading>
      <p style={{ color: token('color.text.subtle') }}>
        Create a webhook to start sending this site&apos;s audit events: to a Slack or Microsoft Teams channel,
        PagerDuty, your SIEM (Splunk HEC, Microsoft Sentinel, Datadog, Elastic, QRadar) or any HTTPS endpoint. Then
        send a test to check that it arrives.
      </p>
      <div style={{ marginTop: token('space.200') }}>
        <Button appearance="primary" onClick={props.onCreate}>
          Create your first webhook
        </Button>
      </div>
    </div>
  );
}

function DeleteModal(props: { webhook: WebhookView; onClose: () => void; onDeleted: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const remove = async () => {
    setBusy(true);
    const result = await api.deleteWebhook(props.webhook.id);
    setBusy(false);
    if (result.ok || result.error.code === 'NOT_FOUND') await props.onDeleted();
    else setError(result.error);
  };
  return (
    <Modal onClose={props.onClose} width="small">
      <ModalHeader>
        <ModalTitle appearance="danger">Delete “{props.webhook.name}”?</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <p>
          Events stop going to this webhook immediately, and pending retries are dropped. This cannot be undone. To
          pause deliveries instead, turn the webhook off.
        </p>
        {error ? (
          <SectionMessage appearance="error">
            <p>{error.message}</p>
          </SectionMessage>
        ) : null}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={props.onClose}>
          Cancel
        </Button>
        <Button appearance="danger" isLoading={busy} onClick={() => void remove()}>
          Delete webhook
        </Button>
      </ModalFooter>
    </Modal>
  );
}

/** The kind as the kind picker names it (webhooks.list `destinations`), or its id for a kind not listed. */
export function kindLabel(webhook: Pick<WebhookView, 'kind'>, destinations: readonly DestinationView[]): string {
  return destinations.find((d) => d.kind === webhook.kind)?.label ?? webhook.kind;
}

export function eventsLabel(events: string[]): string {
  if (events.includes('*')) return 'All events';
  return events.length === 1 ? '1 event type' : `${events.length} event types`;
}
