/** One end-to-end scenario: the real app on the local Forge host (manual clock), N product events, W
 * webhooks on real node:http receivers, until every message has arrived. */
import path from 'node:path';
import { createForgeHost, type ForgeHost, type HostStats } from '../dev/host';
import { customDestination } from '../src/domain/destinations/custom';
import { elasticDestination } from '../src/domain/destinations/elastic';
import { splunkDestination } from '../src/domain/destinations/splunk';
import { CountingReceiver, type BodyFormat } from './support/counting-receiver';
import { passesFilters, type WebhookFilters } from '../src/domain/webhook/event-filters';
import { benchEvent, benchEventId, normalisedBenchEvent } from './support/events';
import { invocationClock, MemorySampler, memoryNow, PlatformMeter, type InvocationTiming, type MemoryFigures, type PlatformCounts } from './support/instruments';
import { measureLatency, type LatencyFigures } from './support/latency';
import { AppLogTap, type LogCounts } from './support/log-tap';

export const APP_DIR = path.resolve(__dirname, '..');
const ADMIN = 'local-admin';
/** Virtual start: fixed, so runs are comparable. */
const START = new Date('2026-03-02T09:00:00.000Z');
/** A run that has not delivered everything after this much virtual time is reported as stuck. */
const MAX_VIRTUAL_SECONDS = 6 * 3600;
const ADVANCE_STEP_SECONDS = 30;
/** An index no scenario uses, for the warm-up event. */
const WARM_UP_EVENT = 9_999_999;

const SIGNING = [
  { mode: 'standard', header: 'webhook-signature' },
  { mode: 'base64-list', header: 'x-webhook-signature' },
  { mode: 'hub', header: 'x-hub-signature' },
] as const;

/** burst: all N events at one virtual instant (a bulk edit); paced: perMinute events a virtual minute,
 * spread over each second (one wave per virtual second). */
export type Arrival = { kind: 'burst' } | { kind: 'paced'; perMinute: number };

/** The destination kind of the scenario's webhooks (bench/destinations.ts); without it, custom webhooks
 * signed three ways (SIGNING). `batchEvents` is the webhook's events per request (the kind's default
 * when left out). */
export interface DestinationSpec {
  kind: 'custom' | 'splunk' | 'elastic';
  batchEvents?: number;
}

/** The most events one request may carry: the webhook's batchEvents, else the kind's default (1 for kinds that do not batch). */
export const eventsPerRequestCap = (destination: DestinationSpec): number => {
  const kind = { custom: customDestination, splunk: splunkDestination, elastic: elasticDestination }[destination.kind];
  return destination.batchEvents ?? kind.batch?.defaultEvents ?? 1;
};

/** Events spread over two projects (every `every`-th event in `match`, the rest in `other`; worklog
 * events carry no project) and the scenario's webhooks filtered to `match` only (filters.projects.include,
 * issue 14): what a filter saves per source event. */
export interface ProjectFilterSpec {
  match: string;
  other: string;
  every: number;
}

export interface ScenarioSpec {
  name: string;
  events: number;
  webhooks: number;
  arrival: Arrival;
  destination?: DestinationSpec;
  projectFilter?: ProjectFilterSpec;
}

/** The project key of event i in this scenario (undefined: the fixture's own, as ever). */
export const projectOf = (spec: ScenarioSpec, i: number): string | undefined => {
  const f = spec.projectFilter;
  if (!f) return undefined;
  return i % f.every === 0 ? f.match : f.other;
};

const filtersOf = (spec: ScenarioSpec): WebhookFilters | undefined => (spec.projectFilter ? { projects: { include: [spec.projectFilter.match] } } : undefined);

/** The warm-up event's index: WARM_UP_EVENT, or the nearest below it that passes the scenario's filters. */
const warmUpEvent = (spec: ScenarioSpec): number => {
  const filters = filtersOf(spec);
  for (let i = WARM_UP_EVENT; i > WARM_UP_EVENT - 10; i--) if (passesFilters(filters, normalisedBenchEvent(i, spec.projectFilter?.match))) return i;
  throw new Error('bench: no warm-up event passes the scenario filters');
};

/** Messages the setup delivers: the warm-up event to each webhook, and each webhook's creation event
 * (app.webhook.created) to the webhooks created before it (never to itself: the app does not announce a
 * webhook to itself). A filtered webhook gets no creation event (it names no project). Counting 2 per
 * webhook, as this did before, held for 3 webhooks only; with 1 the setup idled 6 virtual hours. */
