/** The destinations scenarios (`--only destinations`): the same N events to ONE webhook of each
 * destination kind, batched or one event per request, and what batching saves per delivered event.
 * Every figure is per delivered event (distinct event ids at the receiver), so the rows compare as they
 * stand; the ratios are taken within one run (the machine is shared: never compare runs' timings). */
import { COST_ASSUMPTIONS } from './analysis';
import { eventsPerRequestCap, type ProjectFilterSpec, type ScenarioResult, type ScenarioSpec } from './pipeline';
import { sumFamilies } from './support/instruments';
import { fmt, int, table } from './support/table';

/** The functions of the pipeline (manifest.yml): trigger, outbox drain, delivery consumer. */
const TRIGGER = 'on-jira-event';
const DRAIN = 'drain-outbox';
const DELIVER = 'deliver-webhooks';
const DELIVERY_QUEUE = 'webhook-delivery';

export const DESTINATIONS_PREFIX = 'destinations';

/** (a) Splunk batched (its default events per request), (b) Splunk one event per request, (c) a custom
 * signed webhook (one event per request), (d) Elastic batched: N paced events, one webhook each; (e) the
 * custom webhook again, filtered to project SEC while only every 10th event is in SEC (issue 14, its
 * own per-source-event table in bench/filters.ts). */
export const destinationScenarios = (quick: boolean, perMinute: number): ScenarioSpec[] => {
  const events = quick ? 500 : 2000;
  const spec = (label: string, destination: ScenarioSpec['destination'], projectFilter?: ProjectFilterSpec): ScenarioSpec => ({
    name: `${DESTINATIONS_PREFIX} ${label} ${int(events)}×1`,
    events,
    webhooks: 1,
    arrival: { kind: 'paced', perMinute },
    destination,
    ...(projectFilter ? { projectFilter } : {}),
  });
  return [
    spec('splunk batched', { kind: 'splunk' }),
    spec('splunk 1/request', { kind: 'splunk', batchEvents: 1 }),
    spec('custom', { kind: 'custom' }),
    spec('elastic batched', { kind: 'elastic' }),
    spec('custom filtered', { kind: 'custom' }, { match: 'SEC', other: 'OPS', every: 10 }),
  ];
};

export const isDestinationScenario = (r: ScenarioResult): boolean => r.spec.destination !== undefined;

export interface DestinationFigures {
  scenario: string;
  /** the webhook has filters (issue 14): left out of the per-delivered-event tables (see bench/filters.ts) */
  filtered: boolean;
  kind: string;
  eventsPerRequestCap: number;
  deliveredEvents: number;
  requests: number;
  /** requests and events that repeated a webhook-id already received (the host's at-least-once queue redeliveries) */
  resentRequests: number;
  resentEvents: number;
  egressPerEvent: number;
  eventsPerRequest: number;
  /** GB-s per 1,000 delivered events from measured invocation wall time, per function and in total */
  gbSecondsPer1000: { trigger: number; drain: number; deliver: number; total: number };
  /** invocations per delivered event */
  deliverInvocationsPerEvent: number;
  /** total GB-s per 1,000 delivered events with COST_ASSUMPTIONS' latencies added (KVS/queue calls, receiver answers) */
  gbSecondsPer1000Modelled: number;
  kvsWritesPerEvent: number;
  kvsWriteUnitsPerEvent: number;
  kvsReadsPerEvent: number;
  kvsReadUnitsPerEvent: number;
  /** the hourly delivery aggregates (delivery-stats: keys, issue 13): gets and sets per delivered event */
  statsReadsPerEvent: number;
  statsWritesPerEvent: number;
  queueEventsPerEvent: number;
  deliveryQueueEventsPerEvent: number;
  wallSeconds: number;
  latencyP50Seconds: number;
  receivedKBPerEvent: number;
}

