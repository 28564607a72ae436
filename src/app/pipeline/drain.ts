import type { Clock, KeyValueStore, Logger } from '../ports';
import { JOB_SIZE, batchIdFor, jobIdFor, messageIdFor, type DeliveryJob, type DeliveryTask } from '../delivery/job';
import { pipelineEventSchema, isSubscribed, type PipelineEvent } from './audit-event';
import { DRAIN_MARKER_KEY, OUTBOX_PREFIX, RETENTION_SECONDS, batchKey, deliveryLogKey } from './keys';
import type { PushBudget } from './push-budget';

/** What fan-out needs to know of each webhook. */
export interface FanOutWebhook {
  id: string;
  name: string;
  events: readonly string[];
  /** false when switched off by an admin or disabled by endpoint health: events are logged as skipped. */
  active: boolean;
  inactiveReason?: string;
}

export interface DrainDeps {
  store: KeyValueStore;
  clock: Clock;
  budget: PushBudget;
  webhooks: () => Promise<FanOutWebhook[]>;
  pushJobs: (tasks: DeliveryTask[]) => Promise<void>;
  remainingMs: () => number;
  logger: Logger;
}

export type DrainResult = { status: 'drained'; events: number } | { status: 'continue'; events: number; retryAfterSeconds: number };

/** KVS values are at most 240 KiB; a batch stays well under. */
const MAX_BATCH_BYTES = 200 * 1024;
const OUTBOX_PAGE = 100;
/** Stop with this much time left and let the platform call again. */
const TIME_RESERVE_MS = 15_000;

export interface StoredBatch {
  createdAt: string;
  events: PipelineEvent[];
}

interface OutboxEntry {
  key: string;
  event: PipelineEvent;
}

const splitIntoBatches = (entries: OutboxEntry[]): OutboxEntry[][] => {
  const batches: OutboxEntry[][] = [];
  let current: OutboxEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(JSON.stringify(entry.event));
    if (current.length > 0 && bytes + size > MAX_BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

/**
 * Fans the outbox out: each page of accepted events becomes a stored batch and one delivery job per
 * subscribed webhook (JOB_SIZE events at most), pushed within the push budget. Outbox entries are deleted
 * only after their jobs are queued, so a failure anywhere leaves them to be drained again; job and message
 * ids are derived from the batch, so a second drain of the same page yields the same ids and the
 * delivery consumer does not send a message twice.
 */
export class OutboxDrain {
  constructor(private readonly deps: DrainDeps) {}

  async run(): Promise<DrainResult> {
    const { store, logger } = this.deps;
    let drained = 0;
    let markerCleared = false;
    let webhooks: FanOutWebhook[] | undefined;
    for (;;) {
      if (this.deps.remainingMs() < TIME_RESERVE_MS) return { status: 'continue', events: drained, retryAfterSeconds: 1 };
      const page = await store.query<unknown>(OUTBOX_PREFIX, { limit: OUTBOX_PAGE });
      if (page.results.length === 0) {
        // Clear the marker first, then look once more: an event recorded meanwhile either saw the marker
        // (and is found by this second look) or did not (and queued a drain of its own).
        if (markerCleared) return { status: 'drained', events: drained };
        await store.delete(DRAIN_MARKER_KEY);
        markerCleared = true;
        continue;
      }
      webhooks ??= await this.deps.webhooks();
      const entries: OutboxEntry[] = [];
      for (const result of page.results) {
        const parsed = pipelineEventSchema.safeParse(result.value);
        if (parsed.success) entries.push({ key: result.key, event: parsed.data });
        else {
          logger.error('Dropped an unreadable outbox entry', { key: result.key, problem: parsed.error.issues[0]?.message });
          await store.delete(result.key);
        }
      }
      const outcome = await this.fanOut(entries, webhooks);
      if (outcome.status === 'wait') return { status: 'continue', events: drained, retryAfterSeconds: outcome.retryAfterSeconds };
      for (const entry of entries) await store.delete(entry.key);
      drained += entries.length;
    }
  }

  private async fanOut(entries: OutboxEntry[], webhooks: FanOutWebhook[]): Promise<{ status: 'queued' } | { status: 'wait'; retryAfterSeconds: number }> {
    const { store, clock, budget } = this.deps;
    const tasks: DeliveryTask[] = [];
    const skippedJobs: DeliveryJob[] = [];
    const batches: { id: string; createdMs: number; events: PipelineEvent[] }[] = [];
    for (const part of splitIntoBatches(entries)) {
      const first = part[0] as OutboxEntry;
      const last = part[part.length - 1] as OutboxEntry;
      const createdMs = Number(first.key.slice(OUTBOX_PREFIX.length, OUTBOX_PREFIX.length + 13));
      batches.push({ id: batchIdFor(first.key, last.key, part.length), createdMs, events: part.map((e) => e.event) });
    }
    const now = clock.now().toISOString();
    for (const batch of batches) {
      for (const webhook of webhooks) {
        const matching = batch.events.filter((event) => isSubscribed(webhook.events, event.type));
        for (let chunk = 0; chunk * JOB_SIZE < matching.length; chunk += 1) {
          const events = matching.slice(chunk * JOB_SIZE, (chunk + 1) * JOB_SIZE);
          const jobId = jobIdFor(batch.createdMs, batch.id, webhook.id, chunk);
          if (webhook.active) {
            tasks.push({ jobId, webhookId: webhook.id, webhookName: webhook.name, batchId: batch.id, eventIds: events.map((e) => e.id) });
          } else {
            skippedJobs.push({
              jobId,
              webhookId: webhook.id,
              webhookName: webhook.name,
              batchId: batch.id,
              test: false,
              createdAt: now,
              updatedAt: now,
              messages: events.map((event, index) => ({
                msgId: messageIdFor(jobId, index),
                eventId: event.id,
                eventType: event.type,
                status: 'skipped' as const,
                attempts: [],
                note: webhook.inactiveReason ?? 'Webhook disabled',
              })),
            });
          }
        }
      }
    }
    if (tasks.length === 0 && skippedJobs.length === 0) return { status: 'queued' };
    const reservation = await budget.reserve(tasks.length);
    if (!reservation.granted) return { status: 'wait', retryAfterSeconds: reservation.retryAfterSeconds };
    for (const batch of batches) {
      await store.set<StoredBatch>(batchKey(batch.id), { createdAt: new Date(batch.createdMs).toISOString(), events: batch.events }, { ttlSeconds: RETENTION_SECONDS + 86_400 });
    }
    for (const job of skippedJobs) await store.set(deliveryLogKey(job.jobId), job, { ttlSeconds: RETENTION_SECONDS });
    if (tasks.length > 0) await this.deps.pushJobs(tasks);
    return { status: 'queued' };
  }
}
