import type { Clock, KeyValueStore, Logger } from '../ports';
import type { PipelineEvent } from './audit-event';
import { DRAIN_MARKER_KEY, RETENTION_SECONDS, outboxKey } from './keys';
import type { PushBudget } from './push-budget';
import { trimEvent } from './render-body';

/** Queues a drain of the outbox (the audit-pipeline consumer). */
export interface DrainRequester {
  requestDrain(): Promise<void>;
}

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
export class Outbox implements DrainRequester {
  constructor(private readonly deps: OutboxDeps) {}

  async accept(events: PipelineEvent[]): Promise<void> {
    const acceptedAt = this.deps.clock.now().getTime();
    for (const event of events) {
      await this.deps.store.set(outboxKey(acceptedAt, event.id), trimEvent(event), { ttlSeconds: RETENTION_SECONDS });
    }
    if (events.length > 0) await this.requestDrain();
  }

  async requestDrain(): Promise<void> {
    const { store, clock, budget, pushDrain, logger } = this.deps;
    const marker = await store.get<DrainMarker>(DRAIN_MARKER_KEY);
    const now = clock.now();
    if (marker && now.getTime() - Date.parse(marker.at) < DRAIN_MARKER_STALE_MS) return;
    const reservation = await budget.reserve(1);
    // Without room in this minute's push budget the events stay in the outbox: the running drain or the
    // next scheduled poll (every 5 minutes) picks them up, so nothing is lost.
    if (!reservation.granted) return;
    await store.set<DrainMarker>(DRAIN_MARKER_KEY, { at: now.toISOString() }, { ttlSeconds: 3600 });
    try {
      await pushDrain();
    } catch (error) {
      await store.delete(DRAIN_MARKER_KEY);
      logger.warn('Could not queue an outbox drain; the scheduled poll will drain it', { error: (error as Error).message });
    }
  }
}
