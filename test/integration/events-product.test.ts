/**
 * Jira product events through the local Forge host (host.fireEvent, as POST /__forge/events): every
 * family of the fixtures reaches a webhook subscribed to ["*"] with the type docs/events.md documents
 * and data filled from the payload; every subscribed Forge event maps to its documented type; a
 * malformed payload is logged and skipped while the next good one is delivered; a redelivered event
 * is delivered once.
 */
import { SYSTEM_ACCOUNT_ID } from '../../dev/host';
import { secret, startTestBed, type TestBed } from './support/app-host';
import {
  captureLogs,
  createWebhook,
  deliveriesOf,
  uniqueDeliveries,
  documentedCatalogue,
  fixtureNames,
  jiraFixture,
  malformedFixture,
  type Delivery,
  type EnvelopeBody,
} from './support/events-kit';
import { flush } from './support/delivery-bed';

const HOST = 'siem.example.test';
const JAMIE = '4ad9aa0c52dc1b420a791d12';
const MIA = '5b10ac8d82e05b22cc7d4ef5';
const MAPPER = '712020:6b3c9f0e-mapping-test';

/** Lifecycle payloads carry no eventType; the host needs one to pick the trigger. */
const LIFECYCLE: Record<string, string> = { 'app-installed': 'avi:forge:installed:app', 'app-upgraded': 'avi:forge:upgraded:app' };

interface Expected {
  type: string;
  object: Record<string, unknown>;
  actor?: string;
  changes?: { field: string; from?: string; to?: string }[];
  summaryHas?: string;
}

