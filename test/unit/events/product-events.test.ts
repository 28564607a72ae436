import { AuditEventSchema, fromProductEvent, isCatalogueType, type AuditEvent } from '../../../src/domain/events';
import { fixtureNames, loadFixture, readFixture } from './fixtures';

const RECEIVED_AT = '2024-05-21T12:00:00.000Z';
const JAMIE = '4ad9aa0c52dc1b420a791d12';

function normalise(name: string, options: { eventType?: string } = {}): AuditEvent {
  const result = fromProductEvent(loadFixture(name), { receivedAt: RECEIVED_AT, ...options });
  if (!result.ok) throw new Error(`${name}: ${result.error}`);
  return result.event;
}

interface Expected {
  type: string;
  actor?: string;
  object: Partial<AuditEvent['data']['object']>;
  summary: RegExp;
  changes?: AuditEvent['data']['changes'];
  details?: Record<string, unknown>;
  eventType?: string;
}

const CASES: [fixture: string, expected: Expected][] = [
  ['issue-created', {
    type: 'issue.created', actor: JAMIE,
    object: { type: 'issue', id: '10073', key: 'SP-10', name: 'A descriptive title', parent: { type: 'project', id: '10000', key: 'SP', name: 'Sample Project' } },
    summary: /^Issue SP-10 "A descriptive title" was created$/,
    details: { issueKey: 'SP-10', status: 'To Do', issueType: 'Story', project: { id: '10000', key: 'SP', name: 'Sample Project' } },
  }],
  ['issue-updated', {
    type: 'issue.updated', actor: JAMIE, object: { type: 'issue', key: 'SP-10' },
    summary: /^Issue SP-10 "A more descriptive title" was updated: summary, status changed$/,
    changes: [{ field: 'summary', from: 'A descriptive title', to: 'A more descriptive title' }, { field: 'status', from: 'To Do', to: 'In Progress' }],
    details: { status: 'In Progress', changelogId: '10120' },
  }],
  ['issue-deleted', { type: 'issue.deleted', actor: JAMIE, object: { type: 'issue', key: 'SP-10' }, summary: /was deleted$/ }],
  ['issue-assigned', {
    type: 'issue.assigned', actor: JAMIE, object: { type: 'issue', key: 'SP-10' },
    summary: /^Issue SP-10 "A descriptive title" was assigned to Mia Krystof$/, changes: [{ field: 'assignee', to: 'Mia Krystof' }],
  }],
  ['comment-created', {
    type: 'comment.created', actor: JAMIE, object: { type: 'comment', id: '10045', parent: { type: 'issue', id: '10073', key: 'SP-10', name: 'A descriptive title' } },
    summary: /^Comment 10045 was added to issue SP-10/, details: { commentId: '10045', issueKey: 'SP-10' },
  }],
  ['comment-edited', { type: 'comment.updated', actor: '5b10ac8d82e05b22cc7d4ef5', object: { type: 'comment', id: '10045' }, summary: /^Comment 10045 was edited on issue SP-10/ }],
  ['comment-deleted', { type: 'comment.deleted', actor: JAMIE, object: { type: 'comment', id: '10045' }, summary: /^Comment 10045 was deleted from issue SP-10/ }],
  ['issuelink-created', {
    type: 'issuelink.created', object: { type: 'issuelink', id: '10010', name: 'Blocks' },
    summary: /^Issue link created: issue 10073 blocks issue 10074$/, details: { sourceIssueId: '10073', destinationIssueId: '10074' },
  }],
  ['worklog-created', {
    type: 'worklog.created', actor: JAMIE, object: { type: 'worklog', id: '10200', parent: { type: 'issue', id: '10073' } },
    summary: /^Worklog 10200 \(2h\) was logged on issue 10073$/, details: { timeSpentSeconds: 7200 },
  }],
  ['worklog-deleted', { type: 'worklog.deleted', actor: '5b10ac8d82e05b22cc7d4ef5', object: { type: 'worklog', id: '10200' }, summary: /was deleted from issue 10073/ }],
  ['attachment-created', {
    type: 'attachment.created', actor: JAMIE, object: { type: 'attachment', id: '10300', name: 'screenshot.png', parent: { type: 'issue', id: '10073' } },
    summary: /^Attachment "screenshot.png" was added to issue 10073$/, details: { size: 45678, mimeType: 'image/png' },
  }],
  ['project-created', { type: 'project.created', actor: JAMIE, object: { type: 'project', id: '10000', key: 'SP', name: 'Sample Project' }, summary: /^Project SP "Sample Project" was created$/ }],
  ['project-softdeleted', { type: 'project.softdeleted', object: { type: 'project', key: 'SP' }, summary: /^Project SP "Sample Project" was moved to the trash$/ }],
  ['version-released', { type: 'version.released', actor: JAMIE, object: { type: 'version', id: '10100', name: '1.0.0', parent: { type: 'project', id: '10000' } }, summary: /^Version "1.0.0" was released$/ }],
  ['version-merged', { type: 'version.merged', object: { type: 'version', id: '10101' }, summary: /^Version "1.0.1" was merged with version "1.0.0"$/, details: { mergedVersion: { id: '10100', name: '1.0.0' } } }],
  ['component-created', { type: 'component.created', actor: JAMIE, object: { type: 'component', id: '10050', name: 'Authentication', parent: { type: 'project', id: '10000', key: 'SP' } }, summary: /^Component "Authentication" of project SP was created$/ }],
  ['sprint-updated', {
    type: 'sprint.updated', actor: '5c37e3bdb393bf4ce95658d5', object: { type: 'sprint', id: '6', name: 'EX1 Sprint 1', parent: { type: 'board', id: '12' } },
    summary: /^Sprint "EX1 Sprint 1" was updated: goal, startDate, endDate changed$/,
    changes: [
      { field: 'goal', from: 'The goal', to: 'The new goal' },
      { field: 'startDate', from: '2024-10-03T00:00:00.000+0200', to: '2024-10-05T00:00:00.000+0200' },
      { field: 'endDate', from: '2024-10-05T00:00:00.000+0200', to: '2024-10-12T00:00:00.000+0200' },
    ],
  }],
  ['sprint-started', { type: 'sprint.started', object: { type: 'sprint', id: '6' }, summary: /^Sprint "EX1 Sprint 1" was started$/, details: { state: 'active' } }],
  ['board-created', { type: 'board.created', actor: '5c37e3bdb393bf4ce95658d5', object: { type: 'board', id: '11', name: 'Some SCRUM board' }, summary: /^Board "Some SCRUM board" was created$/, details: { boardType: 'scrum' } }],
  ['board-configuration-changed', {
    type: 'board.configuration_changed', object: { type: 'board', id: '11', parent: { type: 'project', id: '10005', key: 'CMPSCRUM', name: 'cmpscrum' } },
    summary: /^Board "CMPSCRUM board" configuration was changed$/, details: { filterId: '10007', estimationField: 'Story Points' },
  }],
  ['user-created', { type: 'user.created', object: { type: 'user', id: '5b10ac8d82e05b22cc7d4ef5', name: 'Mia Krystof' }, summary: /^User "Mia Krystof" was created$/, details: { active: true } }],
  ['user-deleted', { type: 'user.deleted', object: { type: 'user', id: '5b10ac8d82e05b22cc7d4ef5' }, summary: /^User 5b10ac8d82e05b22cc7d4ef5 was deleted$/ }],
  ['field-created', { type: 'field.created', object: { type: 'field', id: 'customfield_10100', name: 'Customer Ticket ID' }, summary: /^Custom field "Customer Ticket ID" was created$/ }],
  ['field-context-updated', {
    type: 'field_context.updated', object: { type: 'field_context', id: '10200', parent: { type: 'field', id: 'customfield_10100', key: 'customfield_10100' } },
    summary: /of custom field customfield_10100 was updated$/, details: { projectIds: ['10000', '10001'], issueTypeIds: ['10001'] },
  }],
  ['field-context-configuration-updated', {
    type: 'field_context.configuration_updated', object: { type: 'field_context_configuration', id: '10300', parent: { type: 'field_context', id: '10200' } },
    summary: /^Configuration of custom field customfield_10100 \(context 10200\) was updated$/, details: { configuration: '{"defaultValue":"N/A"}' },
  }],
  ['issuetype-updated', { type: 'issuetype.updated', actor: JAMIE, object: { type: 'issuetype', id: '10005', name: 'Epic' }, summary: /^Issue type "Epic" was updated$/ }],
  ['filter-updated', { type: 'filter.updated', actor: JAMIE, object: { type: 'filter', id: '10400', name: 'Open security bugs' }, summary: /^Filter "Open security bugs" was updated$/, details: { jql: 'project = SP AND labels = security AND statusCategory != Done' } }],
  ['configuration-changed', {
    type: 'configuration.changed', actor: JAMIE, object: { type: 'global_setting', id: 'jira.option.allowunassigned' },
    summary: /^Global setting jira.option.allowunassigned was set to true$/, changes: [{ field: 'jira.option.allowunassigned', to: 'true' }],
  }],
  ['timetracking-provider-changed', { type: 'timetracking.provider_changed', object: { type: 'timetracking_provider' }, summary: /^Time tracking provider was changed to JIRA$/ }],
  ['app-installed', {
    type: 'app.installed', actor: JAMIE, object: { type: 'app', id: '406d303d-0393-4ec4-ad7c-1435be94583a', name: 'My App Name' },
    summary: /^The app \(version 9.0.0\) was installed$/, eventType: 'avi:forge:installed:app', details: { installationId: 'fff8e466-31f4-4c73-a337-c3309dd930dc' },
  }],
  ['app-upgraded', { type: 'app.upgraded', actor: JAMIE, object: { type: 'app' }, summary: /was upgraded$/, eventType: 'avi:forge:upgraded:app' }],
];

