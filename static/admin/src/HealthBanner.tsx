import { useState } from 'react';
import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { call } from './api';
import { pluralize } from './format';
import { healthDetail, healthLabel, needsAttention } from './HealthLozenge';
import { Inline } from './ui';
import type { WebhookView } from './types';

/** recover reaches back at most 14 days (RECOVER_MAX_DAYS); a minute of margin for the clock. */
const RECOVER_MAX_MS = 14 * 24 * 3_600_000 - 60_000;
/** A job is created a little before its first attempt fails: recover from an hour before the failures began. */
const RECOVER_MARGIN_MS = 3_600_000;
/** recover answers in pages (nextCursor); a long outage takes a few calls. */
const RECOVER_MAX_CALLS = 50;

export type ReenableOutcome = { ok: true; recovered: number } | { ok: false; message: string };

/**
 * "Re-enable and recover what was missed": switches a webhook the app disabled back on (its health starts
 * again as never delivered) and re-queues what failed or was skipped since its failures began.
 */
export async function reenableAndRecover(webhook: WebhookView): Promise<ReenableOutcome> {
  const began = Date.parse(webhook.health.failingSince ?? webhook.health.since ?? '') || Date.now();
  const since = new Date(Math.max(began - RECOVER_MARGIN_MS, Date.now() - RECOVER_MAX_MS)).toISOString();
  const enabled = await call('webhooks.update', { id: webhook.id, version: webhook.version, enabled: true });
  if (!enabled.ok) return { ok: false, message: enabled.error.message };
  let recovered = 0;
  let cursor: string | undefined;
  for (let calls = 0; calls < RECOVER_MAX_CALLS; calls += 1) {
    const page = await call('deliveries.recover', { webhookId: webhook.id, since, ...(cursor ? { cursor } : {}) });
    if (!page.ok) return { ok: false, message: `Re-enabled, but recovery stopped after ${pluralize(recovered, 'delivery', 'deliveries')}: ${page.error.message}` };
    recovered += page.data.recovered;
    cursor = page.data.nextCursor;
    if (!cursor) break;
  }
  return { ok: true, recovered };
}

/** The button of one webhook disabled by the app; reports how many deliveries it queued. */
export function ReenableAndRecoverButton(props: { webhook: WebhookView; onDone: (webhook: WebhookView, outcome: ReenableOutcome) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      spacing="compact"
      isLoading={busy}
      aria-label={`Re-enable ${props.webhook.name} and recover what was missed`}
      onClick={async () => {
        setBusy(true);
        const outcome = await reenableAndRecover(props.webhook);
        setBusy(false);
        await props.onDone(props.webhook, outcome);
      }}
    >
      Re-enable and recover what was missed
    </Button>
  );
}

/**
 * At the top of the page: how many webhooks are failing or were disabled by the app, which, a button to
 * show them, and for each one the app disabled the way back in one action.
 */
export function HealthBanner(props: { webhooks: WebhookView[]; onShow: () => void; onChanged: () => Promise<void> }) {
  const [outcome, setOutcome] = useState<{ name: string; result: ReenableOutcome } | null>(null);
  const troubled = props.webhooks.filter(needsAttention);
  const failing = troubled.filter((webhook) => webhook.health.state === 'failing').length;
  const disabled = troubled.length - failing;
  const onDone = async (webhook: WebhookView, result: ReenableOutcome) => {
    setOutcome({ name: webhook.name, result });
    await props.onChanged();
  };
  const summary = [failing > 0 ? `${pluralize(failing, 'webhook')} failing` : '', disabled > 0 ? `${pluralize(disabled, 'webhook')} disabled by the app` : '']
    .filter(Boolean)
    .join(', ');
  return (
    <>
      {outcome ? (
        <SectionMessage appearance={outcome.result.ok ? 'success' : 'error'} title={outcome.result.ok ? `“${outcome.name}” re-enabled` : `“${outcome.name}” not fully recovered`} testId="health-recover-outcome">
          <p>
            {outcome.result.ok
              ? `${pluralize(outcome.result.recovered, 'delivery', 'deliveries')} queued to be sent again. Its health shows “Never delivered” until one arrives.`
              : outcome.result.message}
          </p>
        </SectionMessage>
      ) : null}
      {troubled.length > 0 ? (
        <SectionMessage appearance={disabled > 0 ? 'error' : 'warning'} title={`Deliveries need attention: ${summary}`} testId="health-banner">
          <ul style={{ margin: 0, paddingInlineStart: '1.2em' }}>
            {troubled.map((webhook) => (
              <li key={webhook.id}>
                <Inline gap="small">
                  <span>
                    <strong>{webhook.name}</strong>: {healthLabel(webhook).text}
                    {healthDetail(webhook)[0] ? ` (${healthDetail(webhook)[0]})` : ''}
                  </span>
                  {webhook.health.state === 'disabled' ? <ReenableAndRecoverButton webhook={webhook} onDone={onDone} /> : null}
                </Inline>
              </li>
            ))}
          </ul>
          <p>
            <Button spacing="compact" onClick={props.onShow}>
              Show {troubled.length === 1 ? 'it' : 'them'} in the webhooks list
            </Button>
          </p>
        </SectionMessage>
      ) : null}
    </>
  );
}