/** Read from each fixture by hand (not from the normaliser): what a receiver must find. */
const EXPECTED: Record<string, Expected> = {
  'app-installed': { type: 'app.installed', object: { type: 'app', id: '406d303d-0393-4ec4-ad7c-1435be94583a' }, actor: JAMIE, summaryHas: 'installed' },
  'app-upgraded': { type: 'app.upgraded', object: { type: 'app', id: '406d303d-0393-4ec4-ad7c-1435be94583a' }, actor: JAMIE, summaryHas: '9.0.0' },
  'attachment-created': { type: 'attachment.created', object: { type: 'attachment', id: '10300', name: 'screenshot.png' }, actor: JAMIE, summaryHas: 'screenshot.png' },
  'board-configuration-changed': { type: 'board.configuration_changed', object: { type: 'board', id: '11' }, actor: '655363:f4dec1e8-6b1a-48aa-a9bf-e03d10b4abba', summaryHas: 'CMPSCRUM board' },
  'board-created': { type: 'board.created', object: { type: 'board', id: '11', name: 'Some SCRUM board' }, actor: '5c37e3bdb393bf4ce95658d5' },
  'comment-created': { type: 'comment.created', object: { type: 'comment', id: '10045', parent: expect.objectContaining({ type: 'issue', key: 'SP-10' }) }, actor: JAMIE, summaryHas: 'SP-10' },
  'comment-deleted': { type: 'comment.deleted', object: { type: 'comment', id: '10045' }, actor: JAMIE },
  'comment-edited': { type: 'comment.updated', object: { type: 'comment', id: '10045' }, actor: MIA },
  'component-created': { type: 'component.created', object: { type: 'component', id: '10050', name: 'Authentication' }, actor: JAMIE },
  'configuration-changed': {
    type: 'configuration.changed',
    object: { id: 'jira.option.allowunassigned' },
    actor: JAMIE,
    changes: [{ field: 'jira.option.allowunassigned', to: 'true' }],
  },
  'field-context-configuration-updated': { type: 'field_context.configuration_updated', object: { id: '10300' }, summaryHas: 'customfield_10100' },
  'field-context-updated': { type: 'field_context.updated', object: { type: 'field_context', id: '10200' }, summaryHas: 'customfield_10100' },
  'field-created': { type: 'field.created', object: { type: 'field', id: 'customfield_10100', name: 'Customer Ticket ID' } },
  'filter-updated': { type: 'filter.updated', object: { type: 'filter', id: '10400', name: 'Open security bugs' }, actor: JAMIE },
  'issue-assigned': {
    type: 'issue.assigned',
    object: { type: 'issue', id: '10073', key: 'SP-10' },
    actor: JAMIE,
    changes: [{ field: 'assignee', to: 'Mia Krystof' }],
    summaryHas: 'Mia Krystof',
  },
  'issue-created': {
    type: 'issue.created',
    object: { type: 'issue', id: '10073', key: 'SP-10', parent: expect.objectContaining({ type: 'project', key: 'SP' }) },
    actor: JAMIE,
    summaryHas: 'SP-10',
  },
  'issue-deleted': { type: 'issue.deleted', object: { type: 'issue', id: '10073', key: 'SP-10' }, actor: JAMIE },
  'issue-updated': {
    type: 'issue.updated',
    object: { type: 'issue', id: '10073', key: 'SP-10' },
    actor: JAMIE,
    changes: [
      { field: 'summary', from: 'A descriptive title', to: 'A more descriptive title' },
      { field: 'status', from: 'To Do', to: 'In Progress' },
    ],
  },
  'issuelink-created': { type: 'issuelink.created', object: { type: 'issuelink', id: '10010' }, summaryHas: '10074' },
  'issuetype-updated': { type: 'issuetype.updated', object: { type: 'issuetype', id: '10005', name: 'Epic' }, actor: JAMIE },
  'project-created': { type: 'project.created', object: { type: 'project', id: '10000', key: 'SP' }, actor: JAMIE },
  'project-softdeleted': { type: 'project.softdeleted', object: { type: 'project', id: '10000', key: 'SP' } },
  'sprint-started': { type: 'sprint.started', object: { type: 'sprint', id: '6', name: 'EX1 Sprint 1' }, actor: '5c37e3bdb393bf4ce95658d5' },
  'sprint-updated': {
    type: 'sprint.updated',
    object: { type: 'sprint', id: '6' },
    actor: '5c37e3bdb393bf4ce95658d5',
    changes: [expect.objectContaining({ field: 'goal', from: 'The goal', to: 'The new goal' }) as never],
  },
  'timetracking-provider-changed': { type: 'timetracking.provider_changed', object: { id: 'jira.timetracking.selected' }, changes: [{ field: 'jira.timetracking.selected', to: 'JIRA' }] },
  'user-created': { type: 'user.created', object: { type: 'user', id: MIA, name: 'Mia Krystof' } },
  'user-deleted': { type: 'user.deleted', object: { type: 'user', id: MIA } },
  'version-merged': { type: 'version.merged', object: { type: 'version', id: '10101' }, actor: JAMIE, summaryHas: '1.0.0' },
  'version-released': { type: 'version.released', object: { type: 'version', id: '10100', name: '1.0.0' }, actor: JAMIE },
  'worklog-created': { type: 'worklog.created', object: { type: 'worklog', id: '10200', parent: expect.objectContaining({ type: 'issue', id: '10073' }) }, actor: JAMIE },
  'worklog-deleted': { type: 'worklog.deleted', object: { type: 'worklog', id: '10200' }, actor: MIA },
};

const eventTypeOf = (name: string, payload: Record<string, unknown>): string => LIFECYCLE[name] ?? String(payload.eventType);

const ofType = (deliveries: Delivery[], type: string): EnvelopeBody[] => deliveries.map((d) => d.body).filter((b) => b.type === type);

