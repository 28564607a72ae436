import { ApiFailure, DELIVERIES_PAGE_DEFAULT, recoverSinceProblem, type DeliveryView } from '../../contract';
import type { DeliveryStatus } from '../../contract';
import { jobCreatedMs, parseMessageId, type DeliveryJob, type DeliveryMessage, type DeliveryTask } from '../delivery/job';
import { readJobRecord } from '../delivery/job-record';
import { fitJobRecord } from '../delivery/job-record-size';
import { DELIVERY_LOG_PREFIX, RETENTION_SECONDS, deliveryLogKey, reversedTime } from '../pipeline/keys';
import type { PushBudget } from '../pipeline/push-budget';
import type { Clock, KeyValueStore } from '../ports';
import { toDeliveryView } from './delivery-view';
import { errorMessage } from '../error-message';

export interface DeliveryLogDeps {
  store: KeyValueStore;
  clock: Clock;
  budget: PushBudget;
  /** Queues delivery jobs (at most RECOVER_PUSH_SIZE at a time: one Forge push). */
  pushJobs: (tasks: DeliveryTask[]) => Promise<void>;
  webhookExists: (webhookId: string) => Promise<boolean>;
  /** Rebuilds a message's request body for deliveries.get (rebuildRequestBody); without it, none is shown. */
  requestBody?: (job: DeliveryJob, message: DeliveryMessage) => Promise<string | undefined>;
}

/**
 * A listing reads at most this many pages of log records (50 jobs, up to JOB_SIZE messages each) and then
 * answers with what it found and a cursor: a filter that matches little must not read the whole 14-day
 * log in one call (after a burst that is megabytes, and KVS allows 4,000 read units a minute).
 */
export const LIST_PAGES_PER_CALL = 3;
const LIST_PAGE_SIZE = 50;

/** Per recover call: pages of 100 log jobs read, and jobs re-queued (under the 450 events a minute budget). */
export const RECOVER_PAGES_PER_CALL = 5;
export const RECOVER_JOBS_PER_CALL = 100;

/** Forge takes at most 50 events per push. */
const RECOVER_PUSH_SIZE = 50;
/** Log records rewritten at once by recover (KVS allows 1000 requests a second; this stays far below). */
const PARALLEL_WRITES = 10;

interface ListQuery {
  webhookId?: string;
  outcome?: DeliveryStatus;
  test?: boolean;
  from?: string;
  to?: string;
  eventType?: string;
  eventId?: string;
  cursor?: string;
  limit?: number;
}

/** Where a listing stopped: the KVS page cursor and how many matching messages of that page were shown. */
interface ListCursor {
  page?: string;
  skip: number;
  /** recover: when the recovery began; jobs changed since then were re-queued by it, or are at work. */
  startedAt?: number;
  /** The key prefix the listing reads (a time range narrows it): a KVS cursor only goes on the same query. */
  prefix?: string;
}

/**
 * The narrowest key prefix holding every job created in [fromMs, toMs]. Job keys start with the reversed
 * creation time (13 digits), so the jobs of a time range share the leading digits of the range's two
 * ends: a range of a day reads keys under `dlog:99982…` (about 1.2 days of keys), not the 14-day log.
 * Within it, jobs newer than `to` come first and are skipped; the first job older than `from` ends it.
 */
export const rangePrefix = (fromMs: number, toMs: number): string => {
  const newest = reversedTime(toMs);
  const oldest = reversedTime(fromMs);
  let shared = 0;
  while (shared < newest.length && newest[shared] === oldest[shared]) shared += 1;
  return `${DELIVERY_LOG_PREFIX}${newest.slice(0, shared)}`;
};

