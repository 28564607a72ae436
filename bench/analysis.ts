/** Turns a scenario's raw counts into per-unit figures, Forge limit head-room and a billing estimate. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { eventsPerRequestCap, type ScenarioResult } from './pipeline';
import { sumFamilies, type FamilyCounts, type RateSample } from './support/instruments';

/** Forge's per-installation limits (GUIDE §1, /work/shared/reference/forge-platform.md). */
export const FORGE_LIMITS = {
  kvsWriteUnitsPerMinute: 4000,
  kvsReadUnitsPerMinute: 4000,
  queueEventsPerMinute: 500,
  /** the app's own push budget (src/app/pipeline/push-budget.ts) */
  appPushBudgetPerMinute: 450,
  egressPerMinute: 50_000,
} as const;

/** Consumption prices from forge-platform.md §9 (USD, from 2026-01-01). */
export const FORGE_PRICES = {
  functionGbSecond: 0.000025,
  kvsReadGb: 0.055,
  kvsWriteGb: 1.09,
  freeGbSecondsPerMonth: 100_000,
  freeKvsReadGbPerMonth: 0.1,
  freeKvsWriteGbPerMonth: 0.1,
} as const;

/** What the local host cannot measure, for the cost per million deliveries: locally a KVS call takes
 * microseconds and a receiver answers at once; on Forge the function waits for both, and is billed for
 * it. Assumptions, printed with the figure. */
export const COST_ASSUMPTIONS = {
  /** each KVS call (get, set, delete, query) and each queue push */
  platformCallMs: 20,
  /** each HTTP request to a webhook, retries and re-sent messages included (the app sends one at a time) */
  receiverMs: 200,
} as const;

/** GB as 10^9 bytes (Atlassian's price page does not say; 2^30 would lower the GB figures by 7 %). */
const GB = 1e9;

export const manifestMemoryMB = (appDir: string): number => {
  const manifest = parse(fs.readFileSync(path.join(appDir, 'manifest.yml'), 'utf8')) as { app?: { runtime?: { memoryMB?: unknown } } };
  const memory = manifest.app?.runtime?.memoryMB;
  // Forge's default when the manifest sets none (forge-platform.md: memory was fixed at 512 MB before).
  return typeof memory === 'number' ? memory : 512;
};

export interface PerUnit {
  kvsReads: number;
  kvsWrites: number;
  kvsDeletes: number;
  kvsQueries: number;
  kvsBytesRead: number;
  kvsBytesWritten: number;
  kvsReadUnits: number;
  /** writes and deletes, in Forge's 10 KB units (a delete counts one unit) */
  kvsWriteUnits: number;
  queuePushes: number;
  queueEvents: number;
  egressRequests: number;
  invocations: Record<string, number>;
}

export interface CostPerMillionDeliveries {
  assumptions: { platformCallMs: number; receiverMs: number; memoryMB: number; freeAllowanceDeducted: false };
  platformCallsPerDelivery: number;
  httpRequestsPerDelivery: number;
  gbSeconds: { measured: number; platformLatency: number; receiverLatency: number; total: number };
  kvsGbWritten: number;
  kvsGbRead: number;
  usd: { functions: number; kvsWrites: number; kvsReads: number; total: number };
}

export interface LimitRow {
  limit: string;
  perMinute: number;
  perEvent: number;
  /** events per minute this limit allows on its own */
  eventsPerMinute: number;
}

