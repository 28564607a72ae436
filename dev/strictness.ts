/** How harsh the host is, in the ways Forge is harsh (Forge docs: async events "Delivery guarantees",
 * KVS "Expired data deletion is asynchronous", product events, invocation limits). Every switch
 * defaults to Forge's behaviour, so tests run against a platform at least as unkind as the real one;
 * each can be turned down to isolate a problem. */

export interface Strictness {
  /** Due work (queue events, trigger retries, delayed product events, scheduled runs) runs on this many
   * workers at once; a push's `concurrency: {key, limit}` limits events with that key, as on Forge. */
  workers: number;
  /** Share (0..1) of queue deliveries that are delivered a second time, half of them while the first is
   * still running and half up to a minute later (Forge: "at least once"). */
  duplicateRate: number;
  /** Each product event reaches its triggers after a random delay of 0..this many seconds (Forge: "can
   * arrive a few minutes late"). */
  productEventDelaySeconds: number;
  /** An expired KVS key stays readable (and still counts as existing for FAIL_IF_EXISTS) for this many
   * seconds after its expiry, up to Forge's 48 h; reads that ask for EXPIRE_TIME see the past time. */
  expiredReadableSeconds: number;
  /** With a manual clock, due work may start while other work runs when it is due at most this many
   * milliseconds later (time passes while functions run). */
  overlapMs: number;
  /** Seed of the pseudo-random choices (duplicates, delays), so a failing run can be replayed. */
  seed: number;
}

export const FORGE_EXPIRED_READABLE_MAX_SECONDS = 48 * 3600;
/** Forge drops a product event over 200 KB rather than delivering it. */
export const PRODUCT_EVENT_MAX_BYTES = 200 * 1024;

export const STRICT_DEFAULTS: Strictness = {
  workers: 4,
  duplicateRate: 0.05,
  productEventDelaySeconds: 0,
  expiredReadableSeconds: FORGE_EXPIRED_READABLE_MAX_SECONDS,
  overlapMs: 1000,
  seed: 1,
};

/** Checks a partial strictness setting and fills in the defaults; a bad value is an error naming it. */
export function resolveStrictness(partial: Partial<Strictness> | undefined): Strictness {
  const s = { ...STRICT_DEFAULTS, ...stripUndefined(partial ?? {}) };
  const problems: string[] = [];
  if (!Number.isInteger(s.workers) || s.workers < 1 || s.workers > 64) problems.push(`workers must be an integer 1..64; got ${s.workers}`);
  if (!(s.duplicateRate >= 0 && s.duplicateRate <= 1)) problems.push(`duplicateRate must be between 0 and 1; got ${s.duplicateRate}`);
  if (!(s.productEventDelaySeconds >= 0 && s.productEventDelaySeconds <= 3600)) {
    problems.push(`productEventDelaySeconds must be between 0 and 3600; got ${s.productEventDelaySeconds}`);
  }
  if (!(s.expiredReadableSeconds >= 0 && s.expiredReadableSeconds <= FORGE_EXPIRED_READABLE_MAX_SECONDS)) {
    problems.push(`expiredReadableSeconds must be between 0 and ${FORGE_EXPIRED_READABLE_MAX_SECONDS} (48 h); got ${s.expiredReadableSeconds}`);
  }
  if (!(s.overlapMs >= 0 && s.overlapMs <= 60_000)) problems.push(`overlapMs must be between 0 and 60000; got ${s.overlapMs}`);
  if (!Number.isInteger(s.seed)) problems.push(`seed must be an integer; got ${s.seed}`);
  if (problems.length > 0) throw new Error(`Forge local host strictness: ${problems.join('; ')}`);
  return s;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** mulberry32: a small seeded generator; the host's random choices must be replayable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
