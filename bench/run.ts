/**
 * `npm run bench [-- --quick] [--rate <events/min>] [--burst <N>] [--over-minutes <M>] [--only <name prefix>]`
 *
 * The real app on the local Forge host, in process, with a manual clock and real node:http receivers on
 * 127.0.0.1: throughput, platform cost per event and per delivery (KVS, queue, invocations, egress),
 * Forge limit head-room, a billing estimate, memory, and micro-benchmarks of signing and event
 * normalisation. Everything is measured in one run so ratios are comparable; the machine is shared, so
 * read ratios and per-unit figures, not absolute times. Writes bench/results/latest.json.
 */
import '../dev/host'; // first: the host's fetch must be in place before anything loads @forge/*
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { analyse, checkScenario, COST_ASSUMPTIONS, FORGE_LIMITS, FORGE_PRICES, manifestMemoryMB, observations, type Analysis, type Check } from './analysis';
import { runMicro, type MicroResults } from './micro';
import { filterSection } from './filters';
import { destinationFigures, destinationRatios, destinationReport, destinationScenarios, isDestinationScenario, type DestinationFigures, type DestinationRatio } from './destinations';
import { APP_DIR, runScenario, type ScenarioResult, type ScenarioSpec } from './pipeline';
import { invocationClock } from './support/instruments';
import { fmt, int, table, type Cell } from './support/table';

interface Options {
  quick: boolean;
  perMinute: number;
  /** one burst of this many events × 3 webhooks instead of the default bursts */
  burst?: number;
  /** length of the over-limit scenario in virtual minutes */
  overMinutes: number;
  /** run only the scenarios whose name starts with this (and `micro` for the micro-benchmarks) */
  only?: string;
}

const USAGE = `npm run bench [-- options]
  --quick             5 small scenarios, the destinations scenarios at 500 events and short
                      micro-benchmarks
  --rate <n>          paced arrival rate, events per virtual minute, 60..60000 (default 1000)
  --burst <n>         one burst of n events (1..1000000) at one virtual instant to 3 webhooks,
                      instead of the default bursts
  --over-minutes <m>  length of the over-limit scenario (150 % of the sustained rate), 1..120 virtual
                      minutes (default 2)
  --only <prefix>     only the scenarios whose name starts with prefix (case and thousands separators
                      ignored: "steady", "burst", "over-limit", "paced 1000", "destinations": the same
                      events to one Splunk (batched, 1 per request), custom and Elastic webhook), "micro"
                      for the micro-benchmarks; at-limit and over-limit also run steady, their rate comes from it
`;

/** A mistake on the command line: printed as one line, without a stack. */
class OptionError extends Error {}

/** A whole number in [min, max] for `option`, or an error that says what was given and what is wanted. */
const wholeNumber = (option: string, raw: string | undefined, min: number, max: number, what: string): number => {
  const text = raw?.trim() ?? '';
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new OptionError(`${option} needs ${what}: a whole number from ${int(min)} to ${int(max)} (digits only); got ${raw === undefined ? 'nothing' : JSON.stringify(raw)}`);
  }
  return value;
};

