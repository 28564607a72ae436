import type { ApiResult } from '../../../src/contract/envelope';
import { secretProblem } from '../../../src/domain/webhook/secret-rules';
import { ADMIN, NOT_ADMIN } from './helpers/memory-ports';
import { API_KEY, AUTH, QUERY_TOKEN, SECRET_A, SLACK_URL, created, customInput, data, expectNoSecretLeaked, failure, secretN, setup } from './helpers/admin-suite';

let suite: ReturnType<typeof setup>;
beforeEach(() => {
  suite = setup();
});

afterEach(() => expectNoSecretLeaked(suite));

describe('webhooks.create', () => {
  it('stores config and secrets apart and answers a view without secrets', async () => {
    const view = await created(suite);
    expect(view).toEqual({
      id: 'wh_0002',
      version: 1,
      kind: 'custom',
      name: 'Splunk production',
      url: 'https://splunk.example.com:8443/services/collector?token=•••',
      urlMasked: true,
      maskUrl: 'query',
      events: ['*'],
      enabled: true,
      method: 'POST',
      timeoutSeconds: 15,
      signing: { mode: 'standard' },
      secrets: [{ id: 'sec_0001', preview: 'whs', label: 'Secret 1', fingerprint: expect.stringMatching(/^[0-9a-f]{8}$/), createdAt: '2026-11-02T08:00:00.000Z' }],
      authorization: { scheme: 'Splunk' },
      headers: [
        { name: 'X-Env', value: 'prod', sensitive: false },
        { name: 'DD-API-KEY', value: '•••', sensitive: true },
      ],
      settings: {},
      secretSettings: [],
      retryPolicy: { mode: 'default' },
      retryPolicySummary: 'Default retries (up to 9 over about 31 hours)',
      health: { state: 'never-delivered', since: '2026-11-02T08:00:00.000Z' },
      createdAt: '2026-11-02T08:00:00.000Z',
      updatedAt: '2026-11-02T08:00:00.000Z',
    });
    expect(suite.deps.kvs.snapshot()).not.toContain(SECRET_A);
    expect(suite.deps.kvs.snapshot()).not.toContain(API_KEY);
    expect(suite.deps.kvs.snapshot()).not.toContain(QUERY_TOKEN);
    expect([...suite.deps.secrets.entries.keys()]).toEqual(['webhook-secret:wh_0002']);
    expect(suite.deps.audit.events).toEqual([
      expect.objectContaining({ type: 'webhook.created', actorAccountId: ADMIN, webhookId: 'wh_0002', webhookName: 'Splunk production' }),
    ]);
    expect(suite.deps.kvs.entries.has('webhook-config-lock')).toBe(false);
  });

  it('gives the delivery engine everything it needs to sign and send', async () => {
    const view = await created(suite);
    expect(await suite.repository.getDeliveryConfig(view.id)).toEqual({
      id: view.id,
      version: 1,
      kind: 'custom',
      name: 'Splunk production',
      url: customInput.url,
      displayUrl: view.url,
      method: 'POST',
      timeoutSeconds: 15,
      signing: { mode: 'standard' },
      secrets: [{ id: 'sec_0001', value: SECRET_A }],
      authorization: AUTH,
      headers: [
        { name: 'X-Env', value: 'prod', sensitive: false },
        { name: 'DD-API-KEY', value: API_KEY, sensitive: true },
      ],
      events: ['*'],
      settings: {},
      enabled: true,
      health: { state: 'never-delivered', since: '2026-11-02T08:00:00.000Z' },
    });
  });

  it('masks a Slack URL whatever maskUrl says', async () => {
    const view = await created(suite, { kind: 'slack', name: 'SOC channel', url: SLACK_URL, events: ['jira:issue_created'], maskUrl: 'none' });
    expect(view.url).toBe('https://hooks.slack.com/services/•••');
    expect(view.urlMasked).toBe(true);
    expect(view.maskUrl).toBe('path-and-query');
  });

  it('refuses secrets, authorization and headers on a Slack webhook', async () => {
    const error = failure(
      await suite.call(
        suite.handlers['webhooks.create'](ADMIN, { kind: 'slack', name: 'S', url: SLACK_URL, events: ['*'], secrets: [SECRET_A], authorization: { type: 'bearer', token: 'abc' }, headers: [{ name: 'X-A', value: 'b' }], method: 'PUT' }),
      ),
    );
    expect(error.code).toBe('VALIDATION');
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['authorization', 'headers', 'method', 'secrets']);
  });

  it.each<[string, Record<string, unknown>, Record<string, RegExp>]>([
    ['an IP host', { url: 'https://0x7f.1/hook' }, { url: /not an IP address/ }],
    ['a host missing from egress', { url: 'https://other.example.com/hook' }, { url: /^Ask whoever installed the app to allow other\.example\.com .*`npm run egress:add -- other\.example\.com`/ }],
    ['userinfo', { url: 'https://u:p@siem.example.com/hook' }, { url: /Authorization field/ }],
    ['a Slack URL as custom', { url: SLACK_URL }, { url: /choose the Slack kind/ }],
    ['an unknown event', { events: ['jira:issue_created', 'jira:nope'] }, { 'events.1': /Unknown event type "jira:nope"/ }],
    ['a 101-char name', { name: 'n'.repeat(101) }, { name: /at most 100 characters/ }],
    ['the signature header as a custom header', { signing: { mode: 'base64-list', header: 'X-Sig' }, headers: [{ name: 'x-sig', value: 'v' }] }, { 'headers.0.name': /signature header configured/ }],
    ['the same secret twice', { secrets: [SECRET_A, SECRET_A] }, { 'secrets.1': /listed twice/ }],
    ['an 11th secret', { secrets: Array.from({ length: 11 }, (_, i) => secretN(i)) }, { secrets: /at most 10/ }],
    ['a 26th header', { headers: Array.from({ length: 26 }, (_, i) => ({ name: `X-H${i}`, value: 'v' })) }, { headers: /at most 25/ }],
  ])('refuses %s and changes nothing', async (_label, change, expected) => {
    const before = suite.deps.kvs.snapshot() + suite.deps.secrets.snapshot();
    const error = failure(await suite.call(suite.handlers['webhooks.create'](ADMIN, { ...customInput, ...change })));
    expect(error.code).toBe('VALIDATION');
    for (const [path, message] of Object.entries(expected)) expect(error.fields?.[path]).toMatch(message);
    expect(suite.deps.kvs.snapshot() + suite.deps.secrets.snapshot()).toBe(before);
    expect(suite.deps.audit.events).toEqual([]);
  });

  it('refuses a duplicate name ignoring case', async () => {
    await created(suite);
    const error = failure(await suite.call(suite.handlers['webhooks.create'](ADMIN, { ...customInput, name: '  SPLUNK production ' })));
    expect(error).toMatchObject({ code: 'VALIDATION', fields: { name: expect.stringMatching(/already named "SPLUNK production"/) } });
  });

  it('answers CONFLICT while another change holds the lock', async () => {
    await suite.deps.kvs.setIfAbsent('webhook-config-lock', { owner: 'other' }, { ttlSeconds: 30 });
    expect(failure(await suite.call(suite.handlers['webhooks.create'](ADMIN, customInput))).code).toBe('CONFLICT');
    suite.deps.clock.advance(31);
    expect((await suite.call(suite.handlers['webhooks.create'](ADMIN, customInput))).ok).toBe(true);
  });

  it('still answers ok when the audit sink fails, and logs it without secrets', async () => {
    suite.deps.audit.record = async () => {
      throw new Error(`sink down ${SECRET_A}`);
    };
    expect((await suite.call(suite.handlers['webhooks.create'](ADMIN, customInput))).ok).toBe(true);
    expect(suite.deps.logger.lines).toEqual([{ level: 'error', message: 'config audit event not recorded', fields: { type: 'webhook.created', webhookId: 'wh_0002', error: 'Error' } }]);
  });
});

