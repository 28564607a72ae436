import { ApiFailure, DELIVERIES_PAGE_DEFAULT, recoverSinceProblem, type DeliveryView } from '../../contract';
import type { DeliveryStatus } from '../../contract';
import { jobCreatedMs, parseMessageId, type DeliveryJob, type DeliveryTask } from '../delivery/job';
import { readJobRecord } from '../delivery/job-record';
import { fitJobRecord } from '../delivery/job-record-size';
import { DELIVERY_LOG_PREFIX, RETENTION_SECONDS, deliveryLogKey } from '../pipeline/keys';
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
  cursor?: string;
  limit?: number;
}

/** Where a listing stopped: the KVS page cursor and how many matching messages of that page were shown. */
interface ListCursor {
  page?: string;
  skip: number;
  /** recover: when the recovery began; jobs changed since then were re-queued by it, or are at work. */
  startedAt?: number;
}

const encodeCursor = (cursor: ListCursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');
const decodeCursor = (raw: string): ListCursor => {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && 'skip' in value && typeof value.skip === 'number') {
      const page = 'page' in value && typeof value.page === 'string' ? value.page : undefined;
      const startedAt = 'startedAt' in value && typeof value.startedAt === 'number' ? value.startedAt : undefined;
      return { skip: value.skip, ...(page ? { page } : {}), ...(startedAt !== undefined ? { startedAt } : {}) };
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
    const deliveries: DeliveryView[] = [];
    let pageCursor = start.page;
    let skip = start.skip;
    for (let pagesRead = 0; ; pagesRead += 1) {
      // Out of reading budget: answer now; the cursor goes on from the next unread page.
      if (pagesRead === LIST_PAGES_PER_CALL) return { deliveries, nextCursor: encodeCursor({ ...(pageCursor ? { page: pageCursor } : {}), skip: 0 }) };
      const page = await this.deps.store.query<unknown>(DELIVERY_LOG_PREFIX, { limit: LIST_PAGE_SIZE, ...(pageCursor ? { cursor: pageCursor } : {}) });
      const matching = page.results.flatMap(({ value }) => {
        const job = readJobRecord(value);
        if (!job || (query.webhookId && job.webhookId !== query.webhookId)) return [];
        if (query.test !== undefined && job.test !== query.test) return [];
        return job.messages.filter((m) => !query.outcome || m.status === query.outcome).map((m) => toDeliveryView(job, m));
      });
      const available = matching.slice(skip);
      const room = limit - deliveries.length;
      deliveries.push(...available.slice(0, room));
      if (available.length > room) return { deliveries, nextCursor: encodeCursor({ ...(pageCursor ? { page: pageCursor } : {}), skip: skip + room }) };
      if (!page.nextCursor) return { deliveries };
      pageCursor = page.nextCursor;
      skip = 0;
      if (deliveries.length === limit) return { deliveries, nextCursor: encodeCursor({ page: pageCursor, skip: 0 }) };
    }
  }

  async retry(messageId: string): Promise<DeliveryView> {
    const ref = parseMessageId(messageId);
    const job = ref && (await this.load(ref.jobId));
    const message = job?.messages[ref?.index ?? -1];
    if (!job || !message || message.msgId !== messageId) throw new ApiFailure('NOT_FOUND', 'No delivery with this id in the last 14 days.');
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
  async recover(webhookId: string, since: string, cursor?: string): Promise<{ recovered: number; nextCursor?: string }> {
    const now = this.deps.clock.now();
    const problem = recoverSinceProblem(since, now);
    if (problem) throw new ApiFailure('VALIDATION', problem, { since: problem });
    if (!(await this.deps.webhookExists(webhookId))) throw new ApiFailure('NOT_FOUND', 'No webhook with this id.');
    const sinceMs = Date.parse(since);
    let recovered = 0;
    const resumed = cursor ? decodeCursor(cursor) : undefined;
    const startedAt = resumed?.startedAt ?? now.getTime();
    let pageCursor = resumed?.page;
    const goOn = (): string => encodeCursor({ ...(pageCursor ? { page: pageCursor } : {}), skip: 0, startedAt });
    for (let pagesRead = 0; pagesRead < RECOVER_PAGES_PER_CALL; pagesRead += 1) {
      const page = await this.deps.store.query<unknown>(DELIVERY_LOG_PREFIX, { limit: 100, ...(pageCursor ? { cursor: pageCursor } : {}) });
      const chosen: { job: DeliveryJob; ids: string[] }[] = [];
      let older = false;
      for (const { value } of page.results) {
        const job = readJobRecord(value);
        if (!job || job.webhookId !== webhookId || job.test) continue;
        // Keys are newest first: past `since`, everything further is older.
        if (jobCreatedMs(job.jobId) < sinceMs) {
          older = true;
          break;
        }
        // Re-queued by an earlier call of this recovery (and maybe failed again since): once is enough.
        if (resumed && Date.parse(job.updatedAt) >= startedAt) continue;
        const ids = job.messages.filter((m) => m.status === 'failed' || m.status === 'skipped').map((m) => m.msgId);
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
      if (chosen.length === RECOVER_JOBS_PER_CALL) return { recovered, nextCursor: goOn() };
      if (older || !page.nextCursor) return { recovered };
      pageCursor = page.nextCursor;
    }
    return { recovered, nextCursor: goOn() };
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
