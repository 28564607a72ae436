/** The drain's de-duplication window: as long as Forge's product-event retry horizon, and a journal KVS can hold. */
import { DEDUP_PREFIX } from '../../../src/app/pipeline/keys';
import { ID_HASH_CHARS } from '../../../src/app/pipeline/dedup-journal';
import { RECENT_MAX_IDS, RECENT_WINDOW_MS } from '../../../src/app/pipeline/drain';
import { event, pipeline } from './pipeline-helpers';

/** Forge: at most 4 app-requested retries, retryAfter at most 900 s; each invocation up to 25 s. */
const FORGE_PRODUCT_EVENT_RETRY_HORIZON_MS = (4 * 900 + 5 * 25) * 1000;
const KVS_MAX_VALUE_BYTES = 240 * 1024;

describe('the de-duplication window', () => {
  it('outlasts Forge\'s product-event retry horizon', () => {
    expect(RECENT_WINDOW_MS).toBeGreaterThanOrEqual(FORGE_PRODUCT_EVENT_RETRY_HORIZON_MS);
  });

  it.each([39, 70, 150])('drops an event recorded again %i minutes later: it was fanned out once', async (minutes) => {
    const p = pipeline();
    await p.outbox.record([event('pe-repeat')]);
    await p.drainAll();
    p.clock.advance(minutes * 60);
    await p.outbox.record([event('pe-repeat'), event('pe-new')]);
    await p.drainAll();
    expect(p.eventIdsSent().filter((id) => id === 'pe-repeat')).toHaveLength(1);
    expect(p.eventIdsSent()).toContain('pe-new');
    expect(p.logger.lines.some((l) => l.message === 'Dropped an event recorded twice')).toBe(true);
  });

  it('sends an event again after the window (a new change with the same payload)', async () => {
    const p = pipeline();
    await p.outbox.record([event('pe-late')]);
    await p.drainAll();
    p.clock.advance(RECENT_WINDOW_MS / 1000 + 120);
    await p.outbox.record([event('pe-late')]);
    await p.drainAll();
    expect(p.eventIdsSent().filter((id) => id === 'pe-late')).toHaveLength(2);
  });

  it('keeps each shard within KVS\'s value size, and a drain\'s read of the journal under 100 KB, at its cap (measured)', async () => {
    const p = pipeline();
    // Fill the window: 180 minutes of fan-outs, more ids than the cap.
    const perMinute = Math.ceil((RECENT_MAX_IDS * 1.5) / 180);
    let n = 0;
    for (let minute = 0; minute < 180; minute += 1) {
      await p.outbox.record(Array.from({ length: perMinute }, () => event(`pe-${(n += 1)}`)));
      await p.drainAll();
      p.clock.advance(60);
    }
    // The journal is sharded by minute: a drain reads every shard and rewrites only the current one.
    const shards: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await p.store.query<string>(DEDUP_PREFIX, { limit: 100, ...(cursor ? { cursor } : {}) });
      shards.push(...page.results.map((r) => r.value));
      cursor = page.nextCursor;
    } while (cursor);
    const ids = shards.reduce((sum, hashes) => sum + hashes.length / ID_HASH_CHARS, 0);
    // The cap applies when a drain loads the journal; the current minute's shard grows on top of it.
    expect(ids).toBeLessThanOrEqual(RECENT_MAX_IDS + perMinute);
    expect(ids).toBeGreaterThan(RECENT_MAX_IDS - perMinute * 2);
    const bytes = shards.reduce((sum, hashes) => sum + Buffer.byteLength(JSON.stringify(hashes)), 0);
    const largest = Math.max(...shards.map((hashes) => Buffer.byteLength(JSON.stringify(hashes))));
    console.log(`de-duplication journal at the cap: ${ids} ids in ${shards.length} shards, ${bytes} bytes read per drain run, largest shard ${largest} bytes`);
    expect(largest).toBeLessThan(KVS_MAX_VALUE_BYTES);
    expect(bytes).toBeLessThan(100 * 1024);
  }, 120_000);
});
