import type { Clock, KeyValueStore } from '../ports';
import { DRAIN_MARKER_KEY } from './keys';

/**
 * `drain:queued`: a drain is queued or running (`at`: since when). A busy drain also promises, in
 * `until`, to look at the outbox at least once after every entry recorded before that time can be read
 * (see OutboxDrain's fence). Triggers that see the marker queue no drain of their own, and a warm runtime
 * that saw a promise lately does not even read it: a read per recorded event would otherwise be a
 * quarter of the installation's KVS read quota.
 */
export interface DrainMarker {
  at: string;
  until?: string;
}

/** How long a drain stays alive after its last fan-out, looking for new entries. */
export const KEEPALIVE_SECONDS = 30;
/** The drain extends its promise when less than this is left (one small write every ~10 s while busy). */
const EXTEND_BELOW_SECONDS = 20;
/** A promise this far past its end belongs to a drain that died: the next recorded event queues another. */
export const STALE_AFTER_MS = 5 * 60_000;
/** Runtimes' clocks differ a little: a remembered promise is trusted only this far short of its end. */
const CLOCK_MARGIN_MS = 2_000;

/** What this runtime last learned of the drain's promise (per installation: Forge runtimes are reused). */
export interface DrainPromiseMemo {
  get(): { learnedAtMs: number; untilMs: number } | undefined;
  set(value: { learnedAtMs: number; untilMs: number }): void;
}

export const memoryDrainPromise = (): DrainPromiseMemo => {
  let value: { learnedAtMs: number; untilMs: number } | undefined;
  return { get: () => value, set: (next) => void (value = next) };
};

/** The promise's end, NaN when the marker makes none. */
export const untilOf = (marker: DrainMarker | undefined): number => (marker?.until ? Date.parse(marker.until) : Number.NaN);

/** When a drain last showed it was alive: a marker older than STALE_AFTER_MS past this belongs to a dead one. */
export const aliveAt = (marker: DrainMarker): number => Math.max(Date.parse(marker.at), untilOf(marker) || Number.NEGATIVE_INFINITY);

export const isMarker = (value: unknown): value is DrainMarker =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as DrainMarker).at === 'string' &&
  ((value as DrainMarker).until === undefined || typeof (value as DrainMarker).until === 'string');

export class DrainMarkers {
  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly memo: DrainPromiseMemo,
  ) {}

  /** True when this runtime learned lately that a drain will look after `nowMs` (no read needed). */
  remembered(nowMs: number): boolean {
    const known = this.memo.get();
    // A clock that went back (a new local host in the same process) makes the memory worthless.
    return known !== undefined && known.learnedAtMs <= nowMs && nowMs + CLOCK_MARGIN_MS < known.untilMs;
  }

  learn(marker: DrainMarker, nowMs: number): void {
    const until = untilOf(marker);
    if (Number.isFinite(until) && until > nowMs) this.memo.set({ learnedAtMs: nowMs, untilMs: until });
  }

  async read(): Promise<DrainMarker | undefined> {
    const value = await this.store.get<unknown>(DRAIN_MARKER_KEY);
    return isMarker(value) ? value : undefined;
  }

  /** A claim: a drain is queued, with no promise yet (the drain makes one once it sees events keep coming). */
  fresh(nowMs: number): DrainMarker {
    return { at: new Date(nowMs).toISOString() };
  }

  async write(marker: DrainMarker): Promise<void> {
    await this.store.set<DrainMarker>(DRAIN_MARKER_KEY, marker, { ttlSeconds: 3600 });
  }

  async claim(marker: DrainMarker): Promise<boolean> {
    return this.store.setIfAbsent<DrainMarker>(DRAIN_MARKER_KEY, marker, { ttlSeconds: 3600 });
  }

  /** The drain was busy: push its promise on when little of it is left. */
  async extend(current: DrainMarker | undefined): Promise<DrainMarker> {
    const now = this.clock.now().getTime();
    if (current && untilOf(current) - now > EXTEND_BELOW_SECONDS * 1000) return current;
    // (NaN - now > x is false: a marker without a promise gets one.)
    const next = { at: current?.at ?? new Date(now).toISOString(), until: new Date(now + KEEPALIVE_SECONDS * 1000).toISOString() };
    await this.write(next);
    return next;
  }

  async clear(): Promise<void> {
    await this.store.delete(DRAIN_MARKER_KEY);
  }
}
