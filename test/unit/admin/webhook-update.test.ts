import { ADMIN } from './helpers/memory-ports';
import { API_KEY, AUTH, SECRET_A, SECRET_B, created, customInput, data, expectNoSecretLeaked, failure, secretN, setup, type Suite } from './helpers/admin-suite';

let suite: Suite;
beforeEach(() => {
  suite = setup();
});
afterEach(() => expectNoSecretLeaked(suite));

const update = (payload: Record<string, unknown>) => suite.call(suite.handlers['webhooks.update'](ADMIN, payload));
const stored = () => suite.deps.kvs.snapshot() + suite.deps.secrets.snapshot();

describe('webhooks.update', () => {
  it('applies changes, bumps the version and records what changed', async () => {
    const view = await created(suite);
    suite.deps.clock.advance(60);
    const next = data(await update({ id: view.id, version: 1, name: 'Splunk prod', timeoutSeconds: 20, events: ['jira:issue_created'] })).webhook;
    expect(next).toMatchObject({ version: 2, name: 'Splunk prod', timeoutSeconds: 20, events: ['jira:issue_created'], updatedAt: '2026-11-02T08:01:00.000Z' });
    expect(suite.deps.audit.events[1]).toMatchObject({
      type: 'webhook.updated',
      webhookName: 'Splunk prod',
      changes: [
        { field: 'name', from: 'Splunk production', to: 'Splunk prod' },
        { field: 'events', from: ['*'], to: ['jira:issue_created'] },
        { field: 'timeoutSeconds', from: 15, to: 20 },
      ],
    });
  });

  it('records a removed retry policy and removed filters (fields shown only when set)', async () => {
    const view = await created(suite);
    const set = data(await update({ id: view.id, version: 1, retryPolicy: { mode: 'fixed', intervalSeconds: 60, retries: 3 }, filters: { projects: { include: ['SEC'] } } })).webhook;
    const cleared = data(await update({ id: view.id, version: set.version, retryPolicy: null, filters: null })).webhook;
    expect(cleared.version).toBe(set.version + 1);
    const changes = suite.deps.audit.events.at(-1)?.changes ?? [];
    expect(changes).toEqual(
      expect.arrayContaining([
        { field: 'retryPolicy', from: 'Retries every 60 s, 3 times', to: null },
        { field: 'filters', from: expect.stringContaining('SEC'), to: null },
      ]),
    );
    expect(changes).toHaveLength(2);
  });

  it('answers CONFLICT for a stale version and changes nothing', async () => {
    const view = await created(suite);
    data(await update({ id: view.id, version: 1, name: 'First edit' }));
    const before = stored();
    const error = failure(await update({ id: view.id, version: 1, name: 'Second edit' }));
    expect(error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/you sent version 1, it is now version 2\)\. Reload/) });
    expect(stored()).toBe(before);
  });

  it('does not bump the version when nothing changes', async () => {
    const view = await created(suite);
    const same = data(await update({ id: view.id, version: 1, name: view.name, timeoutSeconds: 15 })).webhook;
    expect(same.version).toBe(1);
    expect(suite.deps.audit.events).toHaveLength(1);
  });

  it('refuses a rename onto another webhook, ignoring case', async () => {
    await created(suite, { ...customInput, name: 'Other' });
    const view = await created(suite);
    expect(failure(await update({ id: view.id, version: 1, name: 'OTHER' })).fields).toEqual({ name: expect.stringMatching(/already named/) });
  });

  it('re-checks URL rules and egress for a new URL, and says a hidden URL part changed', async () => {
    const view = await created(suite);
    expect(failure(await update({ id: view.id, version: 1, url: 'https://evil.example.com/x' })).fields?.url).toMatch(/npm run egress:add -- evil\.example\.com/);
    const next = data(await update({ id: view.id, version: 1, url: 'https://splunk.example.com:8443/services/collector?token=another' })).webhook;
    expect(next.url).toBe(view.url);
    expect(suite.deps.audit.events[1]?.changes).toEqual([{ field: 'url', from: view.url, to: `${view.url} (hidden value changed)` }]);
    expect((await suite.repository.getDeliveryConfig(view.id))?.url).toBe('https://splunk.example.com:8443/services/collector?token=another');
  });

  it('shows more of a masked URL only when the URL is entered again', async () => {
    const view = await created(suite);
    expect(failure(await update({ id: view.id, version: 1, maskUrl: 'none' })).fields).toEqual({ maskUrl: expect.stringMatching(/Enter the URL again/) });
    const stronger = data(await update({ id: view.id, version: 1, maskUrl: 'path-and-query' })).webhook;
    expect(stronger.url).toBe('https://splunk.example.com:8443/services/•••?token=•••');
    const shown = data(await update({ id: view.id, version: 2, maskUrl: 'none', url: 'https://splunk.example.com:8443/services/collector' })).webhook;
    expect(shown).toMatchObject({ url: 'https://splunk.example.com:8443/services/collector', urlMasked: false });
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    expect(failure(await update({ id: 'wh_missing', version: 1, name: 'x' })).code).toBe('NOT_FOUND');
  });
});