describe('fromProductEvent', () => {
  it.each(CASES)('%s normalises to its documented type', (fixture, expected) => {
    const event = normalise(`product-events/${fixture}`, expected.eventType ? { eventType: expected.eventType } : {});
    expect(event.type).toBe(expected.type);
    expect(isCatalogueType(event.type)).toBe(true);
    expect(AuditEventSchema.safeParse(event).success).toBe(true);
    expect(event.data.source).toBe('product-event');
    expect(event.data.original.eventType).toBe(expected.eventType ?? readFixture(`product-events/${fixture}`).eventType);
    if (expected.actor) expect(event.data.actor.accountId).toBe(expected.actor);
    expect(event.data.object).toMatchObject(expected.object);
    expect(event.data.summary).toMatch(expected.summary);
    if (expected.changes) expect(event.data.changes).toEqual(expected.changes);
    if (expected.details) expect(event.data.details).toMatchObject(expected.details);
    expect(event.id).toMatch(/^pe-[0-9a-f]{32}$/);
    expect(event.timestamp).toBe(RECEIVED_AT);
  });

  it('covers every product-event fixture', () => {
    const covered = new Set(CASES.map(([fixture]) => `product-events/${fixture}`));
    expect(fixtureNames('product-events').filter((name) => !covered.has(name))).toEqual([]);
  });

  it('infers the lifecycle event when the trigger does not name it', () => {
    for (const [fixture, type] of [['app-installed', 'app.installed'], ['app-upgraded', 'app.upgraded']] as const) {
      const result = fromProductEvent(loadFixture(`product-events/${fixture}`), { receivedAt: RECEIVED_AT });
      expect(result.ok && result.event.type).toBe(type);
    }
    const bare = fromProductEvent({ id: 'fff8', app: { id: 'a' } }, { receivedAt: RECEIVED_AT });
    expect(!bare.ok && bare.error).toMatch(/has no eventType/);
  });

  it('takes the display name of the actor from associatedUsers or the changed object', () => {
    expect(normalise('product-events/worklog-created').data.actor).toEqual({ accountId: JAMIE, displayName: 'Jamie Example' });
    const withUsers = { ...loadFixture('product-events/issue-created'), associatedUsers: { associatedUsers: [{ accountId: JAMIE, displayName: 'Jamie Example' }] } };
    const result = fromProductEvent(withUsers, { receivedAt: RECEIVED_AT });
    expect(result.ok && result.event.data.actor).toEqual({ accountId: JAMIE, displayName: 'Jamie Example' });
  });

  it('leaves the actor empty when Jira does not say who it was', () => {
    expect(normalise('product-events/user-created').data.actor).toEqual({});
  });

  it('uses the payload timestamp when there is one (epoch milliseconds)', () => {
    const payload = { ...loadFixture('product-events/project-created'), timestamp: '1716300000000' };
    const result = fromProductEvent(payload, { receivedAt: RECEIVED_AT });
    expect(result.ok && result.event.timestamp).toBe('2024-05-21T14:00:00.000Z');
  });

  it('accepts a Date for receivedAt and numeric ids', () => {
    const result = fromProductEvent(loadFixture('product-events/board-created'), { receivedAt: new Date(RECEIVED_AT) });
    expect(result.ok && result.event.data.object.id).toBe('11');
  });

  it('accepts a changelog given as a bare list of items', () => {
    const payload = loadFixture('product-events/issue-updated');
    const result = fromProductEvent({ ...payload, changelog: (payload.changelog as { items: unknown[] }).items }, { receivedAt: RECEIVED_AT });
    expect(result.ok && result.event.data.changes).toHaveLength(2);
  });

  it('ignores extra fields and drops a malformed nice-to-have field instead of failing', () => {
    const payload = loadFixture('product-events/issue-created');
    const issue = payload.issue as { fields: Record<string, unknown> };
    const result = fromProductEvent(
      { ...payload, surprise: { new: 'field' }, issue: { ...issue, fields: { ...issue.fields, status: 42, summary: ['not', 'a', 'string'] } } },
      { receivedAt: RECEIVED_AT },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event.data.summary).toBe('Issue SP-10 was created');
    expect(result.event.data.details?.status).toBeUndefined();
  });

  it('handles service management entity events without a documented payload', () => {
    const result = fromProductEvent({ eventType: 'avi:jsm-entity:created:request-type', requestType: { id: 7, name: 'Get IT help' } }, { receivedAt: RECEIVED_AT });
    expect(result.ok && result.event).toMatchObject({ type: 'request_type.created', data: { object: { type: 'request_type', id: '7', name: 'Get IT help' }, summary: 'Request type "Get IT help" was created' } });
  });
});

