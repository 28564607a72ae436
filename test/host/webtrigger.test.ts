/**
 * The local host's web triggers as Forge documents them (manifest `webtrigger`, "Web trigger events",
 * web trigger runtime API), the app's Forge variables, and the Slack OAuth stand-in's oauth.v2.access rules.
 */
import { createForgeHost, type ForgeHost } from '../../dev/host';
import path from 'node:path';

const APP_DIR = path.join(__dirname, 'webtrigger-fixture-app');
let host: ForgeHost;
let base: string;

beforeAll(async () => {
  delete process.env.FIXTURE_VARIABLE;
  host = await createForgeHost({ appDir: APP_DIR, variables: { FIXTURE_VARIABLE: 'from-forge-variables' }, slack: { clientId: 'cid', clientSecret: 'csecret' } });
  base = (await host.listen(0)).url;
});
afterAll(() => host.close());

const urlOf = async (key: string) => (await host.invoke('any', { key })) as { url?: string; error?: string };

describe('web triggers on the local host', () => {
  it('webTrigger.getUrl answers <host>/x1/<id>, stable per module; an unknown module throws as the SDK does', async () => {
    const echo = await urlOf('echo');
    expect(echo.url).toMatch(new RegExp(`^${base}/x1/[A-Za-z0-9_-]{25}$`));
    expect((await urlOf('echo')).url).toBe(echo.url);
    expect((await urlOf('fixed')).url).not.toBe(echo.url);
    expect(host.appInfo().webTriggers.find((w) => w.key === 'echo')?.url).toBe(echo.url);
    expect((await urlOf('nope')).error).toMatch(/Failed to get web trigger URL/);
  });

  it("runs the function with Forge's request shape, no user, and answers its statusCode, headers and body", async () => {
    const { url } = await urlOf('echo');
    const response = await fetch(`${url}/hello/world?apples=green&apples=red&grapes=green`, { method: 'POST', headers: { 'Content-Type': 'text/plain', 'X-Thing': 'one' }, body: '{"hello": 1}' });
    expect(response.status).toBe(200);
    expect(response.statusText).toBe('Echoed');
    expect(response.headers.get('x-echo')).toBe('a, b');
    const echoed = (await response.json()) as { request: Record<string, unknown>; context: Record<string, unknown>; variable: string };
    expect(echoed.request).toMatchObject({
      method: 'POST',
      body: '{"hello": 1}',
      path: `${new URL(url!).pathname}/hello/world`,
      userPath: '/hello/world',
      queryParameters: { apples: ['green', 'red'], grapes: ['green'] },
    });
    expect((echoed.request.headers as Record<string, string[]>)['x-thing']).toEqual(['one']);
    expect(echoed.context).not.toHaveProperty('principal');
    expect(echoed.context.installContext).toMatch(/^ari:cloud:jira::site\//);
    expect(echoed.variable).toBe('from-forge-variables');
    const plain = await fetch(url!);
    expect(((await plain.json()) as { request: { userPath: string; body: string } }).request).toMatchObject({ userPath: '', body: '' });
  });

  it('a static web trigger answers the output its function names; anything else is a 500', async () => {
    const { url } = await urlOf('fixed');
    const ok = await fetch(url!);
    expect([ok.status, ok.headers.get('content-type'), await ok.text()]).toEqual([202, 'text/plain', 'accepted']);
    expect((await fetch(`${url}?out=missing`)).status).toBe(500);
  });

  it('a result without statusCode, or a thrown error, is a 500 that tells nothing of the error', async () => {
    const { url } = await urlOf('broken');
    expect((await fetch(url!)).status).toBe(500);
    const thrown = await fetch(`${url}?throw=1`);
    expect(thrown.status).toBe(500);
    expect(await thrown.text()).not.toContain('secret-detail');
  });

  it('an unknown id is a 404, a method Forge does not pass a 405', async () => {
    expect((await fetch(`${base}/x1/not-a-trigger`)).status).toBe(404);
    const { url } = await urlOf('echo');
    expect((await fetch(url!, { method: 'OPTIONS' })).status).toBe(405);
  });

  it("the app's variables leave process.env when the host closes", async () => {
    const other = await createForgeHost({ appDir: APP_DIR, variables: { FIXTURE_OTHER: 'x' } });
    expect(process.env.FIXTURE_OTHER).toBe('x');
    await other.close();
    expect(process.env.FIXTURE_OTHER).toBeUndefined();
  });
});

describe('Slack OAuth stand-in', () => {
  const authorizeUrl = (redirect = 'http://127.0.0.1:1/x1/abc') =>
    `https://slack.com/oauth/v2/authorize?${new URLSearchParams({ client_id: 'cid', scope: 'incoming-webhook', redirect_uri: redirect, state: 's1' })}`;
  const exchange = async (form: Record<string, string>, auth = 'cid:csecret') => {
    const response = host.slack()!.access('POST', new Headers({ authorization: `Basic ${Buffer.from(auth).toString('base64')}` }), new URLSearchParams(form).toString());
    return (await response.json()) as Record<string, unknown>;
  };

  it("answers Slack's documented shape once per code, and Slack's errors otherwise", async () => {
    const redirect = new URL(host.slack()!.authorize(authorizeUrl(), { channel: '#jira-audit' }));
    expect(redirect.searchParams.get('state')).toBe('s1');
    const code = redirect.searchParams.get('code')!;
    expect(await exchange({ code, redirect_uri: 'http://127.0.0.1:1/x1/other' })).toEqual({ ok: false, error: 'bad_redirect_uri' });
    expect(await exchange({ code }, 'cid:wrong')).toEqual({ ok: false, error: 'bad_client_secret' });
    expect(await exchange({ code }, 'nope:csecret')).toEqual({ ok: false, error: 'invalid_client_id' });
    const ok = await exchange({ code, redirect_uri: 'http://127.0.0.1:1/x1/abc' });
    expect(ok).toMatchObject({ ok: true, scope: 'incoming-webhook', team: { name: 'Acme', id: 'T0ACME0001' }, incoming_webhook: { channel: '#jira-audit', channel_id: 'C0JIRAAUDIT' } });
    expect((ok.incoming_webhook as { url: string }).url).toMatch(/^https:\/\/hooks\.slack\.com\/services\/T0ACME0001\/B[A-Z0-9]+\/[A-Za-z0-9]{24}$/);
    expect(await exchange({ code })).toEqual({ ok: false, error: 'invalid_code' });
  });

  it('a cancel redirects with error=access_denied; the consent page refuses an unknown client', async () => {
    const denied = new URL(host.slack()!.authorize(authorizeUrl(), { allow: false }));
    expect([denied.searchParams.get('error'), denied.searchParams.get('state'), denied.searchParams.get('code')]).toEqual(['access_denied', 's1', null]);
    const page = await fetch(`${base}/__forge/slack/oauth/v2/authorize?client_id=unknown&scope=incoming-webhook&redirect_uri=http://x/`);
    expect(page.status).toBe(400);
    const consent = await fetch(`${base}/__forge/slack/oauth/v2/authorize?${new URL(authorizeUrl()).searchParams}`);
    expect(await consent.text()).toContain('#security-alerts');
    const viaHttp = await fetch(`${base}/__forge/slack/authorize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ authorizeUrl: authorizeUrl() }) });
    expect(((await viaHttp.json()) as { redirectUrl: string }).redirectUrl).toMatch(/^http:\/\/127\.0\.0\.1:1\/x1\/abc\?code=.+&state=s1$/);
  });
});
