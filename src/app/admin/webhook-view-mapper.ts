import { healthAt, type EndpointHealth } from '../../domain/delivery/health';
import { MASK } from '../../domain/webhook/url-masking';
import { filtersSummary } from '../../domain/webhook/event-filters';
import { describeRetryPolicy } from '../../domain/delivery/webhook-retry-policy';
import type { HealthView, WebhookView } from '../../contract/webhook-view';
import { isActiveSecret, type WebhookRecord } from './webhook-record';
import type { HealthStats } from '../delivery/delivery-stats';

/** The only way a stored webhook leaves the app: built field by field, so nothing secret slips through. */
export function toWebhookView(record: WebhookRecord, health: EndpointHealth, now: Date, stats: HealthStats = {}): WebhookView {
  return {
    id: record.id,
    version: record.version,
    kind: record.kind,
    name: record.name,
    url: record.displayUrl,
    urlMasked: record.urlMasked,
    maskUrl: record.maskUrl,
    events: [...record.events],
    enabled: record.enabled && health.state !== 'disabled',
    method: record.method,
    timeoutSeconds: record.timeoutSeconds,
    signing: record.signing.header !== undefined ? { mode: record.signing.mode, header: record.signing.header } : { mode: record.signing.mode },
    secrets: record.secrets
      .filter((secret) => isActiveSecret(secret, now))
      .map((secret, index) => ({
        id: secret.id,
        preview: secret.preview,
        label: secret.label ?? `Secret ${index + 1}`,
        ...(secret.fingerprint ? { fingerprint: secret.fingerprint } : {}),
        createdAt: secret.createdAt,
        ...(secret.expiresAt ? { expiresAt: secret.expiresAt } : {}),
      })),
    authorization: record.authorization ? { scheme: record.authorization.scheme } : null,
    headers: record.headers.map((header) => ({ name: header.name, value: header.sensitive ? MASK : (header.value ?? ''), sensitive: header.sensitive })),
    settings: { ...(record.settings ?? {}) },
    secretSettings: [...(record.secretSettings ?? [])],
    ...(record.batchEvents === undefined ? {} : { batchEvents: record.batchEvents }),
    ...(record.template === undefined ? {} : { template: record.template }),
    ...(record.filters ? { filters: record.filters, filtersSummary: filtersSummary(record.filters) } : {}),
    retryPolicy: record.retryPolicy ? { ...record.retryPolicy } : { mode: 'default' },
    retryPolicySummary: describeRetryPolicy(record.retryPolicy),
    // Between attempts (the next may be hours away) 15 minutes of failure already shows as failing.
    health: healthView(record, healthAt(health, now), stats),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function healthView(record: WebhookRecord, health: EndpointHealth, stats: HealthStats): HealthView {
  const measured = {
    ...(stats.lastSuccessAt ? { lastSuccessAt: stats.lastSuccessAt } : {}),
    ...(stats.successRate24h === undefined ? {} : { successRate24h: stats.successRate24h }),
  };
  if (!record.enabled) {
    const by = record.disabledBy;
    return {
      state: 'disabled',
      ...(record.disabledAt ? { since: record.disabledAt } : {}),
      reason: 'Disabled by an admin.',
      disabledBy: 'admin',
      ...(by ? { disabledByAccountId: by } : {}),
      ...measured,
    };
  }
  const failed = health.state !== 'healthy' && health.state !== 'never-delivered';
  return {
    state: health.state,
    ...(health.since ? { since: health.since } : {}),
    ...(health.reason ? { reason: health.reason } : {}),
    ...(health.state === 'disabled' ? { disabledBy: 'app' as const } : {}),
    ...(failed && health.failingSince ? { failingSince: health.failingSince } : {}),
    ...(health.consecutiveFailures ? { consecutiveFailures: health.consecutiveFailures } : {}),
    ...measured,
  };
}
