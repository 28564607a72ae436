/**
 * The outbox read behind a mark (issue 10): entries are never deleted, a drain reads each once, a late or
 * slow write cannot land behind the mark, a duplicated drain run cannot start a second chain, and a
 * warm runtime that knows the drain's promise records without reading the marker.
 */
import { DRAIN_MARKER_KEY, DRAIN_STATE_KEY, OUTBOX_PREFIX, outboxKey } from '../../../src/app/pipeline/keys';
import { blocksBetween, nextBlock } from '../../../src/app/pipeline/outbox-blocks';
import { memoryDrainPromise } from '../../../src/app/pipeline/drain-marker';
import { Outbox, WRITE_DEADLINE_MS } from '../../../src/app/pipeline/outbox';
import { PushBudget } from '../../../src/app/pipeline/push-budget';
import { event, pipeline } from './pipeline-helpers';

describe('outbox blocks', () => {
  it('covers a span with aligned prefixes, the largest that fit', () => {
    const start = Date.parse('2026-11-02T08:00:07.000Z');
    const blocks = blocksBetween(start, start + 25_000);
    expect(blocks[0]!.startMs).toBe(start);
    expect(blocks[blocks.length - 1]!.endMs).toBe(start + 25_000);
    for (let i = 1; i < blocks.length; i += 1) expect(blocks[i]!.startMs).toBe(blocks[i - 1]!.endMs);
    // 3 one-second blocks to reach :10, a ten-second block for :10-:20, then 2 one-second blocks... (not 25 queries).
    expect(blocks.length).toBeLessThan(25);
    for (const block of blocks) {
      const digits = block.prefix.slice(OUTBOX_PREFIX.length);
      expect(String(block.startMs).padStart(13, '0').startsWith(digits)).toBe(true);
      expect(block.endMs - block.startMs).toBe(10 ** (13 - digits.length));
    }
  });

  it('takes a day of quiet in a handful of queries', () => {
    const start = Date.parse('2026-11-02T08:00:00.000Z');
    expect(blocksBetween(start, start + 86_400_000).length).toBeLessThan(60);
    expect(nextBlock(start, start + 999)).toBeUndefined();
  });
});

describe('the drain behind its mark', () => {
  it('deletes nothing, reads each entry once, and moves its mark past what it fanned out', async () => {
    const p = pipeline();
    await p.outbox.record([event('a'), event('b')]);
    await p.drainAll();
    p.clock.advance(30);
    await p.outbox.record([event('c')]);
    await p.drainAll();
    p.clock.advance(30);
    await p.drainAll();
    expect(p.eventIdsSent().sort()).toEqual(['a', 'b', 'c']);
    expect((await p.store.query(OUTBOX_PREFIX)).results).toHaveLength(3);
    const state = await p.store.get<{ markMs: number }>(DRAIN_STATE_KEY);
    expect(state!.markMs).toBeGreaterThan(p.clock.now().getTime() - 10_000);
  });

  it('fans out an entry written late behind the fence, but never one behind the mark twice', async () => {
    const p = pipeline();
    await p.outbox.record([event('early')]);
    await p.drainAll();
    // A write that took its time (within the outbox's deadline): recorded 1 s ago, landing only now.
    const oneSecondAgo = p.clock.now().getTime() - 1_000;
    await p.store.set(outboxKey(oneSecondAgo, 'late'), event('late'));
    p.clock.advance(10);
    await p.drainAll();
    expect(p.eventIdsSent().sort()).toEqual(['early', 'late']);
  });

  it('writes an event again under a fresh key when the outbox write took longer than its deadline', async () => {
    const p = pipeline();
    const slow = Object.create(p.store) as typeof p.store;
    let first = true;
    slow.set = async (key, value, options) => {
      await p.store.set(key, value, options);
      if (first && key.startsWith(OUTBOX_PREFIX)) {
        first = false;
        p.clock.advance((WRITE_DEADLINE_MS + 500) / 1000);
      }
    };
    const outbox = new Outbox({ store: slow, clock: p.clock, budget: new PushBudget(p.store, p.clock), logger: p.logger, pushDrain: async () => undefined });
    await outbox.record([event('slow')]);
    expect((await p.store.query(OUTBOX_PREFIX)).results).toHaveLength(2);
    expect(p.logger.lines.some((l) => l.message.startsWith('An outbox write was slow'))).toBe(true);
    await p.drainAll();
    // Two copies, one message: the drain drops the second by its id.
    expect(p.eventIdsSent()).toEqual(['slow']);
  });

  it('ends a run queued by a copy of a drain run: only one chain goes on', async () => {
    const chains: string[] = [];
    const p = pipeline({ pushDrain: async (_delay, chain) => void (chain && chains.push(chain)) });
    // Eight events make the drain busy (5 or more in 10 s); a trigger's claim of the marker follows.
    await p.outbox.record(Array.from({ length: 8 }, (_, i) => event(`busy-${i}`)));
    expect((await p.drain.run()).status).toBe('drained');
    p.clock.advance(2);
    await p.outbox.record([event('next')]);
    await p.store.set(DRAIN_MARKER_KEY, { at: p.clock.now().toISOString() });
    expect((await p.drain.run()).status).toBe('yielded');
    const first = chains[chains.length - 1]!;
    expect(first).toBeDefined();
    expect((await p.drain.run(first)).status).not.toBe('drained');
    const second = chains[chains.length - 1]!;
    expect(second).not.toBe(first);
    // The copy of the run that carried `first` comes later: it ends without a look or a push.
    const pushedBefore = chains.length;
    expect(await p.drain.run(first)).toEqual({ status: 'drained', events: 0, duplicates: 0 });
    expect(chains.length).toBe(pushedBefore);
    expect(p.logger.lines.some((l) => l.message.startsWith('A second copy of a drain run ends here'))).toBe(true);
  });
});

