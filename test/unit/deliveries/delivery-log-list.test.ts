import { DeliveryLog, LIST_PAGES_PER_CALL, RECOVER_JOBS_PER_CALL } from '../../../src/app/deliveries/delivery-log';
import { jobIdFor, messageIdFor, type DeliveryJob } from '../../../src/app/delivery/job';
import { readJobRecord } from '../../../src/app/delivery/job-record';
import { deliveryLogKey } from '../../../src/app/pipeline/keys';
import { PushBudget } from '../../../src/app/pipeline/push-budget';
import type { KeyValueStore } from '../../../src/app/ports';
import { ManualClock, MemoryKvs } from '../admin/helpers/memory-ports';

const START = Date.parse('2026-11-20T00:00:00Z');

const job = (n: number, webhookId: string): DeliveryJob => {
  const jobId = jobIdFor(START + n * 1000, `batch-${n}`, webhookId, 0);
  const at = new Date(START + n * 1000).toISOString();
  return {
    jobId,
    webhookId,
    webhookName: webhookId,
    batchId: `batch-${n}`,
    test: false,
    createdAt: at,
    updatedAt: at,
    messages: [{ msgId: messageIdFor(jobId, 0), eventId: `evt-${n}`, eventType: 'issue.updated', status: 'delivered', attempts: [] }],
  };
};

/** Counts the pages of the log a listing reads. */
class CountingKvs implements KeyValueStore {
  queries = 0;
  constructor(private readonly inner: MemoryKvs) {}
  get = <T>(key: string) => this.inner.get<T>(key);
  set = <T>(key: string, value: T, options?: { ttlSeconds?: number }) => this.inner.set(key, value, options);
  setIfAbsent = <T>(key: string, value: T, options?: { ttlSeconds?: number }) => this.inner.setIfAbsent(key, value, options);
  delete = (key: string) => this.inner.delete(key);
  query = <T>(prefix: string, options?: { limit?: number; cursor?: string }) => {
    this.queries += 1;
    return this.inner.query<T>(prefix, options);
  };
}

describe('deliveries.list reads a bounded part of the log per call', () => {
  const clock = new ManualClock(new Date(START + 86_400_000));
  const memory = new MemoryKvs(clock);
  const store = new CountingKvs(memory);
  const log = new DeliveryLog({ store, clock, budget: new PushBudget(store, clock), pushJobs: async () => undefined, webhookExists: async () => true });

  beforeAll(async () => {
    // 400 jobs of a busy webhook, newer than the one job of a quiet webhook.
    await memory.set(deliveryLogKey(job(0, 'wh_quiet').jobId), job(0, 'wh_quiet'));
    for (let n = 1; n <= 400; n += 1) await memory.set(deliveryLogKey(job(n, 'wh_busy').jobId), job(n, 'wh_busy'));
  });

  it('answers a filter that matches nothing recent with a cursor instead of reading all 14 days', async () => {
    store.queries = 0;
    const first = await log.list({ webhookId: 'wh_quiet' });
    expect(first.deliveries).toEqual([]);
    expect(first.nextCursor).toBeDefined();
    expect(store.queries).toBe(LIST_PAGES_PER_CALL);
  });

  it('finds the match by following the cursors, and then has no further cursor', async () => {
    let cursor: string | undefined;
    const found: string[] = [];
    let calls = 0;
    do {
      const page = await log.list({ webhookId: 'wh_quiet', ...(cursor ? { cursor } : {}) });
      found.push(...page.deliveries.map((d) => d.eventId));
      cursor = page.nextCursor;
      calls += 1;
    } while (cursor && calls < 20);
    expect(found).toEqual(['evt-0']);
    expect(cursor).toBeUndefined();
    expect(calls).toBe(Math.ceil(401 / (50 * LIST_PAGES_PER_CALL)));
  });

  it('pages an unfiltered listing newest first without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await log.list({ limit: 40, ...(cursor ? { cursor } : {}) });
      seen.push(...page.deliveries.map((d) => d.eventId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(401);
    expect(new Set(seen).size).toBe(401);
    expect(seen[0]).toBe('evt-400');
    expect(seen[400]).toBe('evt-0');
  });
});

describe('deliveries.recover goes on in further calls when there is much to recover', () => {
  it('re-queues every failed job once, over several calls, each within its budget', async () => {
    const clock = new ManualClock(new Date(START + 86_400_000));
    const memory = new MemoryKvs(clock);
    const pushed: string[] = [];
    const log = new DeliveryLog({
      store: memory,
      clock,
      budget: new PushBudget(memory, clock, 10_000),
      pushJobs: async (tasks) => {
        pushed.push(...tasks.map((t) => t.jobId));
      },
      webhookExists: async () => true,
    });
    const failed = (n: number): DeliveryJob => {
      const j = job(n, 'wh_down');
      j.messages[0]!.status = 'failed';
      return j;
    };
    for (let n = 1; n <= 250; n += 1) await memory.set(deliveryLogKey(failed(n).jobId), failed(n));
    clock.advance(60);
    const since = new Date(START).toISOString();
    const first = await log.recover('wh_down', since);
    expect(first.recovered).toBe(RECOVER_JOBS_PER_CALL);
    expect(first.nextCursor).toBeDefined();
    // The jobs it re-queued fail again before the next call: they are not re-queued a second time.
    for (const jobId of pushed) {
      // The record as the app stores it (job-record.ts), read back as a job.
      const stored = readJobRecord(await memory.get<unknown>(deliveryLogKey(jobId)))!;
      stored.messages[0]!.status = 'failed';
      await memory.set(deliveryLogKey(jobId), stored);
    }
    let total = first.recovered;
    let cursor = first.nextCursor;
    for (let calls = 0; cursor && calls < 10; calls += 1) {
      clock.advance(1);
      const next = await log.recover('wh_down', since, cursor);
      total += next.recovered;
      cursor = next.nextCursor;
    }
    expect(cursor).toBeUndefined();
    expect(total).toBe(250);
    expect(new Set(pushed).size).toBe(250);
    expect(pushed).toHaveLength(250);
  });
});

describe('deliveries.recover when the queue refuses the jobs', () => {
  it('puts the records back as they were (never pending with no job queued) and answers UNAVAILABLE', async () => {
    const clock = new ManualClock(new Date(START + 86_400_000));
    const memory = new MemoryKvs(clock);
    let refuse = true;
    const pushed: string[] = [];
    const log = new DeliveryLog({
      store: memory,
      clock,
      budget: new PushBudget(memory, clock, 10_000),
      pushJobs: async (tasks) => {
        if (refuse) throw new Error('Rate limit exceeded');
        pushed.push(...tasks.map((t) => t.jobId));
      },
      webhookExists: async () => true,
    });
    const failed = job(1, 'wh_down');
    failed.messages[0]!.status = 'failed';
    failed.messages[0]!.note = 'HTTP 503';
    await memory.set(deliveryLogKey(failed.jobId), failed);
    clock.advance(60);
    const since = new Date(START).toISOString();
    await expect(log.recover('wh_down', since)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/nothing was changed/) });
    expect(readJobRecord(await memory.get<unknown>(deliveryLogKey(failed.jobId)))).toEqual(failed);
    refuse = false;
    expect((await log.recover('wh_down', since)).recovered).toBe(1);
    expect(pushed).toEqual([failed.jobId]);
    expect(readJobRecord(await memory.get<unknown>(deliveryLogKey(failed.jobId)))?.messages[0]?.status).toBe('pending');
  });
});
