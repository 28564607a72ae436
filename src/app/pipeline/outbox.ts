import type { Clock, KeyValueStore, Logger } from '../ports';
import type { PipelineEvent } from './audit-event';
import { DRAIN_MARKER_KEY, RETENTION_SECONDS, outboxKey } from './keys';
import type { PushBudget, Reservation } from './push-budget';
import { trimEvent } from './render-body';
import { SetAsideLog, describeEvent, isValueRefused } from './set-aside';
import { errorMessage } from '../error-message';

export interface OutboxDeps {
  store: KeyValueStore;
  clock: Clock;
  budget: PushBudget;
  pushDrain: () => Promise<void>;
  logger: Logger;
}

/** A queued drain that has not cleared its marker within this time is presumed lost and queued again. */
const DRAIN_MARKER_STALE_MS = 10 * 60 * 1000;

interface DrainMarker {
  at: string;
}

/**
 * Records accepted events durably before anything that can fail: one KVS write per event, no queue push
 * per event. Pushes are coalesced into one drain of the outbox, which fans events out in batches.
 */
export class Outbox {
  /** Events this outbox cannot take: recorded where an admin sees them, as app.event.set_aside in this outbox. */
  readonly setAside: SetAsideLog;

  constructor(private readonly deps: OutboxDeps) {
    this.setAside = new SetAsideLog({ store: deps.store, clock: deps.clock, logger: deps.logger, emit: (events) => this.record(events) });
  }

  /** Records the events and asks for a drain; only a failed write throws (then a retry is safe). */
  async accept(events: PipelineEvent[]): Promise<void> {
    await this.record(events);
    if (events.length > 0) await this.requestDrainQuietly();
  }

  /**
   * The durable write, one key per event. An event recorded twice (a retried trigger, a re-read audit
   * page) is dropped by the drain, which remembers the ids it fanned out lately. Every event is bounded
   * in depth and size first (trimEvent); one that KVS still refuses as a value (too deep, too big) is set
   * aside, visibly, and the others are recorded. A busy or failing store throws: nothing is set aside
   * for a failure a retry can cure.
   */
  async record(events: PipelineEvent[]): Promise<void> {
    const acceptedAt = this.deps.clock.now().getTime();
    for (const event of events) {
      let stored: PipelineEvent;
      try {
        stored = trimEvent(event);
      } catch (error) {
        await this.setAside.record({ stage: 'outbox', reason: `The event could not be bounded for storage: ${errorMessage(error)}`, ...describeEvent(event) });
        continue;
      }
      try {
        await this.deps.store.set(outboxKey(acceptedAt, event.id), stored, { ttlSeconds: RETENTION_SECONDS });
      } catch (error) {
        if (!isValueRefused(error)) throw error;
        await this.setAside.record({ stage: 'outbox', reason: `App storage refused the event: ${errorMessage(error)}`, ...describeEvent(event) });
      }
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
   * Queues one drain for many recorded events. The marker is claimed with a create-only write, so of
   * many triggers recording at the same moment one pushes a drain and the others rely on it (each push
   * would also count against Forge's 500 queued events a minute, and concurrent reservations in the push
   * budget could miss each other).
   */
  async requestDrain(): Promise<void> {
    const { store, clock, budget, pushDrain, logger } = this.deps;
    const marker = await store.get<DrainMarker>(DRAIN_MARKER_KEY);
    const now = clock.now();
    if (marker && now.getTime() - Date.parse(marker.at) < DRAIN_MARKER_STALE_MS) return;
    const value: DrainMarker = { at: now.toISOString() };
    if (marker) await store.set<DrainMarker>(DRAIN_MARKER_KEY, value, { ttlSeconds: 3600 });
    else if (!(await store.setIfAbsent<DrainMarker>(DRAIN_MARKER_KEY, value, { ttlSeconds: 3600 }))) return;
    let reservation: Reservation;
    try {
      reservation = await budget.reserve(1);
    } catch (error) {
      // Let the next recorded event (or the scheduled poll) try again rather than wait for a stale marker.
      await store.delete(DRAIN_MARKER_KEY).catch(() => undefined);
      throw error;
    }
    // Without room in this minute's push budget the events stay in the outbox: the running drain or the
    // next scheduled poll (every 5 minutes) picks them up, so nothing is lost.
    if (!reservation.granted) {
      await store.delete(DRAIN_MARKER_KEY);
      return;
    }
    try {
      await pushDrain();
    } catch (error) {
      await store.delete(DRAIN_MARKER_KEY);
      logger.warn('Could not queue an outbox drain; the scheduled poll will drain it', { error: (error as Error).message });
    }
  }
}