describe('site admins only', () => {
  it.each(['webhooks.list', 'webhooks.get', 'webhooks.create', 'webhooks.update', 'webhooks.delete', 'secrets.random'] as const)('%s answers FORBIDDEN and changes nothing', async (key) => {
    const view = await created(suite);
    const before = suite.deps.kvs.snapshot() + suite.deps.secrets.snapshot();
    const payload = key === 'webhooks.create' ? customInput : { id: view.id, version: 1, name: 'Hijacked' };
    for (const account of [NOT_ADMIN, undefined, '']) {
      const handler = suite.handlers[key] as (accountId: string | undefined, raw: unknown) => Promise<ApiResult<unknown>>;
      const error = failure(await suite.call(handler(account, payload)));
      expect(error.code).toBe('FORBIDDEN');
    }
    expect(suite.deps.kvs.snapshot() + suite.deps.secrets.snapshot()).toBe(before);
    expect(suite.deps.audit.events).toHaveLength(1);
  });

  it('checks admin before parsing: a non-admin learns nothing about the input', async () => {
    const error = failure(await suite.call(suite.handlers['webhooks.create'](NOT_ADMIN, { bogus: true })));
    expect(error).toEqual({ code: 'FORBIDDEN', message: expect.stringMatching(/site admins/) });
  });

  it('answers UNAVAILABLE when Jira cannot say', async () => {
    suite.deps.admin.isSiteAdmin = async () => {
      throw new Error('Jira 503');
    };
    expect(failure(await suite.call(suite.handlers['webhooks.list'](ADMIN, {}))).code).toBe('UNAVAILABLE');
  });
});

