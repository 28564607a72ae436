import { AuditEventSchema, auditEventId, fromAuditRecord, isCatalogueType, parseAuditRecordsPage } from '../../../src/domain/events';
import { loadFixture } from './fixtures';

function normalise(name: string) {
  const result = fromAuditRecord(loadFixture(`audit-records/${name}`));
  if (!result.ok) throw new Error(`${name}: ${result.error}`);
  return result.event;
}

describe('fromAuditRecord', () => {
  it('normalises the official example record', () => {
    const event = normalise('user-created');
    expect(event).toEqual({
      id: 'audit-1',
      type: 'audit.user_management',
      timestamp: '2014-03-19T18:45:42.967Z',
      data: {
        source: 'audit-log',
        actor: { accountId: '5ab8f18d741e9c2c7e9d4538' },
        object: { type: 'user', id: 'user', name: 'user', parent: { type: 'unknown', id: '1', name: 'Jira Internal Directory' } },
        summary: 'User created: user',
        changes: [{ field: 'email', from: 'user@atlassian.com', to: 'newuser@atlassian.com' }],
        remoteAddress: '192.168.1.1',
        associatedItems: [{ type: 'GROUP', id: 'jira-software-users', name: 'jira-software-users', parentId: '1', parentName: 'Jira Internal Directory' }],
        original: { category: 'user management', summary: 'User created', recordId: '1', eventSource: 'Jira Connect Plugin', description: 'Optional description' },
      },
    });
    expect(AuditEventSchema.safeParse(event).success).toBe(true);
  });

  it.each([
    ['user-created', 'audit.user_management'],
    ['group-member-added', 'audit.group_management'],
    ['permission-scheme-updated', 'audit.permissions'],
    ['workflow-updated', 'audit.workflows'],
    ['unknown-category', 'audit.other'],
  ])('maps %s by its category to %s', (fixture, type) => {
    const event = normalise(fixture);
    expect(event.type).toBe(type);
    expect(isCatalogueType(event.type)).toBe(true);
  });

  it('keeps the category and summary Jira wrote for an unknown category', () => {
    const event = normalise('unknown-category');
    expect(event.data.original).toMatchObject({ category: 'automation', summary: 'Automation rule enabled', recordId: '10545', eventSource: 'Automation for Jira' });
    expect(event.data.object).toEqual({ type: 'automation_rule', id: '42', name: 'Auto-close stale bugs' });
  });

  it('treats a missing category as audit.other', () => {
    const result = fromAuditRecord({ id: 3, created: '2024-05-21T11:00:00.000+0000', summary: 'Something happened' });
    expect(result.ok && result.event.type).toBe('audit.other');
  });

  it('leaves out actor, remoteAddress, changes and associatedItems when the record has none', () => {
    const event = normalise('unknown-category');
    expect(event.data.actor).toEqual({ accountId: '4ad9aa0c52dc1b420a791d12' });
    expect(event.data.remoteAddress).toBeUndefined();
    expect(event.data.changes).toBeUndefined();
    expect(event.data.associatedItems).toBeUndefined();
    const group = normalise('group-member-added');
    expect(group.data.actor).toEqual({});
    expect(group.data.remoteAddress).toBe('203.0.113.24');
    expect(group.data.associatedItems).toEqual([
      { type: 'USER', id: '5b10ac8d82e05b22cc7d4ef5', name: '5b10ac8d82e05b22cc7d4ef5', parentId: '10000', parentName: 'com.atlassian.crowd.directory.IdentityPlatformRemoteDirectory' },
    ]);
  });

  it('keeps changed values, dropping empty sides', () => {
    expect(normalise('permission-scheme-updated').data.changes).toEqual([
      { field: 'Permission', to: 'Browse Projects' },
      { field: 'Type', to: 'Group' },
      { field: 'Value', to: 'jira-software-users' },
    ]);
  });

  it('drops a malformed changed value or associated item, not the record', () => {
    const record = { ...loadFixture('audit-records/user-created'), changedValues: [{ nope: true }, { fieldName: 'email', changedTo: 'a@b.c' }], associatedItems: ['junk'] };
    const result = fromAuditRecord(record);
    expect(result.ok && result.event.data.changes).toEqual([{ field: 'email', to: 'a@b.c' }]);
    expect(result.ok && result.event.data.associatedItems).toBeUndefined();
  });

  it('gives the same record the same id every time, whatever else changed', () => {
    const a = fromAuditRecord(loadFixture('audit-records/workflow-updated'));
    const b = fromAuditRecord({ ...loadFixture('audit-records/workflow-updated'), summary: 'Workflow updated (again)' });
    expect(a.ok && a.event.id).toBe('audit-10544');
    expect(b.ok && b.event.id).toBe(auditEventId(10544));
  });

  it('accepts a string record id', () => {
    const result = fromAuditRecord({ ...loadFixture('audit-records/workflow-updated'), id: '10544' });
    expect(result.ok && result.event.id).toBe('audit-10544');
  });
});

describe('parseAuditRecordsPage', () => {
  it('reads the response envelope', () => {
    const result = parseAuditRecordsPage(loadFixture('audit-records/page'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.page).toMatchObject({ offset: 0, limit: 1000, total: 1 });
    expect(result.page.records).toHaveLength(1);
    const event = fromAuditRecord(result.page.records[0]);
    expect(event.ok && event.event.id).toBe('audit-1');
  });

  it('says what is wrong with a response without records', () => {
    const result = parseAuditRecordsPage({ offset: 0, total: 3 });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^Jira audit records response is malformed: records:/) });
  });
});
