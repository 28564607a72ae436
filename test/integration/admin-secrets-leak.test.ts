import { secret } from './support/app-host';
import { captureConsole, kvsSnapshot, startAdminHttp, type AdminHttp, type ConsoleCapture, type Envelope } from './support/admin-http';
import { flush } from './support/delivery-bed';

/**
 * Acceptance: no resolver answer, delivery log entry (deliveries.list) or log line (console.*) carries a
 * whole signing secret, Authorization value, sensitive header value, hidden URL part or Slack URL token,
 * with all of them set and every function that shows a webhook or a delivery exercised: create, update,
 * get, list, test, deliveries.list, and refusals that quote the input. The readable KVS (everything but
 * the secret store) and the config audit events delivered to receivers must not hold them either.
 */

const S1 = secret(11);
const S2 = secret(12);
const S3 = secret(13);
const S4 = secret(14);
const SPLUNK_TOKEN = '7f3c9e1a-5eb1-4b2d-9c1e-leaksplunk01';
const RAW_AUTH = `Splunk ${SPLUNK_TOKEN}`;
const BEARER = 'bearer-leak-token-0aa1bb2cc3dd4ee5';
const BEARER_2 = 'bearer-leak-token-second-9f8e7d6c5b';
const BASIC_USER = 'svc-jira-audit';
const BASIC_PASS = 'basic-leak-password-77Q';
const BASIC_PASS_2 = 'basic-leak-password-88R';
const DD_KEY = 'dd-leak-api-key-00112233445566';
const CUSTOM_SECRET = 'custom-leak-header-value-abcdef';
const CUSTOM_SECRET_2 = 'custom-leak-header-value-ghijkl';
const QUERY_TOKEN = 'querytoken-leak-987654321';
const QUERY_TOKEN_2 = 'querytoken-leak-second-123';
const PATH_TOKEN = 'pathtoken-leak-5551212';
const CODE_TOKEN = 'codetoken-leak-4443333';
const SLACK_TOKEN = 'leakSLACKtoken1234567890';
const SLACK_URL = `https://hooks.slack.com/services/T0001ABCD/B0002EFGH/${SLACK_TOKEN}`;
const REFUSED_SECRET = 'refused-leak-credential-000111';
const USERINFO_PASS = 'userinfo-leak-pass-222';
const NAMED_KEY = 'named-leak-api-key-7654321';
const NAMED_TOKEN = 'named-leak-auth-token-1234567';

const base64 = (text: string): string => Buffer.from(text).toString('base64');

/** Every whole secret this suite stores, and the distinctive parts that must not appear either. */
const SECRETS: Record<string, string> = {
  S1,
  S2,
  S3,
  S4,
  'S1 key': S1.slice('whsec_'.length, -1),
  'S2 key': S2.slice('whsec_'.length, -1),
  'S3 key': S3.slice('whsec_'.length, -1),
  'S4 key': S4.slice('whsec_'.length, -1),
  RAW_AUTH,
  SPLUNK_TOKEN,
  BEARER,
  BEARER_2,
  BASIC_PASS,
  BASIC_PASS_2,
  'basic credentials': base64(`${BASIC_USER}:${BASIC_PASS}`),
  'basic credentials 2': base64(`${BASIC_USER}:${BASIC_PASS_2}`),
  DD_KEY,
  CUSTOM_SECRET,
  CUSTOM_SECRET_2,
  QUERY_TOKEN,
  QUERY_TOKEN_2,
  PATH_TOKEN,
  CODE_TOKEN,
  SLACK_TOKEN,
  SLACK_URL,
  REFUSED_SECRET,
  USERINFO_PASS,
  NAMED_KEY,
  NAMED_TOKEN,
};

const leaksIn = (text: string): string[] => Object.entries(SECRETS).flatMap(([label, value]) => (text.includes(value) ? [label] : []));

interface View {
  id: string;
  version: number;
  url: string;
  secrets: { id: string; preview: string }[];
  headers: { name: string; value: string; sensitive: boolean }[];
  authorization: { scheme: string } | null;
}

