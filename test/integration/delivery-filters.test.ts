/**
 * Issue 14, filters: a webhook filtered to project SEC receives SEC's events and no others, and filtered
 * events add no entries to its delivery log. Two real receivers on 127.0.0.1, the app in the local host.
 */
import { allDeliveries, createWebhook, envelopeOf, flush, getWebhook, startDeliveryBed, type DeliveryBed } from './support/delivery-bed';
import { issueCreatedEvent, JIRA_USER } from './support/jira-events';
import type { Receiver } from './support/receiver';

const FILTERED = 'filtered.example.test';
const OTHER = 'other.example.test';
const AUTOMATION = '557058:0f1e2d3c-automation';

const secIssue = (n: number, fields: Record<string, unknown> = {}) => issueCreatedEvent({ id: String(30000 + n), key: `SEC-${n}`, summary: `SEC issue ${n}` }, fields);
const opsIssue = (n: number) =>
  issueCreatedEvent({ id: String(40000 + n), key: `OPS-${n}`, summary: `OPS issue ${n}` }, { project: { id: '10001', key: 'OPS', name: 'Operations' } });
const byAutomation = (event: ReturnType<typeof secIssue>) => ({ ...event, atlassianId: AUTOMATION, user: { accountId: AUTOMATION } });

const keysOf = (receiver: Receiver, type = 'issue.created'): string[] =>
  receiver.requests
    .map(envelopeOf)
    .filter((envelope) => envelope?.type === type)
    .map((envelope) => (envelope?.data.object as { key: string }).key)
    .sort();

describe('filters beyond event types: applied before fan-out', () => {
  let bed: DeliveryBed;
  let filtered: Receiver;
  let other: Receiver;
  beforeEach(async () => {
    bed = await startDeliveryBed([FILTERED, OTHER]);
    filtered = bed.receivers[FILTERED] as Receiver;
    other = bed.receivers[OTHER] as Receiver;
  });
  afterEach(() => bed.close());

  it('a webhook filtered to project SEC gets SEC events only; the others cost it no delivery log entry', async () => {
    const events = ['issue.created', 'app.webhook.updated'];
    // Lower case on input: stored and shown upper case.
    const sec = await createWebhook(bed, { name: 'SEC only', url: `https://${FILTERED}/hook`, events, filters: { projects: { include: ['sec'] } } });
    const all = await createWebhook(bed, { name: 'Everything', url: `https://${OTHER}/hook`, events });
    expect(sec.filters).toEqual({ projects: { include: ['SEC'] } });
    expect(sec.filtersSummary).toBe('Projects SEC');
    expect(all.filters).toBeUndefined();

    await bed.host.fireEvent(secIssue(1));
    await bed.host.fireEvent(opsIssue(1));
    await bed.host.fireEvent(secIssue(2));
    // An event without a project: an admin renaming a third webhook (app.webhook.updated).
    const third = await createWebhook(bed, { name: 'Third', url: `https://${OTHER}/third`, events: ['project.created'] });
    await bed.admin('webhooks.update', { id: third.id, version: third.version, name: 'Third, renamed' });
    await flush(bed.host);

    expect(keysOf(filtered)).toEqual(['SEC-1', 'SEC-2']);
    expect(keysOf(other)).toEqual(['OPS-1', 'SEC-1', 'SEC-2']);
    expect(filtered.requests.filter((r) => envelopeOf(r)?.type === 'app.webhook.updated')).toHaveLength(0);
    expect(other.requests.filter((r) => envelopeOf(r)?.type === 'app.webhook.updated')).toHaveLength(1);

    const log = await allDeliveries(bed, { webhookId: sec.id });
    expect(log.map((d) => d.eventType)).toEqual(['issue.created', 'issue.created']);
    expect(log.every((d) => d.status === 'delivered')).toBe(true);
    expect(await allDeliveries(bed, { webhookId: all.id })).toHaveLength(4);
  });

  it('exclude an actor (an automation account) and include an issue type, case-insensitively', async () => {
    const notAutomation = await createWebhook(bed, { name: 'Not automation', url: `https://${FILTERED}/hook`, events: ['issue.created'], filters: { actors: { exclude: [AUTOMATION] } } });
    const bugsOnly = await createWebhook(bed, { name: 'Bugs', url: `https://${OTHER}/hook`, events: ['issue.created'], filters: { issueTypes: { include: ['bug'] } } });
    expect(notAutomation.filtersSummary).toBe('not actor 557058:0…');

    await bed.host.fireEvent(secIssue(1));
    await bed.host.fireEvent(byAutomation(secIssue(2)));
    await bed.host.fireEvent(secIssue(3, { issuetype: { id: '10004', name: 'Bug' } }));
    await flush(bed.host);

    expect(keysOf(filtered)).toEqual(['SEC-1', 'SEC-3']);
    expect(keysOf(other)).toEqual(['SEC-3']);
    expect((await allDeliveries(bed, { webhookId: notAutomation.id })).map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(await allDeliveries(bed, { webhookId: bugsOnly.id })).toHaveLength(1);
  });

  it('filters are checked field by field, changed and removed by webhooks.update', async () => {
    const bad = await bed.result('webhooks.create', {
      kind: 'custom',
      name: 'Bad filters',
      url: `https://${FILTERED}/hook`,
      events: ['issue.created'],
      filters: { projects: { include: ['SEC', 'not a key'], exclude: ['sec'] }, actors: { include: ['bad id!'] } },
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('VALIDATION');
    expect(bad.error.fields?.['filters.projects.include.1']).toMatch(/not a Jira project key/);
    expect(bad.error.fields?.['filters.projects']).toMatch(/SEC is both included and excluded/);
    expect(bad.error.fields?.['filters.actors.include.0']).toMatch(/not an Atlassian account id/);
    expect((await bed.admin('webhooks.list', {})).webhooks).toHaveLength(0);

    const hook = await createWebhook(bed, { name: 'Changing', url: `https://${FILTERED}/hook`, events: ['issue.created'], filters: { projects: { include: ['OPS'] } } });
    const { webhook: changed } = await bed.admin('webhooks.update', { id: hook.id, version: hook.version, filters: { projects: { include: ['SEC'] }, actors: { exclude: [JIRA_USER] } } });
    expect(changed.filters).toEqual({ projects: { include: ['SEC'] }, actors: { exclude: [JIRA_USER] } });
    const { webhook: cleared } = await bed.admin('webhooks.update', { id: hook.id, version: changed.version, filters: null });
    expect(cleared.filters).toBeUndefined();
    expect(cleared.filtersSummary).toBeUndefined();

    await bed.host.fireEvent(opsIssue(2));
    await flush(bed.host);
    expect(keysOf(filtered)).toEqual(['OPS-2']);
    expect((await getWebhook(bed, hook.id)).filters).toBeUndefined();
  });
});
