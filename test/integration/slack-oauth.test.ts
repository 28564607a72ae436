/**
 * "Add to Slack" end to end on the local Forge host: slack.oauthStart, Slack's authorize step (the host's
 * stand-in), the browser's GET of the web trigger, oauth.v2.access (the stand-in, through the app's
 * egress) and slack.oauthComplete; then a delivered event. Every bad state creates nothing.
 */
import { createForgeHost, type ForgeHost } from '../../dev/host';
import { APP_DIR } from './support/app-host';
import { captureLogs, jiraFixture, runUntilQuiet } from './support/events-kit';
import { Receiver } from './support/receiver';

const ADMIN = 'local-admin';
const OTHER_ADMIN = 'other-admin';
const CLIENT_ID = 'test-slack-client-id';
const CLIENT_SECRET = 'test-slack-client-secret-6f1c2d9e';

type Answer<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; fields?: Record<string, string> } };
interface Started { authorizeUrl: string; state: string; expiresAt: string }
interface WebhookView { id: string; name: string; kind: string; url: string; events: string[] }
type Completed = { status: 'pending' } | { status: 'created'; webhook: WebhookView };

let host: ForgeHost;
let receiver: Receiver;
/** Every answer and page the test saw, to look for secrets in. */
const seen: string[] = [];

const call = async <T>(key: string, payload: unknown, accountId = ADMIN): Promise<Answer<T>> => {
  const answer = (await host.invoke(key, payload, accountId)) as Answer<T>;
  seen.push(JSON.stringify(answer));
  return answer;
};
const data = async <T>(key: string, payload: unknown, accountId = ADMIN): Promise<T> => {
  const answer = await call<T>(key, payload, accountId);
  if (!answer.ok) throw new Error(`${key}: ${answer.error.code} ${answer.error.message}`);
  return answer.data;
};
/** The admin's browser following Slack's redirect to the web trigger. */
const browse = async (url: string): Promise<{ status: number; body: string; headers: Headers }> => {
  const response = await fetch(url, { redirect: 'manual' });
  const body = await response.text();
  seen.push(body);
  return { status: response.status, body, headers: response.headers };
};
const webhooks = async (): Promise<WebhookView[]> => (await data<{ webhooks: WebhookView[] }>('webhooks.list', {})).webhooks;
const oauthKeys = async (): Promise<string[]> => {
  const { kvs, WhereConditions } = await import('@forge/kvs');
  const page = await kvs.query().where('key', WhereConditions.beginsWith('slack-oauth:')).limit(100).getMany();
  return page.results.map((r) => r.key);
};

/** Start as `accountId`, allow in the Slack stand-in: the URL Slack sends the browser to. */
const startAndAllow = async (accountId = ADMIN, channel = 'security-alerts'): Promise<{ started: Started; redirect: string }> => {
  const started = await data<Started>('slack.oauthStart', {}, accountId);
  const redirect = host.slack()!.authorize(started.authorizeUrl, { channel });
  return { started, redirect };
};

beforeAll(async () => {
  receiver = new Receiver();
  const receiverUrl = await receiver.start();
  host = await createForgeHost({
    appDir: APP_DIR,
    clock: 'manual',
    admins: [ADMIN, OTHER_ADMIN],
    routes: { 'hooks.slack.com': receiverUrl },
    variables: { SLACK_CLIENT_ID: CLIENT_ID, SLACK_CLIENT_SECRET: CLIENT_SECRET },
    slack: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    strictness: { duplicateRate: 0 },
  });
  await host.listen(0);
});

afterAll(async () => {
  await host.close();
  await receiver.stop();
});

