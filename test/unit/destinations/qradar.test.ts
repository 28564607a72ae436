import { QRADAR_LINE_MAX_BYTES, QRADAR_MAX_BYTES, QRADAR_MESSAGE_PATTERN, qradarDestination as qradar } from '../../../src/domain/destinations/qradar';
import type { BatchItem } from '../../../src/domain/destinations/contract';
import { utf8Bytes } from '../../../src/domain/formats/utf8';
import { issueUpdated } from '../formats/fixtures';
import * as vendor from '../../integration/support/vendors/qradar';

const NOW = new Date('2026-03-01T12:00:00Z');

const items = (count: number): BatchItem[] =>
  Array.from({ length: count }, (_, index) => {
    const event = issueUpdated();
    return { msgId: `msg_${index}`, event: { ...event, id: `${event.id}_${index}` } };
  });

/** How QRadar splits a body with our Message Pattern: an event starts wherever the pattern matches. */
function splitLikeQRadar(body: string): string[] {
  const pattern = new RegExp(QRADAR_MESSAGE_PATTERN, 'g');
  const starts = [...body.matchAll(pattern)].map((match) => match.index);
  return starts.map((start, index) => body.slice(start, starts[index + 1] ?? body.length).trim());
}

describe('QRadar settings and URL', () => {
  it('has no settings of its own', () => {
    expect(qradar.fields).toEqual([]);
    expect(qradar.settingsSchema.safeParse({}).success).toBe(true);
    expect(qradar.settingsSchema.safeParse({ token: 'x' }).success).toBe(false);
  });

  it('takes Authorization and headers (for a proxy), not signing or a method', () => {
    expect(qradar.common).toMatchObject({ url: 'entered', authorization: true, headers: true, signing: false, method: false });
    expect(qradar.common.urlHelp).toMatch(/12469.*proxy/);
  });

  it('adds no URL rules of its own (the common ones cover https and ports)', () => {
    expect(qradar.urlProblems(new URL('https://qradar-ingest.example.com:8443/'), {})).toEqual([]);
    expect(qradar.requestUrl('https://qradar-ingest.example.com/', {})).toBe('https://qradar-ingest.example.com/');
    expect(qradar.egressUrls('https://qradar-ingest.example.com/', {})).toEqual(['https://qradar-ingest.example.com/']);
  });

  it('sends text without authentication of its own', () => {
    expect(qradar.auth({})).toEqual({ type: 'none' });
    expect(qradar.contentType).toBe('text/plain; charset=utf-8');
  });
});

describe('QRadar body', () => {
  it('is one compact JSON envelope per line, newline-terminated', () => {
    const body = qradar.render(items(3), {}, {});
    expect(body.endsWith('\n')).toBe(true);
    const lines = body.slice(0, -1).split('\n');
    expect(lines).toHaveLength(3);
    const event = issueUpdated();
    lines.forEach((line, index) => {
      expect(JSON.parse(line)).toEqual({ id: `${event.id}_${index}`, type: event.type, timestamp: event.timestamp, data: event.data });
      expect(line).toBe(JSON.stringify(JSON.parse(line)));
    });
  });

  it('splits into exactly its events with the documented Message Pattern, even with id-first objects inside data', () => {
    const nested = issueUpdated({ original: { issue: { id: '10001', key: 'SP-10' }, list: [{ id: 'x', type: 'y' }] } } as never);
    const body = qradar.render([{ msgId: 'a', event: nested }, ...items(2)], {}, {});
    const events = splitLikeQRadar(body);
    expect(events).toHaveLength(3);
    expect(events.map((text) => (JSON.parse(text) as { id: string }).id)).toEqual([nested.id, ...items(2).map((item) => item.event.id)]);
  });

  it('fits every line to 32,767 bytes, QRadar\'s largest Max Payload Length, saying what was cut', () => {
    const huge = issueUpdated({ description: 'é'.repeat(100_000) } as never);
    const body = qradar.render([{ msgId: 'm', event: huge }, ...items(1)], {}, {});
    const lines = body.slice(0, -1).split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(utf8Bytes(line)).toBeLessThanOrEqual(QRADAR_LINE_MAX_BYTES);
    expect((JSON.parse(lines[0] ?? '') as { data: { trimmed?: unknown[] } }).data.trimmed).toEqual([expect.objectContaining({ path: 'data.description' })]);
  });

  it('batches 50 events by default, up to 100, under 1 MB', () => {
    expect(qradar.batch).toEqual({ defaultEvents: 50, maxEvents: 100, maxBytes: QRADAR_MAX_BYTES });
    expect(QRADAR_MAX_BYTES).toBeLessThan(1_048_576);
    expect(qradar.pacing).toEqual({ parallel: 2, spacingMs: 0 });
  });
});

describe('QRadar answers', () => {
  const classify = (status: number) => {
    const answer = qradar.classify({ status, now: NOW }, 1);
    if (!('whole' in answer)) throw new Error('QRadar answers for the whole request');
    return answer.whole;
  };

  it('reads answers with the generic rules', () => {
    expect(classify(200)).toEqual({ kind: 'delivered', httpStatus: 200 });
    expect(classify(503)).toMatchObject({ kind: 'retry', httpStatus: 503 });
    expect(classify(413)).toMatchObject({ kind: 'permanent', httpStatus: 413 });
  });
});

describe('QRadar vendor checker (integration support)', () => {
  it('accepts a request as the engine sends it and documents the same Message Pattern', () => {
    expect(vendor.QRADAR_DOC_PATTERN).toBe(QRADAR_MESSAGE_PATTERN);
    const request = { method: 'POST', path: '/', headers: { 'content-type': qradar.contentType }, body: qradar.render(items(3), {}, {}) };
    const ok = vendor.checkQRadarRequest(request);
    expect(ok.problems).toEqual([]);
    expect(ok.events.map((event) => event.id)).toEqual(items(3).map((item) => item.event.id));
    expect(vendor.checkQRadarRequest({ ...request, body: request.body.replace(/\n/g, ' ') }).problems).toContainEqual(expect.stringMatching(/Message Pattern finds 3 event starts, but the body has 1 lines/));
  });
});
