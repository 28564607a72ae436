import { randomUUID } from 'node:crypto';
import type { Clock, KeyValueStore, Logger } from '../ports';
import { JOB_SIZE, batchIdFor, jobIdFor, messageIdFor, type DeliveryJob, type DeliveryTask } from '../delivery/job';
import { pipelineEventSchema, isDeliveredTo, type PipelineEvent } from './audit-event';
import { jsonDepth } from '../../domain/events/depth';
import type { SetAsideStage } from '../../domain/events/set-aside';
import { DedupJournal, idHash, idHashFromHex } from './dedup-journal';
import { DrainMarkers, memoryDrainPromise, untilOf } from './drain-marker';
import { DRAIN_JOURNAL_KEY, DRAIN_LEASE_KEY, DRAIN_STATE_KEY, OUTBOX_PREFIX, RETENTION_SECONDS, batchKey, deliveryLogKey } from './keys';
import { BLOCK_MS, blocksBetween, floorToBlock, nextBlock, recordTimeOf, type OutboxBlock } from './outbox-blocks';
import type { PushBudget } from './push-budget';
import { renderBody, trimEvent } from './render-body';
import { describeEvent, isValueRefused, type SetAsideInput, type SetAsideLog } from './set-aside';
import type { WebhookKind } from '../../domain/webhook/model';
import type { WebhookFilters } from '../../domain/webhook/event-filters';
import { errorMessage } from '../error-message';

export { RECENT_MAX_IDS, RECENT_WINDOW_MS, idHash } from './dedup-journal';

/** What fan-out needs to know of each webhook. */
export interface FanOutWebhook {
  id: string;
  name: string;
  events: readonly string[];
  /** Projects, issue types and actors: an event filtered out gets no job and no delivery log entry. */
  filters?: WebhookFilters;
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
  /** Queues this drain again, after `delaySeconds` (0: at once), naming the chain it continues. */
  pushDrain: (delaySeconds?: number, chain?: string) => Promise<void>;
  remainingMs: () => number;
  logger: Logger;
  /** KVS write units per rolling minute the drain may cause (its own writes and its jobs' first round). */
  writeUnitsPerMinute?: number;
  /** The bodies an event must render to before it is fanned out (default: renderBody, what delivery sends). */
  render?: (kind: WebhookKind, event: PipelineEvent) => string;
  /** Where entries go that cannot be stored, batched or rendered (the outbox's log: its app.event.set_aside
   * events go into the outbox this drain reads, and a later page delivers them). */
  setAside: SetAsideLog;
  /** Seconds between two looks at the outbox while events keep coming (default CADENCE_SECONDS). */
  cadenceSeconds?: number;
}

export type DrainResult =
  | { status: 'drained'; events: number; duplicates: number }
  | { status: 'yielded'; events: number; againInSeconds: number }
  | { status: 'continue'; events: number; retryAfterSeconds: number };

/**
 * The drain reads only outbox entries recorded more than this long ago: an outbox write that is slower
 * than the outbox's WRITE_DEADLINE_MS is repeated under a fresh key, so nothing older than the fence can
 * still land behind the mark. The rest is margin for runtimes' clocks and for KVS making a write visible.
 */
export const FENCE_MS = 3_000;
/**
 * While events keep coming, the drain looks every few seconds rather than after each one: each look costs
 * a lease, a state write and a push whatever it finds, so fewer, fuller looks cost fewer KVS write units
 * and queue events per event (docs/benchmarks.md); an event waits FENCE_MS plus at most this long.
 */
export const CADENCE_SECONDS = 4;
/**
 * The drain stays alive between looks only while events keep coming (at least this many fanned out in
 * the last BUSY_WINDOW_SECONDS); a trickle is drained at once, by a drain that then ends, so a lone event
 * is not held back by the fence or the cadence.
 */
const BUSY_EVENTS = 5;
const BUSY_WINDOW_SECONDS = 10;

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
/** A delivery job's first round writes its log record, maybe health, and a hop key when it goes on. */
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
  /** The outbox entries it was made of (empty for a batch read back from the previous version's journal). */
  entries: OutboxEntry[];
}