const warmUpDeliveries = (spec: ScenarioSpec): number => spec.webhooks + (spec.projectFilter ? 0 : (spec.webhooks * (spec.webhooks - 1)) / 2);

/** Which of the scenario's events pass its webhooks' filters, decided by the app's own rule
 * (passesFilters on the event as the app stores it), so the expectation cannot drift from the app. */
const matchingEvents = (spec: ScenarioSpec): boolean[] => {
  const filters = filtersOf(spec);
  return Array.from({ length: spec.events }, (_, i) => passesFilters(filters, normalisedBenchEvent(i, projectOf(spec, i))));
};

export interface ScenarioResult {
  spec: ScenarioSpec;
  complete: boolean;
  /** events of the N fired that pass the webhooks' filters (N without filters): what each webhook should get */
  matchingEvents: number;
  /** distinct event ids at the receivers of events the filters should have kept back (0 when filters work) */
  filteredEventsDelivered: number;
  /** messages that reached a receiver (distinct webhook-id: one per event for custom webhooks, one per
   * request for batching kinds), and HTTP requests (retries included) */
  delivered: number;
  expectedDeliveries: number;
  requests: number;
  distinctEventsPerWebhook: number[];
  /** events carried by distinct messages, summed over webhooks: equal to events × webhooks when each
   * event reached each webhook exactly once */
  eventSightings: number;
  /** events in requests that repeated a webhook-id already received (queue redeliveries) */
  resentEvents: number;
  /** the most events one request carried */
  maxEventsPerRequest: number;
  /** body bytes the receivers got, retries included */
  receivedBytes: number;
  unsigned: number;
  realMs: { total: number; fire: number; pipeline: number };
  /** process CPU time (user + system) during the measured part */
  cpuMs: number;
  virtualSeconds: number;
  /** virtual time of the first event (ms) */
  virtualStartMs: number;
  /** counters of host.stats(), this scenario only (setup excluded) */
  stats: Omit<HostStats, 'systemAccountId' | 'clock' | 'recentErrors'>;
  recentErrors: HostStats['recentErrors'];
  platform: PlatformCounts;
  timings: Record<string, InvocationTiming>;
  memory: { before: MemoryFigures; after: MemoryFigures; peakRssMB: number; peakHeapUsedMB: number; samples: number };
  logs: LogCounts;
  /** event-to-delivery latency in virtual time (first request per webhook and event) */
  latency: LatencyFigures;
}

type Counters = ScenarioResult['stats'];

const counters = (s: HostStats): Counters => {
  const { systemAccountId: _a, clock: _c, recentErrors: _r, ...rest } = s;
  return structuredClone(rest);
};

/** after − before, section by section (queue.pending is a level, kept as is). */
const diff = (after: Counters, before: Counters): Counters => {
  const out = structuredClone(after);
  const sub = (a: Record<string, number>, b: Record<string, number> | undefined): void => {
    for (const k of Object.keys(a)) if (k !== 'pending') a[k] = (a[k] ?? 0) - (b?.[k] ?? 0);
  };
  sub(out.kvs, before.kvs);
  sub(out.queue, before.queue);
  sub(out.triggers, before.triggers);
  sub(out.scheduled, before.scheduled);
  sub(out.egress, before.egress);
  sub(out.jira, before.jira);
  for (const [fn, s] of Object.entries(out.invocations)) {
    const b = before.invocations[fn];
    s.invocations -= b?.invocations ?? 0;
    s.errors -= b?.errors ?? 0;
    s.timeouts -= b?.timeouts ?? 0;
  }
  return out;
};

const forceGc = (gc: (() => void) | undefined): void => {
  if (gc) {
    gc();
    gc();
  }
};

interface Bed {
  host: ForgeHost;
  receivers: CountingReceiver[];
  meter: PlatformMeter;
  close(): Promise<void>;
}

/** Splunk's HEC token and Elastic's Encoded API key, as in test/integration/destinations-siem.test.ts. */
const SPLUNK_TOKEN = '7c0f6d0e-2b8a-4f5e-9a71-3c2d1e0f9b8a';
const ELASTIC_KEY = Buffer.from('VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw').toString('base64');

