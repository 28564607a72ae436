import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { AUDIT_EVENT_JSON_SCHEMA, AuditEventSchema, EVENT_CATALOGUE, fromAuditRecord, fromProductEvent, type AuditEvent } from '../../../src/domain/events';
import { fixtureNames, loadFixture } from './fixtures';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'events.md');

function allFixtureEvents(): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (const name of fixtureNames('product-events')) {
    const result = fromProductEvent(loadFixture(name), { receivedAt: '2024-05-21T12:00:00.000Z' });
    if (result.ok) events.push(result.event);
  }
  for (const name of fixtureNames('audit-records').filter((n) => !n.endsWith('/page'))) {
    const result = fromAuditRecord(loadFixture(name));
    if (result.ok) events.push(result.event);
  }
  return events;
}

describe('the payload schema', () => {
  it('is JSON Schema draft 2020-12', () => {
    expect(AUDIT_EVENT_JSON_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('accepts every normalised fixture after a JSON round trip (the envelope as delivered)', () => {
    const events = allFixtureEvents();
    expect(events.length).toBeGreaterThan(30);
    // An independent validator (ajv, draft 2020-12) checks the generated JSON Schema itself.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(AUDIT_EVENT_JSON_SCHEMA);
    for (const event of events) {
      const wire: unknown = JSON.parse(JSON.stringify(event));
      expect(AuditEventSchema.parse(wire)).toEqual(event);
      expect({ id: event.id, errors: validate(wire) ? null : validate.errors }).toEqual({ id: event.id, errors: null });
    }
    expect(validate({ id: 'x', type: 'issue.created', timestamp: '2024-05-21T12:00:00Z', data: { source: 'nowhere' } })).toBe(false);
  });

  it('rejects an envelope without data.source or with a bad type', () => {
    const [event] = allFixtureEvents();
    expect(AuditEventSchema.safeParse({ ...event, type: 'Issue Created' }).success).toBe(false);
    expect(AuditEventSchema.safeParse({ ...event, data: { ...event!.data, source: undefined } }).success).toBe(false);
    expect(AuditEventSchema.safeParse({ ...event, timestamp: 'yesterday' }).success).toBe(false);
  });

  it('is the one pasted in docs/events.md', () => {
    const doc = readFileSync(DOC, 'utf8');
    const match = /<!-- json-schema:start -->\s*```json\n([\s\S]*?)\n```\s*<!-- json-schema:end -->/.exec(doc);
    expect(match).not.toBeNull();
    expect(JSON.parse(match![1]!)).toEqual(AUDIT_EVENT_JSON_SCHEMA);
  });

  it('docs/events.md lists every catalogue type with its source and description', () => {
    const doc = readFileSync(DOC, 'utf8');
    for (const info of EVENT_CATALOGUE) {
      expect(doc).toContain(`| \`${info.type}\` | ${info.category} | ${info.source} |`);
      expect(doc).toContain(`| ${info.description} |`);
    }
  });
});