describe('Add to Slack (OAuth v2, incoming-webhook)', () => {
  let created: WebhookView;
  let firstRedirect: string;
  let firstState: string;

  it('says it is configured, to admins only, without the credentials', async () => {
    expect(await data('slack.oauthStatus', {})).toEqual({ configured: true });
    const forbidden = await call('slack.oauthStart', {}, 'someone-else');
    expect(forbidden.ok ? 'ok' : forbidden.error.code).toBe('FORBIDDEN');
  });

  it('completes: the web trigger exchanges the code, the same admin completes, the webhook is named after channel and workspace and receives events', async () => {
    const { result: flow, lines } = await captureLogs(async () => {
      const { started, redirect } = await startAndAllow();
      const authorize = new URL(started.authorizeUrl);
      expect(`${authorize.origin}${authorize.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
      expect(authorize.searchParams.get('scope')).toBe('incoming-webhook');
      expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
      expect(authorize.searchParams.get('redirect_uri')).toBe(host.appInfo().webTriggers.find((w) => w.key === 'slack-oauth-callback')?.url);
      expect(authorize.searchParams.get('state')).toBe(started.state);

      expect(await data<Completed>('slack.oauthComplete', { state: started.state })).toEqual({ status: 'pending', expiresAt: started.expiresAt });
      const page = await browse(redirect);
      expect(page.status).toBe(200);
      expect(page.body).toContain('Slack connected');
      expect(page.body).toContain('#security-alerts (Acme)');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('cache-control')).toBe('no-store');
      const code = new URL(redirect).searchParams.get('code')!;
      expect(page.body).not.toContain(code);

      const done = await data<Completed>('slack.oauthComplete', { state: started.state });
      return { started, redirect, done };
    });
    expect(flow.done.status).toBe('created');
    if (flow.done.status !== 'created') return;
    created = flow.done.webhook;
    firstRedirect = flow.redirect;
    firstState = flow.started.state;
    expect(created).toMatchObject({ kind: 'slack', name: '#security-alerts (Acme)' });
    expect(created.url).toMatch(/^https:\/\/hooks\.slack\.com\/services\/•+/);
    expect(created.events).toContain('project.created');
    expect(created.events).not.toContain('issue.created');
    expect((await webhooks()).map((w) => w.name)).toEqual(['#security-alerts (Acme)']);
    // Created like any other webhook: the config audit event names the admin.
    expect(JSON.stringify(lines)).not.toContain(CLIENT_SECRET);

    await host.fireEvent(jiraFixture('product-events/project-created'));
    await runUntilQuiet(host, { quietSteps: 3 });
    const posts = receiver.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/services/T0ACME0001/'));
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(posts.some((r) => r.body.includes('project'))).toBe(true);
  });

  it('refuses a reused state: the link again, and a second completion; nothing more is created', async () => {
    const again = await browse(firstRedirect);
    expect(again.status).toBe(409);
    expect(again.body).toContain('already used');
    const second = await call('slack.oauthComplete', { state: firstState });
    expect(second.ok ? 'ok' : second.error.code).toBe('CONFLICT');
    expect(await webhooks()).toHaveLength(1);
  });

  it('refuses a forged state (bad signature, or a nonce it never issued) and creates nothing', async () => {
    const { started, redirect } = await startAndAllow(ADMIN, 'jira-audit');
    const [nonce, expiry, signature] = started.state.split('.') as [string, string, string];
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    for (const forged of [`${nonce}.${expiry}.${flipped}`, `${'0'.repeat(32)}.${expiry}.${signature}`, `${nonce}.${Number(expiry) + 60_000}.${signature}`, 'not-a-state']) {
      const url = new URL(redirect);
      url.searchParams.set('state', forged);
      const page = await browse(url.href);
      expect({ forged, status: page.status }).toEqual({ forged, status: 400 });
      expect(page.body).toContain('not one the app started');
      const completion = await call('slack.oauthComplete', { state: forged });
      expect(completion.ok ? 'ok' : completion.error.code).toBe('VALIDATION');
    }
    // The genuine state was never used by the forgeries: nothing happened to it.
    expect(await data<Completed>('slack.oauthComplete', { state: started.state })).toMatchObject({ status: 'pending' });
    expect(await webhooks()).toHaveLength(1);
  });

  it("refuses another admin's state, and leaves it to the admin who started it", async () => {
    const { started, redirect } = await startAndAllow(ADMIN, 'general');
    expect((await browse(redirect)).status).toBe(200);
    const stolen = await call('slack.oauthComplete', { state: started.state }, OTHER_ADMIN);
    expect(stolen.ok ? 'ok' : stolen.error.code).toBe('FORBIDDEN');
    expect(await webhooks()).toHaveLength(1);
    const mine = await data<Completed>('slack.oauthComplete', { state: started.state });
    expect(mine).toMatchObject({ status: 'created', webhook: { name: '#general (Acme)' } });
    expect(await webhooks()).toHaveLength(2);
  });

  it('refuses an expired state (over 10 minutes) at the web trigger and at completion, and creates nothing', async () => {
    const started = await data<Started>('slack.oauthStart', {});
    await host.advance(601);
    const redirect = host.slack()!.authorize(started.authorizeUrl, { channel: 'jira-audit' });
    const page = await browse(redirect);
    expect(page.status).toBe(400);
    expect(page.body).toContain('expired');
    const completion = await call('slack.oauthComplete', { state: started.state });
    expect(completion.ok ? 'ok' : completion.error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('expired') });
    expect(await webhooks()).toHaveLength(2);
  });

  it('a cancel in Slack, or a refused client secret, creates nothing and says what to do', async () => {
    const cancelled = await data<Started>('slack.oauthStart', {});
    const deny = host.slack()!.authorize(cancelled.authorizeUrl, { allow: false });
    expect((await browse(deny)).body).toContain('You cancelled in Slack');
    const afterCancel = await call('slack.oauthComplete', { state: cancelled.state });
    expect(afterCancel.ok ? 'ok' : afterCancel.error.message).toContain('You cancelled in Slack');

    const previous = process.env.SLACK_CLIENT_SECRET;
    process.env.SLACK_CLIENT_SECRET = 'wrong-secret-value-123';
    try {
      const { started, redirect } = await startAndAllow();
      const page = await browse(redirect);
      expect(page.status).toBe(400);
      expect(page.body).toContain('SLACK_CLIENT_SECRET');
      expect(page.body).not.toContain('wrong-secret-value-123');
      const completion = await call('slack.oauthComplete', { state: started.state });
      expect(completion.ok ? 'ok' : completion.error.message).toContain('forge variables set --encrypt');
    } finally {
      process.env.SLACK_CLIENT_SECRET = previous;
    }
    expect(await webhooks()).toHaveLength(2);
  });

  it('never shows the client secret, the code, the access token or the webhook token in an answer, page, log line or stored key', async () => {
    const { result, lines } = await captureLogs(async () => {
      const { started, redirect } = await startAndAllow(ADMIN, 'jira-audit');
      await browse(redirect);
      return { done: await data<Completed>('slack.oauthComplete', { state: started.state }), redirect };
    });
    expect(result.done.status).toBe('created');
    const code = new URL(result.redirect).searchParams.get('code')!;
    const everything = [...seen, JSON.stringify(lines), JSON.stringify(host.stats()), JSON.stringify(await oauthKeys())].join('\n');
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(everything).not.toContain(code);
    expect(everything).not.toMatch(/xoxb-/);
    // The webhook URL's token: what the receiver saw in the path, after /services/T.../B.../
    const tokens = receiver.requests.map((r) => r.path.split('/')[4]).filter((t): t is string => Boolean(t));
    for (const token of new Set(tokens)) expect(everything).not.toContain(token);
  });
});
