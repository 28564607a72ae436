/** Measuring instruments wrapped around the local Forge host, without changing it or the app:
 *  - platform calls by key family (the KVS key up to its first ':'), with Forge's 10 KB units;
 *  - wall time of every function invocation (what Forge bills as GB-seconds);
 *  - process memory, sampled.
 * host.stats() stays the reference for totals; the bench checks that these instruments agree with it. */
import { Invoker } from '../../dev/invoker';
import type { ForgeHost } from '../../dev/host';
import type { HostBackend } from '../../dev/runtime-context';

/** Forge counts KVS reads and writes in 10 KB units. */
export const KVS_UNIT_BYTES = 10 * 1024;
export const kvsUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / KVS_UNIT_BYTES));

export interface FamilyCounts {
  reads: number;
  readUnits: number;
  readBytes: number;
  misses: number;
  writes: number;
  writeUnits: number;
  writeBytes: number;
  deletes: number;
  queries: number;
  rateLimited: number;
}

const emptyFamily = (): FamilyCounts => ({ reads: 0, readUnits: 0, readBytes: 0, misses: 0, writes: 0, writeUnits: 0, writeBytes: 0, deletes: 0, queries: 0, rateLimited: 0 });

export interface PlatformCounts {
  kvs: Record<string, FamilyCounts>;
  /** the same KVS calls, per calling function (`(outside)` for calls made outside an invocation) */
  kvsByFunction: Record<string, FamilyCounts>;
  /** queue events pushed, per queue */
  queueEvents: Record<string, number>;
  queuePushes: Record<string, number>;
  /** per second of virtual time (the host's manual clock): what Forge's per-minute limits count */
  timeline: Record<string, RateSample>;
}

export interface RateSample {
  kvsReadUnits: number;
  kvsWriteUnits: number;
  queueEvents: number;
}

const emptyCounts = (): PlatformCounts => ({ kvs: {}, kvsByFunction: {}, queueEvents: {}, queuePushes: {}, timeline: {} });

/** `outbox:0001:...` → `outbox`; a fixed key of words only (`drain:journal`) stays whole; a secret key
 * gets a `secret ` prefix. */
export const keyFamily = (key: string, secret: boolean): string =>
  `${secret ? 'secret ' : ''}${/^[a-z-]+(:[a-z-]+)?$/.test(key) ? key : (key.split(':')[0] ?? key)}`;

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/** Counts every KVS and queue call the app makes through the host, by key family. */
export class PlatformMeter {
  private counts: PlatformCounts = emptyCounts();

  constructor(host: ForgeHost) {
    const backend = host as unknown as HostBackend;
    if (typeof backend.forgeFetch !== 'function') throw new Error('bench: the host no longer exposes forgeFetch; update bench/support/instruments.ts');
    const original = backend.forgeFetch.bind(backend);
    backend.forgeFetch = async (ctx, target, path, init) => {
      const response = await original(ctx, target, path, init);
      try {
        await this.record(ctx?.functionKey ?? '(outside)', target.type, path, typeof init?.body === 'string' ? init.body : undefined, response);
      } catch {
        // a request the meter cannot read is still answered as the host answered it
      }
      return response;
    };
  }

  snapshot(): PlatformCounts {
    return structuredClone(this.counts);
  }

  reset(): void {
    this.counts = emptyCounts();
  }

  private add(into: Record<string, FamilyCounts>, name: string, delta: FamilyCounts): void {
    const f = (into[name] ??= emptyFamily());
    for (const k of Object.keys(f) as (keyof FamilyCounts)[]) f[k] += delta[k];
  }

  /** Date is the host's virtual clock while a manual-clock host is open. */
  private sample(): RateSample {
    const second = String(Math.floor(Date.now() / 1000));
    return (this.counts.timeline[second] ??= { kvsReadUnits: 0, kvsWriteUnits: 0, queueEvents: 0 });
  }

  private async record(functionKey: string, type: string | undefined, path: string, bodyText: string | undefined, response: Response): Promise<void> {
    if (!bodyText) return;
    const body = asRecord(JSON.parse(bodyText));
    if (!body) return;
    if (type === 'kvs') {
      const measured = await kvsDelta(path, body, response);
      if (measured) {
        this.add(this.counts.kvs, measured.family, measured.delta);
        this.add(this.counts.kvsByFunction, functionKey, measured.delta);
        const sample = this.sample();
        sample.kvsReadUnits += measured.delta.readUnits;
        sample.kvsWriteUnits += measured.delta.writeUnits;
      }
      return;
    }
    if (path.startsWith('/webhook/queue/publish/') && response.status === 201) {
      const queue = typeof body.queueName === 'string' ? body.queueName : '?';
      const events = Array.isArray(body.payload) ? body.payload.length : 0;
      this.counts.queueEvents[queue] = (this.counts.queueEvents[queue] ?? 0) + events;
      this.counts.queuePushes[queue] = (this.counts.queuePushes[queue] ?? 0) + 1;
      this.sample().queueEvents += events;
    }
  }
}