describe('webhooks.list / get / delete', () => {
  it('lists webhooks by name with the event catalogue', async () => {
    await created(suite, { ...customInput, name: 'b' });
    await created(suite, { ...customInput, name: 'A' });
    const list = data(await suite.call(suite.handlers['webhooks.list'](ADMIN, undefined)));
    expect(list.webhooks.map((w) => w.name)).toEqual(['A', 'b']);
    expect(list.eventTypes.map((e) => e.type)).toContain('jira:issue_created');
  });

  it('gets one, and NOT_FOUND for an unknown id', async () => {
    const view = await created(suite);
    expect(data(await suite.call(suite.handlers['webhooks.get'](ADMIN, { id: view.id }))).webhook).toEqual(view);
    expect(failure(await suite.call(suite.handlers['webhooks.get'](ADMIN, { id: 'wh_nope' }))).code).toBe('NOT_FOUND');
  });

  it('deletes config, secret material and health', async () => {
    const view = await created(suite);
    await suite.repository.setHealth(view.id, { state: 'failing', since: '2026-11-02T08:00:00.000Z' });
    expect(data(await suite.call(suite.handlers['webhooks.delete'](ADMIN, { id: view.id })))).toEqual({ id: view.id });
    expect(suite.deps.kvs.entries.size).toBe(0);
    expect(suite.deps.secrets.entries.size).toBe(0);
    expect(await suite.repository.getDeliveryConfig(view.id)).toBeUndefined();
    expect(suite.deps.audit.events.map((e) => e.type)).toEqual(['webhook.created', 'webhook.deleted']);
    expect(failure(await suite.call(suite.handlers['webhooks.delete'](ADMIN, { id: view.id }))).code).toBe('NOT_FOUND');
  });
});

describe('secrets.random', () => {
  it('answers a fresh valid secret and stores nothing', async () => {
    const { secret } = data(await suite.handlers['secrets.random'](ADMIN, {}));
    expect(secretProblem(secret)).toBeUndefined();
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(suite.deps.kvs.entries.size + suite.deps.secrets.entries.size).toBe(0);
  });
});
