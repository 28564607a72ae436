/** The host's HTTP contract (GUIDE section 3, dev/README.md) checked as a client sees it: bad input
 * gets a clear 4xx and never breaks the host, whatever it is. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { manualHost, call } from './helpers';
import type { ForgeHost } from '../../dev/host';

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };

async function request(url: string, p: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(`${url}${p}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

function post(url: string, p: string, body: unknown = {}): Promise<Reply> {
  return request(url, p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

const errorMessage = (r: Reply): string => String((r.body.error as { message?: unknown } | undefined)?.message ?? '');

describe('POST /__forge/clock/advance beyond what a Date can hold', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'forge-local-contract-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers 400 and leaves the clock, the endpoints and the saved state working', async () => {
    let host: ForgeHost = await manualHost({ stateDir: dir });
    try {
      const { url } = await host.listen(0);
      const before = host.now().toISOString();
      const r = await post(url, '/__forge/clock/advance', { seconds: 1e300 });
      expect(r.status).toBe(400);
      expect(errorMessage(r)).toMatch(/seconds/);
      expect(host.now().toISOString()).toBe(before);
      expect((await request(url, '/__forge/stats')).status).toBe(200);
      expect(await post(url, '/__forge/clock/advance', { seconds: 1 })).toMatchObject({ status: 200, body: { now: '2026-11-20T12:00:01.000Z' } });
      await expect(host.advance(1e300)).rejects.toThrow(/seconds/);
    } finally {
      await host.close();
    }
    host = await manualHost({ stateDir: dir });
    try {
      expect(host.now().toISOString()).toBe('2026-11-20T12:00:01.000Z');
    } finally {
      await host.close();
    }
  });
});

describe('a saved state whose clock a Date cannot hold', () => {
  it('stops the start with an error that names the field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'forge-local-contract-'));
    try {
      const host = await manualHost({ stateDir: dir });
      await host.close();
      const file = path.join(dir, 'state.json');
      writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), clockNow: 1e303 }));
      await expect(manualHost({ stateDir: dir })).rejects.toThrow(/state\.json .*clockNow.*delete it to start afresh/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HTTP contract: bad requests get a clear 4xx', () => {
  let host: ForgeHost;
  let url: string;
  beforeAll(async () => {
    host = await manualHost();
    ({ url } = await host.listen(0));
  });
  afterAll(() => host.close());

  it('refuses audit records that are not objects, or whose id is not a positive integer, and adds none of the batch', async () => {
    const total = async () => ((await call(host, 'auditPage', {})) as { body: { total: number } }).body.total;
    const start = await total();
    for (const records of [[1], ['a'], [null], [[]], [{ summary: 'ok' }, 7]]) {
      const r = await post(url, '/__forge/jira/audit-records', { records });
      expect(r.status).toBe(400);
      expect(errorMessage(r)).toMatch(/records\.\d/);
    }
    for (const id of ['abc', 1.5, -3, 0, 1e300]) {
      const r = await post(url, '/__forge/jira/audit-records', { records: [{ id }] });
      expect(r.status).toBe(400);
      expect(errorMessage(r)).toMatch(/records\.0\.id/);
    }
    expect(await total()).toBe(start);
    // A malformed `created` stays possible: it lets a test see how an app copes with one from Jira.
    expect(await post(url, '/__forge/jira/audit-records', { records: [{ id: 42, created: 'yesterday' }, {}] })).toMatchObject({ status: 200, body: { added: 2 } });
    expect(await total()).toBe(start + 2);
  });

  it('answers 405 with Allow for a known endpoint called with the wrong method, 404 for an unknown path', async () => {
    for (const [method, p, allow] of [
      ['GET', '/__forge/invoke', 'POST'],
      ['PUT', '/__forge/events', 'POST'],
      ['GET', '/__forge/settle', 'POST'],
      ['GET', '/__forge/scheduled/fixture-poll', 'POST'],
      ['DELETE', '/__forge/clock/advance', 'POST'],
      ['POST', '/__forge/stats', 'GET, HEAD'],
      ['POST', '/', 'GET, HEAD'],
      ['POST', '/resources/admin-ui/', 'GET, HEAD'],
    ] as const) {
      const r = await request(url, p, { method, headers: { 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { body: '{}' }) });
      expect({ method, p, status: r.status, allow: r.headers.get('allow') }).toEqual({ method, p, status: 405, allow });
      expect(errorMessage(r)).toContain(allow);
    }
    expect((await request(url, '/nope')).status).toBe(404);
    expect((await post(url, '/__forge/nope')).status).toBe(404);
    expect((await request(url, '/__forge/stats')).status).toBe(200);
  });

  it('answers HEAD like GET without a body', async () => {
    const r = await fetch(`${url}/__forge/stats`, { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/json');
    expect(await r.text()).toBe('');
  });

  it('answers 400 for a path with malformed percent-encoding', async () => {
    for (const p of ['/resources/admin-ui/%E0%A4%A', '/resources/%E0%A4%A/index.html']) {
      expect({ p, status: (await request(url, p)).status }).toEqual({ p, status: 400 });
    }
    expect((await post(url, '/__forge/scheduled/%E0%A4%A')).status).toBe(400);
  });

  it('answers 413 for a body over 10 MiB, and keeps serving', async () => {
    const r = await post(url, '/__forge/events', JSON.stringify({ eventType: 'avi:jira:created:issue', pad: 'x'.repeat(10 * 1024 * 1024) }));
    expect(r.status).toBe(413);
    expect(errorMessage(r)).toMatch(/10 MiB/);
    expect(await post(url, '/__forge/events', { eventType: 'avi:jira:created:issue', issue: { key: 'H-2' } })).toMatchObject({ status: 200, body: { invocations: 1 } });
  });

  it('answers 400 for malformed JSON, a non-object body and missing fields on every POST endpoint', async () => {
    for (const p of ['/__forge/invoke', '/__forge/events', '/__forge/jira/audit-records', '/__forge/jira/fail', '/__forge/clock/advance', '/__forge/settle', '/__forge/scheduled/fixture-poll']) {
      expect({ p, status: (await post(url, p, '{bad')).status }).toEqual({ p, status: 400 });
    }
    for (const p of ['/__forge/invoke', '/__forge/events', '/__forge/jira/audit-records', '/__forge/jira/fail', '/__forge/clock/advance']) {
      expect({ p, status: (await post(url, p, '[]')).status }).toEqual({ p, status: 400 });
      expect({ p, status: (await post(url, p, {})).status }).toEqual({ p, status: 400 });
    }
    expect(errorMessage(await post(url, '/__forge/events', {}))).toMatch(/eventType/);
    expect(await post(url, '/__forge/events', { eventType: 'avi:nobody:listens' })).toMatchObject({ status: 200, body: { invocations: 0 } });
  });
});
