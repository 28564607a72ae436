import { MAX_ASSOCIATED_ITEMS, MAX_CHANGES, MAX_CHANGE_VALUE_LENGTH, fromAuditRecord, fromProductEvent } from '../../../src/domain/events';
import { loadFixture } from './fixtures';

const OPTIONS = { receivedAt: '2024-05-21T12:00:00.000Z' };

describe('event size limits', () => {
  it('cuts a long changelog value (a description edit carries the whole text)', () => {
    const payload = loadFixture('product-events/issue-updated');
    const long = 'x'.repeat(50_000);
    const result = fromProductEvent({ ...payload, changelog: { id: '1', items: [{ field: 'description', fromString: long, toString: `${long}y` }] } }, OPTIONS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [change] = result.event.data.changes ?? [];
    expect(change?.from?.length).toBeLessThanOrEqual(MAX_CHANGE_VALUE_LENGTH);
    expect(change?.from).toMatch(/^x{900,}… \[trimmed by Audit Webhooks: 50000 → \d+ bytes\]$/);
    expect(JSON.stringify(result.event).length).toBeLessThan(5_000);
  });

  it('keeps at most MAX_CHANGES changes and says how many were left out', () => {
    const payload = loadFixture('product-events/issue-updated');
    const items = Array.from({ length: MAX_CHANGES + 7 }, (_, i) => ({ field: `customfield_${i}`, toString: String(i) }));
    const result = fromProductEvent({ ...payload, changelog: { id: '1', items } }, OPTIONS);
    expect(result.ok && result.event.data.changes).toHaveLength(MAX_CHANGES);
    expect(result.ok && result.event.data.details?.changesOmitted).toBe(7);
    expect(result.ok && result.event.data.summary.length).toBeLessThanOrEqual(500);
  });

  it('caps audit record changes and associated items the same way', () => {
    const record = {
      ...loadFixture('audit-records/user-created'),
      changedValues: Array.from({ length: MAX_CHANGES + 2 }, (_, i) => ({ fieldName: `f${i}`, changedTo: 'v' })),
      associatedItems: Array.from({ length: MAX_ASSOCIATED_ITEMS + 3 }, (_, i) => ({ id: `g${i}`, name: `g${i}`, typeName: 'GROUP' })),
    };
    const result = fromAuditRecord(record);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event.data.changes).toHaveLength(MAX_CHANGES);
    expect(result.event.data.associatedItems).toHaveLength(MAX_ASSOCIATED_ITEMS);
    expect(result.event.data.details).toEqual({ changesOmitted: 2, associatedItemsOmitted: 3 });
  });

  it('drops empty strings Jira uses for "none" instead of failing the event', () => {
    const payload = loadFixture('product-events/issue-created');
    const issue = payload.issue as { fields: Record<string, unknown> };
    const result = fromProductEvent({ ...payload, issue: { ...issue, fields: { ...issue.fields, summary: '' } } }, OPTIONS);
    expect(result.ok && result.event.data.object.name).toBeUndefined();
    const record = fromAuditRecord({ ...loadFixture('audit-records/workflow-updated'), eventSource: '', remoteAddress: '', summary: '' });
    expect(record.ok && record.event.data).toMatchObject({ summary: 'Audit record (workflows): Software Simplified Workflow for Project SP', original: { category: 'workflows', recordId: '10544' } });
    expect(record.ok && record.event.data.original.eventSource).toBeUndefined();
  });
});
