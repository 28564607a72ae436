import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { manualHost, call } from './helpers';
import { parseRoutes, type ForgeHost } from '../../dev/host';

interface Received { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(202, { 'content-type': 'text/plain' });
      res.end('accepted');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, received, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

describe('egress', () => {
  let host: ForgeHost;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());
  beforeEach(async () => {
    receiver.received.length = 0;
    host = await manualHost({ routes: parseRoutes(`siem.customer.test=${receiver.url}, hooks.example.com=${receiver.url}`) });
  });
  afterEach(() => host.close());

  it('forwards a routed host to the local receiver with path, query, method, headers and body', async () => {
    const r = await call(host, 'fetch', { url: 'https://siem.customer.test/ingest/v1?source=jira', method: 'POST', body: { hello: 'world' } });
    expect(r).toEqual({ status: 202, proxyError: null, text: 'accepted' });
    expect(receiver.received.at(-1)).toMatchObject({ method: 'POST', url: '/ingest/v1?source=jira', body: '{"hello":"world"}' });
    expect(receiver.received.at(-1)?.headers['x-fixture']).toBe('yes');
    expect(host.stats().egress).toMatchObject({ requests: 1, blocked: 0 });
  });

  it('blocks what Forge would not fetch with a 403 carrying forge-proxy-error, saying why', async () => {
    const table: [string, RegExp][] = [
      ['https://evil.test/x', /evil\.test is not in the app's egress permissions: add evil\.test to permissions\.external\.fetch\.backend/],
      ['https://wild.example.org/x', /wild\.example\.org is not in the app's egress permissions/],
      // The allowlist compares host:port: an entry without a port (here *.wild.example.org) does not allow 8443.
      ['https://a.wild.example.org:8443/x', /a\.wild\.example\.org:8443 is not in the app's egress permissions: add https:\/\/a\.wild\.example\.org:8443 to/],
      ['http://hooks.example.com/x', /only https URLs/],
      ['http://127.0.0.1:1/x', /only https URLs/],
    ];
    for (const [url, reason] of table) {
      const r = (await call(host, 'fetch', { url })) as { status: number; proxyError: string; text: string };
      expect(r.status).toBe(403);
      expect(r.proxyError).toBe('EGRESS_NOT_ALLOWED');
      expect(JSON.parse(r.text)).toMatchObject({ code: 'EGRESS_NOT_ALLOWED', message: expect.stringMatching(reason) });
    }
    expect(host.stats().egress.blocked).toBe(table.length);
    expect(receiver.received).toHaveLength(0);
  });

  it.each([
    ['Splunk HEC on a routed host', 'https://siem.customer.test:8088/services/collector'],
    ['QRadar on a routed host', 'https://siem.customer.test:12469/'],
    ['port 8445 on an allowed host', 'https://hooks.example.com:8445/x'],
  ])('refuses %s: Forge egress does not connect to that port, whatever the allowlist says', async (_label, url) => {
    const r = (await call(host, 'fetch', { url, method: 'POST', body: { hello: 'world' } })) as { status: number; proxyError: string; text: string };
    expect(r.status).toBe(403);
    expect(r.proxyError).toBe('EGRESS_NOT_ALLOWED');
    const { message } = JSON.parse(r.text) as { message: string };
    expect(message).toContain(`port ${new URL(url).port} is not one Forge's egress proxy connects to`);
    expect(message).toContain('only 80, 8080, 443, 8443, 8444, 7990, 8089, 8090, 8085 and 8060');
    expect(host.stats().egress).toMatchObject({ requests: 1, blocked: 1 });
    expect(receiver.received).toHaveLength(0);
  });

  it.each([443, 8443, 8080])('lets a routed host through on port %i, which Forge egress connects to', async (port) => {
    const r = await call(host, 'fetch', { url: `https://siem.customer.test:${port}/ingest`, method: 'POST', body: { port } });
    expect(r).toEqual({ status: 202, proxyError: null, text: 'accepted' });
    expect(receiver.received.at(-1)).toMatchObject({ url: '/ingest', body: JSON.stringify({ port }) });
  });

  it('answers canFetchFrom like the egress check (manifest, wildcards, routes)', async () => {
    expect(await host.invoke('canFetch', { url: 'https://hooks.example.com/services/x' })).toBe(true);
    expect(await host.invoke('canFetch', { url: 'https://a.wild.example.org/x' })).toBe(true);
    expect(await host.invoke('canFetch', { url: 'https://wild.example.org/x' })).toBe(false);
    expect(await host.invoke('canFetch', { url: 'https://siem.customer.test/x' })).toBe(true);
    expect(await host.invoke('canFetch', { url: 'https://evil.test/x' })).toBe(false);
  });

  it('limits an invocation to 100 external requests per runtime-minute', async () => {
    const statuses = (await call(host, 'fetchMany', { url: 'https://hooks.example.com/x', count: 101 })) as number[];
    expect(statuses.slice(0, 100).every((s) => s === 202)).toBe(true);
    expect(statuses[100]).toBe(429);
    expect(host.stats().egress.rateLimited).toBe(1);
  });

  it('passes fetch through untouched outside invocations', async () => {
    const res = await fetch(`${receiver.url}/direct`);
    expect(res.status).toBe(202);
  });
});

describe('stub Jira', () => {
  let host: ForgeHost;
  beforeEach(async () => {
    host = await manualHost({ admins: ['admin-1'] });
  });
  afterEach(() => host.close());

  it('answers mypermissions ADMINISTER from the admin list for asUser', async () => {
    expect(await call(host, 'isAdmin', {}, 'admin-1')).toBe(true);
    expect(await call(host, 'isAdmin', {}, 'someone-else')).toBe(false);
  });

  it('keeps concurrent invocations apart (each sees its own user)', async () => {
    const [slowAdmin, fastOther] = await Promise.all([
      call(host, 'isAdmin', { delayMs: 50 }, 'admin-1'),
      call(host, 'isAdmin', { delayMs: 10 }, 'someone-else'),
    ]);
    expect([slowAdmin, fastOther]).toEqual([true, false]);
  });

  it('has no user for asUser() in a product trigger', async () => {
    await host.fireEvent({ eventType: 'avi:jira:created:issue', issue: { key: 'U-1' }, mode: 'asUser' });
    expect(await call(host, 'kvsGet', { key: 'as-user-in-trigger' })).toBe('NeedsAuthenticationError');
  });

  it('pages audit records newest first with from (inclusive), offset and limit', async () => {
    host.addAuditRecords(
      Array.from({ length: 5 }, (_, i) => ({ summary: `change ${i}`, created: `2026-11-20T10:0${i}:00.000+0000`, category: 'group management' })),
    );
    const page = (await call(host, 'auditPage', { from: '2026-11-20T10:01:00.000Z', offset: 1, limit: 2 })) as { status: number; body: { offset: number; limit: number; total: number; records: { summary: string; id: number }[] } };
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ offset: 1, limit: 2, total: 4 });
    expect(page.body.records.map((r) => r.summary)).toEqual(['change 3', 'change 2']);
    const all = (await call(host, 'auditPage', {})) as { body: { limit: number; records: { id: number }[] } };
    expect(all.body.limit).toBe(1000);
    expect(all.body.records.map((r) => r.id)).toEqual([5, 4, 3, 2, 1]);
  });

  it('injects failures such as 429 with Retry-After the next N times', async () => {
    host.failJira({ pathPrefix: '/rest/api/3/auditing', status: 429, retryAfter: 30, times: 1 });
    expect(await call(host, 'auditPage', {})).toMatchObject({ status: 429, retryAfter: '30' });
    expect(await call(host, 'auditPage', {})).toMatchObject({ status: 200 });
  });

  it('answers 404 for Jira paths it does not know', async () => {
    const r = (await call(host, 'jiraGet', { path: '/rest/api/3/issue/DEMO-1' })) as { status: number; body: { errorMessages: string[] } };
    expect(r.status).toBe(404);
    expect(r.body.errorMessages[0]).toContain('/rest/api/3/issue/DEMO-1');
    expect(host.stats().jira).toMatchObject({ requests: 1, notFound: 1 });
  });
});
