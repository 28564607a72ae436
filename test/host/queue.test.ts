import { manualHost, call, callError, EXACTLY_ONCE } from './helpers';
import type { ForgeHost } from '../../dev/host';

async function log(host: ForgeHost, prefix: string): Promise<{ key: string; value: { at: number; reason: string | null } }[]> {
  const r = (await call(host, 'kvsQuery', { prefix, limit: 100 })) as { results: { key: string; value: { at: number; reason: string | null } }[] };
  return r.results;
}

describe('async events through the real @forge/events Queue', () => {
  let host: ForgeHost;
  beforeEach(async () => {
    // Counts deliveries exactly; at-least-once delivery has its own tests (strictness.test.ts).
    host = await manualHost(EXACTLY_ONCE);
  });
  afterEach(() => host.close());

  it('delivers pushed events to the consumer on settle', async () => {
    const { jobId } = (await call(host, 'push', { count: 3, id: 'ok' })) as { jobId: string };
    expect(host.stats().queue).toMatchObject({ pushes: 1, events: 3, pending: 3 });
    expect(await host.settle()).toEqual({ processed: 3 });
    expect(await call(host, 'kvsGet', { key: 'delivered:ok-2' })).toMatchObject({ retryCount: 0 });
    expect(await call(host, 'jobStats', { jobId })).toEqual({ success: 3, inProgress: 0, failed: 0 });
    expect(host.stats().invocations.deliver).toMatchObject({ invocations: 3, errors: 0 });
  });

  it('cancels a job: its pending events are skipped', async () => {
    const { jobId } = (await call(host, 'push', { count: 2, id: 'c', delayInSeconds: 60 })) as { jobId: string };
    expect(await call(host, 'jobStats', { jobId })).toEqual({ success: 0, inProgress: 2, failed: 0 });
    await call(host, 'jobCancel', { jobId });
    expect(await host.advance(120)).toEqual({ processed: 0 });
    expect(host.stats().queue).toMatchObject({ cancelled: 2, pending: 0 });
    expect(await callError(host, 'jobStats', { jobId: 'no-such-job' })).toMatchObject({ name: 'JobDoesNotExistError' });
  });

  it('honours delayInSeconds in virtual time', async () => {
    await call(host, 'push', { count: 1, id: 'late', delayInSeconds: 120 });
    expect(await host.settle()).toEqual({ processed: 0 });
    expect(await host.advance(119)).toEqual({ processed: 0 });
    expect(await host.advance(1)).toEqual({ processed: 1 });
    expect(await call(host, 'kvsGet', { key: 'delivered:late-0' })).toEqual({ at: Date.parse('2026-11-20T12:02:00.000Z'), retryCount: 0 });
  });

  it('fails a 51-event push and a push over 200 KB as Forge does', async () => {
    expect(await callError(host, 'push', { count: 51 })).toMatchObject({ name: 'TooManyEventsError' });
    expect(await callError(host, 'push', { count: 2, bodyBytes: 101 * 1024 })).toMatchObject({ name: 'PayloadTooBigError' });
    // The consumer has timeoutSeconds: 60, so each event may be at most 100 KB (checked by the host).
    expect(await callError(host, 'push', { count: 1, bodyBytes: 110 * 1024 })).toMatchObject({ name: 'PayloadTooBigError' });
    expect(host.stats().queue).toMatchObject({ events: 0, rejected: 1 });
  });

  it('also rejects oversized pushes server-side, for clients that skip the SDK checks', async () => {
    const forgeFetch = (globalThis as unknown as { __forge_fetch__: (t: object, p: string, i: RequestInit) => Promise<Response> }).__forge_fetch__;
    const publish = (payload: unknown[]) =>
      forgeFetch({ type: 'fpp', provider: 'app', remote: 'stargate' }, '/webhook/queue/publish/{contextAri}/{environmentId}/{appId}/{appVersion}', {
        method: 'POST',
        body: JSON.stringify({ queueName: 'fixture-queue', jobId: 'j1', payload }),
      });
    expect((await publish(Array.from({ length: 51 }, () => ({ body: {} })))).status).toBe(400);
    expect((await publish([{ body: { pad: 'x'.repeat(201 * 1024) } }])).status).toBe(413);
    expect((await publish([{ body: {}, delayInSeconds: 901 }])).status).toBe(400);
    expect((await publish([{ body: {} }])).status).toBe(201);
    expect(host.stats().queue).toMatchObject({ rejected: 3, events: 1 });
  });

  it('rejects the 501st event within a minute with RateLimitError', async () => {
    for (let i = 0; i < 10; i++) await call(host, 'push', { count: 50, id: `r${i}` });
    expect(await callError(host, 'push', { count: 1, id: 'over' })).toMatchObject({ name: 'RateLimitError' });
    expect(host.stats().queue).toMatchObject({ events: 500, rateLimited: 1 });
    await host.advance(60);
    await call(host, 'push', { count: 1, id: 'later' });
  });

  it('re-delivers after an InvocationError retryAfter, in virtual time, with retryContext', async () => {
    await call(host, 'push', { count: 1, id: 'ie', mode: 'retry', succeedAfter: 2, retryAfter: 90 });
    await host.settle();
    await host.advance(89);
    expect(await call(host, 'kvsGet', { key: 'delivered:ie-0' })).toBeUndefined();
    await host.advance(1 + 90);
    const attempts = await log(host, 'consumer-log:ie-0:');
    const t0 = Date.parse('2026-11-20T12:00:00.000Z');
    expect(attempts.map((a) => a.value.at - t0)).toEqual([0, 90_000, 180_000]);
    expect(attempts[1]?.value.reason).toBe('FUNCTION_UPSTREAM_RATE_LIMITED');
    expect(await call(host, 'kvsGet', { key: 'delivered:ie-0' })).toMatchObject({ retryCount: 2 });
    expect(host.stats().queue.retries).toBe(2);
  });

  it('retries a thrown error with backoff, and drops the event after 24 hours', async () => {
    await call(host, 'push', { count: 1, id: 'th', mode: 'throw', succeedAfter: 1 });
    await host.settle();
    expect(host.stats().invocations.deliver).toMatchObject({ errors: 1 });
    await host.advance(30);
    expect(await call(host, 'kvsGet', { key: 'delivered:th-0' })).toMatchObject({ retryCount: 1 });

    await call(host, 'push', { count: 1, id: 'forever', mode: 'throw', succeedAfter: 1_000_000 });
    await host.advance(25 * 3600);
    expect(host.stats().queue).toMatchObject({ dropped: 1, pending: 0 });
    const attempts = await log(host, 'consumer-log:forever-0:');
    expect(attempts.length).toBeGreaterThan(90);
    expect(attempts.length).toBeLessThan(110);
  });
});
