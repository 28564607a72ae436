/** The dev panel's sample events (GET /__forge/samples, the buttons of GET /) have the shape Jira and
 * Forge send: checked against the payloads from Atlassian's documentation in test/fixtures/jira. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SAMPLE_EVENTS } from '../../dev/samples';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'jira', 'product-events');
/** Fields the documentation shows that a sample may leave out (lists of related entities). */
const OPTIONAL = new Set(['_source', 'associatedUsers', 'associatedStatuses']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Fields of the sample whose JSON kind none of the documented payloads gives that field (a null
 * in the documentation may be anything; the documentation shows comment bodies both as text and as
 * Atlassian Document Format). */
function kindMismatches(sample: unknown, docs: unknown[], at: string): string[] {
  const shown = docs.filter((d) => d !== null && d !== undefined);
  if (shown.length === 0 || shown.length < docs.length) return [];
  const kinds = new Set(shown.map(kind));
  if (!kinds.has(kind(sample))) return [`${at}: ${kind(sample)} where Jira sends ${[...kinds].join(' or ')}`];
  if (kind(sample) !== 'object') return [];
  const s = sample as Record<string, unknown>;
  const objects = shown.filter((d) => kind(d) === 'object') as Record<string, unknown>[];
  return Object.keys(s).flatMap((k) => {
    const withField = objects.filter((d) => k in d);
    return withField.length > 0 ? kindMismatches(s[k], withField.map((d) => d[k]), `${at}.${k}`) : [];
  });
}

function documented(): Map<string, { file: string; payload: Record<string, Json> }[]> {
  const byType = new Map<string, { file: string; payload: Record<string, Json> }[]>();
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.json'))) {
    const payload = JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, Json>;
    // Lifecycle payloads carry no eventType: an installation names its installer.
    const type = typeof payload.eventType === 'string' ? payload.eventType : 'installerAccountId' in payload ? 'avi:forge:installed:app' : 'avi:forge:upgraded:app';
    byType.set(type, [...(byType.get(type) ?? []), { file, payload }]);
  }
  return byType;
}

describe('dev panel sample events', () => {
  const docs = documented();
  const compared = SAMPLE_EVENTS.filter((s) => docs.has(String(s.event.eventType)));

  it('are compared with the documented payload of most of their event types', () => {
    expect(compared.length).toBeGreaterThanOrEqual(SAMPLE_EVENTS.length - 2);
  });

  it.each(compared.map((s) => [s.label, s] as const))('%s carries the fields Jira sends, of the kinds Jira sends', (_label, sample) => {
    const payloads = docs.get(String(sample.event.eventType)) ?? [];
    for (const { file, payload } of payloads) {
      const missing = Object.keys(payload).filter((k) => !OPTIONAL.has(k) && !(k in sample.event));
      expect({ file, missing }).toEqual({ file, missing: [] });
    }
    expect(kindMismatches(sample.event, payloads.map((p) => p.payload), '')).toEqual([]);
  });
});