export interface Analysis {
  name: string;
  events: number;
  webhooks: number;
  deliveries: number;
  throughput: { eventsPerSecond: number; deliveriesPerSecond: number; realSeconds: number; cpuSeconds: number; cpuMsPerEvent: number; cpuMsPerDelivery: number; virtualMinutes: number };
  perEvent: PerUnit;
  perDelivery: PerUnit;
  deliveryLog: { writesPerDelivery: number; writeUnitsPerDelivery: number; bytesPerDelivery: number; bytesPerRecord: number; deliveriesPerRecord: number };
  /** The hourly delivery aggregates (`delivery-stats:` keys, issue 13): what they add per delivered message. */
  aggregates: { readsPerDelivery: number; writesPerDelivery: number; readUnitsPerDelivery: number; writeUnitsPerDelivery: number; queriesPerDelivery: number; bytesPerWrite: number };
  kvsWritesPerDelivery: number;
  kvsWriteUnitsPerDelivery: number;
  limits: { rows: LimitRow[]; sustainedEventsPerMinute: number; binding: string; withinAppBudgetEventsPerMinute: number };
  billing: {
    memoryMB: number;
    wallSecondsPer1000Events: Record<string, number>;
    gbSecondsPer1000Events: number;
    /** the same from CPU time: the figure on an idle machine with no platform latency (a floor) */
    gbSecondsPer1000EventsFromCpu: number;
    platformCallsPerEvent: number;
    /** GB-s per 1,000 events added by each 10 ms of KVS/queue round trip (not measured locally) */
    gbSecondsPer1000EventsPer10msPlatformLatency: number;
    /** GB-s per 1,000 events added by each 100 ms a receiver takes to answer */
    gbSecondsPer1000EventsPer100msReceiver: number;
    kvsWriteGbPer1000Events: number;
    kvsReadGbPer1000Events: number;
    usdPer1000Events: { functions: number; kvsWrites: number; kvsReads: number; total: number };
    /** events a month that fit in each free allowance */
    freeTierEventsPerMonth: { functions: number; kvsWrites: number; kvsReads: number };
    /** USD per million delivered messages at Forge's prices, no free allowance deducted */
    perMillionDeliveries: CostPerMillionDeliveries;
  };
  kvsByFamily: Record<string, FamilyCounts>;
  /** what Forge's per-minute limits would see: the busiest rolling 60 s of virtual time, and each minute */
  rates: {
    peakKvsWriteUnitsPerMinute: number;
    peakKvsReadUnitsPerMinute: number;
    peakQueueEventsPerMinute: number;
    perMinute: RateSample[];
  };
}

/** Busiest rolling 60 s (per-second buckets) and per-minute totals from the scenario's start. */
const rateFigures = (r: ScenarioResult): Analysis['rates'] => {
  const seconds = Object.keys(r.platform.timeline).map(Number);
  const perMinute: RateSample[] = [];
  if (seconds.length === 0) return { peakKvsWriteUnitsPerMinute: 0, peakKvsReadUnitsPerMinute: 0, peakQueueEventsPerMinute: 0, perMinute };
  const first = Math.min(...seconds);
  const last = Math.max(...seconds);
  const at = (second: number): RateSample => r.platform.timeline[String(second)] ?? { kvsReadUnits: 0, kvsWriteUnits: 0, queueEvents: 0 };
  const window: RateSample = { kvsReadUnits: 0, kvsWriteUnits: 0, queueEvents: 0 };
  const peak: RateSample = { kvsReadUnits: 0, kvsWriteUnits: 0, queueEvents: 0 };
  const keys = ['kvsReadUnits', 'kvsWriteUnits', 'queueEvents'] as const;
  for (let second = first; second <= last; second++) {
    const entering = at(second);
    const leaving = at(second - 60);
    for (const k of keys) {
      window[k] += entering[k] - (second - 60 >= first ? leaving[k] : 0);
      peak[k] = Math.max(peak[k], window[k]);
    }
    const minute = Math.max(0, Math.floor((second * 1000 - r.virtualStartMs) / 60_000));
    const bucket = (perMinute[minute] ??= { kvsReadUnits: 0, kvsWriteUnits: 0, queueEvents: 0 });
    for (const k of keys) bucket[k] += entering[k];
  }
  for (let i = 0; i < perMinute.length; i++) perMinute[i] ??= { kvsReadUnits: 0, kvsWriteUnits: 0, queueEvents: 0 };
  return { peakKvsWriteUnitsPerMinute: peak.kvsWriteUnits, peakKvsReadUnitsPerMinute: peak.kvsReadUnits, peakQueueEventsPerMinute: peak.queueEvents, perMinute };
};