export const destinationFigures = (r: ScenarioResult, memoryMB: number): DestinationFigures => {
  const delivered = Math.max(1, r.distinctEventsPerWebhook.reduce((a, b) => a + b, 0));
  const per = (n: number): number => n / delivered;
  const gbPer1000 = (ms: number): number => (ms / 1000) * (memoryMB / 1024) * (1000 / delivered);
  const ms = (fn: string): number => r.timings[fn]?.totalMs ?? 0;
  const totalMs = Object.values(r.timings).reduce((sum, t) => sum + t.totalMs, 0);
  const k = r.stats.kvs;
  const kvs = sumFamilies(r.platform.kvs);
  const platformCalls = k.reads + k.writes + k.deletes + k.queries + r.stats.queue.pushes;
  const modelledMs = totalMs + platformCalls * COST_ASSUMPTIONS.platformCallMs + r.stats.egress.requests * COST_ASSUMPTIONS.receiverMs;
  return {
    scenario: r.spec.name,
    filtered: r.spec.projectFilter !== undefined,
    kind: r.spec.destination?.kind ?? 'custom',
    eventsPerRequestCap: r.spec.destination ? eventsPerRequestCap(r.spec.destination) : 1,
    deliveredEvents: delivered,
    requests: r.stats.egress.requests,
    resentRequests: Math.max(0, r.requests - r.delivered),
    resentEvents: r.resentEvents,
    egressPerEvent: per(r.stats.egress.requests),
    eventsPerRequest: delivered / Math.max(1, r.stats.egress.requests),
    gbSecondsPer1000: { trigger: gbPer1000(ms(TRIGGER)), drain: gbPer1000(ms(DRAIN)), deliver: gbPer1000(ms(DELIVER)), total: gbPer1000(totalMs) },
    deliverInvocationsPerEvent: per(r.stats.invocations[DELIVER]?.invocations ?? 0),
    gbSecondsPer1000Modelled: gbPer1000(modelledMs),
    kvsWritesPerEvent: per(k.writes + k.deletes),
    kvsWriteUnitsPerEvent: per(kvs.writeUnits),
    kvsReadsPerEvent: per(k.reads + k.queries),
    kvsReadUnitsPerEvent: per(kvs.readUnits),
    statsReadsPerEvent: per((r.platform.kvs['delivery-stats']?.reads ?? 0) + (r.platform.kvs['delivery-stats']?.queries ?? 0)),
    statsWritesPerEvent: per(r.platform.kvs['delivery-stats']?.writes ?? 0),
    queueEventsPerEvent: per(r.stats.queue.events),
    deliveryQueueEventsPerEvent: per(r.platform.queueEvents[DELIVERY_QUEUE] ?? 0),
    wallSeconds: r.realMs.total / 1000,
    latencyP50Seconds: r.latency.p50Seconds,
    receivedKBPerEvent: per(r.receivedBytes) / 1024,
  };
};

/** Pairs compared in the same run: what batching changes, kind for kind and against a custom webhook. */
const RATIOS: { label: string; batched: string; unbatched: string }[] = [
  { label: 'splunk batched / splunk 1/request', batched: 'splunk batched', unbatched: 'splunk 1/request' },
  { label: 'splunk batched / custom', batched: 'splunk batched', unbatched: 'custom' },
  { label: 'elastic batched / custom', batched: 'elastic batched', unbatched: 'custom' },
];

export interface DestinationRatio {
  label: string;
  egress: number;
  gbSecondsDeliver: number;
  gbSecondsTotal: number;
  gbSecondsModelled: number;
  kvsWriteUnits: number;
  kvsReadUnits: number;
  queueEvents: number;
  wallSeconds: number;
}

export const destinationRatios = (figures: DestinationFigures[]): DestinationRatio[] => {
  const find = (label: string): DestinationFigures | undefined => figures.find((f) => !f.filtered && f.scenario.startsWith(`${DESTINATIONS_PREFIX} ${label} `));
  return RATIOS.flatMap(({ label, batched, unbatched }) => {
    const a = find(batched);
    const b = find(unbatched);
    if (!a || !b) return [];
    return [
      {
        label,
        egress: a.egressPerEvent / b.egressPerEvent,
        gbSecondsDeliver: a.gbSecondsPer1000.deliver / b.gbSecondsPer1000.deliver,
        gbSecondsTotal: a.gbSecondsPer1000.total / b.gbSecondsPer1000.total,
        gbSecondsModelled: a.gbSecondsPer1000Modelled / b.gbSecondsPer1000Modelled,
        kvsWriteUnits: a.kvsWriteUnitsPerEvent / b.kvsWriteUnitsPerEvent,
        kvsReadUnits: a.kvsReadUnitsPerEvent / b.kvsReadUnitsPerEvent,
        queueEvents: a.queueEventsPerEvent / b.queueEventsPerEvent,
        wallSeconds: a.wallSeconds / b.wallSeconds,
      },
    ];
  });
};