const encodeCursor = (cursor: ListCursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');
const decodeCursor = (raw: string): ListCursor => {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && 'skip' in value && typeof value.skip === 'number') {
      const page = 'page' in value && typeof value.page === 'string' ? value.page : undefined;
      const startedAt = 'startedAt' in value && typeof value.startedAt === 'number' ? value.startedAt : undefined;
      const prefix = 'prefix' in value && typeof value.prefix === 'string' && value.prefix.startsWith(DELIVERY_LOG_PREFIX) ? value.prefix : undefined;
      return { skip: value.skip, ...(page ? { page } : {}), ...(startedAt !== undefined ? { startedAt } : {}), ...(prefix ? { prefix } : {}) };
    }
  } catch {
    // fall through to the error below
  }
  throw new ApiFailure('VALIDATION', 'The cursor is not one this app returned: pass nextCursor exactly as received.', { cursor: 'Pass nextCursor exactly as the previous page returned it.' });
};

/**
 * The delivery log: one KVS record per delivery job (newest first by key), kept 14 days by TTL.
 * Listing expands jobs into messages and filters them; retry and recover reset messages to pending and
 * queue their job again, with the same message ids.
 */
export class DeliveryLog {
  constructor(private readonly deps: DeliveryLogDeps) {}

  async list(query: ListQuery): Promise<{ deliveries: DeliveryView[]; nextCursor?: string }> {
    const limit = query.limit ?? DELIVERIES_PAGE_DEFAULT;
    const start = query.cursor ? decodeCursor(query.cursor) : { skip: 0 };
    const fromMs = query.from ? Date.parse(query.from) : undefined;
    const toMs = query.to ? Date.parse(query.to) : undefined;
    // Only a `from` bounds the range's old end (without it the range reaches back to the log's start).
    const prefix = start.prefix ?? (fromMs !== undefined ? rangePrefix(fromMs, toMs ?? this.deps.clock.now().getTime()) : DELIVERY_LOG_PREFIX);
    const at = (page: string | undefined, skip: number): string => encodeCursor({ ...(page ? { page } : {}), skip, ...(prefix !== DELIVERY_LOG_PREFIX ? { prefix } : {}) });
    const deliveries: DeliveryView[] = [];
    let pageCursor = start.page;
    let skip = start.skip;
    for (let pagesRead = 0; ; pagesRead += 1) {
      // Out of reading budget: answer now; the cursor goes on from the next unread page.
      if (pagesRead === LIST_PAGES_PER_CALL) return { deliveries, nextCursor: at(pageCursor, 0) };
      const page = await this.deps.store.query<unknown>(prefix, { limit: LIST_PAGE_SIZE, ...(pageCursor ? { cursor: pageCursor } : {}) });
      let older = false;
      const matching: DeliveryView[] = [];
      for (const { value } of page.results) {
        const job = readJobRecord(value);
        if (!job) continue;
        const created = jobCreatedMs(job.jobId);
        if (toMs !== undefined && created > toMs) continue;
        // Keys are newest first: past `from`, everything further is older.
        if (fromMs !== undefined && created < fromMs) {
          older = true;
          break;
        }
        if (query.webhookId && job.webhookId !== query.webhookId) continue;
        if (query.test !== undefined && job.test !== query.test) continue;
        for (const m of job.messages) {
          if (query.outcome && m.status !== query.outcome) continue;
          if (query.eventType && m.eventType !== query.eventType) continue;
          if (query.eventId && m.eventId !== query.eventId) continue;
          matching.push(toDeliveryView(job, m));
        }
      }
      const available = matching.slice(skip);
      const room = limit - deliveries.length;
      deliveries.push(...available.slice(0, room));
      if (available.length > room) return { deliveries, nextCursor: at(pageCursor, skip + room) };
      if (older || !page.nextCursor) return { deliveries };
      pageCursor = page.nextCursor;
      skip = 0;
      if (deliveries.length === limit) return { deliveries, nextCursor: at(pageCursor, 0) };
    }
  }

  /** One delivery for the inspector: its view and its request body, rebuilt from the batch. */
  async get(messageId: string): Promise<{ delivery: DeliveryView; requestBody?: string }> {
    const { job, message } = await this.find(messageId);
    const requestBody = this.deps.requestBody ? await this.deps.requestBody(job, message) : undefined;
    return { delivery: toDeliveryView(job, message), ...(requestBody !== undefined ? { requestBody } : {}) };
  }