const perUnit = (r: ScenarioResult, divisor: number): PerUnit => {
  const kvs = sumFamilies(r.platform.kvs);
  const d = Math.max(1, divisor);
  const invocations: Record<string, number> = {};
  for (const [fn, s] of Object.entries(r.stats.invocations)) if (s.invocations > 0) invocations[fn] = s.invocations / d;
  return {
    kvsReads: r.stats.kvs.reads / d,
    kvsWrites: r.stats.kvs.writes / d,
    kvsDeletes: r.stats.kvs.deletes / d,
    kvsQueries: r.stats.kvs.queries / d,
    kvsBytesRead: r.stats.kvs.bytesRead / d,
    kvsBytesWritten: r.stats.kvs.bytesWritten / d,
    kvsReadUnits: kvs.readUnits / d,
    kvsWriteUnits: kvs.writeUnits / d,
    queuePushes: r.stats.queue.pushes / d,
    queueEvents: r.stats.queue.events / d,
    egressRequests: r.stats.egress.requests / d,
    invocations,
  };
};

/** Measured function wall time, KVS bytes and calls, plus COST_ASSUMPTIONS' latencies, scaled to a
 * million delivered messages (distinct webhook-id). Every platform call and HTTP request of the scenario
 * counts, retries included, so a run over the limits shows what its retries cost. */
const costPerMillionDeliveries = (r: ScenarioResult, memoryMB: number, wallMs: number): CostPerMillionDeliveries => {
  const scale = 1e6 / Math.max(1, r.delivered);
  const gb = memoryMB / 1024;
  const k = r.stats.kvs;
  const platformCalls = k.reads + k.writes + k.deletes + k.queries + r.stats.queue.pushes;
  const httpRequests = r.stats.egress.requests;
  const gbSeconds = {
    measured: (wallMs / 1000) * gb * scale,
    platformLatency: ((platformCalls * COST_ASSUMPTIONS.platformCallMs) / 1000) * gb * scale,
    receiverLatency: ((httpRequests * COST_ASSUMPTIONS.receiverMs) / 1000) * gb * scale,
    total: 0,
  };
  gbSeconds.total = gbSeconds.measured + gbSeconds.platformLatency + gbSeconds.receiverLatency;
  const kvsGbWritten = (k.bytesWritten * scale) / GB;
  const kvsGbRead = (k.bytesRead * scale) / GB;
  const usd = {
    functions: gbSeconds.total * FORGE_PRICES.functionGbSecond,
    kvsWrites: kvsGbWritten * FORGE_PRICES.kvsWriteGb,
    kvsReads: kvsGbRead * FORGE_PRICES.kvsReadGb,
    total: 0,
  };
  usd.total = usd.functions + usd.kvsWrites + usd.kvsReads;
  return {
    assumptions: { ...COST_ASSUMPTIONS, memoryMB, freeAllowanceDeducted: false },
    platformCallsPerDelivery: (platformCalls * scale) / 1e6,
    httpRequestsPerDelivery: (httpRequests * scale) / 1e6,
    gbSeconds,
    kvsGbWritten,
    kvsGbRead,
    usd,
  };
};

