import type { Clock, KeyValueStore, Logger } from '../ports';
import type { PipelineEvent } from './audit-event';
import { DrainMarkers, STALE_AFTER_MS, aliveAt, memoryDrainPromise, type DrainPromiseMemo } from './drain-marker';
import { RETENTION_SECONDS, outboxKey } from './keys';
import type { PushBudget, Reservation } from './push-budget';
import { trimEvent } from './render-body';
import { SetAsideLog, describeEvent, isValueRefused } from './set-aside';
import { errorMessage } from '../error-message';

export interface OutboxDeps {
  store: KeyValueStore;
  clock: Clock;
  budget: PushBudget;
  pushDrain: (delaySeconds?: number) => Promise<void>;
  logger: Logger;
  /** What this runtime remembers of the drain's promise (default: nothing shared, each Outbox its own). */
  drainPromise?: DrainPromiseMemo;
}

/**
 * An outbox write must be readable within this time of the record time in its key, or the drain's fence
 * (OutboxDrain: it reads only keys older than FENCE_MS) may already have passed it: then the event is
 * written again under a fresh key, and the drain drops whichever copy it finds second.
 */
export const WRITE_DEADLINE_MS = 1_500;
const MAX_WRITE_TRIES = 3;

/**
 * Records accepted events durably before anything that can fail: one KVS write per event, no queue push
 * per event, and no delete later (entries expire by TTL behind the drain's mark). Pushes are coalesced
 * into one drain of the outbox, which fans events out in batches.
 */
export class Outbox {
  /** Events this outbox cannot take: recorded where an admin sees them, as app.event.set_aside in this outbox. */
  readonly setAside: SetAsideLog;
  private readonly markers: DrainMarkers;

  constructor(private readonly deps: OutboxDeps) {
    this.setAside = new SetAsideLog({ store: deps.store, clock: deps.clock, logger: deps.logger, emit: (events) => this.record(events) });
    this.markers = new DrainMarkers(deps.store, deps.clock, deps.drainPromise ?? memoryDrainPromise());
  }

  /** Records the events and asks for a drain; only a failed write throws (then a retry is safe). */
  async accept(events: PipelineEvent[]): Promise<void> {
    await this.record(events);
    if (events.length > 0) await this.requestDrainQuietly();
  }

  /**
   * The durable write, one key per event, keyed by the time just before the write. An event recorded
   * twice (a retried trigger, a re-read audit page) is dropped by the drain, which remembers the ids it
   * fanned out lately. Every event is bounded in depth and size first (trimEvent); one that KVS still
   * refuses as a value (too deep, too big) is set aside, visibly, and the others are recorded. A busy or
   * failing store throws: nothing is set aside for a failure a retry can cure.
   */
  async record(events: PipelineEvent[]): Promise<void> {
    for (const event of events) {
      let stored: PipelineEvent;
      try {
        stored = trimEvent(event);
      } catch (error) {
        await this.setAside.record({ stage: 'outbox', reason: `The event could not be bounded for storage: ${errorMessage(error)}`, ...describeEvent(event) });
        continue;
      }
      try {
        await this.writeInTime(stored);
      } catch (error) {
        if (!isValueRefused(error)) throw error;
        await this.setAside.record({ stage: 'outbox', reason: `App storage refused the event: ${errorMessage(error)}`, ...describeEvent(event) });
      }
    }
  }

  /** A write that took longer than WRITE_DEADLINE_MS is repeated under a fresh key (see there). */
  private async writeInTime(event: PipelineEvent): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const recordedAt = this.deps.clock.now().getTime();
      await this.deps.store.set(outboxKey(recordedAt, event.id), event, { ttlSeconds: RETENTION_SECONDS });
      const took = this.deps.clock.now().getTime() - recordedAt;
      if (took <= WRITE_DEADLINE_MS) return;
      if (attempt >= MAX_WRITE_TRIES) throw new Error(`App storage took ${took} ms to record an event, ${MAX_WRITE_TRIES} times; a retry records it again`);
      this.deps.logger.warn('An outbox write was slow: recording the event again under a fresh key', { eventId: event.id, tookMs: took });
    }
  }

  /**
   * Asks for a drain once events are recorded. A failure here must not fail the caller: the events are
   * safe in the outbox, and the running drain or the scheduled poll (every 5 minutes) picks them up.
   */
  async requestDrainQuietly(): Promise<void> {
    try {
      await this.requestDrain();
    } catch (error) {
      this.deps.logger.warn('Events recorded, but a drain could not be requested now; the scheduled poll will drain them', {
        error: errorMessage(error),
      });
    }
  }

  /**
   * Makes sure a drain will look at the outbox after what was just recorded. A drain's promise (the
   * marker's `until`) covers every entry recorded before it; a warm runtime that learned of a promise
   * lately relies on it without a read. Otherwise the marker is read, and claimed with a create-only
   * write when there is none (or only a dead drain's), so of many triggers recording at once one pushes
   * a drain (each push counts against Forge's 500 queued events a minute).
   */
  async requestDrain(): Promise<void> {
    const { clock, budget, pushDrain, logger } = this.deps;
    const now = clock.now().getTime();
    if (this.markers.remembered(now)) return;
    const marker = await this.markers.read();
    // A live drain (or one finishing its last look, which comes after this read) sees what was recorded.
    if (marker && now < aliveAt(marker) + STALE_AFTER_MS) {
      this.markers.learn(marker, now);
      return;
    }
    const value = this.markers.fresh(now);
    if (marker) await this.markers.write(value);
    else if (!(await this.markers.claim(value))) return;
    let reservation: Reservation;
    try {
      reservation = await budget.reserve(1);
    } catch (error) {
      // Let the next recorded event (or the scheduled poll) try again rather than wait for a stale marker.
      await this.markers.clear().catch(() => undefined);
      throw error;
    }
    // Without room in this minute's push budget the events stay in the outbox: the running drain or the
    // next scheduled poll (every 5 minutes) picks them up, so nothing is lost.
    if (!reservation.granted) {
      await this.markers.clear();
      return;
    }
    try {
      await pushDrain();
    } catch (error) {
      await this.markers.clear();
      logger.warn('Could not queue an outbox drain; the scheduled poll will drain it', { error: errorMessage(error) });
    }
  }
}