  private async find(messageId: string): Promise<{ job: DeliveryJob; message: DeliveryMessage }> {
    const ref = parseMessageId(messageId);
    const job = ref && (await this.load(ref.jobId));
    const message = job?.messages[ref?.index ?? -1];
    if (!job || !message || message.msgId !== messageId) throw new ApiFailure('NOT_FOUND', 'No delivery with this id in the last 14 days.');
    return { job, message };
  }

  async retry(messageId: string): Promise<DeliveryView> {
    const { job, message } = await this.find(messageId);
    if (job.test) throw new ApiFailure('VALIDATION', 'Test deliveries are not retried: send a new test instead.');
    if (message.status === 'pending') throw new ApiFailure('CONFLICT', 'This delivery is still pending: it will be attempted again automatically.');
    if (message.status === 'delivered') throw new ApiFailure('CONFLICT', 'This delivery already succeeded: retrying would send it twice.');
    await this.requeue([{ job, ids: [message.msgId] }]);
    return toDeliveryView(job, message);
  }

  /**
   * Re-queues every failed or skipped message of a webhook since a time. One call reads at most
   * RECOVER_PAGES_PER_CALL pages of the log and re-queues at most RECOVER_JOBS_PER_CALL jobs (the resolver
   * has 25 s, KVS 4,000 read units and the queue 500 events a minute); when more remain it answers a
   * `nextCursor` to go on from. Going on is safe: what was re-queued is pending now and not chosen again.
   */
  /**
   * Re-queues every failed or skipped (or, with onlyFailed, failed) non-test message of a webhook created
   * since a time (and up to `to`). One call reads at most RECOVER_PAGES_PER_CALL pages of the log and
   * re-queues at most RECOVER_JOBS_PER_CALL jobs (the resolver has 25 s, KVS 4,000 read units and the queue
   * 500 events a minute); when more remain it answers a `nextCursor` to go on from. Going on is safe: what
   * was re-queued is pending now and not chosen again.
   */
  async recover(
    webhookId: string,
    since: string,
    cursor?: string,
    options: { to?: string | undefined; onlyFailed?: boolean | undefined } = {},
  ): Promise<{ recovered: number; nextCursor?: string }> {
    const problem = recoverSinceProblem(since, this.deps.clock.now());
    if (problem) throw new ApiFailure('VALIDATION', problem, { since: problem });
    const { queued, nextCursor } = await this.requeueRange({
      webhookId,
      fromMs: Date.parse(since),
      ...(options.to ? { toMs: Date.parse(options.to) } : {}),
      // A skipped message was not meant to go: "Retry all failed" leaves it; recovery after an outage sends it.
      statuses: options.onlyFailed ? ['failed'] : ['failed', 'skipped'],
      cursor,
    });
    return { recovered: queued, ...(nextCursor ? { nextCursor } : {}) };
  }

