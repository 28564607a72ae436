import { DEFAULT_MAX_BODY_BYTES, envelopeBody, fitPayload, utf8Bytes, truncateUtf8 } from '../../../src/domain/formats';
import { issueUpdated } from './fixtures';

const MB = 1024 * 1024;

describe('fitPayload', () => {
  it('leaves a small event untouched, without data.trimmed', () => {
    const event = issueUpdated();
    const result = fitPayload(event, DEFAULT_MAX_BODY_BYTES);
    expect(result).toMatchObject({ fits: true, trimmed: [], body: envelopeBody(event) });
    expect(result.event).toBe(event);
  });

  it('trims a 1 MB description to fit 64 KB, marks it, and keeps everything else whole', () => {
    const description = 'Lorem ipsum dolor sit amet. '.repeat(40_000).slice(0, MB);
    const event = issueUpdated({ details: { description, status: 'Done' }, original: { description: 'short' } });
    const result = fitPayload(event, 64 * 1024);
    expect(result.fits).toBe(true);
    expect(result.bodyBytes).toBeLessThanOrEqual(64 * 1024);
    expect(result.bodyBytes).toBeGreaterThan(60 * 1024); // cut just enough, not to the minimum
    expect(result.bodyBytes).toBe(utf8Bytes(result.body));
    expect(result.body).toBe(envelopeBody(result.event));
    const parsed = JSON.parse(result.body) as { id: string; data: { details: { description: string; status: string }; trimmed: unknown; summary: string } };
    expect(parsed.id).toBe(event.id);
    expect(parsed.data.summary).toBe(event.data.summary);
    expect(parsed.data.details.status).toBe('Done');
    expect(parsed.data.details.description).toMatch(/… \[trimmed by Audit Webhooks: 1048576 → \d+ bytes\]$/);
    expect(parsed.data.trimmed).toEqual([{ path: 'data.details.description', originalBytes: MB }]);
    // The caller's event keeps its full content (it may be retried or re-formatted for another webhook).
    expect(event.data.details?.description).toHaveLength(MB);
  });

  it('trims the largest fields first, field by field', () => {
    const event = issueUpdated({ summary: 's'.repeat(10_000), details: { a: 'a'.repeat(30_000), b: 'b'.repeat(20_000), c: 'c'.repeat(300) } });
    const result = fitPayload(event, 32 * 1024);
    expect(result.fits).toBe(true);
    expect(result.trimmed.map((entry) => entry.path)).toEqual(['data.details.a']);
    const tighter = fitPayload(event, 8 * 1024);
    expect(tighter.fits).toBe(true);
    expect(tighter.trimmed.map((entry) => entry.path)).toEqual(['data.details.a', 'data.details.b', 'data.summary']);
    expect(JSON.parse(tighter.body)).toMatchObject({ data: { details: { c: 'c'.repeat(300) } } });
  });

  it('never cuts a multi-byte character, and counts bytes not characters', () => {
    const event = issueUpdated({ details: { text: '日本語🙂'.repeat(50_000) } });
    const result = fitPayload(event, 16 * 1024);
    expect(result.fits).toBe(true);
    expect(result.body).not.toContain('\uFFFD');
    expect(utf8Bytes(result.body)).toBeLessThanOrEqual(16 * 1024);
  });

  it('accounts for JSON escaping of quotes and newlines', () => {
    const event = issueUpdated({ details: { log: '"\n\\\u0001'.repeat(100_000) } });
    const result = fitPayload(event, 10_000);
    expect(result.fits).toBe(true);
    expect(result.bodyBytes).toBeLessThanOrEqual(10_000);
  });

  it('drops array items from the end when many small values are the problem, and says how many', () => {
    const associatedItems = Array.from({ length: 5_000 }, (_, index) => ({ type: 'USER', id: `acc-${index}`, name: `User ${index}` }));
    const event = issueUpdated({ associatedItems });
    const result = fitPayload(event, 64 * 1024);
    expect(result.fits).toBe(true);
    const parsed = JSON.parse(result.body) as { data: { associatedItems: unknown[]; trimmed: { path: string; removedItems: number }[] } };
    const entry = parsed.data.trimmed.find((item) => item.path === 'data.associatedItems');
    expect(entry?.removedItems).toBe(5_000 - parsed.data.associatedItems.length);
    expect(parsed.data.associatedItems.length).toBeGreaterThan(100);
    expect(parsed.data.associatedItems[0]).toEqual(associatedItems[0]);
  });

  it('never drops the event: reports fits=false when even trimming cannot reach the limit', () => {
    const result = fitPayload(issueUpdated({ details: { d: 'x'.repeat(10_000) } }), 100);
    expect(result.fits).toBe(false);
    expect(JSON.parse(result.body)).toMatchObject({ id: 'evt_issue_10001_1700000000000', type: 'issue.updated' });
  });
});

describe('truncateUtf8', () => {
  it.each([
    ['abc', 2, 'ab'],
    ['aé', 2, 'a'],
    ['🙂x', 3, ''],
    ['🙂x', 4, '🙂'],
    ['short', 100, 'short'],
  ])('%j to %i bytes -> %j', (text, bytes, expected) => {
    expect(truncateUtf8(text, bytes)).toBe(expected);
  });
});
