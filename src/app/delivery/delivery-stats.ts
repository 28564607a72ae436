import type { KeyValueStore } from '../ports';

/**
 * Compact delivery aggregates: per webhook and per UTC hour, counts of attempts by outcome and the sum
 * and count of request durations. They feed "last successful delivery", "success rate over 24 h" and
 * the hourly series of deliveries.stats (24 h or 7 days, per webhook or summed over all of them).
 *
 *   KVS  delivery-stats:<webhookId>:<yyyy-mm-ddThh>   HourBucket, TTL 8 days (7 days of series + a day)
 *
 * One key per webhook and hour, so a prefix query on `delivery-stats:<webhookId>:` reads a webhook's
 * whole 8 days in at most 2 pages (192 keys), in hour order; the site-wide series is the sum of the
 * webhooks' series at read time (no second, contended, site-wide key to write on every run).
 *
 * Cost: a delivery-job run adds its counts in memory and merges them with one get and one set per hour
 * bucket it touched (almost always one; two when a run straddles an hour), at most once per
 * STATS_WRITE_INTERVAL_MS (a minute) per bucket and runtime (runs in between are merged into the next write;
 * delivery-throughput.test.ts, 50 webhooks in a burst, went over the KVS write quota when every run wrote). Runs of one webhook that
 * finish at the same moment (Forge runs jobs side by side) can both read the bucket before either
 * writes it: the later write then loses the earlier run's counts. KVS has no increment, and a lock or
 * a key per run would cost more writes than the numbers are worth, so this is accepted and bounded: a
 * lost merge drops one run's counts, at most SENDS_PER_RUN (100) attempts, and only when two runs of one
 * webhook end within the few milliseconds between a get and a set. The counts are for charts and a rate,
 * never for deciding what to deliver (the delivery log is the record of that).
 */
export const STATS_PREFIX = 'delivery-stats:';
/** Least time between two writes of one webhook-hour by one runtime: runs in between add to its pending counts. */
export const STATS_WRITE_INTERVAL_MS = 60_000;
/** Buckets this runtime remembers writing (webhooks × hours in play): old entries are forgotten first. */
const MEMORY_MAX_BUCKETS = 2_000;
/** Counts of this runtime not written yet, and when it last wrote each bucket (module state: warm runtimes keep it). */
const pending = new Map<string, HourBucket>();
const lastWriteMs = new Map<string, number>();

/** This runtime's counts not written yet for a webhook, so its own readers are not behind its writes. */
export const pendingFor = (webhookId: string): HourBucket[] => [...pending].filter(([key]) => key.startsWith(`${STATS_PREFIX}${webhookId}:`)).map(([, bucket]) => bucket);
export const STATS_TTL_SECONDS = 8 * 24 * 3_600;
const HOUR_MS = 3_600_000;

export interface HourCounts {
  /** Attempts that delivered (one per event, also within a batch). */
  delivered: number;
  /** Attempts that failed for good: permanent answers, the last retry, the endpoint gone. */
  failed: number;
  /** Attempts that failed and will be retried. */
  retried: number;
  /** Sum and count of request durations (a batch is one request), for mean latency. */
  durationMsSum: number;
  durationCount: number;
}

export interface HourBucket extends HourCounts {
  /** The hour's start, ISO (e.g. 2026-11-30T16:00:00.000Z). */
  hour: string;
  /** The latest delivered attempt in this hour. */
  lastDeliveredAt?: string;
}

export const statsKey = (webhookId: string, hourStart: Date): string => `${STATS_PREFIX}${webhookId}:${hourStart.toISOString().slice(0, 13)}`;
export const hourStart = (at: Date): Date => new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);

const emptyBucket = (hour: string): HourBucket => ({ hour, delivered: 0, failed: 0, retried: 0, durationMsSum: 0, durationCount: 0 });

export type AttemptOutcomeKind = 'delivered' | 'failed' | 'retried';

/** One run's counts, kept in memory and written once by flush. */
export class RunStats {
  private readonly buckets = new Map<string, HourBucket>();

  constructor(private readonly webhookId: string) {}

  attempt(at: Date, outcome: AttemptOutcomeKind): void {
    const bucket = this.bucket(at);
    bucket[outcome] += 1;
    if (outcome === 'delivered' && (bucket.lastDeliveredAt === undefined || bucket.lastDeliveredAt < at.toISOString())) bucket.lastDeliveredAt = at.toISOString();
  }

  request(at: Date, durationMs: number): void {
    const bucket = this.bucket(at);
    bucket.durationMsSum += Math.max(0, Math.round(durationMs));
    bucket.durationCount += 1;
  }

  get empty(): boolean {
    return this.buckets.size === 0;
  }

