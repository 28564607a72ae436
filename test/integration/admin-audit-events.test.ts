import { secret } from './support/app-host';
import { startAdminHttp, type AdminHttp } from './support/admin-http';
import { distinctMessages } from './support/delivery-bed';

/**
 * The issue: every admin change is recorded as the app's own audit event (app.webhook.*,
 * app.settings.updated), delivered like any Jira event to webhooks subscribed to it, with the acting
 * admin and masked values. Refused and no-op changes record nothing.
 */

interface Delivered {
  id: string;
  type: string;
  timestamp: string;
  data: {
    source: string;
    actor?: { accountId?: string };
    object?: { type?: string; id?: string; name?: string };
    changes?: { field: string; from?: string; to?: string }[];
  };
}
interface View {
  id: string;
  version: number;
  secrets: { id: string }[];
}

const QUERY_TOKEN = 'audit-query-token-31337';
const AUTH_TOKEN = 'audit-bearer-token-424242';

describe('admin API over HTTP: every change is the app’s own audit event', () => {
  let api: AdminHttp;
  const receiver = () => api.bed.receivers['audit.example.test']!;
  // One per webhook-id: Forge delivers at least once, so a receiver may get the same message twice.
  const events = (): Delivered[] =>
    distinctMessages(receiver().requests)
      .map((r) => JSON.parse(r.body) as Delivered)
      .filter((e) => e.type.startsWith('app.'));
  const drain = () => api.host('/__forge/clock/advance', { seconds: 30 });

  beforeAll(async () => {
    api = await startAdminHttp(['audit.example.test', 'siem.example.test']);
    await api.data('webhooks.create', { kind: 'custom', name: 'Audit sink', url: 'https://audit.example.test/in', events: ['*'] });
    await drain();
  });
  afterAll(() => api.close());

  it('create, update, disable, enable, secret added and removed, delete, settings: one event each, by the admin, masked', async () => {
    receiver().requests.length = 0;
    let view = (
      await api.data<{ webhook: View }>('webhooks.create', {
        kind: 'custom',
        name: 'Audited',
        url: `https://siem.example.test/hook?token=${QUERY_TOKEN}`,
        maskUrl: 'query',
        events: ['issue.created'],
        authorization: { type: 'bearer', token: AUTH_TOKEN },
        secrets: [secret(1)],
      })
    ).webhook;
    const id = view.id;
    await drain();
    view = (await api.data<{ webhook: View }>('webhooks.update', { id, version: view.version, name: 'Audited 2', events: ['issue.created', 'issue.deleted'], timeoutSeconds: 20 })).webhook;
    await drain();
    view = (await api.data<{ webhook: View }>('webhooks.update', { id, version: view.version, enabled: false })).webhook;
    await drain();
    view = (await api.data<{ webhook: View }>('webhooks.update', { id, version: view.version, enabled: true })).webhook;
    await drain();
    const firstSecret = view.secrets[0]!.id;
    view = (await api.data<{ webhook: View }>('webhooks.update', { id, version: view.version, secretsAdd: [secret(2)], secretsRemove: [{ id: firstSecret, graceHours: 1 }] })).webhook;
    await drain();
    view = (await api.data<{ webhook: View }>('webhooks.update', { id, version: view.version, url: `https://siem.example.test/hook?token=${QUERY_TOKEN}-2` })).webhook;
    await drain();
    await api.data('webhooks.delete', { id });
    await drain();
    const settings = await api.data<{ settings: { version: number } }>('settings.get', {});
    await api.data('settings.update', { version: settings.settings.version, auditPoll: { enabled: false } });
    await drain();

    const seen = events();
    const body = JSON.stringify(seen);
    expect(body).not.toContain(QUERY_TOKEN);
    expect(body).not.toContain(AUTH_TOKEN);
    expect(body).not.toContain(secret(1));
    expect(body).not.toContain(secret(2));
    expect(seen.map((e) => e.type)).toEqual([
      'app.webhook.created',
      'app.webhook.updated',
      'app.webhook.disabled',
      'app.webhook.enabled',
      'app.webhook.secret_added',
      'app.webhook.secret_removed',
      'app.webhook.updated',
      'app.webhook.deleted',
      'app.settings.updated',
    ]);
    for (const event of seen) {
      expect(event.data.source).toBe('app');
      expect(event.data.actor?.accountId).toBe('local-admin');
      if (event.type !== 'app.settings.updated') expect(event.data.object?.id).toBe(id);
    }
    const field = (type: string, name: string, nth = 0) => seen.filter((e) => e.type === type)[nth]!.data.changes?.find((c) => c.field === name);
    expect(field('app.webhook.created', 'url')?.to).toBe('https://siem.example.test/hook?token=•••');
    expect(field('app.webhook.created', 'authorization')?.to).toBe('Bearer');
    expect(field('app.webhook.updated', 'name')).toMatchObject({ from: 'Audited', to: 'Audited 2' });
    expect(field('app.webhook.updated', 'timeoutSeconds')).toMatchObject({ from: '15', to: '20' });
    expect(field('app.webhook.secret_removed', 'secrets')).toMatchObject({ from: firstSecret, to: expect.stringMatching(/^expires /) });
    // A URL change behind the mask says that it changed, never to what.
    expect(field('app.webhook.updated', 'url', 1)?.to).toMatch(/hidden value changed/);
    expect(field('app.settings.updated', 'auditPoll.enabled')).toMatchObject({ from: 'true', to: 'false' });
  });

  it('refused, forbidden and no-op changes record nothing', async () => {
    const view = (await api.data<{ webhook: View }>('webhooks.create', { kind: 'custom', name: 'Quiet', url: 'https://siem.example.test/q', events: ['*'] })).webhook;
    await drain();
    receiver().requests.length = 0;
    expect((await api.invoke('webhooks.update', { id: view.id, version: view.version, name: '' })).ok).toBe(false);
    expect((await api.invoke('webhooks.update', { id: view.id, version: view.version + 1, name: 'Stale' })).ok).toBe(false);
    expect((await api.invoke('webhooks.update', { id: view.id, version: view.version, name: 'Nope' }, 'not-an-admin')).ok).toBe(false);
    expect((await api.invoke('webhooks.delete', { id: view.id }, 'not-an-admin')).ok).toBe(false);
    const same = await api.data<{ webhook: View }>('webhooks.update', { id: view.id, version: view.version, name: 'Quiet', events: ['*'] });
    expect(same.webhook.version).toBe(view.version);
    await api.data('webhooks.test', { id: view.id });
    await drain();
    expect(events()).toEqual([]);
  });
});
