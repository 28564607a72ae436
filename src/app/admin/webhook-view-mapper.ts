import { healthAt, type EndpointHealth } from '../../domain/delivery/health';
import { MASK } from '../../domain/webhook/url-masking';
import type { HealthView, WebhookView } from '../../contract/webhook-view';
import { isActiveSecret, type WebhookRecord } from './webhook-record';

/** The only way a stored webhook leaves the app: built field by field, so nothing secret slips through. */
export function toWebhookView(record: WebhookRecord, health: EndpointHealth, now: Date): WebhookView {
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
    // Between attempts (the next may be hours away) 15 minutes of failure already shows as failing.
    health: healthView(record, healthAt(health, now)),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function healthView(record: WebhookRecord, health: EndpointHealth): HealthView {
  if (!record.enabled) {
    return { state: 'disabled', ...(record.disabledAt ? { since: record.disabledAt } : {}), reason: 'Disabled by an admin.' };
  }
  return {
    state: health.state,
    ...(health.since ? { since: health.since } : {}),
    ...(health.reason ? { reason: health.reason } : {}),
  };
}