/** The host of webhook i's receiver, how it reads bodies and which header every request must carry. */
const receiverOf = (spec: ScenarioSpec, i: number): { host: string; format: BodyFormat; header: string } => {
  const kind = spec.destination?.kind ?? 'custom';
  if (kind === 'splunk') return { host: `splunk-${i + 1}.example.test`, format: 'splunk', header: 'authorization' };
  if (kind === 'elastic') return { host: `es-${i + 1}.example.test`, format: 'elastic', header: 'authorization' };
  return { host: `siem-${i + 1}.example.test`, format: 'envelope', header: SIGNING[i % SIGNING.length]!.header };
};

const startBed = async (spec: ScenarioSpec): Promise<Bed> => {
  const receivers: CountingReceiver[] = [];
  const routes: Record<string, string> = {};
  for (let i = 0; i < spec.webhooks; i++) {
    const { host, format, header } = receiverOf(spec, i);
    const receiver = new CountingReceiver(header, format);
    routes[host] = await receiver.start();
    receivers.push(receiver);
  }
  const host = await createForgeHost({ appDir: APP_DIR, clock: 'manual', startTime: START, routes, admins: [ADMIN] });
  const meter = new PlatformMeter(host);
  return {
    host,
    receivers,
    meter,
    close: async () => {
      await host.close();
      await Promise.all(receivers.map((r) => r.stop()));
    },
  };
};

const secret = (fill: number): string => `whsec_${Buffer.alloc(32, fill).toString('base64')}`;

/** The webhooks.create input of webhook i. */
const webhookInput = (spec: ScenarioSpec, i: number): Record<string, unknown> => {
  const { host } = receiverOf(spec, i);
  const destination = spec.destination;
  const batch = destination?.batchEvents !== undefined ? { batchEvents: destination.batchEvents } : {};
  if (destination?.kind === 'splunk') {
    return { kind: 'splunk', name: `Splunk ${i + 1}`, url: `https://${host}/services/collector/event`, events: ['*'], settings: { token: SPLUNK_TOKEN }, ...batch };
  }
  if (destination?.kind === 'elastic') return { kind: 'elastic', name: `Elastic ${i + 1}`, url: `https://${host}`, events: ['*'], settings: { apiKey: ELASTIC_KEY }, ...batch };
  const signing = SIGNING[i % SIGNING.length]!;
  const filters = filtersOf(spec);
  return { kind: 'custom', name: `SIEM ${i + 1}`, url: `https://${host}/hook`, events: ['*'], signing: { mode: signing.mode }, secrets: [secret(i + 1)], ...batch, ...(filters ? { filters } : {}) };
};

const createWebhooks = async (bed: Bed, spec: ScenarioSpec): Promise<void> => {
  for (let i = 0; i < bed.receivers.length; i++) {
    const answer = (await bed.host.invoke('webhooks.create', webhookInput(spec, i), ADMIN)) as { ok?: boolean; error?: unknown };
    if (answer.ok !== true) throw new Error(`bench: webhooks.create failed: ${JSON.stringify(answer.error)}`);
  }
};

/** Messages (distinct webhook-id) for custom webhooks, distinct events for batching kinds. */
const delivered = (bed: Bed): number => bed.receivers.reduce((sum, r) => sum + r.delivered, 0);

/** Runs due work until every receiver has its messages and no queue event is left. */
const advanceUntilDelivered = async (bed: Bed, expected: number, startMs: number): Promise<boolean> => {
  for (;;) {
    await bed.host.settle();
    if (delivered(bed) >= expected && bed.host.stats().queue.pending === 0) return true;
    if ((bed.host.now().getTime() - startMs) / 1000 > MAX_VIRTUAL_SECONDS) return false;
    await bed.host.advance(ADVANCE_STEP_SECONDS);
  }
};

