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
 * bucket it touched (almost always one; two when a run straddles an hour). Runs of one webhook that
 * finish at the same moment (Forge runs jobs side by side) can both read the bucket before either
 * writes it: the later write then loses the earlier run's counts. KVS has no increment, and a lock or
 * a key per run would cost more writes than the numbers are worth, so this is accepted and bounded: a
 * lost merge drops one run's counts, at most SENDS_PER_RUN (100) attempts, and only when two runs of one
 * webhook end within the few milliseconds between a get and a set. The counts are for charts and a rate,
 * never for deciding what to deliver (the delivery log is the record of that).
 */
export const STATS_PREFIX = 'delivery-stats:';
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

  /** One get and one set per hour bucket touched (see the header for concurrent runs). */
  async flush(store: KeyValueStore): Promise<void> {
    for (const [key, counts] of this.buckets) {
      const stored = readBucket(await store.get<unknown>(key)) ?? emptyBucket(counts.hour);
      const merged = mergeBuckets(stored, counts);
      await store.set(key, merged, { ttlSeconds: STATS_TTL_SECONDS });
    }
    this.buckets.clear();
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
    return buckets;
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