type Admission = { ok: true; event: PipelineEvent } | { ok: false; stage: SetAsideStage; reason: string };

/**
 * The drain's own state, one small KVS record written once per page. Nothing is deleted from the outbox:
 * the mark says how far it has been read. A page's fan-out is written (batches, jobs) before the mark
 * moves past it, so a drain stopped in between reads the same page again and fans it out again with the
 * same batch and job ids, which the delivery consumer treats as one job.
 */
interface DrainState {
  /** Every outbox entry recorded before this time (ms, a whole second) has been read. */
  markMs: number;
  /**
   * The block the drain stopped inside: the cursor of its next page, and the last key read (if KVS ever
   * refuses a saved cursor, the block is read again from its start, skipping up to that key).
   */
  block?: OutboxBlock & { cursor?: string; lastKey?: string };
  /** 5-second slot (s) -> KVS write units spent in it */
  spent: Record<string, number>;
  /** second -> events fanned out in it, over the last BUSY_WINDOW_SECONDS: whether events keep coming */
  fanned?: Record<string, number>;
  /**
   * The token of the one queued run that goes on. Forge may deliver a queue event twice; without this,
   * each copy would queue its own next run and the copies would live on as parallel chains of drains.
   */
  chain?: string;
}

const isState = (value: unknown): value is DrainState =>
  typeof value === 'object' && value !== null && typeof (value as DrainState).markMs === 'number' && typeof (value as DrainState).spent === 'object';

/** The previous version's journal: ids fanned out lately (12 hex characters each) and a committed fan-out. */
interface LegacyJournal {
  recent?: Record<string, string>;
  pending?: { batchIds: string[] };
}

/** KVS refused the request itself (HTTP 400: a cursor it no longer takes), as @forge/kvs reports it. */
const isRequestRefused = (error: unknown): boolean => {
  const details = (error as { responseDetails?: { status?: unknown }; code?: unknown } | undefined) ?? {};
  return details.responseDetails?.status === 400 || details.code === 'INVALID_CURSOR';
};

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

interface RunContext {
  state: DrainState;
  dedup: DedupJournal;
  seen: Set<string>;
  webhooks?: FanOutWebhook[];
  drained: number;
  duplicates: number;
  /** Entries set aside in this run: each put an app.event.set_aside event into the outbox, after the fence. */
  setAside: number;
}

type PageOutcome = { status: 'done'; jobs: number; events: number } | { status: 'wait'; retryAfterSeconds: number };

/**
 * Fans the outbox out: it reads the entries recorded before its fence, block by block behind its mark,
 * and turns each page into stored batches and one delivery job per subscribed webhook and batch, pushed
 * within the push budget and a KVS write pace. An event already fanned out in the last 3 hours
 * (RECENT_WINDOW_MS) is dropped as a duplicate. An entry that cannot be stored, batched or rendered is set
 * aside (a record and an app.event.set_aside event), never retried in place: no entry holds the outbox back.
 * While events keep coming it looks again every CADENCE_SECONDS; when its promise (drain:queued) runs
 * out with nothing new, it clears the marker and takes one last look.
 */
export class OutboxDrain {
  private readonly markers: DrainMarkers;

  constructor(private readonly deps: DrainDeps) {
    // The drain reads and extends the marker itself; it keeps no memory of it between runs.
    this.markers = new DrainMarkers(deps.store, deps.clock, memoryDrainPromise());
  }

  private get unitsPerMinute(): number {
    return this.deps.writeUnitsPerMinute ?? DRAIN_WRITE_UNITS_PER_MINUTE;
  }

  private get cadence(): number {
    return this.deps.cadenceSeconds ?? CADENCE_SECONDS;
  }

  /**
   * Runs one drain if no other drain holds the lease. Forge delivers a queue event at least once and may
   * run the copies side by side; two drains reading the same mark would fan the same page out twice.
   * The one that finds the lease taken asks to be called again when the lease ends.
   */
  async run(chain?: string): Promise<DrainResult> {
    const runId = randomUUID();
    const waitSeconds = await this.takeLease(runId);
    if (waitSeconds > 0) {
      this.deps.logger.info('Another drain is running: this one runs after it', { retryAfterSeconds: waitSeconds });
      return { status: 'continue', events: 0, retryAfterSeconds: waitSeconds };
    }
    try {
      return await this.runLeased(chain);
    } finally {
      await this.releaseLease(runId).catch(() => undefined);
    }
  }

