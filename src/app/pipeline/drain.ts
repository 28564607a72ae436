import { createHash, randomUUID } from 'node:crypto';
import type { Clock, KeyValueStore, Logger } from '../ports';
import { JOB_SIZE, batchIdFor, jobIdFor, messageIdFor, type DeliveryJob, type DeliveryTask } from '../delivery/job';
import { pipelineEventSchema, isDeliveredTo, type PipelineEvent } from './audit-event';
import { jsonDepth } from '../../domain/events/depth';
import type { SetAsideStage } from '../../domain/events/set-aside';
import { DRAIN_JOURNAL_KEY, DRAIN_LEASE_KEY, DRAIN_MARKER_KEY, OUTBOX_PREFIX, RETENTION_SECONDS, batchKey, deliveryLogKey } from './keys';
import type { PushBudget } from './push-budget';
import { renderBody, trimEvent } from './render-body';
import { describeEvent, isValueRefused, type SetAsideInput, type SetAsideLog } from './set-aside';
import { errorMessage } from '../error-message';

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
  /** Queues this drain again (no delay): it continues after the jobs it just queued. */
  pushDrain: () => Promise<void>;
  remainingMs: () => number;
  logger: Logger;
  /** KVS write units per rolling minute the drain may cause (its own writes and its jobs' first round). */
  writeUnitsPerMinute?: number;
  /** The bodies an event must render to before it is fanned out (default: renderBody, what delivery sends). */
  render?: (kind: 'custom' | 'slack', event: PipelineEvent) => string;
  /** Where entries go that cannot be stored, batched or rendered (the outbox's log: its app.event.set_aside
   * events go into the outbox this drain reads, and a later page delivers them). */
  setAside: SetAsideLog;
}

export type DrainResult =
  | { status: 'drained'; events: number; duplicates: number }
  | { status: 'yielded'; events: number }
  | { status: 'continue'; events: number; retryAfterSeconds: number };

/** KVS values are at most 240 KiB; a batch stays well under. */
const MAX_BATCH_BYTES = 200 * 1024;
/** KVS refuses a value nested deeper than this (objects and arrays). */
const KVS_MAX_DEPTH = 32;
/** A stored batch wraps each event in two levels: the batch object and its events array. */
const BATCH_WRAPPER_DEPTH = 2;
const OUTBOX_PAGE = 100;
/** Stop with this much time left and let the platform call again. */
const TIME_RESERVE_MS = 15_000;

/**
 * KVS allows 4000 write units (10 KB each) per minute per installation, shared by everything the app
 * does. The drain is the one place that sets the pace of the pipeline (deliveries follow what it queues),
 * so it keeps itself and the jobs it queues to half of that: the other half stays free for product-event
 * triggers, which Forge retries only 4 times, so a burst that overflows one minute still lands.
 */
export const DRAIN_WRITE_UNITS_PER_MINUTE = 2000;
/** A delivery job's first round writes its log record (with 25 attempts, up to ~20 KB) and maybe health. */
const WRITE_UNITS_PER_JOB = 3;
const KVS_UNIT_BYTES = 10 * 1024;
const SLOT_SECONDS = 5;
const WINDOW_SECONDS = 60;

/**
 * The drain consumer may run 120 s (manifest timeoutSeconds): a lease a little longer than that outlives
 * the drain that holds it, and frees itself if that drain is killed.
 */
const LEASE_SECONDS = 150;

interface DrainLease {
  runId: string;
  until: string;
}

/**
 * Ids fanned out lately, so an event recorded twice (retried trigger, re-read audit page) is sent once.
 * The window outlasts Forge's product-event retry horizon (docs/events.md, "Delivered once"): an app may
 * ask for 4 retries of at most 900 s each (Forge docs, events-reference/product_events, "Retry for app
 * level errors"), about 62 minutes with the 25 s invocations, and the platform retries timeouts, OOM and
 * rate limits on top with no documented bound. 3 hours covers that with room to spare.
 */
export const RECENT_WINDOW_MS = 3 * 60 * 60_000;
/**
 * At 12 characters an id, 12,000 ids are 144,000 characters: the journal is 146 KB at the cap, 172 KB
 * with a worst-case pending fan-out (test/unit/events/dedup-window.test.ts measures it), inside KVS's
 * 240 KiB. That covers the whole 62-minute retry horizon up to about 190 events a minute for an hour.
 */