describe('admin API over HTTP: no secret ever comes back, is logged or stored readable', () => {
  let api: AdminHttp;
  let logs: ConsoleCapture;
  const views: Record<string, View> = {};

  beforeAll(async () => {
    logs = captureConsole();
    api = await startAdminHttp(['siem.example.test', 'hooks.slack.com', 'echo.example.test']);
    // A receiver that echoes the request it got (as httpbin or webhook.site do) and sets a cookie.
    api.bed.receivers['echo.example.test']!.responder = (request) => ({
      status: 200,
      headers: { 'content-type': 'application/json', 'set-cookie': `session=${CUSTOM_SECRET}`, 'x-echo-authorization': String(request.headers.authorization ?? '') },
      body: JSON.stringify({ headers: request.headers, url: request.path }),
    });
  });
  afterAll(async () => {
    logs.restore();
    await api.close();
  });

  const create = async (label: string, input: Record<string, unknown>): Promise<View> => {
    const result = await api.invoke<{ webhook: View }>('webhooks.create', input);
    if (!result.ok) throw new Error(`create ${label}: ${JSON.stringify(result.error)}`);
    views[label] = result.data.webhook;
    return result.data.webhook;
  };

  it('creates webhooks with every kind of secret set, and the answers show at most 3 characters of each', async () => {
    const a = await create('raw', {
      kind: 'custom',
      name: 'SIEM raw',
      url: `https://siem.example.test/services/collector?token=${QUERY_TOKEN}&index=main`,
      maskUrl: 'query',
      events: ['*'],
      secrets: [S1, S2],
      authorization: { type: 'raw', value: RAW_AUTH },
      headers: [
        { name: 'X-Env', value: 'prod' },
        { name: 'DD-API-KEY', value: DD_KEY, sensitive: true },
        { name: 'X-Custom-Secret', value: CUSTOM_SECRET, sensitive: true },
      ],
    });
    expect(a.url).toBe('https://siem.example.test/services/collector?token=•••&index=•••');
    expect(a.secrets.map((s) => s.preview)).toEqual(['whs', 'whs']);
    expect(a.authorization).toEqual({ scheme: 'Splunk' });
    expect(a.headers).toEqual([
      { name: 'X-Env', value: 'prod', sensitive: false },
      { name: 'DD-API-KEY', value: '•••', sensitive: true },
      { name: 'X-Custom-Secret', value: '•••', sensitive: true },
    ]);
    const b = await create('basic', {
      kind: 'custom',
      name: 'SIEM basic',
      url: `https://siem.example.test/hooks/${PATH_TOKEN}/in?code=${CODE_TOKEN}`,
      maskUrl: 'path-and-query',
      events: ['*'],
      signing: { mode: 'base64-list' },
      secrets: [S3],
      authorization: { type: 'basic', username: BASIC_USER, password: BASIC_PASS },
      headers: [{ name: 'X-Custom-Secret', value: CUSTOM_SECRET_2, sensitive: true }],
    });
    expect(b.url).toBe('https://siem.example.test/hooks/•••?code=•••');
    expect(b.authorization).toEqual({ scheme: 'Basic' });
    await create('bearer-echo', {
      kind: 'custom',
      name: 'Echo bearer',
      url: `https://echo.example.test/anything?code=${QUERY_TOKEN_2}`,
      maskUrl: 'query',
      events: ['*'],
      signing: { mode: 'hub' },
      secrets: [S4],
      authorization: { type: 'bearer', token: BEARER },
      headers: [{ name: 'X-Api-Key', value: CUSTOM_SECRET, sensitive: true }],
    });
    const slack = await create('slack', { kind: 'slack', name: 'Slack SOC', url: SLACK_URL, events: ['*'] });
    expect(slack.url).toBe('https://hooks.slack.com/services/•••');
  });

  it('get and list show the same masked views', async () => {
    const list = await api.data<{ webhooks: View[] }>('webhooks.list', {});
    expect(list.webhooks).toHaveLength(Object.keys(views).length);
    for (const view of Object.values(views)) {
      const got = await api.data<{ webhook: View }>('webhooks.get', { id: view.id });
      expect(got.webhook).toEqual(list.webhooks.find((w) => w.id === view.id));
    }
  });

  it('updates every secret kind: rotation with grace, new credentials, kept and replaced sensitive headers, a new URL', async () => {
    const a = views.raw!;
    const updated = await api.data<{ webhook: View }>('webhooks.update', {
      id: a.id,
      version: a.version,
      url: `https://siem.example.test/services/collector?token=${QUERY_TOKEN_2}`,
      secretsAdd: [secret(21)],
      secretsRemove: [{ id: a.secrets[0]!.id, graceHours: 2 }],
      authorization: { type: 'bearer', token: BEARER_2 },
      headers: [
        { name: 'DD-API-KEY', sensitive: true },
        { name: 'X-Custom-Secret', value: CUSTOM_SECRET_2, sensitive: true },
      ],
    });
    views.raw = updated.webhook;
    expect(updated.webhook.headers.map((h) => h.value)).toEqual(['•••', '•••']);
    const b = views.basic!;
    views.basic = (
      await api.data<{ webhook: View }>('webhooks.update', {
        id: b.id,
        version: b.version,
        authorization: { type: 'basic', username: BASIC_USER, password: BASIC_PASS_2 },
        headers: [{ name: 'X-Custom-Secret', sensitive: true }],
      })
    ).webhook;
    const slack = views.slack!;
    views.slack = (await api.data<{ webhook: View }>('webhooks.update', { id: slack.id, version: slack.version, url: SLACK_URL.replace('B0002EFGH', 'B0003EFGH'), name: 'Slack SOC 2' })).webhook;
    expect(views.slack.url).toBe('https://hooks.slack.com/services/•••');
  });

  it('a header whose name says it is a credential (X-Api-Key, X-Auth-Token, DD-API-KEY) is kept secret even when not marked sensitive', async () => {
    const view = await create('named', {
      kind: 'custom',
      name: 'Named credentials',
      url: 'https://siem.example.test/named',
      events: ['*'],
      headers: [
        { name: 'X-Api-Key', value: NAMED_KEY },
        { name: 'x-auth-token', value: NAMED_TOKEN, sensitive: false },
        { name: 'X-Env', value: 'prod' },
      ],
    });
    expect(view.headers).toEqual([
      { name: 'X-Api-Key', value: '•••', sensitive: true },
      { name: 'x-auth-token', value: '•••', sensitive: true },
      { name: 'X-Env', value: 'prod', sensitive: false },
    ]);
    // It still reaches the receiver.
    await api.data('webhooks.test', { id: view.id });
    const sent = api.bed.receivers['siem.example.test']!.requests.at(-1)!;
    expect(sent.headers['x-api-key']).toBe(NAMED_KEY);
    expect(sent.headers['x-auth-token']).toBe(NAMED_TOKEN);
    // And an update cannot make it readable: not by omission, not by asking.
    const updated = await api.data<{ webhook: View }>('webhooks.update', {
      id: view.id,
      version: view.version,
      headers: [
        { name: 'X-Api-Key', sensitive: true },
        { name: 'X-Auth-Token', value: NAMED_TOKEN, sensitive: false },
      ],
    });
    expect(updated.webhook.headers).toEqual([
      { name: 'X-Api-Key', value: '•••', sensitive: true },
      { name: 'X-Auth-Token', value: '•••', sensitive: true },
    ]);
    views.named = updated.webhook;
  });

  it('refusals never quote a secret from the input', async () => {
    /** A create of a valid custom webhook but for what `change` sets or replaces. */
    const createWith = (name: string, change: Record<string, unknown>): [string, unknown] => [
      'webhooks.create',
      { kind: 'custom', name, url: 'https://siem.example.test/hook', events: ['*'], ...change },
    ];
    const refused: [string, unknown][] = [
      createWith('R1', { url: `https://svc:${USERINFO_PASS}@siem.example.test/hook` }),
      createWith('R2', { authorization: { type: 'raw', value: `Splunk ${REFUSED_SECRET}\r\n` } }),
      createWith('R3', { authorization: { type: 'bearer', token: `Bearer ${REFUSED_SECRET}` } }),
      createWith('R4', { secrets: [`whsec_${REFUSED_SECRET}`] }),
      createWith('R5', { headers: [{ name: 'X-Key', value: `${REFUSED_SECRET}\n`, sensitive: true }] }),
      createWith('R6', { authorization: { type: 'basic', username: `a:${REFUSED_SECRET}`, password: 'x' } }),
      createWith('R7', { secrets: [S1, S1] }),
      ['webhooks.update', { id: views.raw!.id, version: views.raw!.version, secretsAdd: [S2] }],
      createWith('R8', { url: SLACK_URL }),
      createWith('R9', { kind: 'slack', url: `${SLACK_URL}?x=1` }),
      createWith('R10', { url: `https://unlisted.example.com/hook?token=${REFUSED_SECRET}` }),
    ];
    for (const [key, payload] of refused) {
      const result = await api.invoke(key, payload);
      expect(result.ok).toBe(false);
      expect(leaksIn(JSON.stringify(result))).toEqual([]);
    }
  });

  it('webhooks.test answers the request as sent with credentials redacted to 3 characters, for every signing mode and Slack', async () => {
    const siem = api.bed.receivers['siem.example.test']!;
    for (const label of ['raw', 'basic', 'bearer-echo', 'slack']) {
      const result = await api.invoke<{ request: { url: string; headers: Record<string, string> }; response?: { body: string; headers: Record<string, string> } }>('webhooks.test', { id: views[label]!.id });
      if (!result.ok) throw new Error(`test ${label}: ${JSON.stringify(result.error)}`);
      expect(result.data.request.url).toBe(views[label]!.url);
      for (const [name, value] of Object.entries(result.data.request.headers)) {
        if (/^(authorization|dd-api-key|x-custom-secret|x-api-key)$/i.test(name)) expect({ name, value }).toEqual({ name, value: expect.stringMatching(/^.{0,3}…$/) });
      }
    }
    // The receivers did get the real credentials: the redaction is in what is shown, not in what is sent.
    const sentAuth = siem.requests.map((r) => r.headers.authorization);
    expect(sentAuth).toContain(`Bearer ${BEARER_2}`);
    expect(sentAuth).toContain(`Basic ${base64(`${BASIC_USER}:${BASIC_PASS_2}`)}`);
    expect(siem.requests.map((r) => r.path)).toContain(`/services/collector?token=${QUERY_TOKEN_2}`);
    expect(api.bed.receivers['hooks.slack.com']!.requests.map((r) => r.path)).toContain(`/services/T0001ABCD/B0003EFGH/${SLACK_TOKEN}`);
  });

  it('real deliveries (config audit events, a failing endpoint) are logged without secrets', async () => {
    api.bed.receivers['siem.example.test']!.responder = () => ({ status: 500, body: 'down' });
    await flush(api.bed.host);
    await api.bed.host.advance(120);
    api.bed.receivers['siem.example.test']!.responder = () => ({ status: 200, body: 'ok' });
    await api.bed.host.advance(3600);
    const all = await api.data<{ deliveries: unknown[] }>('deliveries.list', { limit: 100 });
    expect(all.deliveries.length).toBeGreaterThan(4);
    for (const id of Object.values(views).map((v) => v.id)) {
      await api.data('deliveries.list', { webhookId: id, limit: 100 });
      await api.data('deliveries.list', { webhookId: id, test: true });
    }
  });

  it('nothing seen anywhere holds a secret: answers, log lines, the readable KVS, delivered bodies', async () => {
    expect(api.answers.length).toBeGreaterThan(20);
    const answers = api.answers.join('\n');
    expect(leaksIn(answers)).toEqual([]);
    expect(logs.lines.length).toBeGreaterThanOrEqual(0);
    expect(leaksIn(logs.lines.join('\n'))).toEqual([]);
    expect(leaksIn(JSON.stringify(await kvsSnapshot()))).toEqual([]);
    const bodies = Object.values(api.bed.receivers).flatMap((r) => r.requests.map((q) => q.body));
    expect(bodies.some((b) => b.includes('"app.webhook.updated"'))).toBe(true);
    expect(leaksIn(bodies.join('\n'))).toEqual([]);
  });

  it('the scan can fail: the echo receiver and the receivers saw the secrets', () => {
    const sent = Object.values(api.bed.receivers)
      .flatMap((r) => r.requests.map((q) => JSON.stringify(q.headers) + q.path))
      .join('\n');
    expect(leaksIn(sent)).toEqual(expect.arrayContaining(['BEARER', 'BEARER_2', 'DD_KEY', 'CUSTOM_SECRET', 'CUSTOM_SECRET_2', 'SLACK_TOKEN', 'QUERY_TOKEN_2']));
  });

  it('secrets.random is the one answer with a whole secret, and it is not stored', async () => {
    const before = await kvsSnapshot();
    const result: Envelope<{ secret: string }> = await api.invoke('secrets.random', {});
    if (!result.ok) throw new Error('secrets.random failed');
    const other = await api.data<{ secret: string }>('secrets.random', {});
    expect(result.data.secret).not.toBe(other.secret);
    expect(Buffer.from(result.data.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(JSON.stringify(await kvsSnapshot())).not.toContain(result.data.secret);
    expect(await kvsSnapshot()).toEqual(before);
  });
});