describe('product events reach a webhook subscribed to ["*"]', () => {
  let bed: TestBed;
  const catalogue = documentedCatalogue();
  const documented = new Map(catalogue.map((row) => [row.type, row]));

  beforeAll(async () => {
    bed = await startTestBed([HOST], { startTime: new Date('2026-03-02T09:00:00.000Z') });
    await createWebhook(bed, { name: 'All events', url: `https://${HOST}/all`, events: ['*'], secrets: [secret(3)] });
    await flush(bed.host);
  });
  afterAll(() => bed.close());
  beforeEach(() => {
    bed.receivers[HOST]!.requests.length = 0;
  });

  it('has an expectation for every product-event fixture', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(fixtureNames('product-events'));
  });

  it('delivers every fixture once, with its documented type and the payload in source, actor, object, summary and changes', async () => {
    const fired: Record<string, number> = {};
    for (const name of fixtureNames('product-events')) {
      const payload = jiraFixture(`product-events/${name}`);
      fired[name] = (await bed.host.fireEvent({ eventType: eventTypeOf(name, payload), ...payload })).invocations;
    }
    expect(Object.values(fired).every((n) => n === 1)).toBe(true);
    await flush(bed.host);

    const deliveries = deliveriesOf(bed.receivers[HOST]!);
    const problems: string[] = [];
    for (const [name, expected] of Object.entries(EXPECTED)) {
      const payload = jiraFixture(`product-events/${name}`);
      const eventType = eventTypeOf(name, payload);
      const row = documented.get(expected.type);
      if (!row) problems.push(`${name}: ${expected.type} is not in docs/events.md`);
      else if (row.madeFrom !== eventType) problems.push(`${name}: docs say ${expected.type} is made from ${row.madeFrom}, fired ${eventType}`);
      const bodies = ofType(deliveries, expected.type).filter((b) => b.data.original.eventType === eventType);
      if (bodies.length !== 1) {
        problems.push(`${name}: ${bodies.length} deliveries of ${expected.type}`);
        continue;
      }
      const body = bodies[0] as EnvelopeBody;
      try {
        expect(body.data.source).toBe('product-event');
        expect(body.data.object).toMatchObject(expected.object);
        expect(body.data.actor.accountId).toBe(expected.actor);
        expect(body.data.summary.length).toBeGreaterThan(0);
        if (expected.summaryHas) expect(body.data.summary).toContain(expected.summaryHas);
        if (expected.changes) expect(body.data.changes).toEqual(expect.arrayContaining(expected.changes));
        else expect(body.data.changes).toBeUndefined();
        expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
      } catch (error) {
        problems.push(`${name}: ${(error as Error).message.split('\n').slice(0, 12).join(' ')}`);
      }
    }
    expect(problems).toEqual([]);
    // One delivery per fixture, nothing else.
    expect(deliveries).toHaveLength(fixtureNames('product-events').length);
    expect(new Set(deliveries.map((d) => d.messageId)).size).toBe(deliveries.length);
  });

  it('maps every Forge event the manifest subscribes to onto its documented type', async () => {
    // One payload per family: the fixture of that family, with the event name swapped in.
    const familyPayload: Record<string, string> = {
      issue: 'issue-created', comment: 'comment-created', issuelink: 'issuelink-created', worklog: 'worklog-created',
      attachment: 'attachment-created', project: 'project-created', version: 'version-released', component: 'component-created',
      sprint: 'sprint-started', board: 'board-created', user: 'user-created', field: 'field-created', issuetype: 'issuetype-updated',
      filter: 'filter-updated', configuration: 'configuration-changed', app: 'app-upgraded',
    };
    const payloadFor = (eventName: string): Record<string, unknown> => {
      if (eventName === 'avi:jira:commented:issue') return jiraFixture('product-events/comment-created');
      if (eventName === 'avi:jira-software:configuration-changed:board') return jiraFixture('product-events/board-configuration-changed');
      if (eventName.startsWith('avi:jira:') && eventName.includes(':field:context')) {
        return jiraFixture(eventName.endsWith(':configuration') ? 'product-events/field-context-configuration-updated' : 'product-events/field-context-updated');
      }
      if (eventName === 'avi:jira:timetracking:provider:changed') return jiraFixture('product-events/timetracking-provider-changed');
      if (eventName === 'avi:forge:installed:app') return jiraFixture('product-events/app-installed');
      if (eventName.startsWith('avi:jsm-entity:')) {
        // Made up: Atlassian documents no payload for JSM entity events (docs/events.md says so).
        return { id: '42', name: 'Get IT help', serviceDeskId: '7' };
      }
      const noun = eventName.split(':')[3] ?? '';
      const fixture = familyPayload[noun];
      if (!fixture) throw new Error(`no payload for ${eventName}`);
      return jiraFixture(`product-events/${fixture}`);
    };

    const subscribed = bed.host.appInfo().triggers.flatMap((t) => t.events);
    // avi:jira:commented:issue documents two types (created, updated): the payload used is a new comment.
    const expectedType = new Map(catalogue.filter((row) => row.source === 'product-event' && row.type !== 'comment.updated').map((row) => [row.madeFrom, row.type]));
    for (const eventName of subscribed) {
      // A distinct actor, so these are not the same changes as the fixtures of the test above.
      const result = await bed.host.fireEvent({ ...payloadFor(eventName), eventType: eventName, atlassianId: MAPPER });
      expect(result.invocations).toBe(1);
    }
    await flush(bed.host);
    // One message per event; Forge may run a delivery job twice (the host does for 5 % of queue events),
    // and a repeat carries the same webhook-id, so it is counted once.
    const deliveries = uniqueDeliveries(bed.receivers[HOST]!);
    const missing: string[] = [];
    for (const eventName of subscribed) {
      const got = deliveries.filter((d) => d.body.data.original.eventType === eventName);
      const type = expectedType.get(eventName);
      if (!type) missing.push(`${eventName}: not documented in docs/events.md`);
      else if (got.length !== 1 || got[0]?.body.type !== type) missing.push(`${eventName}: expected one ${type}, got ${got.map((d) => d.body.type).join(', ') || 'none'}`);
    }
    expect(missing).toEqual([]);
    // Every documented, subscribed product-event type is subscribed in the manifest.
    const documentedSubscribed = catalogue.filter((row) => row.source === 'product-event' && row.subscribed).map((row) => row.madeFrom);
    expect([...new Set(documentedSubscribed)].sort()).toEqual([...new Set(subscribed)].sort());
  });

  it('ignores the app\'s own changes (ignoreSelf)', async () => {
    const before = bed.host.stats().triggers.ignoredSelf;
    const result = await bed.host.fireEvent({ ...jiraFixture('product-events/issue-created'), atlassianId: SYSTEM_ACCOUNT_ID });
    expect(result.invocations).toBe(0);
    expect(bed.host.stats().triggers.ignoredSelf).toBe(before + 1);
    await flush(bed.host);
    expect(bed.receivers[HOST]!.requests).toHaveLength(0);
  });

  it('logs a malformed payload as a clear error, skips it without a retry, and delivers the next good event', async () => {
    const names = ['issue-without-key', 'issue-id-object', 'user-without-account', 'worklog-without-issue'];
    const statsBefore = bed.host.stats();
    const { lines } = await captureLogs(async () => {
      for (const name of names) {
        const { payload } = malformedFixture(name);
        expect((await bed.host.fireEvent(payload)).invocations).toBe(1);
      }
      // Another issue than the fixture's, which the first test delivered already.
      const good = jiraFixture('product-events/issue-deleted') as { issue: Record<string, unknown> };
      await bed.host.fireEvent({ ...good, issue: { ...good.issue, id: '20001', key: 'SP-2001' } });
      await bed.host.advance(60);
    });
    const errors = lines.filter((line) => line.level === 'error');
    for (const name of names) {
      const { payload, expectError } = malformedFixture(name);
      const line = errors.find((l) => l.eventType === payload.eventType && String(l.problem).includes(expectError));
      expect({ name, line: line === undefined ? 'missing' : 'logged' }).toEqual({ name, line: 'logged' });
      expect(String(line?.message)).toMatch(/skipped/i);
    }
    const after = bed.host.stats();
    expect(after.triggers.retries).toBe(statsBefore.triggers.retries);
    expect(after.triggers.dropped).toBe(statsBefore.triggers.dropped);
    expect(after.invocations['on-jira-event']?.errors ?? 0).toBe(statsBefore.invocations['on-jira-event']?.errors ?? 0);
    const deliveries = deliveriesOf(bed.receivers[HOST]!);
    // Nothing is dropped silently: each unreadable event reaches a ["*"] webhook as app.event.set_aside.
    expect(deliveries.filter((d) => d.body.type !== 'app.event.set_aside').map((d) => d.body.type)).toEqual(['issue.deleted']);
    expect(new Set(deliveries.filter((d) => d.body.type === 'app.event.set_aside').map((d) => d.body.id)).size).toBe(names.length);
  });

  it('delivers an event that Forge delivers twice (a redelivery a minute later) only once', async () => {
    const fixture = jiraFixture('product-events/issue-updated') as { changelog: Record<string, unknown> };
    // A change of its own (the first test delivered the fixture's change already).
    const payload = { ...fixture, changelog: { ...fixture.changelog, id: '30001' } };
    await bed.host.fireEvent(payload);
    await bed.host.advance(61);
    await bed.host.fireEvent({ ...payload, retryContext: { retryCount: 1, retryReason: 'FUNCTION_TIME_OUT' } });
    await bed.host.advance(61);
    const updates = ofType(deliveriesOf(bed.receivers[HOST]!), 'issue.updated');
    expect(updates).toHaveLength(1);
  });
});
