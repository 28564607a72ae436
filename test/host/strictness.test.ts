/** The host is as harsh as Forge by default (dev/strictness.ts): due work runs concurrently, queue
 * events are delivered at least once, product events may come late or not at all, thrown trigger
 * errors are not retried, expired keys linger, and the egress allowance follows the timeout. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { manualHost, call, EXACTLY_ONCE } from './helpers';
import { STRICT_DEFAULTS, type ForgeHost } from '../../dev/host';
import { egressAllowance } from '../../dev/invoker';

interface Gauge { most: number; starts: string[]; overlaps: number }
const gauge = async (host: ForgeHost): Promise<Gauge> => (await host.invoke('gauge', { reset: true })) as Gauge;
const issue = { id: '10001', key: 'DEMO-1' };

describe('the host\'s defaults are Forge\'s harshness', () => {
  it('runs at least 4 workers, delivers 5 % twice and keeps expired keys readable for 48 h', () => {
    expect(STRICT_DEFAULTS.workers).toBeGreaterThanOrEqual(4);
    expect(STRICT_DEFAULTS.duplicateRate).toBeGreaterThanOrEqual(0.05);
    expect(STRICT_DEFAULTS.expiredReadableSeconds).toBe(48 * 3600);
  });

  it('refuses a setting it cannot honour, naming it', async () => {
    await expect(manualHost({ strictness: { workers: 0 } })).rejects.toThrow(/workers must be an integer 1\.\.64; got 0/);
    await expect(manualHost({ strictness: { duplicateRate: 2 } })).rejects.toThrow(/duplicateRate must be between 0 and 1/);
  });
});

describe('due work runs concurrently', () => {
  let host: ForgeHost;
  afterEach(() => host.close());

  it('runs up to `workers` deliveries at once (4 by default)', async () => {
    host = await manualHost(EXACTLY_ONCE);
    await gauge(host);
    await call(host, 'push', { count: 10, id: 'w', mode: 'gauge', sleepMs: 150 });
    expect(await host.settle()).toEqual({ processed: 10 });
    expect((await gauge(host)).most).toBe(4);
  });

  it('runs 8 at once when told to', async () => {
    host = await manualHost({ strictness: { workers: 8, duplicateRate: 0 } });
    await gauge(host);
    await call(host, 'push', { count: 10, id: 'w', mode: 'gauge', sleepMs: 150 });
    await host.settle();
    expect((await gauge(host)).most).toBe(8);
  });

  it('lets a push\'s concurrency key limit its events, as Forge does', async () => {
    host = await manualHost(EXACTLY_ONCE);
    await gauge(host);
    await call(host, 'push', { count: 6, id: 'k', mode: 'gauge', sleepMs: 100, concurrencyLimit: 2 });
    await host.settle();
    const g = await gauge(host);
    expect(g.most).toBe(2);
    expect(g.starts).toHaveLength(6);
  });
});

describe('at-least-once delivery', () => {
  let host: ForgeHost;
  afterEach(() => host.close());

  it('delivers every event a second time at duplicateRate 1, some while the first still runs', async () => {
    host = await manualHost({ strictness: { duplicateRate: 1 } });
    await gauge(host);
    await call(host, 'push', { count: 20, id: 'd', mode: 'gauge', sleepMs: 50 });
    await host.advance(61);
    const g = await gauge(host);
    expect(g.starts).toHaveLength(40);
    const perEvent = new Map<string, number>();
    for (const id of g.starts) perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
    expect([...perEvent.values()].every((n) => n === 2)).toBe(true);
    expect(g.overlaps).toBeGreaterThan(0);
    expect(g.overlaps).toBeLessThan(20);
    expect(host.stats().queue).toMatchObject({ duplicates: 20, pending: 0 });
  });

  it('delivers about the configured share twice (10 % of 200)', async () => {
    host = await manualHost({ strictness: { duplicateRate: 0.1 } });
    for (let i = 0; i < 4; i++) await call(host, 'push', { count: 50, id: `s${i}`, mode: 'gauge', sleepMs: 0 });
    await host.advance(61);
    const { duplicates } = host.stats().queue;
    expect(duplicates).toBeGreaterThanOrEqual(8);
    expect(duplicates).toBeLessThanOrEqual(35);
  });
});

describe('product events', () => {
  let host: ForgeHost;
  afterEach(() => host.close());

  it('arrive after the configured delay when one is set', async () => {
    host = await manualHost({ strictness: { productEventDelaySeconds: 300, seed: 3 } });
    expect(await host.fireEvent({ eventType: 'avi:jira:created:issue', issue })).toEqual({ invocations: 1 });
    expect(await call(host, 'kvsGet', { key: 'trigger-attempts:DEMO-1' })).toBeUndefined();
    expect(host.stats().triggers).toMatchObject({ delayed: 1 });
    await host.advance(300);
    expect(await call(host, 'kvsGet', { key: 'trigger-attempts:DEMO-1' })).toBe(1);
  });

  it('are dropped, and counted, when over 200 KB', async () => {
    host = await manualHost();
    expect(await host.fireEvent({ eventType: 'avi:jira:created:issue', issue, pad: 'x'.repeat(201 * 1024) })).toEqual({ invocations: 0 });
    await host.advance(3600);
    expect(await call(host, 'kvsGet', { key: 'trigger-attempts:DEMO-1' })).toBeUndefined();
    expect(host.stats().triggers).toMatchObject({ oversized: 1 });
    expect(await host.fireEvent({ eventType: 'avi:jira:created:issue', issue, pad: 'x'.repeat(190 * 1024) })).toEqual({ invocations: 1 });
  });

  it('are durable in FORGE_LOCAL_DIR when fireEvent answers', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'forge-local-durable-'));
    try {
      host = await manualHost({ stateDir: dir });
      await host.fireEvent({ eventType: 'avi:jira:created:issue', issue });
      const saved = JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')) as { kvs: { store: Record<string, { value: unknown }> } };
      expect(saved.kvs.store['trigger-attempts:DEMO-1']?.value).toBe(1);
    } finally {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('egress allowance per invocation', () => {
  it('is 100 requests per runtime minute of the declared timeout, rounded up; 100 without one', () => {
    expect(egressAllowance(undefined)).toBe(100);
    expect(egressAllowance(55)).toBe(100);
    expect(egressAllowance(60)).toBe(100);
    expect(egressAllowance(90)).toBe(200);
    expect(egressAllowance(300)).toBe(500);
    expect(egressAllowance(900)).toBe(1500);
  });
});