export const runScenario = async (spec: ScenarioSpec, options: { gc?: () => void; sampleMemory: boolean }): Promise<ScenarioResult> => {
  const logs = new AppLogTap();
  const bed = await startBed(spec);
  try {
    logs.install();
    // Setup (not measured): webhooks, their own config events, and one warm-up event so every
    // function's module is loaded before the clock starts.
    await createWebhooks(bed, spec);
    // A filtered webhook gets neither its own config event (no project) nor an event of another project:
    // its warm-up event is one that passes (an issue event in the matching project: WARM_UP_EVENT itself
    // is a worklog, which carries no project) and is all it receives.
    await bed.host.fireEvent(benchEvent(warmUpEvent(spec), spec.projectFilter?.match));
    // A warm-up that never lands would leave a function cold inside the measured part: stop instead.
    if (!(await advanceUntilDelivered(bed, warmUpDeliveries(spec), bed.host.now().getTime()))) throw new Error(`bench: ${spec.name}: the warm-up deliveries never arrived`);
    await bed.host.advance(120); // let the push ledger's minute pass
    for (const r of bed.receivers) r.reset();
    bed.meter.reset();
    invocationClock.reset();
    logs.reset();
    forceGc(options.gc);
    const before = counters(bed.host.stats());
    const memoryBefore = memoryNow();
    const sampler = new MemorySampler();
    if (options.sampleMemory) sampler.start();
    const virtualStart = bed.host.now().getTime();
    const matching = matchingEvents(spec);
    const matchingCount = matching.filter(Boolean).length;
    const expected = matchingCount * spec.webhooks;
    // When each event was fired, in virtual ms (Date is the host's manual clock): 8 bytes an event.
    const firedAt = new Float64Array(spec.events);

    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let fireMs = 0;
    if (spec.arrival.kind === 'burst') {
      for (let i = 0; i < spec.events; i++) {
        firedAt[i] = Date.now();
        await bed.host.fireEvent(benchEvent(i, projectOf(spec, i)));
      }
      fireMs = performance.now() - t0;
    } else {
      // One wave a virtual second; due work runs between waves, as the platform would run it.
      const perSecond = spec.arrival.perMinute / 60;
      let fired = 0;
      for (let second = 1; fired < spec.events; second++) {
        const target = Math.min(spec.events, Math.round(second * perSecond));
        const waveStart = performance.now();
        for (; fired < target; fired++) {
          firedAt[fired] = Date.now();
          await bed.host.fireEvent(benchEvent(fired, projectOf(spec, fired)));
        }
        fireMs += performance.now() - waveStart;
        await bed.host.advance(1);
      }
    }
    const complete = await advanceUntilDelivered(bed, expected, virtualStart);
    const totalMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    sampler.stop();
    const after = bed.host.stats();
    const memoryAfterLive = memoryNow();
    forceGc(options.gc);
    const memoryAfter = memoryNow();
    // After the measured part: the app's id of every fired event, matched to the receivers' first sight.
    const ids = Array.from({ length: spec.events }, (_, i) => benchEventId(i, projectOf(spec, i)));
    const latency = measureLatency(
      firedAt,
      bed.receivers.map((r) => r.firstSeenAt),
      (i) => ids[i] as string,
    );
    const filteredIds = new Set(ids.filter((_, i) => matching[i] !== true));
    return {
      spec,
      complete,
      matchingEvents: matchingCount,
      filteredEventsDelivered: bed.receivers.reduce((sum, r) => sum + [...r.firstSeenAt.keys()].filter((id) => filteredIds.has(id)).length, 0),
      delivered: bed.receivers.reduce((sum, r) => sum + r.messageIds.size, 0),
      expectedDeliveries: expected,
      requests: bed.receivers.reduce((sum, r) => sum + r.requests, 0),
      distinctEventsPerWebhook: bed.receivers.map((r) => r.firstSeenAt.size),
      eventSightings: bed.receivers.reduce((sum, r) => sum + r.eventSightings, 0),
      resentEvents: bed.receivers.reduce((sum, r) => sum + r.resentEvents, 0),
      maxEventsPerRequest: bed.receivers.reduce((max, r) => Math.max(max, r.maxEventsPerRequest), 0),
      receivedBytes: bed.receivers.reduce((sum, r) => sum + r.bytes, 0),
      unsigned: bed.receivers.reduce((sum, r) => sum + r.unsigned, 0),
      realMs: { total: totalMs, fire: fireMs, pipeline: totalMs - fireMs },
      cpuMs: (cpu.user + cpu.system) / 1000,
      virtualSeconds: (bed.host.now().getTime() - virtualStart) / 1000,
      virtualStartMs: virtualStart,
      stats: diff(counters(after), before),
      recentErrors: after.recentErrors,
      platform: bed.meter.snapshot(),
      timings: invocationClock.snapshot(),
      memory: {
        before: memoryBefore,
        after: memoryAfter,
        peakRssMB: Math.max(sampler.peakRssMB, memoryAfterLive.rssMB),
        peakHeapUsedMB: Math.max(sampler.peakHeapUsedMB, memoryAfterLive.heapUsedMB),
        samples: sampler.samples,
      },
      logs: logs.counts(),
      latency,
    };
  } finally {
    logs.uninstall();
    await bed.close();
  }
};