/** The destinations tables, as lines for the terminal. */
export const destinationReport = (all: DestinationFigures[], ratios: DestinationRatio[], memoryMB: number): string[] => {
  const figures = all.filter((f) => !f.filtered);
  const label = (f: DestinationFigures): string => f.scenario.slice(DESTINATIONS_PREFIX.length + 1);
  const a = COST_ASSUMPTIONS;
  return [
    table(
      `DESTINATIONS: the same events to one webhook, per delivered event (distinct event ids at the receiver); GB-s per 1,000 delivered events at ${memoryMB} MB`,
      ['scenario', 'max ev/req', 'events', 'requests', 're-sent req/ev', 'egress/ev', 'ev/request', 'GB-s trigger', 'GB-s drain', 'GB-s deliver', 'GB-s total', 'GB-s modelled', 'writes/ev', 'write u/ev', 'reads/ev', 'read u/ev', 'q ev/ev', 'delivery q ev/ev', 'KB rcvd/ev', 'wall s'],
      figures.map((f) => [
        label(f),
        int(f.eventsPerRequestCap),
        int(f.deliveredEvents),
        int(f.requests),
        `${int(f.resentRequests)}/${int(f.resentEvents)}`,
        fmt(f.egressPerEvent, 3),
        fmt(f.eventsPerRequest, 1),
        fmt(f.gbSecondsPer1000.trigger, 3),
        fmt(f.gbSecondsPer1000.drain, 3),
        fmt(f.gbSecondsPer1000.deliver, 3),
        fmt(f.gbSecondsPer1000.total, 3),
        fmt(f.gbSecondsPer1000Modelled, 1),
        fmt(f.kvsWritesPerEvent, 3),
        fmt(f.kvsWriteUnitsPerEvent, 3),
        fmt(f.kvsReadsPerEvent, 3),
        fmt(f.kvsReadUnitsPerEvent, 3),
        fmt(f.queueEventsPerEvent, 3),
        fmt(f.deliveryQueueEventsPerEvent, 3),
        fmt(f.receivedKBPerEvent, 2),
        fmt(f.wallSeconds, 1),
      ]),
      'GB-s = measured invocation wall time × memoryMB/1024 (trigger on-jira-event, drain drain-outbox, deliver deliver-webhooks, total = every function);\n' +
        `GB-s modelled = total + ${a.platformCallMs} ms per KVS/queue call + ${a.receiverMs} ms per HTTP request (locally both take microseconds). writes = KVS sets + deletes,\n` +
        'reads = gets + queries, units = Forge 10 KB units; q ev = queue events (both queues), delivery q ev = those on webhook-delivery. wall s = real time of the run.\n' +
        're-sent req/ev = requests / events that repeated a webhook-id already received: the host delivers 5 % of queue events twice (Forge: at least once);\n' +
        'events are counted once per webhook-id, so a receiver that dedupes by webhook-id sees each exactly once (a SIEM that does not would index those twice).',
    ),
    table(
      'DESTINATIONS: the hourly delivery aggregates (delivery-stats: keys), per delivered event',
      ['scenario', 'stats reads/ev', 'stats writes/ev', 'share of KVS writes'],
      figures.map((f) => [label(f), fmt(f.statsReadsPerEvent, 4), fmt(f.statsWritesPerEvent, 4), `${fmt((100 * f.statsWritesPerEvent) / Math.max(1e-9, f.kvsWritesPerEvent), 1)} %`]),
      'One get and one set per delivery-job run and hour it touched: the cost falls with events per job, not with events per request.',
    ),
    table(
      'DESTINATIONS: batched / unbatched, per delivered event, in this run',
      ['pair', 'egress', 'GB-s deliver', 'GB-s total', 'GB-s modelled', 'KVS write units', 'KVS read units', 'queue events', 'wall s'],
      ratios.map((r) => [r.label, `${fmt(r.egress, 3)}×`, `${fmt(r.gbSecondsDeliver, 2)}×`, `${fmt(r.gbSecondsTotal, 2)}×`, `${fmt(r.gbSecondsModelled, 2)}×`, `${fmt(r.kvsWriteUnits, 2)}×`, `${fmt(r.kvsReadUnits, 2)}×`, `${fmt(r.queueEvents, 2)}×`, `${fmt(r.wallSeconds, 2)}×`]),
      'A ratio under 1× is what batching saves. Timings are from one run on a shared machine: read the ratios, not the seconds.',
    ),
  ];
};
