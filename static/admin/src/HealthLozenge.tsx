import Lozenge from '@atlaskit/lozenge';
import Tooltip from '@atlaskit/tooltip';
import { formatDateTime } from './format';
import { Subtle } from './ui';
import type { WebhookView } from './types';

type Appearance = 'success' | 'removed' | 'default' | 'new' | 'moved';

/** The health state in words, sentence case, the same wherever it is shown (lozenge, banner). */
export function healthLabel(webhook: Pick<WebhookView, 'health' | 'enabled'>): { text: string; appearance: Appearance } {
  const { health } = webhook;
  if (health.state === 'disabled' || !webhook.enabled) {
    return health.disabledBy === 'app' ? { text: 'Disabled by the app', appearance: 'removed' } : { text: 'Disabled by an admin', appearance: 'default' };
  }
  if (health.state === 'failing') return { text: 'Failing', appearance: 'removed' };
  if (health.state === 'never-delivered') return { text: 'Never delivered', appearance: 'new' };
  return { text: 'Healthy', appearance: 'success' };
}

/** Whether the banner lists this webhook: failing, or switched off by the app (never an admin's own switch-off). */
export function needsAttention(webhook: Pick<WebhookView, 'health' | 'enabled'>): boolean {
  return (webhook.health.state === 'failing' && webhook.enabled) || (webhook.health.state === 'disabled' && webhook.health.disabledBy === 'app');
}

/** What the state rests on: since when, why, who, last success and the 24-hour success rate. */
export function healthDetail(webhook: Pick<WebhookView, 'health' | 'enabled'>): string[] {
  const { health } = webhook;
  const lines: string[] = [];
  const label = healthLabel(webhook).text;
  if (label === 'Disabled by an admin') {
    const who = health.disabledByAccountId ? `by ${health.disabledByAccountId}` : '';
    const when = health.since ? `on ${formatDateTime(health.since)}` : '';
    // Without who or when (switched off before they were kept), the reason says what is known.
    lines.push(who || when ? ['Turned off', who, when].filter(Boolean).join(' ') : (health.reason ?? 'Turned off'));
  } else if (label === 'Disabled by the app') {
    lines.push([health.since ? `Since ${formatDateTime(health.since)}` : '', health.reason ?? ''].filter(Boolean).join(': '));
  } else if (label === 'Failing') {
    lines.push([health.since ? `Since ${formatDateTime(health.since)}` : '', health.reason ?? ''].filter(Boolean).join(': '));
  } else if (label === 'Never delivered' && health.since) {
    lines.push(`Nothing sent since ${formatDateTime(health.since)}`);
  }
  const measured = [
    health.lastSuccessAt ? `Last success ${formatDateTime(health.lastSuccessAt)}` : '',
    health.successRate24h === undefined ? '' : `${Math.round(health.successRate24h * 100)}% delivered in 24 h`,
  ].filter(Boolean);
  if (measured.length > 0) lines.push(measured.join(' · '));
  return lines.filter(Boolean);
}

/**
 * Never delivered, healthy, failing since…, or disabled by the app or by an admin, with what it rests on:
 * one line cut with an ellipsis, so a long reason never makes a table row tall; the whole of it in a
 * tooltip that the keyboard reaches too (the line is focusable) and that screen readers read in full.
 */
export function HealthLozenge(props: { webhook: WebhookView }) {
  const { text, appearance } = healthLabel(props.webhook);
  const detail = healthDetail(props.webhook);
  return (
    <div style={{ minWidth: 0 }}>
      <Lozenge appearance={appearance}>{text}</Lozenge>
      {detail.length > 0 ? (
        <Tooltip
          content={
            <>
              {detail.map((line) => (
                <div key={line}>{line}</div>
              ))}
            </>
          }
        >
          <span
            tabIndex={0}
            data-testid="health-reason"
            style={{ display: 'block', maxWidth: '100%', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
          >
            <Subtle small>{detail.join(' · ')}</Subtle>
          </span>
        </Tooltip>
      ) : null}
    </div>
  );
}