  /**
   * Adds this run's counts to the runtime's pending counts, then writes (one get and one set) each bucket
   * this runtime has not written for STATS_WRITE_INTERVAL_MS, with everything pending for it, this run's
   * and earlier deferred runs' alike. Under a burst (hundreds of runs a minute), a webhook's hour is so
   * written about once per interval per runtime instead of once per run, which keeps the aggregates from
   * pushing the app over Forge's KVS write quota. A runtime that stops with deferred counts loses them (at
   * most one interval's worth of one webhook-hour); readers in this runtime see them (pendingFor).
   */
  async flush(store: KeyValueStore, nowMs: number): Promise<void> {
    for (const [key, counts] of this.buckets) pending.set(key, mergeBuckets(pending.get(key) ?? emptyBucket(counts.hour), counts));
    this.buckets.clear();
    for (const [key, counts] of [...pending]) {
      const last = lastWriteMs.get(key);
      if (last !== undefined && nowMs - last < STATS_WRITE_INTERVAL_MS) continue;
      lastWriteMs.set(key, nowMs);
      pending.delete(key);
      const stored = readBucket(await store.get<unknown>(key)) ?? emptyBucket(counts.hour);
      await store.set(key, mergeBuckets(stored, counts), { ttlSeconds: STATS_TTL_SECONDS });
    }
    if (lastWriteMs.size > MEMORY_MAX_BUCKETS) for (const key of [...lastWriteMs.keys()].slice(0, lastWriteMs.size - MEMORY_MAX_BUCKETS)) if (!pending.has(key)) lastWriteMs.delete(key);
  }

  private bucket(at: Date): HourBucket {
    const start = hourStart(at);
    const key = statsKey(this.webhookId, start);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = emptyBucket(start.toISOString());
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

export const mergeBuckets = (a: HourBucket, b: HourCounts & { lastDeliveredAt?: string }): HourBucket => {
  const last = [a.lastDeliveredAt, b.lastDeliveredAt].filter((v): v is string => v !== undefined).sort().pop();
  return {
    hour: a.hour,
    delivered: a.delivered + b.delivered,
    failed: a.failed + b.failed,
    retried: a.retried + b.retried,
    durationMsSum: a.durationMsSum + b.durationMsSum,
    durationCount: a.durationCount + b.durationCount,
    ...(last === undefined ? {} : { lastDeliveredAt: last }),
  };
};

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);

/** A stored bucket, or undefined when the value is not one (never trusted blindly: it is read back from KVS). */
export const readBucket = (value: unknown): HourBucket | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.hour !== 'string') return undefined;
  return {
    hour: v.hour,
    delivered: count(v.delivered),
    failed: count(v.failed),
    retried: count(v.retried),
    durationMsSum: count(v.durationMsSum),
    durationCount: count(v.durationCount),
    ...(typeof v.lastDeliveredAt === 'string' ? { lastDeliveredAt: v.lastDeliveredAt } : {}),
  };
};

export interface HealthStats {
  lastSuccessAt?: string;
  /** Delivered attempts / all attempts over the last 24 h; absent when nothing was attempted. */
  successRate24h?: number;
}

/** Reads the aggregates back. */
export class DeliveryStats {
  constructor(private readonly store: KeyValueStore) {}

  /** Every stored bucket of a webhook (at most 8 days), in hour order. */
  async buckets(webhookId: string): Promise<HourBucket[]> {
    const buckets: HourBucket[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.query<unknown>(`${STATS_PREFIX}${webhookId}:`, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const entry of page.results) {
        const bucket = readBucket(entry.value);
        if (bucket) buckets.push(bucket);
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    for (const extra of pendingFor(webhookId)) {
      const index = buckets.findIndex((bucket) => bucket.hour === extra.hour);
      if (index >= 0) buckets[index] = mergeBuckets(buckets[index] as HourBucket, extra);
      else buckets.push(extra);
    }
    return buckets.sort((a, b) => a.hour.localeCompare(b.hour));
  }

  /** Last success (within the 8 days kept) and the 24-hour success rate: one query of a webhook's buckets. */
  async health(webhookId: string, now: Date): Promise<HealthStats> {
    return healthStats(await this.buckets(webhookId), now);
  }

  /** `hours` hourly buckets ending with the current hour, zeros where nothing was attempted, summed over the webhooks given. */
  async series(webhookIds: readonly string[], hours: number, now: Date): Promise<HourBucket[]> {
    const first = hourStart(now).getTime() - (hours - 1) * HOUR_MS;
    const series = Array.from({ length: hours }, (_, index) => emptyBucket(new Date(first + index * HOUR_MS).toISOString()));
    const all = await Promise.all(webhookIds.map((id) => this.buckets(id)));
    for (const bucket of all.flat()) {
      const index = Math.round((Date.parse(bucket.hour) - first) / HOUR_MS);
      const slot = series[index];
      if (slot) series[index] = mergeBuckets(slot, bucket);
    }
    return series;
  }
}

export const healthStats = (buckets: readonly HourBucket[], now: Date): HealthStats => {
  const from = hourStart(now).getTime() - 23 * HOUR_MS;
  let delivered = 0;
  let attempts = 0;
  let last: string | undefined;
  for (const bucket of buckets) {
    if (bucket.lastDeliveredAt !== undefined && (last === undefined || bucket.lastDeliveredAt > last)) last = bucket.lastDeliveredAt;
    if (Date.parse(bucket.hour) < from) continue;
    delivered += bucket.delivered;
    attempts += bucket.delivered + bucket.failed + bucket.retried;
  }
  return {
    ...(last === undefined ? {} : { lastSuccessAt: last }),
    ...(attempts === 0 ? {} : { successRate24h: delivered / attempts }),
  };
};