describe('a saved query cursor KVS no longer takes', () => {
  it('is replaced by reading the block from its start, skipping what was read: every entry once', async () => {
    const p = pipeline();
    await p.outbox.record(Array.from({ length: 250 }, (_, i) => event(`same-second-${i}`)));
    p.clock.advance(10);
    let refusedCursors = 0;
    const query = p.store.query.bind(p.store);
    p.store.query = async <T>(prefix: string, options?: { limit?: number; cursor?: string }) => {
      // Every cursor a drain saved in an earlier run is refused, as if KVS had expired it.
      if (options?.cursor && prefix.startsWith(OUTBOX_PREFIX) && !options.cursor.startsWith('fresh:')) {
        refusedCursors += 1;
        throw Object.assign(new Error('The provided cursor is invalid.'), { code: 'INVALID_CURSOR', responseDetails: { status: 400 } });
      }
      const page = await query<T>(prefix, options?.cursor ? { ...options, cursor: options.cursor.slice('fresh:'.length) } : options);
      return page.nextCursor ? { ...page, nextCursor: `fresh:${page.nextCursor}` } : page;
    };
    // Cursors returned within this run are good; the drain saves one and the next run is refused it.
    const saved = p.store.set.bind(p.store);
    p.store.set = async <T>(key: string, value: T, options?: { ttlSeconds?: number }) => {
      const state = value as { block?: { cursor?: string } };
      if (key === DRAIN_STATE_KEY && state.block?.cursor) state.block.cursor = `stale:${state.block.cursor}`;
      return saved(key, value, options);
    };
    await p.drainAll();
    expect(refusedCursors).toBeGreaterThan(0);
    expect(p.logger.lines.some((l) => l.message.startsWith('App storage refused a saved query cursor'))).toBe(true);
    const sent = p.eventIdsSent();
    expect(sent).toHaveLength(250);
    expect(new Set(sent).size).toBe(250);
  });
});

describe('the marker read in a trigger', () => {
  it('is skipped while this runtime knows a promise, and made again when it runs out', async () => {
    const p = pipeline();
    let reads = 0;
    const counting = Object.create(p.store) as typeof p.store;
    counting.get = async <T>(key: string) => {
      if (key === DRAIN_MARKER_KEY) reads += 1;
      return p.store.get<T>(key);
    };
    const outbox = new Outbox({ store: counting, clock: p.clock, budget: new PushBudget(p.store, p.clock), logger: p.logger, pushDrain: async () => undefined, drainPromise: memoryDrainPromise() });
    const until = new Date(p.clock.now().getTime() + 30_000).toISOString();
    await p.store.set(DRAIN_MARKER_KEY, { at: p.clock.now().toISOString(), until });
    await outbox.accept([event('one')]);
    expect(reads).toBe(1);
    for (let i = 0; i < 10; i += 1) {
      p.clock.advance(2);
      await outbox.accept([event(`more-${i}`)]);
    }
    expect(reads).toBe(1);
    // Past the promise (less 2 s for clocks): read again.
    p.clock.advance(10);
    await outbox.accept([event('late')]);
    expect(reads).toBe(2);
  });

  it('does not trust a memory from a clock that went back (another host in the same process)', async () => {
    const p = pipeline();
    const memo = memoryDrainPromise();
    memo.set({ learnedAtMs: p.clock.now().getTime() + 60_000, untilMs: p.clock.now().getTime() + 90_000 });
    let reads = 0;
    const counting = Object.create(p.store) as typeof p.store;
    counting.get = async <T>(key: string) => {
      if (key === DRAIN_MARKER_KEY) reads += 1;
      return p.store.get<T>(key);
    };
    const outbox = new Outbox({ store: counting, clock: p.clock, budget: new PushBudget(p.store, p.clock), logger: p.logger, pushDrain: async () => undefined, drainPromise: memo });
    await outbox.accept([event('fresh')]);
    expect(reads).toBe(1);
  });
});
