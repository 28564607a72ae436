import { fromAuditRecord, fromConfigChange, fromProductEvent, type ConfigChange } from '../../../src/domain/events';
import { fixtureNames, readFixture } from './fixtures';

const OPTIONS = { receivedAt: '2024-05-21T12:00:00.000Z' };

describe('malformed payloads give a typed error, never a throw', () => {
  it.each(fixtureNames('malformed'))('%s', (name) => {
    const fixture = readFixture(name);
    const payload = fixture.payload;
    const normalise = name.includes('audit-record') ? () => fromAuditRecord(payload) : () => fromProductEvent(payload, OPTIONS);
    expect(normalise).not.toThrow();
    const result = normalise();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain(String(fixture._expectError));
  });

  it.each([null, undefined, 'avi:jira:created:issue', 42, [], true])('rejects a non-object product event: %p', (payload) => {
    const result = fromProductEvent(payload, OPTIONS);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^Jira product event must be a JSON object, got /);
  });

  it.each([null, 'record', 7, []])('rejects a non-object audit record: %p', (record) => {
    const result = fromAuditRecord(record);
    expect(!result.ok && result.error).toMatch(/^Jira audit record must be a JSON object, got /);
  });

  it('names the event and the field in the message', () => {
    const result = fromProductEvent({ eventType: 'avi:jira:created:issue', issue: { id: '1' } }, OPTIONS);
    expect(result).toEqual({ ok: false, error: 'Jira product event avi:jira:created:issue is malformed: issue.key: Invalid input: expected string, received undefined' });
  });

  it('tells how to add an unknown event', () => {
    const result = fromProductEvent({ eventType: 'avi:jira:exploded:issue' }, OPTIONS);
    expect(!result.ok && result.error).toBe('Jira product event avi:jira:exploded:issue is not supported: add it to PRODUCT_EVENT_TYPES (src/domain/events/catalogue.ts)');
  });

  it('does not look up event names on the prototype', () => {
    expect(fromProductEvent({ eventType: 'toString' }, OPTIONS).ok).toBe(false);
    expect(fromProductEvent({ eventType: '__proto__' }, OPTIONS).ok).toBe(false);
  });

  it('rejects an invalid receivedAt', () => {
    const result = fromProductEvent({ eventType: 'avi:jira-software:created:board', board: { id: 1 } }, { receivedAt: 'soon' });
    expect(!result.ok && result.error).toBe('receivedAt is not a valid date: soon');
  });

  it('rejects a config change of an unknown type or without its webhook', () => {
    const unknownType = fromConfigChange({ type: 'app.webhook.exploded', webhookId: 'wh_1', at: '2024-05-21T12:00:00Z' } as unknown as ConfigChange);
    expect(!unknownType.ok && unknownType.error).toMatch(/^App configuration change is malformed: type:/);
    const noWebhook = fromConfigChange({ type: 'app.webhook.created', at: '2024-05-21T12:00:00Z' });
    expect(!noWebhook.ok && noWebhook.error).toBe('App configuration change is malformed: webhookId is required for app.webhook.created');
  });
});
