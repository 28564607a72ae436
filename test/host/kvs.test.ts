import { manualHost, call, callError } from './helpers';
import type { ForgeHost } from '../../dev/host';

describe('KVS through the real @forge/kvs', () => {
  let host: ForgeHost;
  beforeEach(async () => {
    host = await manualHost();
  });
  afterEach(() => host.close());

  it('sets, gets and deletes; a missing key reads as undefined', async () => {
    await call(host, 'kvsSet', { key: 'webhook:1', value: { url: 'https://hooks.example.com/a' } });
    expect(await call(host, 'kvsGet', { key: 'webhook:1' })).toEqual({ url: 'https://hooks.example.com/a' });
    await call(host, 'kvsDelete', { key: 'webhook:1' });
    expect(await call(host, 'kvsGet', { key: 'webhook:1' })).toBeUndefined();
    expect(host.stats().kvs).toMatchObject({ writes: 1, deletes: 1, reads: 2 });
  });

  it('queries by key prefix in key order with limit and cursor', async () => {
    for (const k of ['b:3', 'a:1', 'b:1', 'b:2', 'c:1', 'b:4']) await call(host, 'kvsSet', { key: k, value: k });
    const first = (await call(host, 'kvsQuery', { prefix: 'b:', limit: 3 })) as { results: { key: string }[]; nextCursor?: string };
    expect(first.results.map((r) => r.key)).toEqual(['b:1', 'b:2', 'b:3']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await call(host, 'kvsQuery', { prefix: 'b:', limit: 3, cursor: first.nextCursor })) as { results: { key: string; value: unknown }[]; nextCursor?: string };
    expect(second.results).toEqual([{ key: 'b:4', value: 'b:4' }]);
    expect(second.nextCursor).toBeUndefined();
    const all = (await call(host, 'kvsQuery', { prefix: '' })) as { results: unknown[] };
    expect(all.results).toHaveLength(6);
    expect(await callError(host, 'kvsQuery', { prefix: '', limit: 101 })).toMatchObject({ name: 'ForgeKvsAPIError', status: 400 });
  });

  it('keeps secrets apart and out of queries', async () => {
    await call(host, 'secretSet', { key: 'secret:webhook:1', value: 'whsec_abc' });
    expect(await call(host, 'secretGet', { key: 'secret:webhook:1' })).toBe('whsec_abc');
    expect(await call(host, 'kvsGet', { key: 'secret:webhook:1' })).toBeUndefined();
    expect(((await call(host, 'kvsQuery', { prefix: 'secret' })) as { results: unknown[] }).results).toEqual([]);
    await call(host, 'secretDelete', { key: 'secret:webhook:1' });
    expect(await call(host, 'secretGet', { key: 'secret:webhook:1' })).toBeUndefined();
  });

  it('keeps an expired TTL key readable for 48 h, as Forge may; EXPIRE_TIME shows it is past', async () => {
    await call(host, 'kvsSet', { key: 'lease', value: 1, options: { ttl: { value: 2, unit: 'MINUTES' } } });
    const meta = (await call(host, 'kvsGet', { key: 'lease', metadata: true })) as { expireTime: string };
    expect(meta.expireTime).toBe('2026-11-20T12:02:00.000Z');
    await host.advance(121);
    expect(await call(host, 'kvsGet', { key: 'lease' })).toBe(1);
    expect(await call(host, 'kvsGet', { key: 'lease', metadata: true })).toMatchObject({ value: 1, expireTime: '2026-11-20T12:02:00.000Z' });
    expect(await callError(host, 'kvsSet', { key: 'lease', value: 2, options: { keyPolicy: 'FAIL_IF_EXISTS' } })).toMatchObject({ code: 'KEY_CONFLICT' });
    expect((await call(host, 'kvsQuery', { prefix: 'lease' })) as { results: unknown[] }).toMatchObject({ results: [{ key: 'lease', value: 1 }] });
    await host.advance(48 * 3600 - 1);
    expect(await call(host, 'kvsGet', { key: 'lease' })).toBeUndefined();
  });

  it('with expiredReadableSeconds 0, an expired key is gone at its expiry', async () => {
    await host.close();
    host = await manualHost({ strictness: { expiredReadableSeconds: 0 } });
    await call(host, 'kvsSet', { key: 'lease', value: 1, options: { ttl: { value: 2, unit: 'MINUTES' } } });
    await host.advance(119);
    expect(await call(host, 'kvsGet', { key: 'lease' })).toBe(1);
    await host.advance(1);
    expect(await call(host, 'kvsGet', { key: 'lease' })).toBeUndefined();
  });

  it('FAIL_IF_EXISTS fails with 409 KEY_CONFLICT when the key exists', async () => {
    await call(host, 'kvsSet', { key: 'lock', value: 'a', options: { keyPolicy: 'FAIL_IF_EXISTS' } });
    expect(await callError(host, 'kvsSet', { key: 'lock', value: 'b', options: { keyPolicy: 'FAIL_IF_EXISTS' } })).toMatchObject({
      name: 'ForgeKvsAPIError',
      code: 'KEY_CONFLICT',
      status: 409,
    });
    expect(await call(host, 'kvsGet', { key: 'lock' })).toBe('a');
  });

  it('returns the previous value when asked', async () => {
    await call(host, 'kvsSet', { key: 'v', value: 1 });
    expect(await call(host, 'kvsSet', { key: 'v', value: 2, options: { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS' } })).toEqual({ key: 'v', value: 1 });
  });

  it('rejects bad keys and values over 240 KiB like Forge', async () => {
    expect(await callError(host, 'kvsSet', { key: 'bad/key', value: 1 })).toMatchObject({ code: 'INVALID_KEY', status: 400 });
    expect(await callError(host, 'kvsSet', { key: 'k'.repeat(501), value: 1 })).toMatchObject({ code: 'KEY_TOO_LONG' });
    expect(await callError(host, 'kvsSet', { key: 'big', value: 'x'.repeat(240 * 1024) })).toMatchObject({ code: 'MAX_SIZE' });
  });

  it('supports batch set/get and all-or-nothing transactions of at most 25 operations', async () => {
    const batch = (await call(host, 'kvsBatch', { keys: ['x:1', 'x:2'] })) as { set: { successfulKeys: unknown[] }; get: { successfulKeys: { key: string; value: unknown }[]; failedKeys: { key: string; error: { code: string } }[] } };
    expect(batch.set.successfulKeys).toHaveLength(2);
    expect(batch.get.successfulKeys.map((k) => k.key)).toEqual(['x:1', 'x:2']);
    expect(batch.get.failedKeys).toEqual([{ key: 'batch-missing', error: expect.objectContaining({ code: 'KEY_NOT_FOUND' }) }]);
    expect(await call(host, 'kvsTransact', { set: ['t:1', 't:2'], delete: ['x:1'] })).toBe('done');
    expect(await call(host, 'kvsGet', { key: 'x:1' })).toBeUndefined();
    const tooMany = Array.from({ length: 26 }, (_, i) => `t:${i + 10}`);
    expect(await callError(host, 'kvsTransact', { set: tooMany })).toMatchObject({ status: 400 });
    expect(await call(host, 'kvsGet', { key: 't:10' })).toBeUndefined();
  });

  it('answers 429 RATE_LIMIT_EXCEEDED past 4000 writes a minute, and recovers after the window', async () => {
    const err = await callError(host, 'kvsWriteMany', { count: 4001 });
    expect(err).toMatchObject({ name: 'ForgeKvsAPIError', code: 'RATE_LIMIT_EXCEEDED', status: 429 });
    expect(host.stats().kvs.rateLimited).toBe(1);
    await host.advance(61);
    await call(host, 'kvsSet', { key: 'after', value: 1 });
  });

  it('gives the resolver the caller and Forge-shaped contexts in virtual time', async () => {
    const r = (await host.invoke('context', {}, 'someone')) as { context: Record<string, unknown>; moduleKey: string; remaining: number; now: number };
    expect(r.context).toMatchObject({ accountId: 'someone', moduleKey: 'fixture-admin', extension: { type: 'jira:adminPage' } });
    expect(r.context.installContext).toMatch(/^ari:cloud:jira::site\//);
    expect(r.moduleKey).toBe('fixture-admin');
    expect(r.remaining).toBeGreaterThan(20_000);
    expect(r.remaining).toBeLessThanOrEqual(25_000);
    expect(r.now).toBe(Date.parse('2026-11-20T12:00:00.000Z'));
    await expect(host.invoke('fail')).rejects.toThrow('fixture resolver failed on purpose');
    expect(host.stats().invocations.resolver).toMatchObject({ invocations: 2, errors: 1 });
    expect(host.stats().recentErrors).toEqual([
      { at: '2026-11-20T12:00:00.000Z', functionKey: 'resolver', moduleKey: 'fixture-admin', kind: 'error', message: 'fixture resolver failed on purpose' },
    ]);
  });
});