/** What one KVS call cost, as the host meters it (a miss costs one read unit, a delete one write unit). */
const kvsDelta = async (path: string, body: Record<string, unknown>, response: Response): Promise<{ family: string; delta: FamilyCounts } | undefined> => {
  const delta = emptyFamily();
  const secret = path.startsWith('/api/v1/secret/');
  const op = path.slice(path.lastIndexOf('/') + 1);
  if (op === 'query') {
    const where = Array.isArray(body.where) ? asRecord(body.where[0]) : undefined;
    const values = where && Array.isArray(where.values) ? where.values : [];
    const family = keyFamily(typeof values[0] === 'string' ? values[0] : '', false);
    if (response.status === 429) delta.rateLimited += 1;
    else if (response.status === 200) {
      const answer = asRecord(await response.clone().json());
      const data = answer && Array.isArray(answer.data) ? answer.data : [];
      const bytes = data.reduce((sum: number, item: unknown) => sum + jsonBytes(asRecord(item)?.value), 0);
      delta.queries += 1;
      delta.readBytes += bytes;
      delta.readUnits += kvsUnits(bytes);
    } else return undefined;
    return { family, delta };
  }
  if (typeof body.key !== 'string') return undefined;
  const family = keyFamily(body.key, secret);
  if (response.status === 429) delta.rateLimited += 1;
  else if (op === 'get') {
    if (response.status === 404) {
      delta.reads += 1;
      delta.misses += 1;
      delta.readUnits += 1;
    } else if (response.status === 200) {
      const bytes = jsonBytes(asRecord(await response.clone().json())?.value);
      delta.reads += 1;
      delta.readBytes += bytes;
      delta.readUnits += kvsUnits(bytes);
    } else return undefined;
  } else if (op === 'set') {
    if (response.status >= 300) return undefined;
    const bytes = jsonBytes(body.value);
    delta.writes += 1;
    delta.writeBytes += bytes;
    delta.writeUnits += kvsUnits(bytes);
  } else if (op === 'delete') {
    if (response.status >= 300) return undefined;
    delta.deletes += 1;
    delta.writeUnits += 1;
  } else return undefined;
  return { family, delta };
};

export const sumFamilies = (kvs: Record<string, FamilyCounts>): FamilyCounts => {
  const total = emptyFamily();
  for (const f of Object.values(kvs)) {
    for (const k of Object.keys(total) as (keyof FamilyCounts)[]) total[k] += f[k];
  }
  return total;
};

export interface InvocationTiming {
  count: number;
  /** wall time, what Forge bills */
  totalMs: number;
  maxMs: number;
  /** process CPU time during the invocations: due work runs one item at a time and the bench fires
   * triggers one by one, so this is the invocations' own CPU (plus the in-process receivers and host) */
  cpuMs: number;
}

/** Wall time of every invocation the host runs, per function key (Invoker.run wrapped once per process). */
class InvocationClock {
  private timings: Record<string, InvocationTiming> = {};
  private installed = false;

  install(): void {
    if (this.installed) return;
    this.installed = true;
    const original = Invoker.prototype.run;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const clock = this;
    Invoker.prototype.run = async function (this: Invoker, opts: Parameters<Invoker['run']>[0]) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      try {
        return await original.call(this, opts);
      } finally {
        const used = process.cpuUsage(cpu);
        clock.add(opts.functionKey, performance.now() - started, (used.user + used.system) / 1000);
      }
    };
  }

  private add(functionKey: string, ms: number, cpuMs: number): void {
    const t = (this.timings[functionKey] ??= { count: 0, totalMs: 0, maxMs: 0, cpuMs: 0 });
    t.count += 1;
    t.totalMs += ms;
    t.cpuMs += cpuMs;
    t.maxMs = Math.max(t.maxMs, ms);
  }

  snapshot(): Record<string, InvocationTiming> {
    return structuredClone(this.timings);
  }

  reset(): void {
    this.timings = {};
  }
}

export const invocationClock = new InvocationClock();

export interface MemoryFigures {
  rssMB: number;
  heapUsedMB: number;
  heapTotalMB: number;
  externalMB: number;
}

const MB = 1024 * 1024;
export const memoryNow = (): MemoryFigures => {
  const m = process.memoryUsage();
  return { rssMB: m.rss / MB, heapUsedMB: m.heapUsed / MB, heapTotalMB: m.heapTotal / MB, externalMB: m.external / MB };
};

/** Samples memory on a real timer (the manual clock fakes only Date) and keeps the peaks. */
export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  peakRssMB = 0;
  peakHeapUsedMB = 0;
  samples = 0;

  start(everyMs = 50): void {
    const sample = (): void => {
      const m = memoryNow();
      this.peakRssMB = Math.max(this.peakRssMB, m.rssMB);
      this.peakHeapUsedMB = Math.max(this.peakHeapUsedMB, m.heapUsedMB);
      this.samples += 1;
    };
    sample();
    this.timer = setInterval(sample, everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const m = memoryNow();
    this.peakRssMB = Math.max(this.peakRssMB, m.rssMB);
    this.peakHeapUsedMB = Math.max(this.peakHeapUsedMB, m.heapUsedMB);
  }
}