export const analyse = (r: ScenarioResult, memoryMB: number): Analysis => {
  const { events, webhooks } = r.spec;
  const deliveries = r.delivered;
  const perEvent = perUnit(r, events);
  const perDelivery = perUnit(r, deliveries);
  const dlog = r.platform.kvs.dlog;
  const stats = r.platform.kvs['delivery-stats'];
  const realSeconds = r.realMs.total / 1000;

  const rows: LimitRow[] = [
    { limit: 'KVS write units', perMinute: FORGE_LIMITS.kvsWriteUnitsPerMinute, perEvent: perEvent.kvsWriteUnits, eventsPerMinute: 0 },
    { limit: 'KVS read units', perMinute: FORGE_LIMITS.kvsReadUnitsPerMinute, perEvent: perEvent.kvsReadUnits, eventsPerMinute: 0 },
    { limit: 'queued events', perMinute: FORGE_LIMITS.queueEventsPerMinute, perEvent: perEvent.queueEvents, eventsPerMinute: 0 },
    { limit: 'egress requests', perMinute: FORGE_LIMITS.egressPerMinute, perEvent: perEvent.egressRequests, eventsPerMinute: 0 },
  ].map((row) => ({ ...row, eventsPerMinute: row.perEvent > 0 ? row.perMinute / row.perEvent : Infinity }));
  const bindingRow = rows.reduce((a, b) => (b.eventsPerMinute < a.eventsPerMinute ? b : a));

  const gbPerMs = memoryMB / 1024 / 1000;
  const per1000 = 1000 / Math.max(1, events);
  const wallSecondsPer1000Events: Record<string, number> = {};
  let wallMs = 0;
  let cpuMs = 0;
  for (const [fn, t] of Object.entries(r.timings)) {
    wallSecondsPer1000Events[fn] = (t.totalMs / 1000) * per1000;
    wallMs += t.totalMs;
    cpuMs += t.cpuMs;
  }
  const gbSeconds = wallMs * gbPerMs * per1000;
  const kvsWriteGb = (r.stats.kvs.bytesWritten * per1000) / GB;
  const kvsReadGb = (r.stats.kvs.bytesRead * per1000) / GB;
  const platformCallsPerEvent = perEvent.kvsReads + perEvent.kvsWrites + perEvent.kvsDeletes + perEvent.kvsQueries + perEvent.queuePushes;
  const usd = {
    functions: gbSeconds * FORGE_PRICES.functionGbSecond,
    kvsWrites: kvsWriteGb * FORGE_PRICES.kvsWriteGb,
    kvsReads: kvsReadGb * FORGE_PRICES.kvsReadGb,
    total: 0,
  };
  usd.total = usd.functions + usd.kvsWrites + usd.kvsReads;
  const perMillionDeliveries = costPerMillionDeliveries(r, memoryMB, wallMs);
  const perMonth = (free: number, per1000Events: number): number => (per1000Events > 0 ? (free / per1000Events) * 1000 : Infinity);

  return {
    name: r.spec.name,
    events,
    webhooks,
    deliveries,
    throughput: {
      eventsPerSecond: events / realSeconds,
      deliveriesPerSecond: deliveries / realSeconds,
      realSeconds,
      cpuSeconds: r.cpuMs / 1000,
      cpuMsPerEvent: r.cpuMs / events,
      cpuMsPerDelivery: r.cpuMs / Math.max(1, deliveries),
      virtualMinutes: r.virtualSeconds / 60,
    },
    perEvent,
    perDelivery,
    deliveryLog: {
      writesPerDelivery: (dlog?.writes ?? 0) / Math.max(1, deliveries),
      writeUnitsPerDelivery: (dlog?.writeUnits ?? 0) / Math.max(1, deliveries),
      bytesPerDelivery: (dlog?.writeBytes ?? 0) / Math.max(1, deliveries),
      bytesPerRecord: (dlog?.writeBytes ?? 0) / Math.max(1, dlog?.writes ?? 0),
      deliveriesPerRecord: deliveries / Math.max(1, dlog?.writes ?? 0),
    },
    aggregates: {
      readsPerDelivery: (stats?.reads ?? 0) / Math.max(1, deliveries),
      writesPerDelivery: (stats?.writes ?? 0) / Math.max(1, deliveries),
      readUnitsPerDelivery: (stats?.readUnits ?? 0) / Math.max(1, deliveries),
      writeUnitsPerDelivery: (stats?.writeUnits ?? 0) / Math.max(1, deliveries),
      queriesPerDelivery: (stats?.queries ?? 0) / Math.max(1, deliveries),
      bytesPerWrite: (stats?.writeBytes ?? 0) / Math.max(1, stats?.writes ?? 0),
    },
    kvsWritesPerDelivery: (r.stats.kvs.writes + r.stats.kvs.deletes) / Math.max(1, deliveries),
    kvsWriteUnitsPerDelivery: perDelivery.kvsWriteUnits,
    limits: {
      rows,
      sustainedEventsPerMinute: bindingRow.eventsPerMinute,
      binding: bindingRow.limit,
      withinAppBudgetEventsPerMinute: perEvent.queueEvents > 0 ? FORGE_LIMITS.appPushBudgetPerMinute / perEvent.queueEvents : Infinity,
    },
    billing: {
      memoryMB,
      wallSecondsPer1000Events,
      gbSecondsPer1000Events: gbSeconds,
      gbSecondsPer1000EventsFromCpu: cpuMs * gbPerMs * per1000,
      platformCallsPerEvent,
      gbSecondsPer1000EventsPer10msPlatformLatency: platformCallsPerEvent * 1000 * 0.01 * (memoryMB / 1024),
      gbSecondsPer1000EventsPer100msReceiver: (deliveries / Math.max(1, events)) * 1000 * 0.1 * (memoryMB / 1024),
      kvsWriteGbPer1000Events: kvsWriteGb,
      kvsReadGbPer1000Events: kvsReadGb,
      usdPer1000Events: usd,
      freeTierEventsPerMonth: {
        functions: perMonth(FORGE_PRICES.freeGbSecondsPerMonth, gbSeconds),
        kvsWrites: perMonth(FORGE_PRICES.freeKvsWriteGbPerMonth, kvsWriteGb),
        kvsReads: perMonth(FORGE_PRICES.freeKvsReadGbPerMonth, kvsReadGb),
      },
      perMillionDeliveries,
    },
    kvsByFamily: r.platform.kvs,
    rates: rateFigures(r),
  };
};

