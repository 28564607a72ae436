import { ADMIN_FUNCTION_KEYS } from '../../src/contract';
import { ADMIN, secret } from './support/app-host';
import { kvsSnapshot, readSecret, startAdminHttp, type AdminHttp, type Envelope } from './support/admin-http';
import { issueCreatedEvent } from './support/jira-events';
import { flush } from './support/delivery-bed';

/**
 * Acceptance: only Jira site admins (asked of Jira as the calling user, permission ADMINISTER) may call
 * any admin function. Anyone else gets FORBIDDEN from every one of them, with nothing read back and nothing changed:
 * the list, every KVS entry, the secret material, the KVS write counters, the queue and the receivers.
 */

const FORBIDDEN = { ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/^Only Jira site admins can manage audit webhooks/) } };

const issueCreated = (key: string) => issueCreatedEvent({ id: '10073', key, summary: 'Rotate the SIEM token' });

describe('admin API over HTTP: a non-admin is FORBIDDEN from every function and changes nothing', () => {
  let api: AdminHttp;
  let webhookId: string;
  let version: number;
  let secretId: string;
  let failedDeliveryId: string;

  const everything = async () => {
    const stats = api.bed.host.stats();
    return {
      list: await api.data('webhooks.list', {}),
      settings: await api.data('settings.get', {}),
      deliveries: await api.data('deliveries.list', { limit: 100 }),
      kvs: await kvsSnapshot(),
      material: await readSecret(`webhook-secret:${webhookId}`),
      writes: { writes: stats.kvs.writes, deletes: stats.kvs.deletes },
      queue: { pushes: stats.queue.pushes, events: stats.queue.events, pending: stats.queue.pending },
      egress: stats.egress.requests,
      received: api.bed.receivers['siem.example.test']!.requests.length,
    };
  };

  beforeAll(async () => {
    api = await startAdminHttp(['siem.example.test']);
    const created = await api.data<{ webhook: { id: string; version: number; secrets: { id: string }[] } }>('webhooks.create', {
      kind: 'custom',
      name: 'SIEM',
      url: 'https://siem.example.test/hook',
      events: ['issue.created'],
      secrets: [secret(5)],
      authorization: { type: 'bearer', token: 'bearer-token-0123456789' },
      headers: [{ name: 'X-Api-Key', value: 'api-key-0123456789', sensitive: true }],
    });
    webhookId = created.webhook.id;
    version = created.webhook.version;
    secretId = created.webhook.secrets[0]!.id;
    // One delivery the receiver refuses for good, so deliveries.retry and .recover have something to act on.
    api.bed.receivers['siem.example.test']!.responder = () => ({ status: 400, body: 'bad request' });
    await api.bed.host.fireEvent(issueCreated('SEC-1'));
    await flush(api.bed.host);
    const failed = await api.data<{ deliveries: { id: string }[] }>('deliveries.list', { outcome: 'failed' });
    expect(failed.deliveries).toHaveLength(1);
    failedDeliveryId = failed.deliveries[0]!.id;
    api.bed.receivers['siem.example.test']!.responder = () => ({ status: 200, body: 'ok' });
  });
  afterAll(() => api.close());

  const calls = (): [string, unknown][] => [
    ['webhooks.list', {}],
    ['webhooks.get', { id: webhookId }],
    ['webhooks.create', { kind: 'custom', name: 'Exfiltrate', url: 'https://siem.example.test/steal', events: ['*'] }],
    ['webhooks.update', { id: webhookId, version, url: 'https://siem.example.test/steal', secretsRemove: [{ id: secretId, graceHours: 0 }], authorization: null }],
    ['webhooks.delete', { id: webhookId }],
    ['webhooks.test', { id: webhookId }],
    ['webhooks.previewTemplate', { template: '{ "summary": data.summary }' }],
    ['secrets.random', {}],
    ['deliveries.list', {}],
    ['deliveries.get', { id: failedDeliveryId }],
    ['deliveries.retry', { id: failedDeliveryId }],
    ['deliveries.recover', { webhookId, since: new Date(api.bed.host.now().getTime() - 3_600_000).toISOString() }],
    ['settings.get', {}],
    ['settings.update', { version: 1, auditPoll: { enabled: false }, backfillDays: 30 }],
    ['events.setAside', { limit: 100 }],
    ['deliveries.stats', { hours: 24 }],
    ['slack.oauthStatus', {}],
    ['slack.oauthStart', {}],
    ['slack.oauthComplete', { state: 'not-a-state-the-app-made' }],
    ['webhooks.oauthAuthorize', { id: webhookId }],
    ['webhooks.oauthStatus', { id: webhookId }],
  ];

  it('covers every admin function', () => {
    expect(calls().map(([key]) => key).sort()).toEqual([...ADMIN_FUNCTION_KEYS].sort());
    expect(ADMIN_FUNCTION_KEYS).toHaveLength(21);
  });

  it.each(['someone-else', 'jira-user-5b10ac8d', 'LOCAL-ADMIN', 'local-admin ', 'system-app-user'])('%s gets FORBIDDEN from every function, and nothing changes', async (accountId) => {
    await flush(api.bed.host);
    const before = await everything();
    for (const [key, payload] of calls()) {
      const result = await api.invoke(key, payload, accountId);
      // Exactly the FORBIDDEN envelope: no data, no fields, nothing of the stored config.
      expect({ key, result }).toEqual({ key, result: FORBIDDEN });
      expect(Object.keys(result)).toEqual(['ok', 'error']);
    }
    // Even bad input is FORBIDDEN first: a non-admin learns nothing about the rules or the ids.
    for (const [key, payload] of [
      ['webhooks.create', 'not even an object'],
      ['webhooks.get', { id: 'wh_doesnotexist' }],
      ['webhooks.update', { id: webhookId, version: 999 }],
    ] as const) {
      expect(await api.invoke(key, payload, accountId)).toEqual(FORBIDDEN);
    }
    // No virtual time passes: the drain of earlier events, still looking every few seconds, stays as it was.
    await api.bed.host.settle();
    expect(await everything()).toEqual(before);
  });

  it('the admin check asks Jira as the caller: the same calls as the admin work, so the refusals above were about the user', async () => {
    const view = await api.invoke<{ webhook: { id: string } }>('webhooks.get', { id: webhookId });
    expect(view.ok).toBe(true);
    const random = await api.invoke<{ secret: string }>('secrets.random', {}, ADMIN);
    expect(random.ok && random.data.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const stats = api.bed.host.stats();
    expect(stats.jira.requests).toBeGreaterThan(0);
  });

  it('when Jira does not answer the permission check, even an admin changes nothing and is told to retry (UNAVAILABLE)', async () => {
    const before = await everything();
    const failed = api.bed.host.stats().jira.injectedFailures;
    const armed = await fetch(`${api.baseUrl}/__forge/jira/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pathPrefix: '/rest/api/3/mypermissions', status: 503, times: 1 }),
    });
    expect(armed.status).toBe(200);
    const result: Envelope = await api.invoke('webhooks.delete', { id: webhookId });
    expect(api.bed.host.stats().jira.injectedFailures).toBe(failed + 1);
    expect(result).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/try again/) } });
    expect(await everything()).toEqual(before);
  });
});
