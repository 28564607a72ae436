/** Forge async events: the publish/stats/cancel endpoints @forge/events calls, and the store of
 * pending events (with their retry state) that the host's scheduler delivers to consumers. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Counters } from './stats';
import { RollingWindow } from './rate-window';
import { jsonResponse, emptyResponse } from './responses';

export const QUEUE_LIMITS = {
  eventsPerPush: 50,
  payloadBytes: 200 * 1024,
  maxDelaySeconds: 900,
  eventsPerMinute: 500,
  retentionMs: 24 * 3600 * 1000,
  minRetryAfter: 1,
  maxRetryAfter: 900,
  backoffBaseSeconds: 30,
  backoffMaxSeconds: 900,
} as const;

export interface QueuedEvent {
  seq: number;
  eventId: string;
  jobId: string;
  queueName: string;
  body: Record<string, unknown>;
  delayInSeconds?: number;
  concurrency?: { key: string; limit: number };
  firstPushedAt: number;
  dueAt: number;
  retryCount: number;
  retryReason?: string;
  retryData?: unknown;
  /** a second delivery of an event that the host delivers anyway (Forge delivers at least once) */
  duplicate?: boolean;
}

export interface JobRecord { jobId: string; queueName: string; total: number; success: number; failed: number; cancelled: boolean }
export interface QueueState { events: QueuedEvent[]; jobs: Record<string, JobRecord>; seq: number }
export function emptyQueueState(): QueueState {
  return { events: [], jobs: {}, seq: 0 };
}

const pushSchema = z.looseObject({
  queueName: z.string().regex(/^[a-zA-Z0-9-_]+$/),
  jobId: z.string().min(1),
  payload: z.array(
    z.looseObject({
      body: z.record(z.string(), z.unknown()),
      delayInSeconds: z.number().optional(),
      concurrency: z.looseObject({ key: z.string(), limit: z.number().int().positive() }).optional(),
    }),
  ),
});
const jobSchema = z.looseObject({ queueName: z.string(), jobId: z.string().min(1) });

export class QueueService {
  private readonly rate = new RollingWindow(QUEUE_LIMITS.eventsPerMinute);

  constructor(
    private readonly state: QueueState,
    private readonly now: () => number,
    private readonly counters: Counters,
    private readonly onChange: () => void,
    /** Forge allows 100 KB per event when the consumer's timeoutSeconds is over 55 s. */
    private readonly maxEventBytes: (queueName: string) => number | undefined = () => undefined,
  ) {}

  pending(): number {
    return this.state.events.length;
  }

  /** `/webhook/queue/{publish|stats|cancel}/...` from @forge/events through __requestAtlassianAsApp. */
  handle(path: string, bodyText: string): Response {
    let raw: unknown;
    try {
      raw = JSON.parse(bodyText);
    } catch {
      return jsonResponse(400, { message: 'Request body is not JSON' });
    }
    if (path.startsWith('/webhook/queue/publish/')) return this.publish(raw, bodyText);
    if (path.startsWith('/webhook/queue/stats/')) return this.stats(raw);
    if (path.startsWith('/webhook/queue/cancel/')) return this.cancel(raw);
    return jsonResponse(404, { message: `Unknown queue endpoint ${path}` });
  }

  private reject(status: number, message: string): Response {
    this.counters.queue.rejected++;
    return jsonResponse(status, { message, errorMessage: message });
  }

