/** The drain's de-duplication window: as long as Forge's product-event retry horizon, and a journal KVS can hold. */
import { DRAIN_JOURNAL_KEY } from '../../../src/app/pipeline/keys';
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

  it('keeps the journal within KVS\'s value size at its cap (measured)', async () => {
    const p = pipeline();
    // Fill the window: 180 minutes of fan-outs, more ids than the cap.
    const perMinute = Math.ceil((RECENT_MAX_IDS * 1.5) / 180);
    let n = 0;
    for (let minute = 0; minute < 180; minute += 1) {
      await p.outbox.record(Array.from({ length: perMinute }, () => event(`pe-${(n += 1)}`)));
      await p.drainAll();
      p.clock.advance(60);
    }
    const journal = (await p.store.get<{ recent: Record<string, string> }>(DRAIN_JOURNAL_KEY))!;
    const ids = Object.values(journal.recent).reduce((sum, hashes) => sum + hashes.length / 12, 0);
    expect(ids).toBeLessThanOrEqual(RECENT_MAX_IDS);
    expect(ids).toBeGreaterThan(RECENT_MAX_IDS - perMinute * 2);
    // With a pending fan-out of a full page (100 outbox keys of the longest form, 100 batch ids) on top.
    const pending = { batchIds: Array.from({ length: 100 }, () => 'f'.repeat(20)), outboxKeys: Array.from({ length: 100 }, () => `outbox:1772442000000:000001:${'x'.repeat(200)}`) };
    const bytes = Buffer.byteLength(JSON.stringify({ ...journal, pending }));
    console.log(`drain journal at the cap: ${ids} ids, ${Buffer.byteLength(JSON.stringify(journal))} bytes; with a full pending fan-out ${bytes} bytes`);
    expect(bytes).toBeLessThan(KVS_MAX_VALUE_BYTES);
    expect(bytes).toBeLessThan(200 * 1024);
  }, 120_000);
});
