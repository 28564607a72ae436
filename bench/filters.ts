/** Issue 14: per-webhook filters are applied before fan-out, so an event a webhook filters out should
 * cost no delivery. The "custom filtered" destinations scenario fires the same N events as "custom" to
 * one custom webhook that includes only one project; here both are put PER SOURCE EVENT (every event
 * fired, delivered or not), so what a filtered-out event still costs (trigger, drain) shows next to
 * what it saves (delivery jobs, requests, log entries). The per-delivered-event tables leave the
 * filtered scenario out: divided by its few delivered events, its trigger and drain would be misread. */
import type { ScenarioResult } from './pipeline';
import { sumFamilies } from './support/instruments';
import { fmt, int, table } from './support/table';

const DELIVER = 'deliver-webhooks';
const DELIVERY_QUEUE = 'webhook-delivery';
/** KVS key families (the key up to its first ':'): the delivery log (dlog:<job id>) and the hourly aggregates. */
const DELIVERY_LOG = 'dlog';
const DELIVERY_STATS = 'delivery-stats';

export interface SourceEventFigures {
  scenario: string;
  sourceEvents: number;
  deliveredEvents: number;
  deliveredPerEvent: number;
  deliverInvocationsPerEvent: number;
  deliveryQueueEventsPerEvent: number;
  queueEventsPerEvent: number;
  kvsWritesPerEvent: number;
  kvsWriteUnitsPerEvent: number;
  kvsReadsPerEvent: number;
  kvsReadUnitsPerEvent: number;
  egressPerEvent: number;
  /** GB-s per 1,000 source events from measured invocation wall time */
  gbSecondsDeliverPer1000: number;
  gbSecondsTotalPer1000: number;
  /** sets of dlog: keys (one record per job, rewritten as it moves on) and sets of delivery-stats: keys */
  deliveryLogWritesPerEvent: number;
  statsWritesPerEvent: number;
}

export const sourceEventFigures = (r: ScenarioResult, memoryMB: number): SourceEventFigures => {
  const n = Math.max(1, r.spec.events);
  const per = (x: number): number => x / n;
  const gbPer1000 = (ms: number): number => (ms / 1000) * (memoryMB / 1024) * (1000 / n);
  const k = r.stats.kvs;
  const kvs = sumFamilies(r.platform.kvs);
  const delivered = r.distinctEventsPerWebhook.reduce((a, b) => a + b, 0);
  return {
    scenario: r.spec.name,
    sourceEvents: r.spec.events,
    deliveredEvents: delivered,
    deliveredPerEvent: per(delivered),
    deliverInvocationsPerEvent: per(r.stats.invocations[DELIVER]?.invocations ?? 0),
    deliveryQueueEventsPerEvent: per(r.platform.queueEvents[DELIVERY_QUEUE] ?? 0),
    queueEventsPerEvent: per(r.stats.queue.events),
    kvsWritesPerEvent: per(k.writes + k.deletes),
    kvsWriteUnitsPerEvent: per(kvs.writeUnits),
    kvsReadsPerEvent: per(k.reads + k.queries),
    kvsReadUnitsPerEvent: per(kvs.readUnits),
    egressPerEvent: per(r.stats.egress.requests),
    gbSecondsDeliverPer1000: gbPer1000(r.timings[DELIVER]?.totalMs ?? 0),
    gbSecondsTotalPer1000: gbPer1000(Object.values(r.timings).reduce((sum, t) => sum + t.totalMs, 0)),
    deliveryLogWritesPerEvent: per(r.platform.kvs[DELIVERY_LOG]?.writes ?? 0),
    statsWritesPerEvent: per(r.platform.kvs[DELIVERY_STATS]?.writes ?? 0),
  };
};

export const isFilterScenario = (r: ScenarioResult): boolean => r.spec.projectFilter !== undefined;

