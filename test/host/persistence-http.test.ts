import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { manualHost, call, FIXTURE_DIR } from './helpers';
import { createForgeHost, type ForgeHost } from '../../dev/host';

describe('persistence across restarts', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'forge-local-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps KVS, secrets, pending events, the clock, audit records and counters', async () => {
    const first = await manualHost({ stateDir: dir });
    await call(first, 'kvsSet', { key: 'config', value: { a: 1 } });
    await call(first, 'secretSet', { key: 'secret:1', value: 's3cr3t' });
    await call(first, 'push', { count: 1, id: 'persisted', delayInSeconds: 600 });
    first.addAuditRecords([{ summary: 'Group created', created: '2026-11-20T11:00:00.000+0000' }]);
    await first.advance(300);
    await first.close();

    const second = await manualHost({ stateDir: dir, startTime: new Date('2030-01-01T00:00:00Z') });
    try {
      expect(second.now().toISOString()).toBe('2026-11-20T12:05:00.000Z');
      expect(await call(second, 'kvsGet', { key: 'config' })).toEqual({ a: 1 });
      expect(await call(second, 'secretGet', { key: 'secret:1' })).toBe('s3cr3t');
      expect(second.stats().queue).toMatchObject({ pending: 1, pushes: 1 });
      expect(await second.advance(300)).toEqual({ processed: 1 });
      expect(await call(second, 'kvsGet', { key: 'delivered:persisted-0' })).toMatchObject({ retryCount: 0 });
      expect(((await call(second, 'auditPage', {})) as { body: { total: number } }).body.total).toBe(1);
      expect(second.stats().kvs.writes).toBeGreaterThanOrEqual(3);
    } finally {
      await second.close();
    }
  });
});

describe('time limits and the real clock', () => {
  it('marks a resolver that overruns its (scaled) 25 s limit as timed out', async () => {
    const host = await manualHost({ timeScale: 0.002 });
    try {
      await expect(host.invoke('sleep', { ms: 300 })).rejects.toThrow(/timed out after 25 s/);
      expect(host.stats().invocations.resolver).toMatchObject({ timeouts: 1 });
    } finally {
      await host.close();
    }
  });

  it('retries a consumer that overruns its timeoutSeconds, and refuses its late calls', async () => {
    const host = await manualHost({ timeScale: 0.002 });
    try {
      await call(host, 'push', { count: 1, id: 'slow', mode: 'sleep', sleepMs: 400, succeedAfter: 1 });
      await host.settle();
      expect(host.stats().invocations.deliver).toMatchObject({ invocations: 1, timeouts: 1 });
      await new Promise((r) => setTimeout(r, 450));
      // The timed-out attempt woke up and tried to write: refused, as its process would be gone on Forge.
      expect(await call(host, 'kvsGet', { key: 'delivered:slow-0' })).toBeUndefined();
      await host.advance(30);
      expect(await call(host, 'kvsGet', { key: 'consumer-log:slow-0:1' })).toMatchObject({ reason: 'FUNCTION_TIME_OUT' });
      expect(await call(host, 'kvsGet', { key: 'delivered:slow-0' })).toMatchObject({ retryCount: 1 });
    } finally {
      await host.close();
    }
  });

  it('delivers queued events by itself with the real clock', async () => {
    const host = await createForgeHost({ appDir: FIXTURE_DIR, clock: 'real', tickMs: 10 });
    try {
      await call(host, 'push', { count: 2, id: 'auto' });
      for (let i = 0; i < 100 && host.stats().queue.delivered < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(host.stats().queue.delivered).toBe(2);
      await expect(host.advance(10)).rejects.toThrow(/manual clock/);
    } finally {
      await host.close();
    }
  });
});

describe('HTTP endpoints', () => {
  let host: ForgeHost;
  let url: string;
  const post = async (p: string, body: unknown = {}) => {
    const res = await fetch(`${url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  beforeAll(async () => {
    host = await manualHost({ admins: ['admin-1', 'admin-2'] });
    ({ url } = await host.listen(0));
  });
  afterAll(() => host.close());

  it('serves the host page and the Custom UI with the bridge injected first in <head>', async () => {
    const page = await (await fetch(`${url}/`)).text();
    expect(page).toContain('<iframe');
    expect(page).toContain('/resources/admin-ui/?accountId=admin-1');
    expect(page).toContain('Run fixture-poll');
    const ui = await fetch(`${url}/resources/admin-ui/?accountId=admin-2`);
    const html = await ui.text();
    expect(html.indexOf('<script>')).toBeGreaterThan(html.indexOf('<head>'));
    expect(html.indexOf('window.__bridge')).toBeLessThan(html.indexOf('./app.js'));
    expect(html).toContain('"accountId":"admin-2"');
    const js = await fetch(`${url}/resources/admin-ui/app.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${url}/resources/admin-ui/../manifest.yml`)).status).toBeGreaterThanOrEqual(400);
  });

  it('invokes resolvers: 200 {result} or 500 {error:{message}}', async () => {
    expect(await post('/__forge/invoke', { functionKey: 'canFetch', payload: { url: 'https://hooks.example.com' } })).toEqual({ status: 200, body: { result: true } });
    const ctx = await post('/__forge/invoke', { functionKey: 'context' });
    expect(ctx.body.result).toMatchObject({ context: { accountId: 'admin-1' } });
    expect(await post('/__forge/invoke', { functionKey: 'fail' })).toEqual({ status: 500, body: { error: { message: 'fixture resolver failed on purpose' } } });
    expect((await post('/__forge/invoke', {})).status).toBe(400);
  });

  it('fires events, runs scheduled triggers, moves the clock and settles', async () => {
    expect(await post('/__forge/events', { eventType: 'avi:jira:created:issue', issue: { key: 'H-1' } })).toEqual({ status: 200, body: { invocations: 1 } });
    expect((await post('/__forge/scheduled/fixture-poll')).status).toBe(200);
    expect((await post('/__forge/scheduled/nope')).status).toBe(404);
    await post('/__forge/invoke', { functionKey: 'push', payload: { count: 2, id: 'h', delayInSeconds: 5 } });
    expect(await post('/__forge/settle')).toEqual({ status: 200, body: { processed: 0 } });
    expect(await post('/__forge/clock/advance', { seconds: 5 })).toEqual({ status: 200, body: { now: '2026-11-20T12:00:05.000Z', processed: 2 } });
    const stats = (await (await fetch(`${url}/__forge/stats`)).json()) as { queue: { delivered: number }; scheduled: { runs: number }; systemAccountId: string };
    expect(stats).toMatchObject({ queue: { delivered: 2 }, scheduled: { runs: 1 }, systemAccountId: 'system-app-user' });
  });

  it('takes audit records and failure rules for the stub Jira', async () => {
    expect((await post('/__forge/jira/audit-records', { records: [{ summary: 'User created' }] })).status).toBe(200);
    expect((await post('/__forge/jira/fail', { pathPrefix: '/rest/api/3/auditing', status: 503, times: 1 })).status).toBe(200);
    expect(await post('/__forge/invoke', { functionKey: 'auditPage', payload: {} })).toMatchObject({ body: { result: { ok: true, value: { status: 503 } } } });
    expect(await post('/__forge/invoke', { functionKey: 'auditPage', payload: {} })).toMatchObject({ body: { result: { ok: true, value: { status: 200, body: { total: 1 } } } } });
  });
});