  /**
   * Whether anything was recorded after the mark: what the scheduled poll asks before it queues a drain
   * (the safety net for a drain that could not be queued), at the cost of a query per block.
   */
  async hasWaiting(): Promise<boolean> {
    const { store, clock } = this.deps;
    const stored = await store.get<unknown>(DRAIN_STATE_KEY);
    if (!isState(stored)) return (await store.query<unknown>(OUTBOX_PREFIX, { limit: 1 })).results.length > 0;
    const from = stored.block?.startMs ?? stored.markMs;
    for (const block of blocksBetween(from, floorToBlock(clock.now().getTime()) + BLOCK_MS)) {
      if ((await store.query<unknown>(block.prefix, { limit: 1 })).results.length > 0) return true;
    }
    return false;
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

  private async runLeased(chain: string | undefined): Promise<DrainResult> {
    const { store, clock, logger } = this.deps;
    const stored = await store.get<unknown>(DRAIN_STATE_KEY);
    // A run queued by a drain that another copy of it has since replaced: that copy's chain goes on.
    if (chain !== undefined && isState(stored) && stored.chain !== undefined && stored.chain !== chain) {
      logger.info('A second copy of a drain run ends here: its twin goes on');
      return { status: 'drained', events: 0, duplicates: 0 };
    }
    const ctx: RunContext = { state: isState(stored) ? stored : await this.firstState(), dedup: new DedupJournal(store, clock, logger), seen: new Set(), drained: 0, duplicates: 0, setAside: 0 };
    ctx.seen = await ctx.dedup.load();
    if (!isState(stored)) await this.takeOverLegacyJournal(ctx);
    const save = () => store.set<DrainState>(DRAIN_STATE_KEY, ctx.state);
    const pause = async (retryAfterSeconds: number): Promise<DrainResult> => {
      await save();
      return { status: 'continue', events: ctx.drained, retryAfterSeconds };
    };
    for (;;) {
      if (this.deps.remainingMs() < TIME_RESERVE_MS) return pause(1);
      const room = this.writeRoom(ctx.state);
      if (room.retryAfterSeconds > 0) return pause(room.retryAfterSeconds);
      const fence = floorToBlock(clock.now().getTime() - FENCE_MS);
      // One fan-out takes up to a page of entries from as many closed blocks as it takes (a block is a
      // second or more), so a busy minute makes a few full batches, not one small batch per second.
      const before = { markMs: ctx.state.markMs, block: ctx.state.block };
      const collected: { key: string; value: unknown }[] = [];
      let read = false;
      for (;;) {
        const block = ctx.state.block ?? nextBlock(ctx.state.markMs, fence);
        if (!block || collected.length >= OUTBOX_PAGE) break;
        const page = await this.readBlock(block, ctx.state.block, OUTBOX_PAGE - collected.length);
        read = true;
        collected.push(...page.results);
        const lastKey = page.results[page.results.length - 1]?.key ?? ctx.state.block?.lastKey;
        if (page.more) ctx.state.block = { startMs: block.startMs, endMs: block.endMs, prefix: block.prefix, ...(page.nextCursor ? { cursor: page.nextCursor } : {}), ...(lastKey ? { lastKey } : {}) };
        else {
          ctx.state.markMs = block.endMs;
          delete ctx.state.block;
        }
      }
      if (!read) break;
      const outcome = await this.fanOutPage(ctx, collected, true);
      if (outcome.status === 'wait') {
        // Nothing of this page went out: the mark stays where it was.
        ctx.state.markMs = before.markMs;
        if (before.block) ctx.state.block = before.block;
        else delete ctx.state.block;
        return pause(outcome.retryAfterSeconds);
      }
      if (outcome.jobs > 0) {
        // Let the jobs just queued run (and write their logs) before this drain spends more KVS writes.
        if (this.busy(ctx.state)) await this.markers.extend(await this.markers.read());
        const backlog = ctx.state.block !== undefined || nextBlock(ctx.state.markMs, fence) !== undefined;
        return this.again(ctx, backlog ? 0 : this.cadence, true);
      }
      await save();
    }
    // Caught up with the fence. Entries recorded before the promise's end may not all be readable yet:
    // look again later. Once the promise has run out, clear the marker, then take one last look at
    // everything, fenced or not: a trigger that saw the marker recorded its event before the clear.
    let marker = await this.markers.read();
    // Events keep coming (or what this run set aside came back as app.event.set_aside events, after the
    // fence): promise to look again, so triggers need not queue drains or even read the marker.
    if (ctx.setAside > 0 || (marker && this.busy(ctx.state))) marker = await this.markers.extend(marker);
    const until = untilOf(marker);
    // A promise made is kept (triggers rely on it without reading the marker), busy or not.
    if (marker && floorToBlock(clock.now().getTime() - FENCE_MS) < until) {
      return this.again(ctx, Math.min(this.cadence, Math.max(1, Math.ceil((until + FENCE_MS - clock.now().getTime()) / 1000))));
    }
    if (marker) await this.markers.clear();
    const setAsideBefore = ctx.setAside;
    const outcome = await this.lastLook(ctx);
    await save();
    if (outcome.status === 'wait') return { status: 'continue', events: ctx.drained, retryAfterSeconds: outcome.retryAfterSeconds };
    if (ctx.setAside > setAsideBefore) {
      await this.markers.extend(undefined);
      return this.again(ctx, this.cadence);
    }
    return { status: 'drained', events: ctx.drained, duplicates: ctx.duplicates };
  }

  /**
   * One page of a block, from where the drain stopped inside it. A saved cursor is used as KVS gave it;
   * should KVS refuse it later (Forge does not document how long a cursor lasts), the block is read from
   * its start and what was read before (keys up to lastKey) is skipped: more reads, no entry lost.
   */
  private async readBlock(block: OutboxBlock, at: DrainState['block'], limit: number): Promise<{ results: { key: string; value: unknown }[]; nextCursor?: string; more: boolean }> {
    const { store, logger } = this.deps;
    if (at?.cursor) {
      try {
        const page = await store.query<unknown>(block.prefix, { limit, cursor: at.cursor });
        return { ...page, more: page.nextCursor !== undefined };
      } catch (error) {
        if (!isRequestRefused(error)) throw error;
        logger.warn('App storage refused a saved query cursor: reading the block again from its start', { prefix: block.prefix });
      }
    }
    if (!at?.lastKey) {
      const page = await store.query<unknown>(block.prefix, { limit });
      return { ...page, more: page.nextCursor !== undefined };
    }
    const after = at.lastKey;
    const results: { key: string; value: unknown }[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.query<unknown>(block.prefix, { limit: OUTBOX_PAGE, ...(cursor ? { cursor } : {}) });
      for (const result of page.results) {
        if (result.key <= after) continue;
        // Full: stop here, cursorless; the next read skips up to the last key taken.
        if (results.length >= limit) return { results, more: true };
        results.push(result);
      }
      cursor = page.nextCursor;
    } while (cursor);
    return { results, more: false };
  }

  /** Reads everything after the mark, up to now, without moving the mark (what it fans out, the journal drops next time). */
  private async lastLook(ctx: RunContext): Promise<PageOutcome> {
    const end = floorToBlock(this.deps.clock.now().getTime()) + BLOCK_MS;
    const start = ctx.state.block?.startMs ?? ctx.state.markMs;
    let jobs = 0;
    let events = 0;
    for (const block of blocksBetween(start, end)) {
      let cursor: string | undefined;
      do {
        const page = await this.deps.store.query<unknown>(block.prefix, { limit: OUTBOX_PAGE, ...(cursor ? { cursor } : {}) });
        const outcome = await this.fanOutPage(ctx, page.results, false);
        if (outcome.status === 'wait') return outcome;
        jobs += outcome.jobs;
        events += outcome.events;
        cursor = page.nextCursor;
      } while (cursor);
    }
    return { status: 'done', jobs, events };
  }

  /**
   * Saves the state naming a new chain token, then queues the run that carries it, after `delaySeconds`.
   * When the budget or the queue says no, the state keeps the old token and Forge calls this run again.
   */
  private async again(ctx: RunContext, delaySeconds: number, reserved = false): Promise<DrainResult> {
    const { store, budget, pushDrain, logger } = this.deps;
    const previous = ctx.state.chain;
    const keepPrevious = async (): Promise<void> => {
      if (previous === undefined) delete ctx.state.chain;
      else ctx.state.chain = previous;
      await store.set<DrainState>(DRAIN_STATE_KEY, ctx.state);
    };
    if (!reserved) {
      const reservation = await budget.reserve(1);
      if (!reservation.granted) {
        await store.set<DrainState>(DRAIN_STATE_KEY, ctx.state);
        return { status: 'continue', events: ctx.drained, retryAfterSeconds: Math.max(delaySeconds, reservation.retryAfterSeconds) };
      }
    }
    ctx.state.chain = randomUUID();
    await store.set<DrainState>(DRAIN_STATE_KEY, ctx.state);
    try {
      await pushDrain(delaySeconds, ctx.state.chain);
      return { status: 'yielded', events: ctx.drained, againInSeconds: delaySeconds };
    } catch (error) {
      logger.warn('Could not queue the drain again; Forge calls it again instead', { error: errorMessage(error) });
      await keepPrevious();
      return { status: 'continue', events: ctx.drained, retryAfterSeconds: Math.max(1, delaySeconds) };
    }
  }

  /**
   * The first mark: the oldest entry in the outbox (only what an older version had not drained yet, or
   * what was recorded since the install), so the first run does not query every block since 1970.
   */
  private async firstState(): Promise<DrainState> {
    const { store, clock } = this.deps;
    const oldest = (await store.query<unknown>(OUTBOX_PREFIX, { limit: 1 })).results[0];
    const at = oldest ? recordTimeOf(oldest.key) : Number.NaN;
    // Not after the fence either: a write still landing now may carry a time up to WRITE_DEADLINE_MS ago.
    const fence = floorToBlock(clock.now().getTime() - FENCE_MS);
    return { markMs: Number.isFinite(at) ? Math.min(floorToBlock(at), fence) : fence, spent: {} };
  }

  /**
   * The upgrade from the version that deleted drained entries: its journal's recent ids join the
   * de-duplication journal (the same 48 bits), and a fan-out it committed but may not have pushed is
   * pushed again (same job ids: the consumer runs each job once). The outbox then holds only what it had
   * not drained, and the first mark is its oldest entry (firstState).
   */
  private async takeOverLegacyJournal(ctx: RunContext): Promise<void> {
    const { store, logger } = this.deps;
    const legacy = await store.get<LegacyJournal>(DRAIN_JOURNAL_KEY);
    if (!legacy || typeof legacy !== 'object') return;
    const hashes = Object.values(legacy.recent ?? {}).flatMap((hex) => (typeof hex === 'string' ? hex.match(/[0-9a-f]{12}/g) ?? [] : []));
    const converted = hashes.map(idHashFromHex);
    await ctx.dedup.remember(converted);
    for (const hash of converted) ctx.seen.add(hash);
    const batchIds = Array.isArray(legacy.pending?.batchIds) ? legacy.pending.batchIds : [];
    if (batchIds.length > 0) {
      const batches: Batch[] = [];
      for (const id of batchIds) {
        const stored = await store.get<StoredBatch>(batchKey(id));
        if (stored) batches.push({ id, createdMs: Date.parse(stored.createdAt), events: stored.events, entries: [] });
        else logger.error('A committed fan-out lost its batch', { batchId: id });
      }
      ctx.webhooks ??= await this.deps.webhooks();
      const { tasks } = this.plan(batches, ctx.webhooks);
      if (tasks.length > 0) await this.deps.pushJobs(tasks);
    }
    await store.set<DrainState>(DRAIN_STATE_KEY, ctx.state);
    await store.delete(DRAIN_JOURNAL_KEY);
  }

  /**
   * One page of outbox entries: each is parsed, dropped when its id was fanned out lately, admitted or set
   * aside; the rest becomes batches and jobs. `reserveAgain` reserves the push of the drain's next run
   * with the jobs (one ledger write instead of two).
   */
  private async fanOutPage(ctx: RunContext, results: { key: string; value: unknown }[], reserveAgain: boolean): Promise<PageOutcome> {
    const { logger } = this.deps;
    if (results.length === 0) return { status: 'done', jobs: 0, events: 0 };
    const fresh: OutboxEntry[] = [];
    /** Hashes of the ids this page handled (fanned out or set aside), for the journal. */
    const handled: string[] = [];
    for (const result of results) {
      const parsed = pipelineEventSchema.safeParse(result.value);
      if (!parsed.success) {
        // No id to remember it by: its key stands in, so a second read of this block does not set it aside again.
        const keyHash = idHash(`outbox-key|${result.key}`);
        if (ctx.seen.has(keyHash)) continue;
        ctx.seen.add(keyHash);
        handled.push(keyHash);
        await this.setAsideEntry(ctx, {
          stage: 'batch',
          reason: `The outbox entry is not a readable event (${parsed.error.issues[0]?.message ?? 'malformed'})`,
          eventId: result.key.split(':').slice(3).join(':') || result.key,
        });
        continue;
      }
      const hash = idHash(parsed.data.id);
      // One id, one event: Jira's events can come twice, and so can the app's own (the auto-disable
      // event of a delivery job that runs twice). Two admin changes never share an id (each carries
      // a random part), so nothing real is dropped.
      if (ctx.seen.has(hash)) {
        ctx.duplicates += 1;
        logger.info('Dropped an event recorded twice', { eventId: parsed.data.id, type: parsed.data.type });
        continue;
      }
      ctx.seen.add(hash);
      handled.push(hash);
      const admitted = this.admit(parsed.data);
      if (!admitted.ok) {
        await this.setAsideEntry(ctx, { stage: admitted.stage, reason: admitted.reason, ...describeEvent(parsed.data) });
        continue;
      }
      fresh.push({ key: result.key, event: admitted.event });
    }
    // The webhooks (a read each, and their health) only for a page with something new to fan out.
    if (fresh.length > 0) ctx.webhooks ??= await this.deps.webhooks();
    const outcome = await this.fanOut(ctx, fresh, reserveAgain);
    if (outcome.status === 'wait') {
      for (const hash of handled) ctx.seen.delete(hash);
      return outcome;
    }
    await ctx.dedup.remember(handled);
    ctx.drained += outcome.events;
    this.noteFanned(ctx.state, outcome.events);
    return outcome;
  }

  private batchOf(part: OutboxEntry[]): Batch {
    const first = part[0] as OutboxEntry;
    const last = part[part.length - 1] as OutboxEntry;
    return { id: batchIdFor(first.key, last.key, part.length), createdMs: recordTimeOf(first.key), events: part.map((e) => e.event), entries: part };
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

  /**
   * Stores a batch; a batch KVS refuses as a value is split in halves, down to single events, and a single
   * event KVS refuses is set aside. A busy or failing store throws (the drain retries later).
   */
  private async storeBatch(ctx: RunContext, entries: OutboxEntry[], stored: Batch[], setAsideKeys: Set<string>): Promise<number> {
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
        await this.setAsideEntry(ctx, { stage: 'batch', reason: `App storage refused the event: ${errorMessage(error)}`, ...describeEvent(entry.event) });
        setAsideKeys.add(entry.key);
        return 1;
      }
      this.deps.logger.warn('App storage refused a batch: storing it in halves', { events: entries.length, problem: errorMessage(error) });
      const half = Math.ceil(entries.length / 2);
      return 1 + (await this.storeBatch(ctx, entries.slice(0, half), stored, setAsideKeys)) + (await this.storeBatch(ctx, entries.slice(half), stored, setAsideKeys));
    }
  }