describe('authorization and headers', () => {
  it('keeps, replaces and clears the Authorization value, showing only the scheme', async () => {
    const view = await created(suite);
    const kept = data(await update({ id: view.id, version: 1, name: 'Renamed' })).webhook;
    expect(kept.authorization).toEqual({ scheme: 'Splunk' });
    expect((await suite.repository.getDeliveryConfig(view.id))?.authorization).toBe(AUTH);
    const basic = data(await update({ id: view.id, version: 2, authorization: { type: 'basic', username: 'svc', password: 'pw' } })).webhook;
    expect(basic.authorization).toEqual({ scheme: 'Basic' });
    expect((await suite.repository.getDeliveryConfig(view.id))?.authorization).toBe('Basic c3ZjOnB3');
    const cleared = data(await update({ id: view.id, version: 3, authorization: null })).webhook;
    expect(cleared.authorization).toBeNull();
    expect((await suite.repository.getDeliveryConfig(view.id))?.authorization).toBeUndefined();
  });

  it('keeps a sensitive header value sent without value, and requires one otherwise', async () => {
    const view = await created(suite);
    const next = data(
      await update({ id: view.id, version: 1, headers: [{ name: 'dd-api-key' }, { name: 'X-Env', value: 'staging' }] }),
    ).webhook;
    expect(next.headers).toEqual([
      { name: 'dd-api-key', value: '•••', sensitive: true },
      { name: 'X-Env', value: 'staging', sensitive: false },
    ]);
    expect((await suite.repository.getDeliveryConfig(view.id))?.headers).toEqual([
      { name: 'dd-api-key', value: API_KEY, sensitive: true },
      { name: 'X-Env', value: 'staging', sensitive: false },
    ]);
    // dd-api-key is named like a credential, so it stays sensitive (kept) even when sent as non-sensitive.
    const error = failure(await update({ id: view.id, version: 2, headers: [{ name: 'X-Env' }, { name: 'dd-api-key', sensitive: false }, { name: 'X-Tenant', value: 't', sensitive: false }] }));
    expect(error.fields).toEqual({ 'headers.0.value': expect.stringMatching(/only a saved sensitive header/) });
    const kept = data(await update({ id: view.id, version: 2, headers: [{ name: 'dd-api-key', sensitive: false }] })).webhook;
    expect(kept.headers).toEqual([{ name: 'dd-api-key', value: '•••', sensitive: true }]);
    expect((await suite.repository.getDeliveryConfig(view.id))?.headers).toEqual([{ name: 'dd-api-key', value: API_KEY, sensitive: true }]);
  });

  it('refuses a header named like the new signature header', async () => {
    const view = await created(suite, { ...customInput, headers: [{ name: 'X-Sig', value: 'v' }] });
    const error = failure(await update({ id: view.id, version: 1, signing: { mode: 'base64-list', header: 'x-sig' } }));
    expect(error.fields).toEqual({ 'headers.0.name': expect.stringMatching(/signature header configured/) });
  });
});