  private async requeueRange(range: { webhookId: string; fromMs: number; toMs?: number; statuses: DeliveryStatus[]; cursor?: string | undefined }): Promise<{ queued: number; nextCursor?: string }> {
    const { webhookId, fromMs, toMs } = range;
    const now = this.deps.clock.now();
    if (!(await this.deps.webhookExists(webhookId))) throw new ApiFailure('NOT_FOUND', 'No webhook with this id.');
    let recovered = 0;
    const resumed = range.cursor ? decodeCursor(range.cursor) : undefined;
    const startedAt = resumed?.startedAt ?? now.getTime();
    const prefix = resumed?.prefix ?? rangePrefix(fromMs, toMs ?? now.getTime());
    let pageCursor = resumed?.page;
    const goOn = (): string => encodeCursor({ ...(pageCursor ? { page: pageCursor } : {}), skip: 0, startedAt, prefix });
    for (let pagesRead = 0; pagesRead < RECOVER_PAGES_PER_CALL; pagesRead += 1) {
      const page = await this.deps.store.query<unknown>(prefix, { limit: 100, ...(pageCursor ? { cursor: pageCursor } : {}) });
      const chosen: { job: DeliveryJob; ids: string[] }[] = [];
      let older = false;
      for (const { value } of page.results) {
        const job = readJobRecord(value);
        if (!job) continue;
        const created = jobCreatedMs(job.jobId);
        if (toMs !== undefined && created > toMs) continue;
        // Keys are newest first: past `from`, everything further is older.
        if (created < fromMs) {
          older = true;
          break;
        }
        if (job.webhookId !== webhookId || job.test) continue;
        // Re-queued by an earlier call of this recovery (and maybe failed again since): once is enough.
        if (resumed && Date.parse(job.updatedAt) >= startedAt) continue;
        const ids = job.messages.filter((m) => range.statuses.includes(m.status)).map((m) => m.msgId);
        if (ids.length > 0) chosen.push({ job, ids });
        // Enough for one call: the next one reads this page again and skips what is pending now.
        if (chosen.length === RECOVER_JOBS_PER_CALL) break;
      }
      // Queued in pushes of up to 50 jobs (Forge's per-push limit), not one round trip per job.
      for (let start = 0; start < chosen.length; start += RECOVER_PUSH_SIZE) {
        const part = chosen.slice(start, start + RECOVER_PUSH_SIZE);
        await this.requeue(part);
        recovered += part.reduce((sum, { ids }) => sum + ids.length, 0);
      }
      if (chosen.length === RECOVER_JOBS_PER_CALL) return { queued: recovered, nextCursor: goOn() };
      if (older || !page.nextCursor) return { queued: recovered };
      pageCursor = page.nextCursor;
    }
    return { queued: recovered, nextCursor: goOn() };
  }

  private async load(jobId: string): Promise<DeliveryJob | undefined> {
    return readJobRecord(await this.deps.store.get<unknown>(deliveryLogKey(jobId)));
  }

  /**
   * Resets the chosen messages to pending and queues their jobs again, with the same message ids. A
   * message marked pending with no job queued would never be sent, and retry and recover skip pending
   * ones: so if the queue refuses the jobs, the records are put back as they were before answering.
   */
  private async requeue(jobs: { job: DeliveryJob; ids: string[] }[]): Promise<void> {
    const reservation = await this.deps.budget.reserve(jobs.length);
    if (!reservation.granted) {
      throw new ApiFailure('UNAVAILABLE', `The delivery queue is at Forge's rate limit: try again in ${reservation.retryAfterSeconds} s.`);
    }
    const before = jobs.map(({ job }) => structuredClone(job));
    const now = this.deps.clock.now().toISOString();
    await this.saveAll(
      jobs.map(({ job, ids }) => {
        const chosen = new Set(ids);
        for (const message of job.messages) {
          if (!chosen.has(message.msgId)) continue;
          message.status = 'pending';
          delete message.nextAttemptAt;
          delete message.note;
        }
        job.updatedAt = now;
        return job;
      }),
    );
    try {
      await this.deps.pushJobs(
        jobs.map(({ job }) => ({
          jobId: job.jobId,
          webhookId: job.webhookId,
          webhookName: job.webhookName,
          batchId: job.batchId,
          // The record just written lists them: a task of 50 jobs of JOB_SIZE ids would near Forge's 200 KB per push.
          eventIds: [],
        })),
      );
    } catch (error) {
      await this.saveAll(before);
      throw new ApiFailure('UNAVAILABLE', `The delivery queue refused the jobs (${errorMessage(error)}); nothing was changed. Try again in a minute.`);
    }
  }

  private async saveAll(jobs: DeliveryJob[]): Promise<void> {
    for (let start = 0; start < jobs.length; start += PARALLEL_WRITES) {
      await Promise.all(jobs.slice(start, start + PARALLEL_WRITES).map((job) => this.deps.store.set(deliveryLogKey(job.jobId), fitJobRecord(job), { ttlSeconds: RETENTION_SECONDS })));
    }
  }
}
