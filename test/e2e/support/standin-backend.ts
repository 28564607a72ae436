/**
 * STAND-IN BACKEND, for UI-state tests only. It answers the admin API from memory so that states the
 * real app rarely shows on demand (a failing webhook, a CONFLICT, UNAVAILABLE, many deliveries) can be
 * rendered and screenshotted. The real flow is tested against the app on the local Forge host in
 * admin-page.e2e.test.ts; nothing here decides what the app does.
 */
import type { ApiResult, DeliveryView, EventTypeInfo, SettingsView, WebhookView } from '../../../src/contract';
import { STANDIN_DESTINATIONS } from './standin-destinations';

type Handler = (payload: Record<string, unknown>) => ApiResult<unknown>;

const at = (minutesAgo: number) => new Date(Date.UTC(2026, 5, 1, 12, 0) - minutesAgo * 60_000).toISOString();

export const STANDIN_EVENT_TYPES: EventTypeInfo[] = [
  { type: 'avi:jira:created:issue', category: 'Issues', description: 'Issue created', source: 'product-event' },
  { type: 'avi:jira:deleted:issue', category: 'Issues', description: 'Issue deleted', source: 'product-event' },
  { type: 'avi:jira:created:user', category: 'Users and groups', description: 'User created', source: 'product-event' },
  { type: 'audit:group.member.added', category: 'Users and groups', description: 'User added to a group', source: 'audit-log' },
  { type: 'audit:permission-scheme.changed', category: 'Permissions', description: 'Permission scheme changed', source: 'audit-log' },
  { type: 'app:webhook.changed', category: 'Audit Webhooks', description: 'A webhook was created, changed or deleted', source: 'app' },
];

function webhook(partial: Partial<WebhookView> & Pick<WebhookView, 'id' | 'name'>): WebhookView {
  return {
    version: 1,
    kind: 'custom',
    url: 'https://siem.example.com/services/collector',
    urlMasked: false,
    maskUrl: 'none',
    events: ['*'],
    enabled: true,
    method: 'POST',
    timeoutSeconds: 15,
    signing: { mode: 'standard' },
    secrets: [{ id: 's1', preview: 'whs', label: 'Secret 1', fingerprint: '3f9a61c2', createdAt: at(60 * 24 * 30) }],
    authorization: null,
    headers: [],
    settings: {},
    secretSettings: [],
    health: { state: 'healthy' },
    createdAt: at(60 * 24 * 30),
    updatedAt: at(60),
    ...partial,
  };
}

export function standinWebhooks(): WebhookView[] {
  return [
    webhook({
      id: 'wh-splunk',
      name: 'Splunk production',
      url: 'https://splunk.example.com:8443/services/collector/•••',
      urlMasked: true,
      maskUrl: 'path-and-query',
      authorization: { scheme: 'Splunk' },
      headers: [
        { name: 'X-Splunk-Request-Channel', value: '•••', sensitive: true },
        { name: 'X-Source', value: 'jira-audit', sensitive: false },
      ],
    }),
    webhook({
      id: 'wh-slack',
      name: '#security-alerts',
      kind: 'slack',
      url: 'https://hooks.slack.com/services/•••',
      urlMasked: true,
      maskUrl: 'path-and-query',
      events: ['audit:group.member.added', 'audit:permission-scheme.changed', 'avi:jira:created:user'],
      secrets: [],
    }),
    webhook({
      id: 'wh-sentinel',
      name: 'Microsoft Sentinel',
      url: 'https://sentinel.example.net/api/logs',
      signing: { mode: 'base64-list', header: 'X-Webhook-Signature' },
      health: { state: 'failing', since: at(95), reason: 'HTTP 503 from the endpoint' },
    }),
    webhook({
      id: 'wh-qradar',
      name: 'QRadar (staging)',
      url: 'https://qradar.example.org/webhook',
      enabled: false,
      health: { state: 'disabled', reason: 'Turned off by an admin' },
    }),
  ];
}