export interface Check {
  scenario: string;
  name: string;
  ok: boolean;
  detail: string;
}

/** What must hold whatever the machine: exact deliveries, nothing refused, dropped or failed, and the
 * bench's own meter agreeing with host.stats(). */
export const checkScenario = (r: ScenarioResult): Check[] => {
  const name = r.spec.name;
  const kvs = sumFamilies(r.platform.kvs);
  const invocationFailures = Object.entries(r.stats.invocations)
    .filter(([, s]) => s.errors > 0 || s.timeouts > 0)
    .map(([fn, s]) => `${fn}: ${s.errors} errors, ${s.timeouts} timeouts`);
  const batching = r.spec.destination !== undefined && r.spec.destination.kind !== 'custom';
  const checks: Check[] = [
    { scenario: name, name: 'all deliveries arrived', ok: r.complete, detail: r.complete ? `in ${(r.virtualSeconds / 60).toFixed(1)} virtual min` : 'gave up after 6 virtual hours' },
    // A batching kind sends several events under one webhook-id: its messages are requests, not events.
    ...(batching
      ? []
      : [
          {
            scenario: name,
            name: 'messages == events × webhooks',
            ok: r.delivered === r.expectedDeliveries,
            detail: `${r.delivered} distinct webhook-ids for ${r.expectedDeliveries} expected${r.delivered > r.expectedDeliveries ? ` (${r.delivered - r.expectedDeliveries} duplicate messages: same event, new webhook-id)` : ''}`,
          },
        ]),
    {
      scenario: name,
      name: 'every receiver got every event',
      ok: r.distinctEventsPerWebhook.every((n) => n === r.matchingEvents),
      detail: `distinct event ids per webhook: ${r.distinctEventsPerWebhook.join(', ')}`,
    },
    {
      scenario: name,
      name: batching ? 'every request authenticated' : 'every message signed',
      ok: r.unsigned === 0,
      detail: `${r.unsigned} requests without ${batching ? 'Authorization' : 'a signature'}`,
    },
    {
      scenario: name,
      name: 'no refused or dropped queue events',
      ok: r.stats.queue.rejected === 0 && r.stats.queue.rateLimited === 0 && r.stats.queue.dropped === 0,
      detail: `rejected ${r.stats.queue.rejected}, rate-limited ${r.stats.queue.rateLimited}, dropped ${r.stats.queue.dropped}`,
    },
    { scenario: name, name: 'no dropped trigger invocations', ok: r.stats.triggers.dropped === 0, detail: `${r.stats.triggers.dropped} dropped after ${r.stats.triggers.retries} retries` },
    { scenario: name, name: 'no failed or timed-out invocations', ok: invocationFailures.length === 0, detail: invocationFailures.join('; ') || 'none' },
    {
      scenario: name,
      name: 'latency measured for every delivery',
      ok: r.latency.measured === r.expectedDeliveries && r.latency.unmatched === 0,
      detail: `${r.latency.measured} of ${r.expectedDeliveries} (webhook, event) pairs matched to their firing; ${r.latency.missing} never seen, ${r.latency.unmatched} ids seen that the bench did not fire (does the app still derive event ids as fromProductEvent does?)`,
    },
    {
      scenario: name,
      name: 'bench meter agrees with host.stats()',
      ok:
        r.stats.kvs.reads === kvs.reads &&
        r.stats.kvs.writes === kvs.writes &&
        r.stats.kvs.deletes === kvs.deletes &&
        r.stats.kvs.queries === kvs.queries &&
        r.stats.kvs.bytesWritten === kvs.writeBytes &&
        r.stats.kvs.rateLimited === kvs.rateLimited,
      detail: `host ${r.stats.kvs.reads}/${r.stats.kvs.writes}/${r.stats.kvs.deletes}/${r.stats.kvs.queries}/${r.stats.kvs.rateLimited}, meter ${kvs.reads}/${kvs.writes}/${kvs.deletes}/${kvs.queries}/${kvs.rateLimited} (reads/writes/deletes/queries/429s)`,
    },
  ];
  if (r.spec.destination) {
    // Destination scenarios: each event at the receiver exactly once, counted by its event id in the
    // bodies (one per request for custom, several for batching kinds), and no request over its size.
    const duplicates = r.eventSightings - r.distinctEventsPerWebhook.reduce((a, b) => a + b, 0);
    checks.push({
      scenario: name,
      name: 'each event delivered exactly once (distinct event ids at the receiver)',
      ok: r.distinctEventsPerWebhook.every((n) => n === r.matchingEvents) && r.eventSightings === r.expectedDeliveries,
      detail: `${r.distinctEventsPerWebhook.join(', ')} distinct event ids of ${r.matchingEvents}${r.matchingEvents !== r.spec.events ? ` passing the filters (of ${r.spec.events} fired)` : ''}; ${r.eventSightings} events in distinct requests (${duplicates} sent again in a new request)`,
    });
    if (r.spec.projectFilter) {
      checks.push({
        scenario: name,
        name: 'no filtered-out event reached the receiver',
        ok: r.filteredEventsDelivered === 0,
        detail: `${r.filteredEventsDelivered} event ids of other projects seen; ${r.matchingEvents} of ${r.spec.events} events in ${r.spec.projectFilter.match}`,
      });
    }
    const cap = eventsPerRequestCap(r.spec.destination);
    checks.push({
      scenario: name,
      name: `at most ${cap} event(s) per request`,
      ok: r.maxEventsPerRequest >= 1 && r.maxEventsPerRequest <= cap,
      detail: `largest request carried ${r.maxEventsPerRequest} events`,
    });
  }
  return checks;
};

/** Reported, not failed: costs of running at or over a limit. */
export const observations = (r: ScenarioResult): string[] => {
  const out: string[] = [];
  if (r.stats.kvs.rateLimited > 0) out.push(`${r.stats.kvs.rateLimited} KVS requests refused with 429 (over 4,000 units/min)`);
  if (r.stats.triggers.retries > 0) out.push(`${r.stats.triggers.retries} trigger retries`);
  if (r.stats.queue.retries > 0) out.push(`${r.stats.queue.retries} consumer retries`);
  if (r.requests > r.delivered) out.push(`${r.requests - r.delivered} HTTP requests re-sent a message already received (same webhook-id)`);
  return out;
};