const parseOptions = (argv: string[]): Options => {
  const options: Options = { quick: false, perMinute: 1000, overMinutes: 2 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--rate') options.perMinute = wholeNumber('--rate', argv[++i], 60, 60_000, 'events per virtual minute');
    else if (arg === '--burst') options.burst = wholeNumber('--burst', argv[++i], 1, 1_000_000, 'the number of events in the burst');
    else if (arg === '--over-minutes') options.overMinutes = wholeNumber('--over-minutes', argv[++i], 1, 120, 'virtual minutes for the over-limit scenario');
    else if (arg === '--only') {
      const prefix = argv[++i];
      if (prefix === undefined || normaliseName(prefix) === '') throw new OptionError('--only needs a scenario name prefix, e.g. --only steady, --only burst, --only micro');
      options.only = prefix;
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new OptionError(`Unknown option ${String(arg)} (try --help)`);
  }
  return options;
};

/** Scenario names compared without case, thousands separators or extra spaces ("paced 1,000×3" = "paced 1000x3"). */
const normaliseName = (name: string): string => name.toLowerCase().replace(/,/g, '').replace(/×/g, 'x').replace(/\s+/g, ' ').trim();
const selected = (options: Options, name: string): boolean => options.only === undefined || normaliseName(name).startsWith(normaliseName(options.only));

const allScenarios = (options: Options): ScenarioSpec[] => {
  const paced = (events: number, webhooks: number): ScenarioSpec => ({
    name: `paced ${int(events)}×${webhooks}`,
    events,
    webhooks,
    arrival: { kind: 'paced', perMinute: options.perMinute },
  });
  const burst = (events: number, webhooks: number): ScenarioSpec => ({ name: `burst ${int(events)}×${webhooks}`, events, webhooks, arrival: { kind: 'burst' } });
  // --burst N: one burst of N × 3 webhooks takes the place of the default bursts.
  const bursts = (defaults: ScenarioSpec[]): ScenarioSpec[] => (options.burst !== undefined ? [burst(options.burst, 3)] : defaults);
  const destinations = destinationScenarios(options.quick, options.perMinute);
  if (options.quick) return [paced(100, 1), paced(100, 3), paced(1000, 1), paced(1000, 3), ...bursts([burst(1000, 3)]), ...destinations];
  const sizes = [100, 1000, 5000];
  return [...sizes.flatMap((n) => [paced(n, 1), paced(n, 3)]), steadySpec(options), ...bursts(sizes.flatMap((n) => [burst(n, 1), burst(n, 3)])), ...destinations];
};

/** steady: ten virtual minutes at the paced rate, long enough for state that grows with time to show. */
const steadySpec = (options: Options): ScenarioSpec => ({
  name: `steady ${int(10 * options.perMinute)}×3`,
  events: 10 * options.perMinute,
  webhooks: 3,
  arrival: { kind: 'paced', perMinute: options.perMinute },
});

/** The limit scenarios' names before their rate is known, for --only. */
const LIMIT_SCENARIOS = ['at-limit', 'over-limit'] as const;

/** The scenarios to run first (--only applied), and whether the limit scenarios follow. */
const plan = (options: Options): { scenarios: ScenarioSpec[]; limits: (typeof LIMIT_SCENARIOS)[number][]; micro: boolean } => {
  const limits = options.quick ? [] : LIMIT_SCENARIOS.filter((name) => selected(options, name));
  const scenarios = allScenarios(options).filter((spec) => selected(options, spec.name));
  // The limit scenarios' rate is derived from steady: run it even when --only leaves it out.
  if (limits.length > 0 && !scenarios.some((spec) => spec.name.startsWith('steady'))) scenarios.push(steadySpec(options));
  const micro = selected(options, 'micro');
  if (scenarios.length === 0 && !micro) {
    const names = [...allScenarios(options).map((spec) => spec.name), ...(options.quick ? [] : LIMIT_SCENARIOS), 'micro'];
    throw new OptionError(`--only ${JSON.stringify(options.only)} matches no scenario of this run; names: ${names.join(', ')}`);
  }
  return { scenarios, limits, micro };
};

/** The V8 collector, for before/after memory figures (tsx gives no way to pass --expose-gc). */
const exposeGc = (): (() => void) | undefined => {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
};

const git = (args: string): string | undefined => {
  try {
    return execSync(`git ${args}`, { cwd: APP_DIR, stdio: ['ignore', 'pipe', 'ignore'] }).toString().replace(/\n+$/, '');
  } catch {
    return undefined;
  }
};

/** The commit, and the app files that differ from it: the bench measures the working tree. */
const gitState = (): { commit?: string; uncommittedAppFiles: string[] } => {
  const commit = git('rev-parse --short HEAD')?.trim();
  const status = git('status --porcelain -- src manifest.yml') ?? '';
  const uncommittedAppFiles = status
    .split('\n')
    .map((line) => line.slice(3).trim())
    .filter((file) => file.length > 0);
  return { ...(commit ? { commit } : {}), uncommittedAppFiles };
};

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const kb = (bytes: number): number => bytes / 1024;

interface Summary {
  lines: string[];
  figures: Record<string, number | string>;
}

/** The figures the issue asks for, from the largest paced runs (steady state) and the limit runs. */
const summarise = (analyses: Analysis[], results: ScenarioResult[]): Summary => {
  const find = (prefix: string, webhooks: number): Analysis | undefined => [...analyses].reverse().find((a) => a.name.startsWith(prefix) && a.webhooks === webhooks);
  const lines: string[] = [];
  const figures: Record<string, number | string> = {};
  for (const webhooks of [1, 3]) {
    const a = (webhooks === 3 ? find('steady', webhooks) : undefined) ?? find('paced', webhooks);
    if (!a) continue;
    const key = `paced${webhooks}`;
    figures[`${key}.scenario`] = a.name;
    figures[`${key}.eventsPerSecond`] = a.throughput.eventsPerSecond;
    figures[`${key}.deliveriesPerSecond`] = a.throughput.deliveriesPerSecond;
    figures[`${key}.dlogWritesPerDelivery`] = a.deliveryLog.writesPerDelivery;
    figures[`${key}.statsWritesPerDelivery`] = a.aggregates.writesPerDelivery;
    figures[`${key}.statsReadsPerDelivery`] = a.aggregates.readsPerDelivery;
    figures[`${key}.kvsWritesPerDelivery`] = a.kvsWritesPerDelivery;
    figures[`${key}.kvsWriteUnitsPerDelivery`] = a.kvsWriteUnitsPerDelivery;
    figures[`${key}.kvsWriteUnitsPerEvent`] = a.perEvent.kvsWriteUnits;
    figures[`${key}.kvsReadUnitsPerEvent`] = a.perEvent.kvsReadUnits;
    figures[`${key}.sustainedEventsPerMinute`] = a.limits.sustainedEventsPerMinute;
    figures[`${key}.bindingLimit`] = a.limits.binding;
    figures[`${key}.gbSecondsPer1000Events`] = a.billing.gbSecondsPer1000Events;
    figures[`${key}.usdPer1000Events`] = a.billing.usdPer1000Events.total;
    figures[`${key}.usdPerMillionDeliveries`] = a.billing.perMillionDeliveries.usd.total;
    lines.push(
      `${a.name}: ${fmt(a.throughput.eventsPerSecond, 0)} events/s, ${fmt(a.throughput.deliveriesPerSecond, 0)} deliveries/s in process; ` +
        `${fmt(a.deliveryLog.writesPerDelivery, 3)} delivery-log writes and ${fmt(a.kvsWritesPerDelivery, 2)} KVS writes+deletes (${fmt(a.kvsWriteUnitsPerDelivery, 2)} units) per delivery; ` +
        `${fmt(a.perEvent.kvsWriteUnits, 2)} write + ${fmt(a.perEvent.kvsReadUnits, 2)} read units per event → sustains ${int(a.limits.sustainedEventsPerMinute)} events/min (${a.limits.binding}); ` +
        `${fmt(a.billing.gbSecondsPer1000Events, 2)} GB-s and $${fmt(a.billing.usdPer1000Events.total, 4)} per 1,000 events (local wall time).`,
    );
  }
  for (const r of results.filter((x) => x.spec.name.startsWith('at-limit') || x.spec.name.startsWith('over-limit'))) {
    const virtual = r.virtualSeconds / 60;
    lines.push(
      `${r.spec.name}: ${int(r.delivered)}/${int(r.expectedDeliveries)} messages, ${int(r.stats.kvs.rateLimited)} KVS 429s, ${int(r.stats.queue.rateLimited)} queue 429s, ` +
        `done ${fmt(virtual, 1)} virtual min after the first event (arrivals span ${fmt(r.spec.events / (r.spec.arrival.kind === 'paced' ? r.spec.arrival.perMinute : r.spec.events), 1)} min)`,
    );
    figures[`${r.spec.name}.kvs429`] = r.stats.kvs.rateLimited;
    figures[`${r.spec.name}.virtualMinutes`] = virtual;
  }
  // Latency for the steady-state runs and every burst; cost per million deliveries beside it.
  const c = COST_ASSUMPTIONS;
  results.forEach((r, i) => {
    const a = analyses[i];
    const name = r.spec.name;
    // steady state: steady, else the largest paced run per webhook count (what the lines above describe)
    const steadyState = name.startsWith('steady') || (name.startsWith('paced') && find('steady', 3) === undefined && find('paced', r.spec.webhooks)?.name === name);
    if (!a || !(steadyState || name.startsWith('burst') || name.startsWith('over-limit'))) return;
    const l = r.latency;
    const cost = a.billing.perMillionDeliveries;
    const landed = r.spec.arrival.kind === 'burst' ? `every message delivered ${fmt(l.lastDeliveryAfterFirstEventSeconds / 60, 2)} virtual min after the burst` : `last delivery ${fmt(l.lastDeliveryAfterLastEventSeconds / 60, 2)} virtual min after the last event`;
    lines.push(
      `${name}: latency p50 ${fmt(l.p50Seconds, 1)} s, p99 ${fmt(l.p99Seconds, 1)} s, max ${fmt(l.maxSeconds, 1)} s (virtual); ${landed}; ` +
        `$${fmt(cost.usd.total, 2)} per million deliveries ($${fmt(cost.usd.functions, 2)} functions, $${fmt(cost.usd.kvsWrites, 2)} KVS writes, $${fmt(cost.usd.kvsReads, 2)} reads; ` +
        `assuming ${c.platformCallMs} ms per KVS/queue call and ${c.receiverMs} ms per receiver answer, ${cost.assumptions.memoryMB} MB, no free allowance).`,
    );
    figures[`${name}.latencyP50Seconds`] = l.p50Seconds;
    figures[`${name}.latencyP99Seconds`] = l.p99Seconds;
    figures[`${name}.latencyMaxSeconds`] = l.maxSeconds;
    figures[`${name}.lastDeliveryAfterFirstEventMinutes`] = l.lastDeliveryAfterFirstEventSeconds / 60;
    figures[`${name}.usdPerMillionDeliveries`] = cost.usd.total;
  });
  const big = results.filter((r) => r.spec.events === 5000);
  for (const r of big) {
    lines.push(`${r.spec.name} memory: RSS ${fmt(r.memory.before.rssMB, 0)} → ${fmt(r.memory.after.rssMB, 0)} MB (peak ${fmt(r.memory.peakRssMB, 0)}), heap ${fmt(r.memory.before.heapUsedMB, 0)} → ${fmt(r.memory.after.heapUsedMB, 0)} MB after GC (peak ${fmt(r.memory.peakHeapUsedMB, 0)}).`);
    figures[`${r.spec.name}.peakRssMB`] = r.memory.peakRssMB;
  }
  return { lines, figures };
};

const reportMicro = (micro: MicroResults): void => {
  say(
    table(
      'SIGNING per message (buildSignatureHeaders, 1 secret; CPU time: fastest and median of the interleaved rounds)',
      ['case', 'µs fastest', 'µs median', 'messages/s', 'MB/s', 'relative'],
      micro.signing.map((c) => [c.name, fmt(c.usPerOpMin, 2), fmt(c.usPerOp, 2), int(1e6 / c.usPerOpMin), String(c.detail.MBPerSecond), `${fmt(c.relative, 2)}×`]),
    ),
  );
  say(
    table(
      'EVENT NORMALISATION per event (fromProductEvent; CPU time, as above)',
      ['event type', 'payload bytes', 'µs fastest', 'µs median', 'events/s', 'relative'],
      micro.normalisation.map((c) => [c.name, String(c.detail.payloadBytes), fmt(c.usPerOpMin, 2), fmt(c.usPerOp, 2), int(1e6 / c.usPerOpMin), `${fmt(c.relative, 2)}×`]),
      'relative = fastest round against the first row. The machine is shared: compare rows, not runs.',
    ),
  );
  say(
    table(
      'CREDENTIAL SCRUB per captured answer (scrubCredentials, 5 credentials; CPU time, as above)',
      ['body', 'bytes', 'µs fastest', 'µs median', 'relative'],
      micro.scrubbing.map((c) => [c.name, String(c.detail.bodyBytes), fmt(c.usPerOpMin, 0), fmt(c.usPerOp, 0), `${fmt(c.relative, 2)}×`]),
    ),
  );
};

/** The tables of the throughput scenarios (paced, steady, burst, at/over-limit). */
const reportTables = (analyses: Analysis[], results: ScenarioResult[], options: Options): void => {
  const rows = (f: (a: Analysis, r: ScenarioResult) => Cell[]): Cell[][] => analyses.map((a, i) => [a.name, ...f(a, results[i] as ScenarioResult)]);
  const pacedNote =
    `paced = ${int(options.perMinute)} events per virtual minute, one wave a virtual second; burst = all events at one virtual instant; N×W = events × webhooks.\n` +
    `steady = paced for ten virtual minutes; at-limit / over-limit = 95 % / 150 % of the sustained rate derived from steady, for 2 / ${options.overMinutes} virtual minutes.`;

  say(
    table(
      'THROUGHPUT (real time, in process: every KVS call is local, receivers answer 200 at once)',
      ['scenario', 'deliveries', 'real s', 'events/s', 'deliveries/s', 'CPU s', 'CPU ms/delivery', 'virtual min'],
      rows((a) => [int(a.deliveries), fmt(a.throughput.realSeconds, 1), fmt(a.throughput.eventsPerSecond, 0), fmt(a.throughput.deliveriesPerSecond, 0), fmt(a.throughput.cpuSeconds, 1), fmt(a.throughput.cpuMsPerDelivery, 2), fmt(a.throughput.virtualMinutes, 1)]),
      pacedNote,
    ),
  );

  say(
    table(
      'LATENCY event → delivery, in virtual time (the first request carrying the event at each webhook, minus when the bench fired it)',
      ['scenario', 'deliveries', 'p50 s', 'p99 s', 'max s', 'mean s', 'last delivery min', 'tail min'],
      results.map((r) => {
        const l = r.latency;
        return [r.spec.name, int(l.measured), fmt(l.p50Seconds, 1), fmt(l.p99Seconds, 1), fmt(l.maxSeconds, 1), fmt(l.meanSeconds, 1), fmt(l.lastDeliveryAfterFirstEventSeconds / 60, 2), fmt(l.lastDeliveryAfterLastEventSeconds / 60, 2)];
      }),
      'last delivery = first event fired → the last (webhook, event) first delivered: for a burst, the time it takes to land everywhere;\n' +
        'tail = last event fired → that delivery. Virtual time stands still while a function runs and the host\'s queue adds no latency,\n' +
        'so these are the waits the pipeline schedules (queue delays, push budget, drain write cap, trigger retries), not processing time.',
    ),
  );

  say(
    table(
      'PLATFORM COST PER EVENT (host.stats(); units = Forge 10 KB units, a delete = 1 write unit)',
      ['scenario', 'KVS reads', 'writes', 'deletes', 'queries', 'KB read', 'KB written', 'read units', 'write units', 'q pushes', 'q events', 'egress'],
      rows((a) => {
        const p = a.perEvent;
        return [fmt(p.kvsReads), fmt(p.kvsWrites), fmt(p.kvsDeletes), fmt(p.kvsQueries, 3), fmt(kb(p.kvsBytesRead)), fmt(kb(p.kvsBytesWritten)), fmt(p.kvsReadUnits), fmt(p.kvsWriteUnits), fmt(p.queuePushes, 3), fmt(p.queueEvents, 3), fmt(p.egressRequests)];
      }),
    ),
  );

  const functions = [...new Set(analyses.flatMap((a) => Object.keys(a.perEvent.invocations)))].filter((fn) => fn !== 'admin-resolver');
  say(
    table(
      'INVOCATIONS PER EVENT, and wall ms per invocation',
      ['scenario', ...functions.map((fn) => `${fn}/event`), ...functions.map((fn) => `${fn} ms`)],
      rows((a, r) => [
        ...functions.map((fn) => fmt(a.perEvent.invocations[fn] ?? 0, 3)),
        ...functions.map((fn) => {
          const t = r.timings[fn];
          return t && t.count > 0 ? fmt(t.totalMs / t.count, 1) : '-';
        }),
      ]),
    ),
  );

  say(
    table(
      'PER DELIVERY: the hourly delivery aggregates (delivery-stats: keys, one get + one set per job run and hour)',
      ['scenario', 'stats reads', 'stats writes', 'read units', 'write units', 'queries', 'B/write', 'share of all write units'],
      rows((a) => {
        const g = a.aggregates;
        return [fmt(g.readsPerDelivery, 4), fmt(g.writesPerDelivery, 4), fmt(g.readUnitsPerDelivery, 4), fmt(g.writeUnitsPerDelivery, 4), fmt(g.queriesPerDelivery, 4), fmt(g.bytesPerWrite, 0), `${fmt((100 * g.writeUnitsPerDelivery) / Math.max(1e-9, a.kvsWriteUnitsPerDelivery), 1)} %`];
      }),
      'Per delivered message (distinct webhook-id). Reads are the merge before each write; queries are health and deliveries.stats reads by the admin page, none in these scenarios.',
    ),
  );

  say(
    table(
      'PER DELIVERY: KVS writes (the delivery log = dlog: keys, one record per job of ≤25 messages) and the rest',
      ['scenario', 'dlog writes', 'deliveries/record', 'KB/record', 'dlog units', 'all writes+deletes', 'write units', 'reads+queries', 'read units', 'q events', 'egress'],
      rows((a) => {
        const p = a.perDelivery;
        return [fmt(a.deliveryLog.writesPerDelivery, 3), fmt(a.deliveryLog.deliveriesPerRecord, 1), fmt(kb(a.deliveryLog.bytesPerRecord), 1), fmt(a.deliveryLog.writeUnitsPerDelivery, 3), fmt(a.kvsWritesPerDelivery, 3), fmt(a.kvsWriteUnitsPerDelivery, 3), fmt(p.kvsReads + p.kvsQueries, 3), fmt(p.kvsReadUnits, 3), fmt(p.queueEvents, 3), fmt(p.egressRequests, 3)];
      }),
      'All figures per delivered message (distinct webhook-id). Outbox, drain and batch costs are per event, so per delivery they fall as webhooks grow.',
    ),
  );

  say(
    table(
      `FORGE LIMITS: events per minute each limit allows at this scenario's cost (KVS ${int(FORGE_LIMITS.kvsWriteUnitsPerMinute)} write + ${int(FORGE_LIMITS.kvsReadUnitsPerMinute)} read units/min, ${FORGE_LIMITS.queueEventsPerMinute} queued events/min (app budget ${FORGE_LIMITS.appPushBudgetPerMinute}), ${int(FORGE_LIMITS.egressPerMinute)} egress/min)`,
      ['scenario', 'by KVS writes', 'by KVS reads', 'by queue 500', 'by app budget 450', 'by egress', 'sustained', 'binding limit', 'peak write u/min', 'peak read u/min', 'peak q ev/min'],
      rows((a) => {
        const by = (limit: string): string => int(a.limits.rows.find((row) => row.limit === limit)?.eventsPerMinute ?? NaN);
        return [
          by('KVS write units'),
          by('KVS read units'),
          by('queued events'),
          int(a.limits.withinAppBudgetEventsPerMinute),
          by('egress requests'),
          int(a.limits.sustainedEventsPerMinute),
          a.limits.binding,
          int(a.rates.peakKvsWriteUnitsPerMinute),
          int(a.rates.peakKvsReadUnitsPerMinute),
          int(a.rates.peakQueueEventsPerMinute),
        ];
      }),
      'sustained = the lowest; derived from measured per-event costs, which depend on batching (wave size) and on retries in over-limit runs.\n' +
        'peak = the busiest rolling 60 s of virtual time in this run, as Forge would count it (limits: 4,000 / 4,000 / 500).',
    ),
  );

  const steady = analyses.find((a) => a.name.startsWith('steady'));
  if (steady) {
    say(
      table(
        `PER VIRTUAL MINUTE (${steady.name}): usage against the per-minute limits as the run goes on`,
        ['minute', 'KVS write units', 'KVS read units', 'queue events'],
        steady.rates.perMinute.map((m, i) => [String(i + 1), int(m.kvsWriteUnits), int(m.kvsReadUnits), int(m.queueEvents)]),
      ),
    );
  }

  const largest =
    analyses.find((a) => a.name.startsWith('steady')) ?? [...analyses].reverse().find((a) => a.name.startsWith('paced') && a.webhooks === 3) ?? analyses[analyses.length - 1];
  if (largest) {
    const families = Object.entries(largest.kvsByFamily).sort((x, y) => y[1].writeUnits + y[1].readUnits - (x[1].writeUnits + x[1].readUnits));
    const n = largest.events;
    say(
      table(
        `KVS BY KEY FAMILY, per event (${largest.name})`,
        ['family', 'reads', 'misses', 'read units', 'writes', 'deletes', 'write units', 'queries', 'KB written', 'KB read'],
        families.map(([family, f]) => [family, fmt(f.reads / n, 3), fmt(f.misses / n, 3), fmt(f.readUnits / n, 3), fmt(f.writes / n, 3), fmt(f.deletes / n, 3), fmt(f.writeUnits / n, 3), fmt(f.queries / n, 3), fmt(kb(f.writeBytes) / n, 2), fmt(kb(f.readBytes) / n, 2)]),
      ),
    );
  }

  const memoryMB = analyses[0]?.billing.memoryMB ?? 0;
  say(
    table(
      `FORGE BILLING ESTIMATE per 1,000 events (memoryMB ${memoryMB} from manifest.yml; $${FORGE_PRICES.functionGbSecond}/GB-s, $${FORGE_PRICES.kvsWriteGb}/GB written, $${FORGE_PRICES.kvsReadGb}/GB read)`,
      ['scenario', 'GB-s wall', 'GB-s CPU', '+GB-s /10ms KVS', '+GB-s /100ms rcv', 'KVS MB written', 'KVS MB read', 'USD', 'free-tier events/month'],
      rows((a) => {
        const b = a.billing;
        const free = Math.min(b.freeTierEventsPerMonth.functions, b.freeTierEventsPerMonth.kvsWrites, b.freeTierEventsPerMonth.kvsReads);
        return [fmt(b.gbSecondsPer1000Events, 2), fmt(b.gbSecondsPer1000EventsFromCpu, 2), fmt(b.gbSecondsPer1000EventsPer10msPlatformLatency, 2), fmt(b.gbSecondsPer1000EventsPer100msReceiver, 1), fmt(b.kvsWriteGbPer1000Events * 1000, 2), fmt(b.kvsReadGbPer1000Events * 1000, 2), `$${fmt(b.usdPer1000Events.total, 4)}`, int(free)];
      }),
      'GB-s wall = Σ invocation wall time × memoryMB/1024 (Forge bills wall time); GB-s CPU = the same from process CPU time during invocations\n' +
        '(all threads, GC and the in-process receivers included): a cross-check that does not depend on the machine\'s load.\n' +
        '+GB-s /10ms KVS: added per 10 ms of KVS/queue round trip (platform calls/event × 10 ms); +GB-s /100ms rcv: per 100 ms a receiver takes to answer.\n' +
        'Local KVS calls take microseconds and receivers answer at once, so real Forge wall time is higher: add those two columns as appropriate.',
    ),
  );

  const a0 = COST_ASSUMPTIONS;
  say(
    table(
      `COST PER MILLION DELIVERIES at Forge's prices (assumed: ${a0.platformCallMs} ms per KVS/queue call, receivers answer in ${a0.receiverMs} ms; memoryMB ${memoryMB}; no free allowance)`,
      ['scenario', 'calls/delivery', 'HTTP/delivery', 'GB-s measured', '+GB-s calls', '+GB-s receivers', 'GB written', 'GB read', '$ functions', '$ KVS writes', '$ KVS reads', '$ total'],
      rows((a) => {
        const c = a.billing.perMillionDeliveries;
        return [fmt(c.platformCallsPerDelivery, 2), fmt(c.httpRequestsPerDelivery, 3), fmt(c.gbSeconds.measured, 0), fmt(c.gbSeconds.platformLatency, 0), fmt(c.gbSeconds.receiverLatency, 0), fmt(c.kvsGbWritten, 2), fmt(c.kvsGbRead, 2), fmt(c.usd.functions, 2), fmt(c.usd.kvsWrites, 2), fmt(c.usd.kvsReads, 2), fmt(c.usd.total, 2)];
      }),
      'Per million delivered messages (distinct webhook-id), every call and HTTP request of the run included (retries, re-sent messages).\n' +
        `GB-s = (measured invocation wall time + calls × ${a0.platformCallMs} ms + HTTP requests × ${a0.receiverMs} ms) × memoryMB/1024; the app sends one request at a time.\n` +
        `$ = GB-s × $${FORGE_PRICES.functionGbSecond} + GB written × $${FORGE_PRICES.kvsWriteGb} + GB read × $${FORGE_PRICES.kvsReadGb} (GB = 10^9 bytes of values; reference/forge-platform.md §9).`,
    ),
  );

  say(
    table(
      'MEMORY (process; the emulated platform, receivers and app share it)',
      ['scenario', 'RSS before MB', 'RSS after MB', 'RSS peak MB', 'heap before MB', 'heap after MB', 'heap peak MB'],
      results.map((r) => [r.spec.name, fmt(r.memory.before.rssMB, 0), fmt(r.memory.after.rssMB, 0), fmt(r.memory.peakRssMB, 0), fmt(r.memory.before.heapUsedMB, 0), fmt(r.memory.after.heapUsedMB, 0), fmt(r.memory.peakHeapUsedMB, 0)]),
      '"after" is after a full GC; the local KVS keeps the 14-day batch and delivery-log records in this heap.',
    ),
  );

};

/** The destinations scenarios: their own tables (per delivered event, batched against unbatched). */
const destinationsSection = (
  results: ScenarioResult[],
  memoryMB: number,
): { figures: DestinationFigures[]; ratios: DestinationRatio[]; filters: ReturnType<typeof filterSection>; lines: string[] } => {
  const figures = results.map((r) => destinationFigures(r, memoryMB));
  const ratios = destinationRatios(figures);
  // Issue 14: the filtered scenario per source event, next to the unfiltered custom one.
  const filters = filterSection(results, memoryMB);
  return { figures, ratios, filters, lines: figures.length > 0 ? [...destinationReport(figures, ratios, memoryMB), ...filters.lines] : [] };
};

const report = (
  analyses: Analysis[],
  results: ScenarioResult[],
  destinations: { results: ScenarioResult[]; lines: string[] },
  micro: MicroResults | undefined,
  checks: Check[],
  options: Options,
): void => {
  if (analyses.length > 0) reportTables(analyses, results, options);
  for (const text of destinations.lines) say(text);
  if (micro) reportMicro(micro);

  say('\nSUMMARY');
  for (const line of summarise(analyses, results).lines) say(`  ${line}`);

  const failed = checks.filter((c) => !c.ok);
  say(`\nCHECKS: ${checks.length - failed.length}/${checks.length} passed`);
  for (const c of failed) say(`  ✗ ${c.scenario}: ${c.name}: ${c.detail}`);
  for (const r of [...results, ...destinations.results]) {
    const notes = observations(r);
    const problems = Object.entries(r.logs.problems);
    if (notes.length > 0 || problems.length > 0) say(`  ${r.spec.name}: ${[...notes, ...problems.map(([k, v]) => `${v}× log ${k}`)].join('; ')}`);
  }
};

const describeOptions = (options: Options): string =>
  [
    options.burst !== undefined ? ` --burst ${options.burst}` : '',
    options.overMinutes !== 2 ? ` --over-minutes ${options.overMinutes}` : '',
    options.only !== undefined ? ` --only ${JSON.stringify(options.only)}` : '',
  ].join('');

const main = async (): Promise<void> => {
  const options = parseOptions(process.argv.slice(2));
  const planned = plan(options);
  const gc = exposeGc();
  invocationClock.install();
  const memoryMB = manifestMemoryMB(APP_DIR);
  const started = new Date();
  const loadBefore = os.loadavg();
  const t0 = performance.now();
  const gitNow = gitState();
  say(`Audit Webhooks for Jira bench: ${options.quick ? 'quick' : 'full'} run${describeOptions(options)}, ${os.cpus().length} CPUs, load ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, node ${process.version}`);
  say(`App at ${gitNow.commit ?? '(no git)'}${gitNow.uncommittedAppFiles.length > 0 ? ` + ${gitNow.uncommittedAppFiles.length} uncommitted file(s) in src/ or manifest.yml` : ''}`);

  const results: ScenarioResult[] = [];
  const run = async (spec: ScenarioSpec): Promise<ScenarioResult> => {
    const result = await runScenario(spec, { ...(gc ? { gc } : {}), sampleMemory: true });
    results.push(result);
    const landed = spec.destination
      ? `${int(result.distinctEventsPerWebhook.reduce((a, b) => a + b, 0))}/${int(result.expectedDeliveries)} events`
      : `${int(result.delivered)}/${int(result.expectedDeliveries)} messages`;
    say(`  ${spec.name.padEnd(22)} ${landed}, ${int(result.requests)} requests, ${fmt(result.realMs.total / 1000, 1)} s real, ${fmt(result.virtualSeconds / 60, 1)} virtual min`);
    return result;
  };
  for (const spec of planned.scenarios) await run(spec);
  // The sustained rate derived from the steady run, tried at 95 % for two virtual minutes and at 150 %
  // for --over-minutes (default 2).
  const reference = results.find((r) => r.spec.name.startsWith('steady'));
  if (reference) {
    const sustained = analyse(reference, memoryMB).limits.sustainedEventsPerMinute;
    for (const kind of planned.limits) {
      const factor = kind === 'at-limit' ? 0.95 : 1.5;
      const minutes = kind === 'at-limit' ? 2 : options.overMinutes;
      const perMinute = Math.max(60, Math.floor((sustained * factor) / 10) * 10);
      await run({ name: `${kind} ${int(perMinute)}/min×3`, events: minutes * perMinute, webhooks: 3, arrival: { kind: 'paced', perMinute } });
    }
  }
  let micro: MicroResults | undefined;
  if (planned.micro) {
    say('  micro-benchmarks...');
    micro = runMicro(options.quick);
  }

  // The destinations scenarios have their own tables; the throughput tables and summary keep the rest.
  const destinationResults = results.filter(isDestinationScenario);
  const throughputResults = results.filter((r) => !isDestinationScenario(r));
  const analyses = throughputResults.map((r) => analyse(r, memoryMB));
  const checks = results.flatMap(checkScenario);
  const destinations = destinationsSection(destinationResults, memoryMB);
  report(analyses, throughputResults, { results: destinationResults, lines: destinations.lines }, micro, checks, options);

  const elapsed = (performance.now() - t0) / 1000;
  const out = path.join(__dirname, 'results', 'latest.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const json = {
    meta: {
      startedAt: started.toISOString(),
      elapsedSeconds: elapsed,
      quick: options.quick,
      pacedEventsPerMinute: options.perMinute,
      burstEvents: options.burst ?? null,
      overLimitMinutes: options.overMinutes,
      only: options.only ?? null,
      costAssumptions: COST_ASSUMPTIONS,
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadAverage: { before: loadBefore, after: os.loadavg() },
      // The app's modules load during the first scenario: the start state is the code measured.
      git: { atStart: gitNow, atEnd: gitState() },
      memoryMB,
      gcExposed: gc !== undefined,
    },
    limits: FORGE_LIMITS,
    prices: FORGE_PRICES,
    scenarios: throughputResults.map((r, i) => ({ ...r, analysis: analyses[i], checks: checkScenario(r), observations: observations(r) })),
    destinations: {
      scenarios: destinationResults.map((r, i) => ({ ...r, figures: destinations.figures[i], checks: checkScenario(r), observations: observations(r) })),
      ratios: destinations.ratios,
      filters: { perSourceEvent: destinations.filters.figures, filteredOverCustom: destinations.filters.ratio ?? null },
    },
    micro: micro ?? null,
    summary: summarise(analyses, throughputResults),
  };
  fs.writeFileSync(out, `${JSON.stringify(json, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v), 2)}\n`);
  say(`\nWrote ${path.relative(process.cwd(), out)} in ${fmt(elapsed, 0)} s (load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}).`);
  const gitEnd = json.meta.git.atEnd;
  if (gitEnd.commit !== gitNow.commit || gitEnd.uncommittedAppFiles.join() !== gitNow.uncommittedAppFiles.join()) {
    say(`Note: the app's files changed during the run (now at ${gitEnd.commit ?? '?'}); the figures are for the code loaded at the start.`);
  }
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
};

main().catch((error: unknown) => {
  if (error instanceof OptionError) {
    process.stderr.write(`bench: ${error.message} (npm run bench -- --help)\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
