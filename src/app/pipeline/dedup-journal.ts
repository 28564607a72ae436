import { createHash } from 'node:crypto';
import type { Clock, KeyValueStore, Logger } from '../ports';
import { DEDUP_PREFIX, pad13 } from './keys';

/**
 * Ids fanned out lately, so an event recorded twice (retried trigger, re-read audit page, a product event
 * Forge delivers twice) is sent once. The window outlasts Forge's product-event retry horizon
 * (docs/events.md, "Delivered once"): an app may ask for 4 retries of at most 900 s each (Forge docs,
 * events-reference/product_events, "Retry for app level errors"), about 62 minutes with the 25 s
 * invocations, and the platform retries timeouts, OOM and rate limits on top with no documented bound.
 * 3 hours covers that with room to spare.
 */
export const RECENT_WINDOW_MS = 3 * 60 * 60_000;
/**
 * At 8 characters an id, 12,000 ids are 96,000 bytes: what a drain reads per run at the cap (10 KVS read
 * units). That covers the whole 62-minute retry horizon up to about 190 events a minute; above that the
 * newest 12,000 ids are kept (12 minutes at 1,000 events a minute).
 */
export const RECENT_MAX_IDS = 12_000;
/** 48 bits of SHA-256 as 8 base64url characters: a false "seen" among 12,000 ids has a chance of about 4e-11. */
export const ID_HASH_CHARS = 8;
const SHARD_MS = 60_000;

export const idHash = (id: string): string => createHash('sha256').update(id).digest().subarray(0, 6).toString('base64url');

/** The 12-hex-character hashes of the previous journal format (the same 48 bits), for the upgrade. */
export const idHashFromHex = (hex: string): string => Buffer.from(hex, 'hex').toString('base64url');

const shardKey = (minuteMs: number): string => `${DEDUP_PREFIX}${pad13(minuteMs)}`;

/**
 * The journal is sharded by minute (`dedup:<minute>`, a string of hashes): a drain reads every shard of
 * the window with one prefix query, and rewrites only the current minute's shard, which is small. Shards
 * beyond the cap are deleted (at most one or two a minute); older ones expire by TTL.
 */
export class DedupJournal {
  private shards = new Map<string, string>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Reads the window; answers the ids seen in it. */
  async load(): Promise<Set<string>> {
    const since = this.clock.now().getTime() - RECENT_WINDOW_MS;
    const found: { key: string; hashes: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.query<unknown>(DEDUP_PREFIX, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const { key, value } of page.results) {
        if (typeof value !== 'string' || Number(key.slice(DEDUP_PREFIX.length)) < since) continue;
        found.push({ key, hashes: value });
      }
      cursor = page.nextCursor;
    } while (cursor);
    found.sort((a, b) => (a.key < b.key ? 1 : -1));
    this.shards = new Map();
    const seen = new Set<string>();
    let kept = 0;
    for (const { key, hashes } of found) {
      const count = Math.floor(hashes.length / ID_HASH_CHARS);
      if (kept + count > RECENT_MAX_IDS && kept > 0) {
        await this.store.delete(key).catch((error: unknown) => this.logger.warn('Could not delete an old de-duplication shard; it expires by TTL', { key, error: String(error) }));
        continue;
      }
      kept += count;
      this.shards.set(key, hashes);
      for (let i = 0; i + ID_HASH_CHARS <= hashes.length; i += ID_HASH_CHARS) seen.add(hashes.slice(i, i + ID_HASH_CHARS));
    }
    return seen;
  }

  /**
   * Appends hashes (idHash, computed once by the caller for its own look-up) to the current minute's
   * shard: one small write. The upgrade seeds it the same way with the previous format's hashes.
   */
  async remember(hashes: string[]): Promise<void> {
    if (hashes.length === 0) return;
    const nowMs = this.clock.now().getTime();
    const key = shardKey(nowMs - (nowMs % SHARD_MS));
    const value = (this.shards.get(key) ?? '') + hashes.join('');
    await this.store.set(key, value, { ttlSeconds: RECENT_WINDOW_MS / 1000 + 3600 });
    this.shards.set(key, value);
  }
}
