/** The host's environment contract (GUIDE section 3, dev/README.md): what each variable accepts,
 * its default, and a clear startup error (never a silent fallback) for a value it cannot use. The
 * last tests start the real process, `tsx dev/main.ts`, as a user does. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseRoutes } from '../../dev/host';
import { hostConfigFromEnv } from '../../dev/env';
import { kill, listening, postJson, startHost as start, stop, type Run } from './host-process';

describe('FORGE_LOCAL_ROUTES', () => {
  it('reads host=target pairs, trimming spaces, a trailing comma and the target\'s trailing slash', () => {
    expect(parseRoutes(' SIEM.example.test = http://127.0.0.1:9000/base/ , hooks.slack.com=http://127.0.0.1:9001,')).toEqual({
      'siem.example.test': 'http://127.0.0.1:9000/base',
      'hooks.slack.com': 'http://127.0.0.1:9001',
    });
    expect(parseRoutes(undefined)).toEqual({});
    expect(parseRoutes('')).toEqual({});
  });

  it.each([
    ['no =', 'garbage', /"garbage" is not host=http:\/\/127\.0\.0\.1:port/],
    ['no host', '=http://127.0.0.1:9', /is not host=/],
    ['no target', 'siem.example.test=', /not a URL/],
    ['a target that is not http', 'siem.example.test=ftp://127.0.0.1:9', /http:\/\/ or https:\/\//],
    ['a target with a query', 'siem.example.test=http://127.0.0.1:9/?x=1', /query or fragment/],
    ['a target with a fragment', 'siem.example.test=http://127.0.0.1:9/#x', /query or fragment/],
    ['a host with a scheme', 'https://siem.example.test=http://127.0.0.1:9', /host name/],
    ['a host with a port', 'siem.example.test:8088=http://127.0.0.1:9', /host name/],
    ['a host with a path', 'siem.example.test/hook=http://127.0.0.1:9', /host name/],
    ['a wildcard host', '*.example.test=http://127.0.0.1:9', /host name/],
    ['a host listed twice', 'a.example.test=http://127.0.0.1:9,A.example.test=http://127.0.0.1:10', /a\.example\.test.*twice/],
  ])('refuses %s with a message naming the variable', (_what, spec, message) => {
    expect(() => parseRoutes(spec)).toThrow(/^FORGE_LOCAL_ROUTES: /);
    expect(() => parseRoutes(spec)).toThrow(message);
  });
});

describe('hostConfigFromEnv', () => {
  const cwd = '/some/app';

  it('has the documented defaults', () => {
    const c = hostConfigFromEnv({}, cwd);
    expect(c.port).toBe(8787);
    expect(c.stateDir).toBe('.forge-local');
    expect(c.options).toMatchObject({ appDir: cwd, stateDir: '.forge-local', clock: 'real', routes: {}, admins: ['local-admin'], logErrors: true });
    expect(c.options.timeScale).toBeUndefined();
    // The stand-in OAuth provider is on under npm start, off with FORGE_LOCAL_OAUTH_STANDIN=off.
    expect(c.options.oauthStandIn).toEqual({});
    expect(hostConfigFromEnv({ FORGE_LOCAL_OAUTH_STANDIN: 'off' }, cwd).options.oauthStandIn).toBeUndefined();
    // Empty values are unset values, as in a shell's `FOO= npm start`.
    expect(hostConfigFromEnv({ PORT: '', FORGE_LOCAL_DIR: '', FORGE_LOCAL_CLOCK: '', FORGE_LOCAL_ADMINS: '', FORGE_LOCAL_ROUTES: '' }, cwd)).toEqual(c);
  });

  it('takes every variable', () => {
    const c = hostConfigFromEnv(
      {
        PORT: '0',
        FORGE_LOCAL_DIR: '/tmp/x',
        FORGE_LOCAL_CLOCK: 'manual',
        FORGE_LOCAL_ADMINS: ' alice , bob,',
        FORGE_LOCAL_ROUTES: 'siem.example.test=http://127.0.0.1:9000',
        FORGE_LOCAL_TIME_LIMIT_SCALE: '0.01',
        FORGE_LOCAL_APP_DIR: '/other/app',
        FORGE_LOCAL_WORKERS: '8',
        FORGE_LOCAL_DUPLICATE_RATE: '0.1',
        FORGE_LOCAL_EVENT_DELAY: '120',
        FORGE_LOCAL_EXPIRED_READABLE: '0',
        FORGE_LOCAL_SEED: '7',
      },
      cwd,
    );
    expect(c).toEqual({
      port: 0,
      stateDir: '/tmp/x',
      options: {
        appDir: '/other/app',
        stateDir: '/tmp/x',
        clock: 'manual',
        routes: { 'siem.example.test': 'http://127.0.0.1:9000' },
        admins: ['alice', 'bob'],
        logErrors: true,
        oauthStandIn: {},
        timeScale: 0.01,
        strictness: { workers: 8, duplicateRate: 0.1, productEventDelaySeconds: 120, expiredReadableSeconds: 0, seed: 7 },
      },
    });
  });

  it.each([
    ['PORT', '88x', /PORT must be a port number \(0\.\.65535\); got "88x"/],
    ['FORGE_LOCAL_WORKERS', '0', /FORGE_LOCAL_WORKERS: workers must be an integer 1\.\.64; got 0/],
    ['FORGE_LOCAL_DUPLICATE_RATE', '1.5', /FORGE_LOCAL_DUPLICATE_RATE: duplicateRate must be between 0 and 1/],
    ['FORGE_LOCAL_EXPIRED_READABLE', '200000', /FORGE_LOCAL_EXPIRED_READABLE: .*48 h/],
    ['FORGE_LOCAL_EVENT_DELAY', 'soon', /FORGE_LOCAL_EVENT_DELAY must be a number; got "soon"/],
    ['PORT', '-1', /PORT must be/],
    ['PORT', '65536', /PORT must be/],
    ['PORT', '80.5', /PORT must be/],
    ['FORGE_LOCAL_CLOCK', 'Manual', /FORGE_LOCAL_CLOCK must be "real" or "manual"; got "Manual"/],
    ['FORGE_LOCAL_ADMINS', ' , ', /FORGE_LOCAL_ADMINS names no account/],
    ['FORGE_LOCAL_TIME_LIMIT_SCALE', 'abc', /FORGE_LOCAL_TIME_LIMIT_SCALE must be a number above 0; got "abc"/],
    ['FORGE_LOCAL_TIME_LIMIT_SCALE', '0', /FORGE_LOCAL_TIME_LIMIT_SCALE must be/],
    ['FORGE_LOCAL_ROUTES', 'siem.example.test', /FORGE_LOCAL_ROUTES: /],
  ])('refuses %s=%s', (name, value, message) => {
    expect(() => hostConfigFromEnv({ [name]: value }, cwd)).toThrow(message);
  });
});

// ---- the real process -------------------------------------------------------------------------

describe('tsx dev/main.ts', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'forge-local-main-'));
  const runs: Run[] = [];
  afterAll(() => {
    runs.forEach(kill);
    rmSync(dir, { recursive: true, force: true });
  });
  const run = (env: Record<string, string>) => {
    const r = start(env);
    runs.push(r);
    return r;
  };

  it.each([
    ['FORGE_LOCAL_ROUTES', 'siem.example.test=ftp://127.0.0.1:9', /^FORGE_LOCAL_ROUTES: .*http:\/\/ or https:\/\//m],
    ['PORT', '88x', /^PORT must be a port number/m],
  ])('exits 1 with a one-line error for %s=%s, before listening', async (name, value, message) => {
    const r = run({ PORT: '0', FORGE_LOCAL_DIR: dir, [name]: value });
    expect(await r.exited).toBe(1);
    expect(r.stderr()).toMatch(message);
    expect(r.stdout()).not.toContain('Local Forge host:');
  });

  it('keeps KVS, pending events and the manual clock across a SIGTERM and a start, and reports the admins it uses', async () => {
    const env = { PORT: '0', FORGE_LOCAL_DIR: dir, FORGE_LOCAL_CLOCK: 'manual', FORGE_LOCAL_ADMINS: ' alice , bob ' };
    const first = run(env);
    const url1 = await listening(first);
    expect(first.stdout()).toContain('admins alice, bob');
    expect(await postJson(url1, '/__forge/invoke', { functionKey: 'kvsSet', payload: { key: 'kept', value: 1 } })).toEqual({ result: { ok: true } });
    expect(await postJson(url1, '/__forge/invoke', { functionKey: 'push', payload: { count: 1, id: 'later', delayInSeconds: 600 } })).toMatchObject({ result: { ok: true } });
    const { now } = (await postJson(url1, '/__forge/clock/advance', { seconds: 60 })) as { now: string };
    expect(await stop(first)).toBe(0);

    const second = run(env);
    const url2 = await listening(second);
    const stats = (await (await fetch(`${url2}/__forge/stats`)).json()) as { clock: { now: string }; queue: { pending: number } };
    expect(stats.clock.now).toBe(now);
    expect(stats.queue.pending).toBe(1);
    expect(await postJson(url2, '/__forge/invoke', { functionKey: 'kvsGet', payload: { key: 'kept' } })).toEqual({ result: { ok: true, value: 1 } });
    expect(((await (await fetch(`${url2}/__forge/app`)).json()) as { admins: string[] }).admins).toEqual(['alice', 'bob']);
    expect(await stop(second)).toBe(0);
  });
});
