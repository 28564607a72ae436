import type { DeliveryTask } from '../../../src/app/delivery/job';
import type { PipelineEvent } from '../../../src/app/pipeline/audit-event';
import { OutboxDrain, type DrainDeps } from '../../../src/app/pipeline/drain';
import { Outbox } from '../../../src/app/pipeline/outbox';
import { PushBudget } from '../../../src/app/pipeline/push-budget';
import type { Logger } from '../../../src/app/ports';
import { ManualClock, MemoryKvs } from '../admin/helpers/memory-ports';

/** A KVS error as @forge/kvs throws it for a value it refuses (depth, size). */
export const refused = (code = 'MAX_DEPTH') =>
  Object.assign(new Error('The provided value has exceeded the maximum object depth (32) limit.'), { code, responseDetails: { status: 400 } });

/** MemoryKvs that refuses, like KVS, values for which `refuse` says so. */
export class RefusingKvs extends MemoryKvs {
  refuse: (key: string, value: unknown) => boolean = () => false;
  override async set<T>(key: string, value: T, options?: { ttlSeconds?: number }): Promise<void> {
    if (this.refuse(key, value)) throw refused();
    return super.set(key, value, options);
  }
}

export const silentLogger = (): Logger & { lines: { level: string; message: string; fields?: Record<string, unknown> }[] } => {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (message, fields) => void lines.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
    warn: (message, fields) => void lines.push({ level: 'warn', message, ...(fields ? { fields } : {}) }),
    error: (message, fields) => void lines.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
  };
};

export const event = (id: string, details: Record<string, unknown> = {}): PipelineEvent => ({
  id,
  type: 'issue.created',
  timestamp: '2026-11-02T08:00:00.000Z',
  data: { source: 'product-event', actor: {}, object: { type: 'issue', key: id }, summary: `Issue ${id} was created`, original: { eventType: 'avi:jira:created:issue' }, details },
});

/** An outbox and a drain over one in-memory store, fanning out to one webhook subscribed to everything. */
export const pipeline = (overrides: Partial<DrainDeps> = {}) => {
  const clock = new ManualClock();
  const store = new RefusingKvs(clock);
  const logger = silentLogger();
  const budget = new PushBudget(store, clock);
  const tasks: DeliveryTask[] = [];
  const outbox = new Outbox({ store, clock, budget, logger, pushDrain: async () => undefined });
  const drain = new OutboxDrain({
    store,
    clock,
    budget,
    logger,
    webhooks: async () => [{ id: 'wh_a', name: 'A', events: ['*'], active: true }],
    pushJobs: async (pushed) => void tasks.push(...pushed),
    pushDrain: async () => undefined,
    remainingMs: () => 100_000,
    setAside: outbox.setAside,
    ...overrides,
  });
  /** Runs the drain until it says the outbox is read (it yields after each page that queued jobs). */
  const drainAll = async (): Promise<void> => {
    for (let run = 0; run < 200; run += 1) {
      const result = await drain.run();
      if (result.status === 'continue') clock.advance(result.retryAfterSeconds);
      if (result.status === 'yielded') clock.advance(result.againInSeconds);
      if (result.status === 'drained') return;
    }
    throw new Error('the drain never finished: the outbox is stuck');
  };
  const eventIdsSent = () => tasks.flatMap((task) => task.eventIds);
  return { clock, store, logger, budget, tasks, outbox, drain, drainAll, eventIdsSent };
};