  private publish(raw: unknown, bodyText: string): Response {
    const parsed = pushSchema.safeParse(raw);
    if (!parsed.success) return this.reject(400, `Invalid push request: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const push = parsed.data;
    const events = push.payload;
    if (events.length === 0) return this.reject(400, 'No events pushed.');
    if (events.length > QUEUE_LIMITS.eventsPerPush) return this.reject(400, `Too many events: at most ${QUEUE_LIMITS.eventsPerPush} events can be pushed at once; got ${events.length}.`);
    const bytes = Buffer.byteLength(JSON.stringify(events));
    if (bytes > QUEUE_LIMITS.payloadBytes || Buffer.byteLength(bodyText) > QUEUE_LIMITS.payloadBytes + 4096) {
      return this.reject(413, `The maximum payload size is ${QUEUE_LIMITS.payloadBytes / 1024}KB; this push is ${(bytes / 1024).toFixed(1)}KB.`);
    }
    const perEvent = this.maxEventBytes(push.queueName);
    if (perEvent !== undefined) {
      const big = events.findIndex((e) => Buffer.byteLength(JSON.stringify(e)) > perEvent);
      if (big >= 0) return this.reject(413, `Event ${big} is over ${perEvent / 1024}KB, the limit per event for consumers with timeoutSeconds over 55.`);
    }
    for (const e of events) {
      const d = e.delayInSeconds;
      if (d !== undefined && (d < 0 || d > QUEUE_LIMITS.maxDelaySeconds)) return this.reject(400, `delayInSeconds must be between 0 and ${QUEUE_LIMITS.maxDelaySeconds}; got ${d}.`);
    }
    const now = this.now();
    if (!this.rate.tryTake(now, events.length)) {
      this.counters.queue.rateLimited++;
      return jsonResponse(429, { message: `Rate limit exceeded: at most ${QUEUE_LIMITS.eventsPerMinute} events per minute per installation.` }, { 'retry-after': '60' });
    }
    for (const e of events) {
      this.state.events.push({
        seq: ++this.state.seq,
        eventId: randomUUID(),
        jobId: push.jobId,
        queueName: push.queueName,
        body: e.body,
        ...(e.delayInSeconds !== undefined ? { delayInSeconds: e.delayInSeconds } : {}),
        ...(e.concurrency ? { concurrency: { key: e.concurrency.key, limit: e.concurrency.limit } } : {}),
        firstPushedAt: now,
        dueAt: now + (e.delayInSeconds ?? 0) * 1000,
        retryCount: 0,
      });
    }
    this.state.jobs[push.jobId] = { jobId: push.jobId, queueName: push.queueName, total: events.length, success: 0, failed: 0, cancelled: false };
    this.counters.queue.pushes++;
    this.counters.queue.events += events.length;
    this.onChange();
    return jsonResponse(201, { jobId: push.jobId });
  }

  private stats(raw: unknown): Response {
    const parsed = jobSchema.safeParse(raw);
    const job = parsed.success ? this.state.jobs[parsed.data.jobId] : undefined;
    if (!job || (parsed.success && job.queueName !== parsed.data.queueName)) return jsonResponse(404, { message: 'Job does not exist' });
    const inProgress = this.state.events.filter((e) => e.jobId === job.jobId).length;
    return jsonResponse(200, { success: job.success, inProgress, failed: job.failed });
  }

  private cancel(raw: unknown): Response {
    const parsed = jobSchema.safeParse(raw);
    const job = parsed.success ? this.state.jobs[parsed.data.jobId] : undefined;
    if (!job || (parsed.success && job.queueName !== parsed.data.queueName)) return jsonResponse(404, { message: 'Job does not exist' });
    job.cancelled = true;
    const before = this.state.events.length;
    this.state.events = this.state.events.filter((e) => e.jobId !== job.jobId);
    this.counters.queue.cancelled += before - this.state.events.length;
    this.onChange();
    return emptyResponse(204);
  }

  /** The earliest event due by `until` that `runnable` accepts (not already running, its concurrency key
   * not at its limit). An event stays stored until its delivery ends, so a crash redelivers it. */
  nextDue(until: number, runnable: (e: QueuedEvent) => boolean): QueuedEvent | undefined {
    let best: QueuedEvent | undefined;
    for (const e of this.state.events) {
      if (e.dueAt > until || (best && (e.dueAt > best.dueAt || (e.dueAt === best.dueAt && e.seq > best.seq)))) continue;
      if (runnable(e)) best = e;
    }
    return best;
  }

  private remove(event: QueuedEvent): void {
    const i = this.state.events.indexOf(event);
    if (i >= 0) this.state.events.splice(i, 1);
  }

  /** Stores a second delivery of `event`, due at `dueAt` (at-least-once delivery). */
  duplicate(event: QueuedEvent, dueAt: number): QueuedEvent {
    const twin: QueuedEvent = { ...event, seq: ++this.state.seq, dueAt, duplicate: true };
    this.state.events.push(twin);
    this.counters.queue.duplicates++;
    this.onChange();
    return twin;
  }

  /** Puts an event back for another attempt, or drops it when the 24 h retention window is over. */
  retry(event: QueuedEvent, delaySeconds: number, reason: string, retryData?: unknown): 'retried' | 'dropped' {
    this.remove(event);
    const dueAt = this.now() + delaySeconds * 1000;
    const job = this.state.jobs[event.jobId];
    if (dueAt > event.firstPushedAt + QUEUE_LIMITS.retentionMs || job?.cancelled) {
      this.counters.queue.dropped++;
      if (job) job.failed++;
      this.onChange();
      return 'dropped';
    }
    this.state.events.push({
      ...event,
      seq: ++this.state.seq,
      dueAt,
      retryCount: event.retryCount + 1,
      retryReason: reason,
      retryData,
    });
    this.counters.queue.retries++;
    this.onChange();
    return 'retried';
  }

  succeeded(event: QueuedEvent): void {
    this.remove(event);
    const job = this.state.jobs[event.jobId];
    if (job && !event.duplicate) job.success++;
    this.counters.queue.delivered++;
    this.onChange();
  }

  dropNoConsumer(event: QueuedEvent): void {
    this.remove(event);
    const job = this.state.jobs[event.jobId];
    if (job) job.failed++;
    this.counters.queue.dropped++;
    this.onChange();
  }
}

export function platformBackoffSeconds(attempt: number): number {
  return Math.min(QUEUE_LIMITS.backoffBaseSeconds * 2 ** attempt, QUEUE_LIMITS.backoffMaxSeconds);
}

export function clampRetryAfter(seconds: unknown): number {
  const n = typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : QUEUE_LIMITS.minRetryAfter;
  return Math.min(Math.max(n, QUEUE_LIMITS.minRetryAfter), QUEUE_LIMITS.maxRetryAfter);
}
