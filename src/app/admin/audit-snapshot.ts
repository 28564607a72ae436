import type { ConfigChange, ConfigValue } from './config-audit';
import type { WebhookRecord } from './webhook-record';
import { MASK } from '../../domain/webhook/url-masking';
import { filtersSummary } from '../../domain/webhook/event-filters';
import { describeRetryPolicy } from '../../domain/delivery/webhook-retry-policy';

/**
 * A webhook's config as an audit event may show it: masked URL, authorization scheme, sensitive
 * header values as '•••'. Secrets and enabled have their own event types.
 */
export function auditSnapshot(record: WebhookRecord): Record<string, ConfigValue> {
  return {
    name: record.name,
    url: record.displayUrl,
    events: record.events,
    method: record.method,
    timeoutSeconds: record.timeoutSeconds,
    signing: record.signing.header ? `${record.signing.mode} (${record.signing.header})` : record.signing.mode,
    maskUrl: record.maskUrl,
    authorization: record.authorization?.scheme ?? null,
    headers: record.headers.map((header) => `${header.name}: ${header.sensitive ? MASK : (header.value ?? '')}`),
    // A destination kind's settings, shown only when it has some, so kinds without them audit as before.
    ...(hasSettings(record) ? { settings: settingsLines(record) } : {}),
    ...(record.batchEvents === undefined ? {} : { batchEvents: record.batchEvents }),
    // The text itself: it decides what receivers get, and holds no secret (it reads only the event).
    ...(record.template === undefined ? {} : { template: record.template }),
    // Shown only when set, so webhooks without filters audit as before.
    ...(record.filters ? { filters: filtersSummary(record.filters) } : {}),
    // A policy of its own only, so webhooks on the default schedule audit as before.
    ...(record.retryPolicy ? { retryPolicy: describeRetryPolicy(record.retryPolicy) } : {}),
  };
}

const hasSettings = (record: WebhookRecord): boolean => Object.keys(record.settings ?? {}).length + (record.secretSettings ?? []).length > 0;

/** "key: value" per setting, secret ones as "key: •••": what changed is audited, never a credential. */
const settingsLines = (record: WebhookRecord): string[] => [
  ...Object.entries(record.settings ?? {}).map(([key, value]) => `${key}: ${String(value)}`),
  ...(record.secretSettings ?? []).map((key) => `${key}: ${MASK}`),
].sort();

/**
 * The fields that differ, over the keys of both sides: a field shown only when set (filters, template,
 * retry policy, batchEvents, settings) that an update removes is a change "from <old> to null" too.
 */
export function diffSnapshots(before: Record<string, ConfigValue>, after: Record<string, ConfigValue>): ConfigChange[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => ({ field, from: before[field] ?? null, to: after[field] ?? null }));
}

/** For a secret part that changed behind an unchanged mask: say that it changed, never to what. */
export const hiddenChange = (field: string, shown: ConfigValue): ConfigChange => ({ field, from: shown, to: `${String(shown)} (hidden value changed)` });
