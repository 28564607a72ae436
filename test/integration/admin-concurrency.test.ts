import { startAdminHttp, type AdminHttp, type Envelope } from './support/admin-http';

/**
 * The issue: each webhook has a version, and a stale update is CONFLICT. Over HTTP, with requests really
 * in flight together (the host runs resolvers concurrently), no edit is lost and no two webhooks end up
 * with the same name.
 */

interface View {
  id: string;
  version: number;
  name: string;
  timeoutSeconds: number;
}

describe('admin API over HTTP: versions and concurrent edits', () => {
  let api: AdminHttp;

  beforeAll(async () => {
    api = await startAdminHttp(['siem.example.test']);
  });
  afterAll(() => api.close());
  beforeEach(() => api.bed.host.advance(61));

  it('a stale version is CONFLICT with the current version, and the reload-and-retry path works', async () => {
    const v1 = (await api.data<{ webhook: View }>('webhooks.create', { kind: 'custom', name: 'Versioned', url: 'https://siem.example.test/v', events: ['*'] })).webhook;
    expect(v1.version).toBe(1);
    const v2 = (await api.data<{ webhook: View }>('webhooks.update', { id: v1.id, version: 1, timeoutSeconds: 20 })).webhook;
    expect(v2.version).toBe(2);
    const stale: Envelope = await api.invoke('webhooks.update', { id: v1.id, version: 1, timeoutSeconds: 25 });
    expect(stale).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: 'This webhook changed since you loaded it (you sent version 1, it is now version 2). Reload it and apply your change again.',
        fields: { version: 'Reload: the current version is 2.' },
      },
    });
    expect((await api.data<{ webhook: View }>('webhooks.get', { id: v1.id })).webhook).toMatchObject({ version: 2, timeoutSeconds: 20 });
    const v3 = (await api.data<{ webhook: View }>('webhooks.update', { id: v1.id, version: 2, timeoutSeconds: 25 })).webhook;
    expect(v3).toMatchObject({ version: 3, timeoutSeconds: 25 });
    // A version from the future is stale too.
    expect(await api.invoke('webhooks.update', { id: v1.id, version: 9, timeoutSeconds: 5 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('ten admins saving the same version at once: exactly one wins, the others are CONFLICT, nothing is lost or merged', async () => {
    const view = (await api.data<{ webhook: View }>('webhooks.create', { kind: 'custom', name: 'Contended', url: 'https://siem.example.test/c', events: ['*'] })).webhook;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api.invoke<{ webhook: View }>('webhooks.update', { id: view.id, version: view.version, timeoutSeconds: i + 1, name: `Contended ${i + 1}` })),
    );
    const winners = results.flatMap((r) => (r.ok ? [r.data.webhook] : []));
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.code))).toEqual(Array.from({ length: 9 }, () => 'CONFLICT'));
    const stored = (await api.data<{ webhook: View }>('webhooks.get', { id: view.id })).webhook;
    expect(stored).toMatchObject({ version: view.version + 1, name: winners[0]!.name, timeoutSeconds: winners[0]!.timeoutSeconds });
    expect(stored.name).toBe(`Contended ${stored.timeoutSeconds}`);
  });

  it('ten creates with the same name at once: at most one webhook has the name', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => api.invoke<{ webhook: View }>('webhooks.create', { kind: 'custom', name: i % 2 ? 'Racer' : 'RACER', url: `https://siem.example.test/r${i}`, events: ['*'] })));
    const created = results.filter((r) => r.ok);
    expect(created.length).toBeLessThanOrEqual(1);
    for (const r of results) if (!r.ok) expect(['CONFLICT', 'VALIDATION']).toContain(r.error.code);
    const list = (await api.data<{ webhooks: View[] }>('webhooks.list', {})).webhooks;
    expect(list.filter((w) => w.name.toLowerCase() === 'racer')).toHaveLength(created.length);
    // The lock is released: a create now goes through (or is refused for the name only).
    const after: Envelope = await api.invoke('webhooks.create', { kind: 'custom', name: 'Racer', url: 'https://siem.example.test/r', events: ['*'] });
    if (created.length === 1) expect(after).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { name: expect.stringMatching(/already named/) } } });
    else expect(after.ok).toBe(true);
  });

  it('an update racing a delete: never resurrects the webhook', async () => {
    const view = (await api.data<{ webhook: View }>('webhooks.create', { kind: 'custom', name: 'Doomed', url: 'https://siem.example.test/d', events: ['*'] })).webhook;
    const [update, del] = await Promise.all([api.invoke('webhooks.update', { id: view.id, version: view.version, timeoutSeconds: 9 }), api.invoke('webhooks.delete', { id: view.id })]);
    const list = (await api.data<{ webhooks: View[] }>('webhooks.list', {})).webhooks;
    if (del.ok) expect(list.map((w) => w.id)).not.toContain(view.id);
    else expect(del).toMatchObject({ error: { code: 'CONFLICT' } });
    if (!update.ok) expect(['CONFLICT', 'NOT_FOUND']).toContain(update.error.code);
    // Whatever the order, a webhook that is listed can be read, and one that is not cannot.
    const got: Envelope = await api.invoke('webhooks.get', { id: view.id });
    expect(got.ok).toBe(list.some((w) => w.id === view.id));
  });
});