/** The unfiltered custom scenario and the filtered one, per source event, and filtered / unfiltered. */
export const filterSection = (
  results: ScenarioResult[],
  memoryMB: number,
): { figures: SourceEventFigures[]; ratio: Record<string, number> | undefined; lines: string[] } => {
  const filtered = results.find(isFilterScenario);
  const custom = results.find((r) => !isFilterScenario(r) && r.spec.destination?.kind === 'custom' && r.spec.destination.batchEvents === undefined);
  if (!filtered || !custom) return { figures: [], ratio: undefined, lines: [] };
  const figures = [custom, filtered].map((r) => sourceEventFigures(r, memoryMB));
  const [a, b] = figures as [SourceEventFigures, SourceEventFigures];
  const keys = Object.keys(a).filter((key) => typeof a[key as keyof SourceEventFigures] === 'number' && key !== 'sourceEvents' && key !== 'deliveredEvents');
  const ratio = Object.fromEntries(keys.map((key) => [key, (b[key as keyof SourceEventFigures] as number) / (a[key as keyof SourceEventFigures] as number)]));
  const row = (f: SourceEventFigures): string[] => [
    f.scenario.replace(/^destinations /, ''),
    int(f.sourceEvents),
    `${int(f.deliveredEvents)} (${fmt(f.deliveredPerEvent, 3)})`,
    fmt(f.deliverInvocationsPerEvent, 3),
    fmt(f.deliveryQueueEventsPerEvent, 3),
    fmt(f.queueEventsPerEvent, 3),
    fmt(f.kvsWritesPerEvent, 3),
    fmt(f.kvsWriteUnitsPerEvent, 3),
    fmt(f.kvsReadsPerEvent, 3),
    fmt(f.kvsReadUnitsPerEvent, 3),
    fmt(f.egressPerEvent, 3),
    fmt(f.gbSecondsDeliverPer1000, 3),
    fmt(f.gbSecondsTotalPer1000, 3),
    fmt(f.deliveryLogWritesPerEvent, 3),
    fmt(f.statsWritesPerEvent, 4),
  ];
  const x = (key: string): string => `${fmt(ratio[key] ?? NaN, 3)}×`;
  const filter = filtered.spec.projectFilter;
  return {
    figures,
    ratio,
    lines: [
      table(
        `FILTERS (issue 14): per SOURCE event (every event fired, delivered or not); GB-s per 1,000 source events at ${memoryMB} MB`,
        ['scenario', 'source ev', 'delivered (/ev)', 'deliver inv/ev', 'delivery q ev/ev', 'q ev/ev', 'writes/ev', 'write u/ev', 'reads/ev', 'read u/ev', 'egress/ev', 'GB-s deliver', 'GB-s total', 'dlog writes/ev', 'stats writes/ev'],
        [
          row(a),
          row(b),
          [
            'filtered / custom',
            '',
            x('deliveredPerEvent'),
            x('deliverInvocationsPerEvent'),
            x('deliveryQueueEventsPerEvent'),
            x('queueEventsPerEvent'),
            x('kvsWritesPerEvent'),
            x('kvsWriteUnitsPerEvent'),
            x('kvsReadsPerEvent'),
            x('kvsReadUnitsPerEvent'),
            x('egressPerEvent'),
            x('gbSecondsDeliverPer1000'),
            x('gbSecondsTotalPer1000'),
            x('deliveryLogWritesPerEvent'),
            x('statsWritesPerEvent'),
          ],
        ],
        `custom filtered: the same events, every ${filter?.every ?? '?'}th in project ${filter?.match ?? '?'} and the rest in ${filter?.other ?? '?'} (worklog events carry no project),\n` +
          `to one custom webhook with filters.projects.include = [${filter?.match ?? '?'}]. dlog writes = sets of delivery-log keys (a job's record is written more than once);\n` +
          'writes = KVS sets + deletes, reads = gets + queries, units = Forge 10 KB units. Same run, shared machine: read the ratios, not the seconds.',
      ),
    ],
  };
};