export const RECENT_MAX_IDS = 12_000;
/** 48 bits of SHA-256 per id: a false "seen" among 12,000 ids has a chance of about 4e-11 per event. */
const ID_HASH_CHARS = 12;

export interface StoredBatch {
  createdAt: string;
  events: PipelineEvent[];
}

interface OutboxEntry {
  key: string;
  event: PipelineEvent;
}

interface Batch {
  id: string;
  createdMs: number;
  events: PipelineEvent[];
  /** The outbox entries it was made of (empty for a batch read back from a committed fan-out). */
  entries: OutboxEntry[];
}

type Admission = { ok: true; event: PipelineEvent } | { ok: false; stage: SetAsideStage; reason: string };

/**
 * The drain's own state, one KVS record. `pending` is the commit point of a fan-out: written after the
 * batches are stored and before any job is pushed or any outbox entry deleted, so a drain stopped
 * anywhere after it (time limit, KVS rate limit, queue refusal) finishes that fan-out first next time,
 * with the same batches and the same job ids, instead of fanning the same events out again.
 */
interface DrainJournal {
  /** minute (ms) -> concatenated id hashes of the events fanned out in that minute */
  recent: Record<string, string>;
  pending?: { batchIds: string[]; outboxKeys: string[] };
  /** 5-second slot (s) -> KVS write units spent in it */
  spent: Record<string, number>;
}

const emptyJournal = (): DrainJournal => ({ recent: {}, spent: {} });

const isJournal = (value: unknown): value is DrainJournal =>
  typeof value === 'object' && value !== null && typeof (value as DrainJournal).recent === 'object' && typeof (value as DrainJournal).spent === 'object';

export const idHash = (id: string): string => createHash('sha256').update(id).digest('hex').slice(0, ID_HASH_CHARS);

const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));
const writeUnits = (value: unknown): number => Math.max(1, Math.ceil(bytesOf(value) / KVS_UNIT_BYTES));

