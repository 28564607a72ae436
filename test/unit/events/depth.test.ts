/** The event model's depth bound: rich text nested too deep is flattened behind a marker before anything is stored. */
import { MAX_EVENT_DEPTH, boundDepth, flattenMarker, flattenedText, fromProductEvent, jsonDepth } from '../../../src/domain/events';
import { trimEvent } from '../../../src/app/pipeline/render-body';

const nestedList = (levels: number, level = 1): Record<string, unknown> => ({
  type: 'bulletList',
  content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: `level ${level}` }] }, ...(level < levels ? [nestedList(levels, level + 1)] : [])] }],
});
const issueWith = (description: unknown) => ({
  eventType: 'avi:jira:created:issue',
  atlassianId: 'acc-1',
  issue: { id: '10001', key: 'SEC-1', fields: { summary: 'Deep', description } },
});

describe('jsonDepth', () => {
  it('counts as KVS does: scalars 0, {} and [] 1', () => {
    expect(jsonDepth('x')).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [{ b: 1 }] })).toBe(3);
  });
  it('survives 100,000 levels (no recursion)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(jsonDepth(deep)).toBe(100_000);
  });
});

describe('boundDepth', () => {
  it('returns a shallow value as it is', () => {
    const value = { a: { b: [1] } };
    expect(boundDepth(value, 5).value).toBe(value);
  });
  it('replaces what would sit deeper by the marker and its text, and says where', () => {
    const { value, flattened } = boundDepth({ a: { b: { c: { text: 'deep' } } } }, 2);
    expect(value).toEqual({ a: { b: `${flattenMarker(2)} deep` } });
    expect(flattened).toEqual([{ path: 'a.b', originalBytes: JSON.stringify({ c: { text: 'deep' } }).length, nestedDeeperThan: 2 }]);
  });
  it('flattens ADF to its text nodes in document order, other JSON to its strings', () => {
    expect(flattenedText(nestedList(3))).toBe('level 1 level 2 level 3');
    expect(flattenedText({ type: 'x', a: 'one', b: ['two', { c: 'three' }] })).toBe('one two three');
  });
});

describe('normalised events', () => {
  it.each([1, 3, 6, 8, 40, 200, 2000])('an issue description nested %i levels stays within MAX_EVENT_DEPTH, stored within KVS depth 32', (levels) => {
    const result = fromProductEvent(issueWith({ type: 'doc', version: 1, content: [nestedList(levels)] }), { receivedAt: '2026-01-01T00:00:00.000Z' });
    if (!result.ok) throw new Error(result.error);
    expect(jsonDepth(result.event)).toBeLessThanOrEqual(MAX_EVENT_DEPTH);
    // A stored batch wraps it in two more levels.
    expect(jsonDepth({ createdAt: 'x', events: [trimEvent(result.event)] })).toBeLessThanOrEqual(32 - 6);
    const text = JSON.stringify(result.event.data.details);
    expect(text).toContain('level 1');
    expect(text).toContain(`level ${levels}`);
    const trimmed = (result.event.data as { trimmed?: { nestedDeeperThan?: number }[] }).trimmed;
    if (jsonDepth(issueWith(nestedList(levels))) + 2 > MAX_EVENT_DEPTH) {
      expect(text).toContain(flattenMarker());
      expect(trimmed).toEqual([expect.objectContaining({ path: expect.stringMatching(/^data\.details\.description/), nestedDeeperThan: MAX_EVENT_DEPTH })]);
    } else {
      expect(text).not.toContain(flattenMarker());
      expect(trimmed).toBeUndefined();
    }
  });

  it('keeps the id of the untouched payload (a retry of the same deep event gets the same id)', () => {
    const raw = issueWith({ type: 'doc', version: 1, content: [nestedList(50)] });
    const a = fromProductEvent(raw, { receivedAt: '2026-01-01T00:00:00.000Z' });
    const b = fromProductEvent(structuredClone(raw), { receivedAt: '2026-01-01T00:05:00.000Z' });
    expect(a.ok && b.ok && a.event.id === b.event.id).toBe(true);
  });

  it('keeps the depth entries when the event is also trimmed for size', () => {
    const big = 'x'.repeat(100_000);
    const result = fromProductEvent(issueWith({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: big }] }, nestedList(10)] }), {
      receivedAt: '2026-01-01T00:00:00.000Z',
    });
    if (!result.ok) throw new Error(result.error);
    const stored = trimEvent(result.event) as { data: { trimmed?: { nestedDeeperThan?: number; path: string }[] } };
    expect(stored.data.trimmed?.some((t) => t.nestedDeeperThan === MAX_EVENT_DEPTH)).toBe(true);
    expect(stored.data.trimmed?.some((t) => t.nestedDeeperThan === undefined)).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(stored))).toBeLessThanOrEqual(64 * 1024 + 200);
  });
});