describe('product event ids', () => {
  it('are the same for a platform retry of the same trigger', () => {
    const payload = loadFixture('product-events/issue-updated');
    const first = fromProductEvent(payload, { receivedAt: RECEIVED_AT });
    const retry = fromProductEvent(
      { ...payload, retryContext: { retryCount: 1, retryReason: 'FUNCTION_TIME_OUT' }, contextToken: 'tok' },
      { receivedAt: '2024-05-21T12:05:00.000Z' },
    );
    expect(first.ok && retry.ok && first.event.id === retry.event.id).toBe(true);
  });

  it('do not depend on key order', () => {
    const payload = loadFixture('product-events/project-created');
    const reversed = Object.fromEntries(Object.entries(payload).reverse());
    const a = fromProductEvent(payload, { receivedAt: RECEIVED_AT });
    const b = fromProductEvent(reversed, { receivedAt: RECEIVED_AT });
    expect(a.ok && b.ok && a.event.id === b.event.id).toBe(true);
  });

  it('differ for different changes to the same issue', () => {
    const payload = loadFixture('product-events/issue-updated');
    const other = { ...payload, changelog: { id: '10121', items: [{ field: 'priority', fromString: 'Low', toString: 'High' }] } };
    const a = fromProductEvent(payload, { receivedAt: RECEIVED_AT });
    const b = fromProductEvent(other, { receivedAt: RECEIVED_AT });
    expect(a.ok && b.ok && a.event.id !== b.event.id).toBe(true);
  });

  it('differ between two Forge events about the same object (assigned and updated)', () => {
    const payload = loadFixture('product-events/issue-assigned');
    const a = fromProductEvent(payload, { receivedAt: RECEIVED_AT });
    const b = fromProductEvent({ ...payload, eventType: 'avi:jira:updated:issue' }, { receivedAt: RECEIVED_AT });
    expect(a.ok && b.ok && a.event.id !== b.event.id).toBe(true);
  });

  it('can be imposed by the caller', () => {
    const result = fromProductEvent(loadFixture('product-events/board-created'), { receivedAt: RECEIVED_AT, id: 'evt_given' });
    expect(result.ok && result.event.id).toBe('evt_given');
  });
});