/** Batches of at most one job (JOB_SIZE events): a delivery job then reads only its own events. */
const splitIntoBatches = (entries: OutboxEntry[]): OutboxEntry[][] => {
  const batches: OutboxEntry[][] = [];
  let current: OutboxEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = bytesOf(entry.event);
    if (current.length > 0 && (current.length >= JOB_SIZE || bytes + size > MAX_BATCH_BYTES)) {
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
 * Fans the outbox out: each page of recorded events becomes stored batches and one delivery job per
 * subscribed webhook and batch, pushed within the push budget and a KVS write pace. Outbox entries are
 * deleted only after the fan-out is committed in the journal, so a failure anywhere leaves either the
 * entries (not yet committed) or the journal's pending fan-out (committed) to be finished; an event
 * already fanned out in the last 3 hours (RECENT_WINDOW_MS) is dropped as a duplicate. An entry that
 * cannot be stored, batched or rendered is set aside (a record and an app.event.set_aside event), never retried
 * in place: no entry can hold the outbox back.
 */
export class OutboxDrain {
  constructor(private readonly deps: DrainDeps) {}

  private get unitsPerMinute(): number {
    return this.deps.writeUnitsPerMinute ?? DRAIN_WRITE_UNITS_PER_MINUTE;
  }

  /**
   * Runs one drain if no other drain holds the lease. Forge delivers a queue event at least once and may
   * run the copies side by side; two drains reading the same journal would each commit over the other
   * and could fan an event out twice under different job ids. The one that finds the lease taken asks to
   * be called again when the lease ends.
   */
  async run(): Promise<DrainResult> {
    const runId = randomUUID();
    const waitSeconds = await this.takeLease(runId);
    if (waitSeconds > 0) {
      this.deps.logger.info('Another drain is running: this one runs after it', { retryAfterSeconds: waitSeconds });
      return { status: 'continue', events: 0, retryAfterSeconds: waitSeconds };
    }
    try {
      return await this.runLeased(runId);
    } finally {
      await this.releaseLease(runId).catch(() => undefined);
    }
  }

  /** 0 when this run holds the lease, else the seconds until the holder's lease ends. */
  private async takeLease(runId: string): Promise<number> {
    const { store, clock } = this.deps;
    const now = clock.now().getTime();
    const lease: DrainLease = { runId, until: new Date(now + LEASE_SECONDS * 1000).toISOString() };
    if (await store.setIfAbsent<DrainLease>(DRAIN_LEASE_KEY, lease, { ttlSeconds: LEASE_SECONDS })) return 0;
    const holder = await store.get<DrainLease>(DRAIN_LEASE_KEY);
    const until = holder ? Date.parse(holder.until) : Number.NaN;
    return Number.isFinite(until) ? Math.min(900, Math.max(1, Math.ceil((until - now) / 1000) + 1)) : 1;
  }

  private async releaseLease(runId: string): Promise<void> {
    const holder = await this.deps.store.get<DrainLease>(DRAIN_LEASE_KEY);
    if (holder?.runId === runId) await this.deps.store.delete(DRAIN_LEASE_KEY);
  }

  private async runLeased(runId: string): Promise<DrainResult> {
    const { store, logger } = this.deps;
    const stored = await store.get<unknown>(DRAIN_JOURNAL_KEY);
    const journal = isJournal(stored) ? stored : emptyJournal();
    let dirty = false;
    let drained = 0;
    let duplicates = 0;
    let markerCleared = false;
    let webhooks: FanOutWebhook[] | undefined;
    const save = async () => {
      if (!dirty) return;
      await store.set(DRAIN_JOURNAL_KEY, journal, { ttlSeconds: RETENTION_SECONDS });
      dirty = false;
    };
    const pause = async (retryAfterSeconds: number): Promise<DrainResult> => {
      await save();
      return { status: 'continue', events: drained, retryAfterSeconds };
    };
    try {
      if (journal.pending) {
        webhooks ??= await this.deps.webhooks();
        const finished = await this.finishPending(journal, webhooks);
        if (finished.status === 'wait') return await pause(finished.retryAfterSeconds);
        dirty = true;
      }
      for (;;) {
        if (this.deps.remainingMs() < TIME_RESERVE_MS) return await pause(1);
        const room = this.writeRoom(journal);
        if (room.retryAfterSeconds > 0) return await pause(room.retryAfterSeconds);
        const page = await store.query<unknown>(OUTBOX_PREFIX, { limit: OUTBOX_PAGE });
        if (page.results.length === 0) {
          // Clear the marker first, then look once more: an event recorded meanwhile either saw the marker
          // (and is found by this second look) or did not (and queued a drain of its own).
          if (markerCleared) {
            await save();
            return { status: 'drained', events: drained, duplicates };
          }
          await store.delete(DRAIN_MARKER_KEY);
          markerCleared = true;
          continue;
        }
        webhooks ??= await this.deps.webhooks();
        const seen = this.recentIds(journal);
        const fresh: OutboxEntry[] = [];
        const keys: string[] = [];
        for (const result of page.results) {
          const parsed = pipelineEventSchema.safeParse(result.value);
          if (!parsed.success) {
            await this.setAsideEntry(result.key, {
              stage: 'batch',
              reason: `The outbox entry is not a readable event (${parsed.error.issues[0]?.message ?? 'malformed'})`,
              eventId: result.key.split(':').slice(3).join(':') || result.key,
            });
            continue;
          }
          keys.push(result.key);
          const hash = idHash(parsed.data.id);
          // One id, one event: Jira's events can come twice, and so can the app's own (the auto-disable
          // event of a delivery job that runs twice). Two admin changes never share an id (each carries
          // a random part), so nothing real is dropped.
          if (seen.has(hash)) {
            duplicates += 1;
            logger.info('Dropped an event recorded twice', { eventId: parsed.data.id, type: parsed.data.type });
            continue;
          }
          const admitted = this.admit(parsed.data);
          if (!admitted.ok) {
            keys.pop();
            await this.setAsideEntry(result.key, { stage: admitted.stage, reason: admitted.reason, ...describeEvent(parsed.data) });
            continue;
          }
          seen.add(hash);
          fresh.push({ key: result.key, event: admitted.event });
        }
        const outcome = await this.fanOut(journal, fresh, keys, webhooks);
        if (outcome.status === 'wait') return await pause(outcome.retryAfterSeconds);
        dirty = true;
        drained += outcome.events;
        // Let the jobs just queued run (and write their logs) before this drain spends more KVS writes:
        // the drain queues itself behind them and ends (its marker stays, so no one else queues one).
        if (outcome.jobs > 0) {
          await save();
          // Free the lease first: the drain queued next may start at once.
          await this.releaseLease(runId);
          if (await this.requeue()) return { status: 'yielded', events: drained };
          if ((await this.takeLease(runId)) > 0) return { status: 'yielded', events: drained };
        }
      }
    } catch (error) {
      // Best effort: keep what is known (e.g. a finished fan-out) so the next run does not redo it.
      await save().catch(() => undefined);
      throw error;
    }
  }

  /** Queues the drain again; false when the push budget or the queue says no (then it simply goes on). */
  private async requeue(): Promise<boolean> {
    const reservation = await this.deps.budget.reserve(1);
    if (!reservation.granted) return false;
    try {
      await this.deps.pushDrain();
      return true;
    } catch (error) {
      this.deps.logger.warn('Could not queue the drain behind its jobs; it goes on now', { error: errorMessage(error) });
      return false;
    }
  }

  private batchesOf(entries: OutboxEntry[]): Batch[] {
    return splitIntoBatches(entries).map((part) => this.batchOf(part));
  }

  private batchOf(part: OutboxEntry[]): Batch {
    const first = part[0] as OutboxEntry;
    const last = part[part.length - 1] as OutboxEntry;
    const createdMs = Number(first.key.slice(OUTBOX_PREFIX.length, OUTBOX_PREFIX.length + 13));
    return { id: batchIdFor(first.key, last.key, part.length), createdMs, events: part.map((e) => e.event), entries: part };
  }

  /**
   * Whether an outbox entry can go into a batch: bounded again (entries written by an older version, or
   * by any path that skipped normalisation), within KVS's depth and size once wrapped in a batch, and
   * renderable in every body format. What fails here is set aside instead of failing the whole page.
   */
  private admit(event: PipelineEvent): Admission {
    let bounded: PipelineEvent;
    try {
      bounded = trimEvent(event);
    } catch (error) {
      return { ok: false, stage: 'batch', reason: `The event could not be bounded for storage: ${errorMessage(error)}` };
    }
    const depth = jsonDepth(bounded) + BATCH_WRAPPER_DEPTH;
    if (depth > KVS_MAX_DEPTH) return { ok: false, stage: 'batch', reason: `The event is nested ${depth} levels deep in a batch; app storage allows ${KVS_MAX_DEPTH}` };
    const bytes = bytesOf(bounded);
    if (bytes > MAX_BATCH_BYTES) return { ok: false, stage: 'batch', reason: `The event is ${bytes} bytes after trimming; a batch holds at most ${MAX_BATCH_BYTES}` };
    const render = this.deps.render ?? renderBody;
    for (const kind of ['custom', 'slack'] as const) {
      try {
        render(kind, bounded);
      } catch (error) {
        return { ok: false, stage: 'render', reason: `The event could not be rendered as a ${kind} message: ${errorMessage(error)}` };
      }
    }
    return { ok: true, event: bounded };
  }

  /** Records the entry as set aside (durably, first), then takes it out of the outbox. */
  private async setAsideEntry(key: string, input: SetAsideInput): Promise<void> {
    await this.deps.setAside.record(input);
    await this.deps.store.delete(key);
  }

  /**
   * Stores a batch; a batch KVS refuses as a value is split in halves, down to single events, and a single
   * event KVS refuses is set aside. A busy or failing store throws (the drain retries later).
   */
  private async storeBatch(entries: OutboxEntry[], stored: Batch[], setAsideKeys: Set<string>): Promise<number> {
    const batch = this.batchOf(entries);
    const value: StoredBatch = { createdAt: new Date(batch.createdMs).toISOString(), events: batch.events };
    try {
      await this.deps.store.set<StoredBatch>(batchKey(batch.id), value, { ttlSeconds: RETENTION_SECONDS + 86_400 });
      stored.push(batch);
      return writeUnits(value);
    } catch (error) {
      if (!isValueRefused(error)) throw error;
      if (entries.length === 1) {
        const entry = entries[0] as OutboxEntry;
        await this.setAsideEntry(entry.key, { stage: 'batch', reason: `App storage refused the event: ${errorMessage(error)}`, ...describeEvent(entry.event) });
        setAsideKeys.add(entry.key);
        return 1;
      }
      this.deps.logger.warn('App storage refused a batch: storing it in halves', { events: entries.length, problem: errorMessage(error) });
      const half = Math.ceil(entries.length / 2);
      return 1 + (await this.storeBatch(entries.slice(0, half), stored, setAsideKeys)) + (await this.storeBatch(entries.slice(half), stored, setAsideKeys));
    }
  }

  /** One job per (batch, subscribed webhook); a switched-off webhook gets its messages logged as skipped. */
  private plan(batches: Batch[], webhooks: FanOutWebhook[]): { tasks: DeliveryTask[]; skippedJobs: DeliveryJob[] } {
    const now = this.deps.clock.now().toISOString();
    const tasks: DeliveryTask[] = [];
    const skippedJobs: DeliveryJob[] = [];
    for (const batch of batches) {
      for (const webhook of webhooks) {
        const matching = batch.events.filter((event) => isDeliveredTo(webhook, event));
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
    return { tasks, skippedJobs };
  }

  private async fanOut(
    journal: DrainJournal,
    fresh: OutboxEntry[],
    outboxKeys: string[],
    webhooks: FanOutWebhook[],
  ): Promise<{ status: 'queued'; jobs: number; events: number } | { status: 'wait'; retryAfterSeconds: number }> {
    const { store, budget } = this.deps;
    const planned = this.batchesOf(fresh);
    const firstPlan = this.plan(planned, webhooks);
    const reservation = await budget.reserve(firstPlan.tasks.length);
    if (!reservation.granted) return { status: 'wait', retryAfterSeconds: reservation.retryAfterSeconds };
    const batches: Batch[] = [];
    const setAsideKeys = new Set<string>();
    let units = 0;
    for (const batch of planned) units += await this.storeBatch(batch.entries, batches, setAsideKeys);
    // A batch split or an event set aside changes the jobs: plan again from what was stored.
    const split = batches.length !== planned.length || setAsideKeys.size > 0;
    const { tasks, skippedJobs } = split ? this.plan(batches, webhooks) : firstPlan;
    if (tasks.length > firstPlan.tasks.length) {
      const more = await budget.reserve(tasks.length - firstPlan.tasks.length);
      if (!more.granted) return { status: 'wait', retryAfterSeconds: more.retryAfterSeconds };
    }
    if (setAsideKeys.size > 0) outboxKeys = outboxKeys.filter((key) => !setAsideKeys.has(key));
    const delivered = batches.flatMap((batch) => batch.entries);
    units += outboxKeys.length + tasks.length * WRITE_UNITS_PER_JOB;
    for (const job of skippedJobs) {
      units += writeUnits(job);
      await store.set(deliveryLogKey(job.jobId), job, { ttlSeconds: RETENTION_SECONDS });
    }
    this.remember(journal, delivered.map((entry) => entry.event.id));
    journal.pending = { batchIds: batches.map((b) => b.id), outboxKeys };
    units += writeUnits(journal);
    this.spend(journal, units);
    await store.set(DRAIN_JOURNAL_KEY, journal, { ttlSeconds: RETENTION_SECONDS });
    // Committed: from here a failure is finished by the next run (finishPending), never redone. The
    // outbox entries go first: if KVS refuses a delete (over its write rate), no job is queued into a
    // minute that has no room left for the delivery log records the jobs write after sending.
    for (const key of outboxKeys) await store.delete(key);
    if (tasks.length > 0) await this.deps.pushJobs(tasks);
    delete journal.pending;
    return { status: 'queued', jobs: tasks.length, events: delivered.length };
  }

  /** Pushes the jobs of a committed fan-out again (same ids) and deletes its outbox entries. */
  private async finishPending(journal: DrainJournal, webhooks: FanOutWebhook[]): Promise<{ status: 'done' } | { status: 'wait'; retryAfterSeconds: number }> {
    const { store, logger } = this.deps;
    const pending = journal.pending;
    if (!pending) return { status: 'done' };
    const batches: Batch[] = [];
    for (const id of pending.batchIds) {
      const stored = await store.get<StoredBatch>(batchKey(id));
      if (stored) batches.push({ id, createdMs: Date.parse(stored.createdAt), events: stored.events, entries: [] });
      else logger.error('A committed fan-out lost its batch', { batchId: id });
    }
    const { tasks } = this.plan(batches, webhooks);
    const reservation = await this.deps.budget.reserve(tasks.length);
    if (!reservation.granted) return { status: 'wait', retryAfterSeconds: reservation.retryAfterSeconds };
    for (const key of pending.outboxKeys) await store.delete(key);
    // A job pushed twice is harmless: the consumer finds its delivery-log record and sends nothing twice.
    if (tasks.length > 0) await this.deps.pushJobs(tasks);
    delete journal.pending;
    return { status: 'done' };
  }

  private recentIds(journal: DrainJournal): Set<string> {
    const ids = new Set<string>();
    const since = this.deps.clock.now().getTime() - RECENT_WINDOW_MS;
    for (const [minute, hashes] of Object.entries(journal.recent)) {
      if (Number(minute) < since) continue;
      for (let i = 0; i + ID_HASH_CHARS <= hashes.length; i += ID_HASH_CHARS) ids.add(hashes.slice(i, i + ID_HASH_CHARS));
    }
    return ids;
  }

  private remember(journal: DrainJournal, eventIds: string[]): void {
    const nowMs = this.deps.clock.now().getTime();
    const minute = String(nowMs - (nowMs % 60_000));
    journal.recent[minute] = (journal.recent[minute] ?? '') + eventIds.map(idHash).join('');
    const minutes = Object.keys(journal.recent).sort((a, b) => Number(b) - Number(a));
    let kept = 0;
    for (const key of minutes) {
      const count = (journal.recent[key] ?? '').length / ID_HASH_CHARS;
      if (Number(key) < nowMs - RECENT_WINDOW_MS || kept + count > RECENT_MAX_IDS) delete journal.recent[key];
      else kept += count;
    }
  }

  private liveSlots(journal: DrainJournal): [number, number][] {
    const nowSeconds = Math.floor(this.deps.clock.now().getTime() / 1000);
    // A slot holds spending from anywhere in its 5 s, which KVS counts for 60 s each: live until slot + 65 s.
    return Object.entries(journal.spent)
      .map(([slot, n]) => [Number(slot), n] as [number, number])
      .filter(([slot]) => nowSeconds < slot + SLOT_SECONDS + WINDOW_SECONDS)
      .sort((a, b) => a[0] - b[0]);
  }

  private spend(journal: DrainJournal, units: number): void {
    const nowSeconds = Math.floor(this.deps.clock.now().getTime() / 1000);
    const slot = nowSeconds - (nowSeconds % SLOT_SECONDS);
    const live = this.liveSlots(journal);
    journal.spent = Object.fromEntries(live.map(([s, n]) => [String(s), n]));
    journal.spent[String(slot)] = (journal.spent[String(slot)] ?? 0) + units;
  }

  /** 0 when the drain may go on now, else how long until the oldest spending leaves the minute. */
  private writeRoom(journal: DrainJournal): { retryAfterSeconds: number } {
    const live = this.liveSlots(journal);
    const used = live.reduce((sum, [, n]) => sum + n, 0);
    if (used < this.unitsPerMinute) return { retryAfterSeconds: 0 };
    const nowSeconds = Math.floor(this.deps.clock.now().getTime() / 1000);
    let freed = 0;
    for (const [slot, n] of live) {
      freed += n;
      if (used - freed < this.unitsPerMinute) return { retryAfterSeconds: Math.max(1, slot + SLOT_SECONDS + WINDOW_SECONDS - nowSeconds) };
    }
    return { retryAfterSeconds: WINDOW_SECONDS };
  }
}

