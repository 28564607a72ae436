/**
 * Failure alerts: a webhook's endpoint health changing becomes an event, delivered like any other to the
 * webhooks subscribed to it (never to the webhook it is about: src/app/pipeline/audit-event.ts).
 *
 * - app.webhook.failing: stored health went from healthy or never-delivered to failing.
 * - app.webhook.recovered: stored health went from failing to healthy (a request succeeded).
 * - app.webhook.disabled: the app disabled the webhook (410 Gone, 5 days of failure); the same type an
 *   admin's switch-off has, made in config-changes.ts (recordAutoDisable), with these details added.
 *
 * Each id is a hash of the webhook, the transition and the failure run's start (failingSince), so two
 * runs of the same delivery job that both see the transition make one event, which the drain's
 * de-duplication journal keeps once.
 */
import type { EndpointHealth } from '../delivery/health';
import { stableId } from './ids';
import { AuditEventSchema, type AuditEvent, type NormaliseResult } from './model';
import { compact, describeIssues, toIsoTimestamp, truncate } from './parse';

export const HEALTH_ALERT_TYPES = ['app.webhook.failing', 'app.webhook.recovered', 'app.webhook.disabled'] as const;
export type HealthAlertType = (typeof HEALTH_ALERT_TYPES)[number];
export type HealthTransition = 'failing' | 'recovered';

/**
 * The alerts a webhook gets only by listing them: ["*"] (every audit event, including types added later)
 * leaves them out. With "*" they would fan out to every other webhook: 50 webhooks behind one receiver
 * going down together would send 50 x 49 alerts, mostly into that same failing receiver, in the minute
 * Forge's queue and KVS are busiest. app.webhook.disabled stays under "*": it is a change of the app's
 * configuration, audited like an admin's switch-off, and was sent to "*" before alerts existed.
 */
export const OPT_IN_ALERT_TYPES: readonly string[] = ['app.webhook.failing', 'app.webhook.recovered'];

export const HEALTH_ALERT_DESCRIPTIONS: Record<Exclude<HealthAlertType, 'app.webhook.disabled'>, string> = {
  'app.webhook.failing':
    'Another webhook started failing (3 failed requests in a row, or 15 minutes without success); sent once per failure run, never to the failing webhook itself. Only to webhooks that list it ("*" leaves it out).',
  'app.webhook.recovered': 'A failing webhook delivered again; sent once per recovery, never to the webhook itself. Only to webhooks that list it ("*" leaves it out).',
};

/** What an alert says about the webhook: never its URL beyond the masked one, never a secret. */
export interface AlertedWebhook {
  id: string;
  name: string;
  kind: string;
  /** The URL as the admin page shows it (maskUrl applied). */
  displayUrl: string;
}

const MAX_REASON_LENGTH = 300;

/**
 * The alert a health write causes, compared against the health stored before it (not the derived view:
 * only what is stored is a transition two runs agree on). None when the state did not cross a line.
 */
export function healthTransition(stored: EndpointHealth, next: EndpointHealth): HealthTransition | undefined {
  if (next.state === 'failing' && (stored.state === 'healthy' || stored.state === 'never-delivered')) return 'failing';
  if (stored.state === 'failing' && next.state === 'healthy') return 'recovered';
  return undefined;
}

/** app.webhook.failing or app.webhook.recovered for a transition healthTransition found. */
export function fromHealthTransition(webhook: AlertedWebhook, transition: HealthTransition, stored: EndpointHealth, next: EndpointHealth, at: Date | string): NormaliseResult {
  const timestamp = toIsoTimestamp(at);
  if (!timestamp) return { ok: false, error: `Health alert is malformed: at: "${String(at)}" is not a date` };
  const type: HealthAlertType = transition === 'failing' ? 'app.webhook.failing' : 'app.webhook.recovered';
  // The failure run both alerts of one run share: the failing alert's own, the recovered alert's prior.
  const failingSince = transition === 'failing' ? (next.failingSince ?? next.since) : (stored.failingSince ?? stored.since);
  const reason = transition === 'failing' ? next.reason : stored.reason;
  const failures = transition === 'failing' ? next.consecutiveFailures : stored.consecutiveFailures;
  const subject = `Webhook "${truncate(webhook.name, 100)}"`;
  const summary =
    transition === 'failing'
      ? `${subject} is failing${reason ? `: ${truncate(reason, MAX_REASON_LENGTH)}` : ''} (${failures ? `${failures} failed requests in a row` : 'failing'} since ${failingSince ?? timestamp})`
      : `${subject} recovered: delivering again after failing since ${failingSince ?? 'an earlier attempt'}`;
  const candidate: AuditEvent = {
    id: stableId('app', type, webhook.id, failingSince ?? timestamp),
    type,
    timestamp,
    data: {
      source: 'app',
      actor: {},
      object: { type: 'webhook', id: webhook.id, name: webhook.name },
      summary: truncate(summary, 500),
      original: {},
      details: compact({
        kind: webhook.kind,
        url: webhook.displayUrl,
        state: next.state,
        previousState: stored.state,
        reason: reason ? truncate(reason, MAX_REASON_LENGTH) : undefined,
        since: next.since,
        failingSince,
        consecutiveFailures: failures,
      }),
    },
  };
  const checked = AuditEventSchema.safeParse(candidate);
  if (!checked.success) return { ok: false, error: `Health alert normalised to an invalid event: ${describeIssues(checked.error)}` };
  return { ok: true, event: checked.data };
}