describe('secret rotation', () => {
  it('adds a secret, and removes the old one after its grace period', async () => {
    const view = await created(suite);
    const rotated = data(await update({ id: view.id, version: 1, secretsAdd: [SECRET_B], secretsRemove: [{ id: 'sec_0001' }] })).webhook;
    expect(rotated.secrets).toEqual([
      { id: 'sec_0001', preview: 'whs', label: 'Secret 1', fingerprint: expect.stringMatching(/^[0-9a-f]{8}$/), createdAt: '2026-11-02T08:00:00.000Z', expiresAt: '2026-11-03T08:00:00.000Z' },
      { id: 'sec_0003', preview: 'whs', label: 'Secret 2', fingerprint: expect.stringMatching(/^[0-9a-f]{8}$/), createdAt: '2026-11-02T08:00:00.000Z' },
    ]);
    expect((await suite.repository.getDeliveryConfig(view.id))?.secrets.map((s) => s.value)).toEqual([SECRET_B, SECRET_A]);
    expect(suite.deps.audit.events.slice(1).map((e) => e.type)).toEqual(['webhook.secret_added', 'webhook.secret_removed']);

    suite.deps.clock.advance(24 * 3600);
    expect((await suite.repository.getDeliveryConfig(view.id))?.secrets.map((s) => s.id)).toEqual(['sec_0003']);
    expect(data(await update({ id: view.id, version: 2 })).webhook.secrets.map((s) => s.id)).toEqual(['sec_0003']);
  });

  it('graceHours 0 removes at once, and the material goes with it', async () => {
    const view = await created(suite);
    data(await update({ id: view.id, version: 1, secretsRemove: [{ id: 'sec_0001', graceHours: 0 }] }));
    expect(suite.deps.secrets.snapshot()).not.toContain(SECRET_A);
    expect((await suite.repository.getDeliveryConfig(view.id))?.secrets).toEqual([]);
  });

  it('answers LIMIT for an 11th active secret, counting those in grace', async () => {
    const view = await created(suite, { ...customInput, secrets: Array.from({ length: 9 }, (_, i) => secretN(i)) });
    data(await update({ id: view.id, version: 1, secretsAdd: [secretN(9)], secretsRemove: [{ id: 'sec_0001', graceHours: 24 }] }));
    const before = stored();
    const error = failure(await update({ id: view.id, version: 2, secretsAdd: [secretN(10)] }));
    expect(error).toMatchObject({ code: 'LIMIT', message: expect.stringMatching(/11 active secrets; at most 10.*graceHours 0/) });
    expect(stored()).toBe(before);
    expect(data(await update({ id: view.id, version: 2, secretsAdd: [secretN(10)], secretsRemove: [{ id: 'sec_0001', graceHours: 0 }] })).webhook.secrets).toHaveLength(10);
  });

  it('refuses a secret the webhook already has, and an unknown secret id', async () => {
    const view = await created(suite);
    const error = failure(await update({ id: view.id, version: 1, secretsAdd: [SECRET_A], secretsRemove: [{ id: 'sec_9999' }] }));
    expect(error.fields).toEqual({
      'secretsAdd.0': expect.stringMatching(/already has this secret/),
      'secretsRemove.0.id': expect.stringMatching(/No active secret/),
    });
  });
});

describe('health', () => {
  it('setHealth never bumps the version, so an edit after a failed delivery does not conflict', async () => {
    const view = await created(suite);
    await suite.repository.setHealth(view.id, { state: 'failing', since: '2026-11-02T08:00:00.000Z', reason: 'HTTP 503' });
    const fresh = data(await suite.call(suite.handlers['webhooks.get'](ADMIN, { id: view.id }))).webhook;
    expect(fresh).toMatchObject({ version: 1, health: { state: 'failing', reason: 'HTTP 503' } });
    expect(data(await update({ id: view.id, version: 1, name: 'Still editable' })).webhook.version).toBe(2);
  });

  it('an engine-disabled webhook shows disabled; re-enabling resets health to never delivered', async () => {
    const view = await created(suite);
    await suite.repository.setHealth(view.id, { state: 'disabled', since: '2026-11-02T08:00:00.000Z', reason: 'HTTP 410 Gone' });
    const disabled = data(await suite.call(suite.handlers['webhooks.get'](ADMIN, { id: view.id }))).webhook;
    expect(disabled).toMatchObject({ enabled: false, health: { state: 'disabled', reason: 'HTTP 410 Gone' } });
    expect((await suite.repository.getDeliveryConfig(view.id))?.enabled).toBe(false);

    suite.deps.clock.advance(3600);
    const enabled = data(await update({ id: view.id, version: 1, enabled: true })).webhook;
    expect(enabled).toMatchObject({ enabled: true, health: { state: 'never-delivered', since: '2026-11-02T09:00:00.000Z' } });
    expect(suite.deps.audit.events.map((e) => e.type)).toEqual(['webhook.created', 'webhook.enabled']);
  });

  it('an admin disable shows as disabled by an admin, and re-enable resets health', async () => {
    const view = await created(suite);
    await suite.repository.setHealth(view.id, { state: 'failing', since: '2026-11-02T08:00:00.000Z' });
    const off = data(await update({ id: view.id, version: 1, enabled: false })).webhook;
    expect(off).toMatchObject({ enabled: false, health: { state: 'disabled', reason: 'Disabled by an admin.', since: '2026-11-02T08:00:00.000Z' } });
    const on = data(await update({ id: view.id, version: 2, enabled: true })).webhook;
    expect(on).toMatchObject({ enabled: true, health: { state: 'never-delivered' } });
    expect(suite.deps.audit.events.map((e) => e.type)).toEqual(['webhook.created', 'webhook.disabled', 'webhook.enabled']);
  });
});