function delivery(i: number, status: DeliveryView['status'], webhookId = 'wh-splunk'): DeliveryView {
  const created = at(i * 7);
  const failed = status === 'failed';
  return {
    id: `msg_${String(1000 + i)}`,
    webhookId,
    webhookName: webhookId === 'wh-splunk' ? 'Splunk production' : 'Microsoft Sentinel',
    eventId: `evt_${i}`,
    eventType: i % 2 ? 'audit:group.member.added' : 'avi:jira:created:issue',
    test: i === 0,
    status,
    createdAt: created,
    updatedAt: created,
    ...(status === 'pending' ? { nextAttemptAt: at(i * 7 - 5) } : {}),
    attempts:
      status === 'skipped' || status === 'pending'
        ? []
        : [
            {
              number: 1,
              at: created,
              outcome: failed ? 'failed' : 'delivered',
              httpStatus: failed ? 503 : 200,
              durationMs: failed ? 15000 : 182,
              ...(failed ? { errorClass: 'http' as const, errorMessage: 'Service Unavailable' } : {}),
              request: {
                method: 'POST',
                url: 'https://splunk.example.com:8443/services/collector/•••',
                headers: { 'content-type': 'application/json', 'webhook-id': `msg_${1000 + i}`, 'webhook-signature': 'v1,•••' },
              },
              response: { status: failed ? 503 : 200, headers: { 'content-type': 'application/json' }, body: failed ? '{"text":"Server is busy","code":9}' : '{"text":"Success","code":0}', truncated: false },
            },
          ],
  };
}

export interface StandinOptions {
  webhooks?: WebhookView[];
  /** answer every call with this failure */
  failAll?: ApiResult<never>;
  /** answer webhooks.update with CONFLICT */
  conflictOnUpdate?: boolean;
}

