/** Poison isolation in the outbox and the drain: an entry that cannot be stored, batched or rendered is set aside, never blocks. */
import type { SetAsideView } from '../../../src/contract/pipeline-api';
import { OUTBOX_PREFIX, SET_ASIDE_PREFIX, outboxKey } from '../../../src/app/pipeline/keys';
import { isValueRefused } from '../../../src/app/pipeline/set-aside';
import { jsonDepth } from '../../../src/domain/events/depth';
import { event, pipeline, refused } from './pipeline-helpers';

const records = async (store: { query: <T>(prefix: string, o?: { limit?: number }) => Promise<{ results: { key: string; value: T }[] }> }) =>
  (await store.query<SetAsideView>(SET_ASIDE_PREFIX, { limit: 100 })).results.map((r) => r.value);
/** Outbox entries neither sent nor set aside (the outbox is not emptied: entries expire behind the drain's mark). */
const unhandled = async (p: ReturnType<typeof pipeline>): Promise<number> => {
  const sent = new Set(p.eventIdsSent());
  const aside = new Set((await records(p.store)).map((r) => r.eventId));
  const entries = (await p.store.query<{ id?: unknown }>(OUTBOX_PREFIX, { limit: 100 })).results;
  return entries.filter(({ key, value }) => {
    const id = typeof value.id === 'string' ? value.id : key.split(':').slice(3).join(':');
    return !sent.has(id) && !aside.has(id);
  }).length;
};
/** Whether a stored batch holds the event with this id (not an event about it). */
const holds = (value: unknown, match: (id: string) => boolean): boolean =>
  ((value as { events?: { id: string }[] }).events ?? []).some((e) => match(e.id));

describe('isValueRefused', () => {
  it('is true for a value KVS refuses (400, 413, MAX_DEPTH, MAX_SIZE), false for busy or failing storage', () => {
    expect(isValueRefused(refused())).toBe(true);
    expect(isValueRefused({ code: 'MAX_SIZE', responseDetails: { status: 413 } })).toBe(true);
    expect(isValueRefused({ code: 'RATE_LIMIT_EXCEEDED', responseDetails: { status: 429 } })).toBe(false);
    expect(isValueRefused({ code: 'INTERNAL', responseDetails: { status: 500 } })).toBe(false);
    expect(isValueRefused(new Error('socket hang up'))).toBe(false);
    expect(isValueRefused(undefined)).toBe(false);
  });
});

describe('the outbox write', () => {
  it('sets aside the one event KVS refuses and records the others', async () => {
    const p = pipeline();
    p.store.refuse = (key) => key.startsWith(OUTBOX_PREFIX) && key.endsWith(':poison');
    await p.outbox.record([event('a'), event('poison'), event('b')]);
    const stored = (await p.store.query<{ id: string; type: string }>(OUTBOX_PREFIX)).results.map((r) => r.value);
    expect(stored.map((e) => e.type).sort()).toEqual(['app.event.set_aside', 'issue.created', 'issue.created']);
    expect(await records(p.store)).toEqual([expect.objectContaining({ stage: 'outbox', eventId: 'poison', eventType: 'issue.created', reason: expect.stringContaining('refused') })]);
  });

  it('throws for busy storage (a retry can cure it): nothing is set aside', async () => {
    const p = pipeline();
    p.store.set = async () => {
      throw Object.assign(new Error('rate'), { code: 'RATE_LIMIT_EXCEEDED', responseDetails: { status: 429 } });
    };
    await expect(p.outbox.record([event('a')])).rejects.toThrow('rate');
  });

  it('stores every event bounded: 200 levels of nesting become 24 at most', async () => {
    const p = pipeline();
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200; i += 1) deep = { content: [deep] };
    await p.outbox.record([event('deep', { description: deep })]);
    const [stored] = (await p.store.query(OUTBOX_PREFIX)).results;
    expect(jsonDepth(stored?.value)).toBeLessThanOrEqual(24);
    expect(JSON.stringify(stored?.value)).toContain('[flattened by Audit Webhooks: nested deeper than 24 levels] bottom');
  });
});

describe('the drain', () => {
  it('splits a batch KVS refuses and sets aside only the event it refuses; the rest is fanned out, nothing is left unhandled', async () => {
    const p = pipeline();
    const ids = Array.from({ length: 40 }, (_, i) => `e${i}`);
    ids.splice(17, 0, 'poison');
    await p.outbox.record(ids.map((id) => event(id)));
    p.store.refuse = (key, value) => key.startsWith('batch:') && holds(value, (id) => id === 'poison');
    await p.drainAll();
    const sent = p.eventIdsSent();
    expect(sent.filter((id) => id.startsWith('e')).sort()).toEqual(ids.filter((id) => id !== 'poison').sort());
    expect(sent).not.toContain('poison');
    expect(await records(p.store)).toEqual([expect.objectContaining({ stage: 'batch', eventId: 'poison', reason: expect.stringContaining('refused') })]);
    // The app.event.set_aside event went through the same drain, to the webhook.
    expect(sent.filter((id) => id.startsWith('app-'))).toHaveLength(1);
    expect(await unhandled(p)).toBe(0);
    expect(p.logger.lines.some((l) => l.message === 'App storage refused a batch: storing it in halves')).toBe(true);
  });

  it('sets aside an event that does not render, and one that is not an event; delivers the others', async () => {
    const p = pipeline({
      render: (kind, e) => {
        if (e.id === 'unrenderable' && kind === 'slack') throw new Error('no Slack text for this event');
        return JSON.stringify(e);
      },
    });
    await p.outbox.record([event('a'), event('unrenderable'), event('b')]);
    await p.store.set(outboxKey(p.clock.now().getTime(), 'garbage'), { not: 'an event' });
    await p.drainAll();
    expect(p.eventIdsSent().filter((id) => !id.startsWith('app-')).sort()).toEqual(['a', 'b']);
    const found = await records(p.store);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stage: 'render', eventId: 'unrenderable', reason: expect.stringContaining('no Slack text') }),
        expect.objectContaining({ stage: 'batch', eventId: 'garbage', reason: expect.stringContaining('not a readable event') }),
      ]),
    );
    expect(found).toHaveLength(2);
    expect(await unhandled(p)).toBe(0);
  });

  it('cannot be held by any one entry: with every batch refused, each event is set aside and nothing is left unhandled', async () => {
    const p = pipeline();
    await p.outbox.record(Array.from({ length: 30 }, (_, i) => event(`x${i}`)));
    p.store.refuse = (key, value) => key.startsWith('batch:') && holds(value, (id) => id.startsWith('x'));
    await p.drainAll();
    expect(await records(p.store)).toHaveLength(30);
    expect(p.eventIdsSent().filter((id) => id.startsWith('x'))).toHaveLength(0);
    // 30 app.event.set_aside events were delivered instead.
    expect(p.eventIdsSent().filter((id) => id.startsWith('app-'))).toHaveLength(30);
    expect(await unhandled(p)).toBe(0);
  });

  it('does not set aside for busy storage: the drain stops and the entries wait', async () => {
    const p = pipeline();
    await p.outbox.record([event('a')]);
    const set = p.store.set.bind(p.store);
    p.store.set = async (key, value, options) => {
      if (key.startsWith('batch:')) throw Object.assign(new Error('busy'), { code: 'RATE_LIMIT_EXCEEDED', responseDetails: { status: 429 } });
      return set(key, value, options);
    };
    await expect(p.drain.run()).rejects.toThrow('busy');
    expect(await records(p.store)).toHaveLength(0);
    expect(await unhandled(p)).toBe(1);
  });
});