  private async setAsideEntry(ctx: RunContext, input: SetAsideInput): Promise<void> {
    await this.deps.setAside.record(input);
    ctx.setAside += 1;
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

  /** Stores the page's batches, logs skipped jobs and pushes the others; the mark moves only after this. */
  private async fanOut(ctx: RunContext, fresh: OutboxEntry[], reserveAgain: boolean): Promise<PageOutcome> {
    const { store, budget } = this.deps;
    const webhooks = ctx.webhooks ?? [];
    const planned = splitIntoBatches(fresh).map((part) => this.batchOf(part));
    const firstPlan = this.plan(planned, webhooks);
    const extra = reserveAgain && firstPlan.tasks.length > 0 ? 1 : 0;
    const reservation = await budget.reserve(firstPlan.tasks.length + extra);
    if (!reservation.granted) return { status: 'wait', retryAfterSeconds: reservation.retryAfterSeconds };
    const batches: Batch[] = [];
    const setAsideKeys = new Set<string>();
    let units = 0;
    for (const batch of planned) units += await this.storeBatch(ctx, batch.entries, batches, setAsideKeys);
    // A batch split or an event set aside changes the jobs: plan again from what was stored.
    const split = batches.length !== planned.length || setAsideKeys.size > 0;
    const { tasks, skippedJobs } = split ? this.plan(batches, webhooks) : firstPlan;
    if (tasks.length > firstPlan.tasks.length) {
      const more = await budget.reserve(tasks.length - firstPlan.tasks.length);
      if (!more.granted) return { status: 'wait', retryAfterSeconds: more.retryAfterSeconds };
    }
    units += tasks.length * WRITE_UNITS_PER_JOB + 2;
    for (const job of skippedJobs) {
      units += writeUnits(job);
      await store.set(deliveryLogKey(job.jobId), job, { ttlSeconds: RETENTION_SECONDS });
    }
    this.spend(ctx.state, units);
    if (tasks.length > 0) await this.deps.pushJobs(tasks);
    return { status: 'done', jobs: tasks.length, events: batches.reduce((sum, batch) => sum + batch.events.length, 0) };
  }

  private noteFanned(state: DrainState, events: number): void {
    if (events === 0) return;
    const nowSeconds = Math.floor(this.deps.clock.now().getTime() / 1000);
    const live = Object.entries(state.fanned ?? {}).filter(([second]) => Number(second) > nowSeconds - BUSY_WINDOW_SECONDS);
    state.fanned = Object.fromEntries(live);
    state.fanned[String(nowSeconds)] = (state.fanned[String(nowSeconds)] ?? 0) + events;
  }

  private busy(state: DrainState): boolean {
    const nowSeconds = Math.floor(this.deps.clock.now().getTime() / 1000);
    const recent = Object.entries(state.fanned ?? {}).filter(([second]) => Number(second) > nowSeconds - BUSY_WINDOW_SECONDS);
    return recent.reduce((sum, [, n]) => sum + n, 0) >= BUSY_EVENTS;
  }

  private liveSlots(state: DrainState): [number, number][] {
    const nowSeconds = Math.floor(this.deps.clock.now().getTime() / 1000);
    // A slot holds spending from anywhere in its 5 s, which KVS counts for 60 s each: live until slot + 65 s.
    return Object.entries(state.spent)
      .map(([slot, n]) => [Number(slot), n] as [number, number])
      .filter(([slot]) => nowSeconds < slot + SLOT_SECONDS + WINDOW_SECONDS)
      .sort((a, b) => a[0] - b[0]);
  }

  private spend(state: DrainState, units: number): void {
    const nowSeconds = Math.floor(this.deps.clock.now().getTime() / 1000);
    const slot = nowSeconds - (nowSeconds % SLOT_SECONDS);
    const live = this.liveSlots(state);
    state.spent = Object.fromEntries(live.map(([s, n]) => [String(s), n]));
    state.spent[String(slot)] = (state.spent[String(slot)] ?? 0) + units;
  }

  /** 0 when the drain may go on now, else how long until the oldest spending leaves the minute. */
  private writeRoom(state: DrainState): { retryAfterSeconds: number } {
    const live = this.liveSlots(state);
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