export function standinBackend(options: StandinOptions = {}): (functionKey: string, payload: Record<string, unknown>) => ApiResult<unknown> {
  const webhooks = options.webhooks ?? standinWebhooks();
  const deliveries: DeliveryView[] = [
    delivery(0, 'delivered'),
    delivery(1, 'failed', 'wh-sentinel'),
    delivery(2, 'delivered'),
    delivery(3, 'pending'),
    delivery(4, 'skipped'),
    ...Array.from({ length: 30 }, (_, i) => delivery(5 + i, i % 5 === 0 ? 'failed' : 'delivered')),
  ];
  const settings: SettingsView = {
    version: 3,
    auditPoll: { enabled: true, lastPolledAt: at(2), lastError: 'Jira answered 429 Too Many Requests; retrying on the next poll.' },
    installedAt: at(60 * 24 * 40),
  };
  const ok = <T>(data: T): ApiResult<T> => ({ ok: true, data });
  const handlers: Record<string, Handler> = {
    'webhooks.list': () => ok({ webhooks, eventTypes: STANDIN_EVENT_TYPES, destinations: STANDIN_DESTINATIONS }),
    'webhooks.get': (p) => {
      const found = webhooks.find((w) => w.id === p['id']);
      return found ? ok({ webhook: found }) : { ok: false, error: { code: 'NOT_FOUND', message: 'No such webhook.' } };
    },
    'webhooks.update': (p) => {
      if (options.conflictOnUpdate) {
        return { ok: false, error: { code: 'CONFLICT', message: 'This webhook changed since you opened it (version 2 is newer than 1).' } };
      }
      const found = webhooks.find((w) => w.id === p['id']);
      if (!found) return { ok: false, error: { code: 'NOT_FOUND', message: 'No such webhook.' } };
      if (typeof p['enabled'] === 'boolean') found.enabled = p['enabled'];
      found.version += 1;
      return ok({ webhook: found });
    },
    'webhooks.create': (p) => {
      const url = String(p['url'] ?? '');
      if (!url.startsWith('https://')) {
        return { ok: false, error: { code: 'VALIDATION', message: 'The webhook has 1 problem.', fields: { url: 'Use an https:// URL.' } } };
      }
      const kind = String(p['kind'] ?? 'custom');
      const destination = STANDIN_DESTINATIONS.find((d) => d.kind === kind);
      if (!destination) return { ok: false, error: { code: 'VALIDATION', message: 'The webhook has 1 problem.', fields: { kind: `Unknown kind ${kind}.` } } };
      const given = (p['settings'] ?? {}) as Record<string, string | number>;
      const missing = destination.fields.filter((f) => f.required && given[f.key] === undefined);
      if (missing.length > 0) {
        const fields = Object.fromEntries(missing.map((f) => [`settings.${f.key}`, `Enter ${f.label}: ${f.help}`]));
        return { ok: false, error: { code: 'VALIDATION', message: `The webhook has ${missing.length} problem(s).`, fields } };
      }
      const secretKeys = destination.fields.filter((f) => f.type === 'secret').map((f) => f.key);
      const created = webhook({
        id: `wh-${webhooks.length + 1}`,
        name: String(p['name']),
        url,
        kind: kind as WebhookView['kind'],
        settings: Object.fromEntries(Object.entries(given).filter(([key]) => !secretKeys.includes(key))),
        secretSettings: Object.keys(given).filter((key) => secretKeys.includes(key)),
        ...(typeof p['batchEvents'] === 'number' ? { batchEvents: p['batchEvents'] } : {}),
      });
      webhooks.push(created);
      return ok({ webhook: created });
    },
    'webhooks.delete': (p) => {
      const index = webhooks.findIndex((w) => w.id === p['id']);
      if (index >= 0) webhooks.splice(index, 1);
      return ok({ id: String(p['id']) });
    },
    'webhooks.test': () =>
      ok({
        deliveryId: 'msg_test_1',
        request: {
          method: 'POST',
          url: 'https://splunk.example.com:8443/services/collector/•••',
          headers: { 'content-type': 'application/json', authorization: 'Splunk •••', 'webhook-id': 'msg_test_1', 'webhook-timestamp': '1780315200', 'webhook-signature': 'v1,•••' },
          body: JSON.stringify({ type: 'app:webhook.test', timestamp: at(0), data: { message: 'Test event from Audit Webhooks' } }),
        },
        response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"text":"Success","code":0}', truncated: false, durationMs: 143 },
      }),
    'secrets.random': () => ok({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3ST7Oy1Q1hk=' }),
    // The form's content sample: a fixed default body (the real preview runs the template on the backend).
    'webhooks.previewTemplate': (p) => {
      const eventType = (Array.isArray(p['eventTypes']) ? String(p['eventTypes'][0]) : undefined) ?? 'issue.created';
      const body = JSON.stringify({ id: `sample-${eventType}`, type: eventType, timestamp: at(0), data: { summary: 'Sample event' } });
      return ok({ previews: [{ eventType, ok: true, body, pretty: JSON.stringify(JSON.parse(body), null, 2), bytes: body.length }] });
    },
    'deliveries.list': (p) => {
      let list = deliveries.filter(
        (d) =>
          (!p['webhookId'] || d.webhookId === p['webhookId']) &&
          (!p['outcome'] || d.status === p['outcome']) &&
          (p['test'] === undefined || d.test === p['test']),
      );
      const start = Number(p['cursor'] ?? 0);
      const limit = Number(p['limit'] ?? 25);
      const next = start + limit < list.length ? String(start + limit) : undefined;
      list = list.slice(start, start + limit);
      return ok({ deliveries: list, ...(next ? { nextCursor: next } : {}) });
    },
    'deliveries.retry': (p) => {
      const found = deliveries.find((d) => d.id === p['id']);
      if (!found) return { ok: false, error: { code: 'NOT_FOUND', message: 'No such delivery.' } };
      found.status = 'pending';
      return ok({ delivery: found });
    },
    'deliveries.get': (p) => {
      const found = deliveries.find((d) => d.id === p['id']);
      if (!found) return { ok: false, error: { code: 'NOT_FOUND', message: 'No delivery with this id in the last 14 days.' } };
      return ok({ delivery: found, ...(found.test ? {} : { requestBody: JSON.stringify({ id: found.eventId, type: found.eventType }) }) });
    },
    'deliveries.recover': () => ok({ recovered: 3 }),
    'settings.get': () => ok({ settings }),
    'settings.update': (p) => {
      settings.version += 1;
      if (p['auditPoll'] && typeof p['auditPoll'] === 'object') settings.auditPoll.enabled = Boolean((p['auditPoll'] as { enabled: boolean }).enabled);
      return ok({ settings });
    },
  };
  return (functionKey, payload) => {
    if (options.failAll) return options.failAll;
    const handler = handlers[functionKey];
    return handler ? handler(payload) : { ok: false, error: { code: 'NOT_FOUND', message: `stand-in: no ${functionKey}` } };
  };
}

/** The stand-in `window.__bridge`: forwards invoke to the exposed `__standinInvoke`. Runs before the bundle. */
export const STANDIN_BRIDGE_SCRIPT = `
window.__bridge = {
  callBridge: async (command, data) => {
    switch (command) {
      case 'invoke': return window.__standinInvoke(data.functionKey, data.payload || {});
      case 'getContext': return { accountId: 'standin-admin', locale: 'en_US', moduleKey: 'audit-webhooks-admin', extension: { type: 'jira:adminPage' } };
      default: return undefined;
    }
  },
};`;
