/**
 * Poison isolation (issue 9): issues whose descriptions are bulleted lists nested 6, 8, 40 and 200 levels
 * deep, and a Jira event the app cannot read, fired between 50 ordinary events to two webhooks under the
 * host's Forge-like harshness (4 workers, 5 % duplicate queue deliveries). Every ordinary event reaches
 * every webhook once; each deep one arrives cut with the flatten marker, the unreadable one is set aside
 * (a KVS record and an app.event.set_aside event with its reason); nothing blocks anything.
 */
import '../../dev/host';
import { kvs, WhereConditions } from '@forge/kvs';
import { startTestBed, type TestBed } from './support/app-host';
import { createWebhook, runUntilQuiet, uniqueDeliveries, type Delivery } from './support/events-kit';
import { issueCreated } from './support/delivery-bed';
import { jsonDepth } from '../../src/domain/events/depth';

const HOSTS = ['siem-a.example.test', 'siem-b.example.test'];
const ORDINARY = 50;
const DEPTHS = [6, 8, 40, 200];
const MARKER = '[flattened by Audit Webhooks: nested deeper than 24 levels]';

/** An Atlassian Document Format description: a bulleted list nested `levels` deep, one item per level. */
const nestedList = (levels: number, level = 1): Record<string, unknown> => ({
  type: 'bulletList',
  content: [
    {
      type: 'listItem',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: `level ${level}` }] },
        ...(level < levels ? [nestedList(levels, level + 1)] : []),
      ],
    },
  ],
});
const deepDescription = (levels: number) => ({ type: 'doc', version: 1, content: [nestedList(levels)] });

const deepIssue = (levels: number) => issueCreated(900 + levels, { summary: `Nested ${levels} levels`, description: deepDescription(levels) });
/** An issue event without the issue key: the normaliser cannot read it. */
const unreadable = () => {
  const event = issueCreated(999) as { issue: Record<string, unknown> };
  return { ...event, issue: { ...event.issue, key: undefined } };
};

const byEvent = (deliveries: Delivery[]): Map<string, Delivery[]> => {
  const map = new Map<string, Delivery[]>();
  for (const d of deliveries) map.set(d.body.id, [...(map.get(d.body.id) ?? []), d]);
  return map;
};

describe('poison events between ordinary ones', () => {
  let bed: TestBed;
  beforeAll(async () => {
    bed = await startTestBed(HOSTS, { startTime: new Date('2026-03-02T09:00:00.000Z') });
  });
  afterAll(() => bed.close());

  it('deliver every ordinary event to every webhook once; deep ones cut with a marker, an unreadable one set aside, visibly', async () => {
    for (const [i, host] of HOSTS.entries()) {
      await createWebhook(bed, { name: `SIEM ${i + 1}`, url: `https://${host}/hook`, events: ['issue.created', 'app.event.set_aside'] });
    }
    const deepAt = new Map(DEPTHS.map((levels, i) => [10 * (i + 1), levels]));
    for (let n = 1; n <= ORDINARY; n += 1) {
      await bed.host.fireEvent(issueCreated(n));
      const levels = deepAt.get(n);
      if (levels !== undefined) {
        const event = deepIssue(levels);
        expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(200 * 1024); // Forge delivers it
        await bed.host.fireEvent(event);
      }
      if (n === 25) await bed.host.fireEvent(unreadable());
      if (n % 10 === 0) await bed.host.advance(1);
    }
    await runUntilQuiet(bed.host);

    for (const host of HOSTS) {
      const unique = uniqueDeliveries(bed.receivers[host]!);
      const issues = byEvent(unique.filter((d) => d.body.type === 'issue.created'));
      // 50 ordinary + 4 deep, each with exactly one webhook-id.
      expect(issues.size).toBe(ORDINARY + DEPTHS.length);
      for (const [, deliveries] of issues) expect(new Set(deliveries.map((d) => d.messageId)).size).toBe(1);
      for (let n = 1; n <= ORDINARY; n += 1) {
        expect([...issues.values()].some(([d]) => d!.body.data.object.key === `SEC-${n}`)).toBe(true);
      }
      for (const levels of DEPTHS) {
        const [deep] = [...issues.values()].find(([d]) => d!.body.data.object.key === `SEC-${900 + levels}`) ?? [];
        expect(deep).toBeDefined();
        const body = deep!.body;
        expect(jsonDepth(JSON.parse(deep!.raw))).toBeLessThanOrEqual(24);
        const text = JSON.stringify(body.data.details);
        // The first levels are kept as ADF; what is deeper is flattened behind the marker, its text kept.
        expect(text).toContain('level 1');
        expect(text).toContain(MARKER);
        expect(text).toContain(`level ${levels}`);
        expect(body.data.trimmed).toEqual(expect.arrayContaining([expect.objectContaining({ nestedDeeperThan: 24 })]));
      }
      // The unreadable one: set aside at the trigger with the normaliser's reason, delivered as an app event.
      const setAside = [...byEvent(unique.filter((d) => d.body.type === 'app.event.set_aside')).values()];
      expect(setAside).toHaveLength(1);
      const [event] = setAside[0]!;
      expect(event!.body.data.details).toEqual(expect.objectContaining({ stage: 'trigger', reason: expect.stringContaining('issue.key') }));
      expect(event!.body.data.original).toEqual({ eventType: 'avi:jira:created:issue' });
    }

    // The admin-visible record: in KVS, and listed to a site admin by events.setAside (FORBIDDEN to others).
    const records = await kvs.query().where('key', WhereConditions.beginsWith('setaside:')).limit(100).getMany<Record<string, unknown>>();
    expect(records.results.map((r) => r.value)).toEqual([expect.objectContaining({ stage: 'trigger', jiraEventType: 'avi:jira:created:issue', reason: expect.stringContaining('issue.key') })]);
    expect(await bed.host.invoke('events.setAside', {}, 'local-admin')).toEqual({
      ok: true,
      data: { entries: [expect.objectContaining({ stage: 'trigger', jiraEventType: 'avi:jira:created:issue', reason: expect.stringContaining('issue.key') })] },
    });
    expect(await bed.host.invoke('events.setAside', {}, 'someone-else')).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });
    // Nothing is left behind or stuck.
    // The outbox is not emptied (entries expire by TTL): the drain's mark is past every entry.
    const state = (await kvs.get('drain:state')) as { markMs: number } | undefined;
    const entries = (await kvs.query().where('key', WhereConditions.beginsWith('outbox:')).limit(100).getMany()).results;
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(Number(entry.key.slice('outbox:'.length, 'outbox:'.length + 13))).toBeLessThan(state!.markMs);
    expect(bed.host.stats().queue.dropped).toBe(0);
  }, 300_000);

  it('drops the same Jira event delivered again 70 minutes later: it keeps its one webhook-id', async () => {
    const before = Object.fromEntries(HOSTS.map((host) => [host, uniqueDeliveries(bed.receivers[host]!).filter((d) => d.body.data.object.key === 'SEC-7')]));
    await bed.host.advance(70 * 60);
    await bed.host.fireEvent(issueCreated(7));
    await runUntilQuiet(bed.host);
    for (const host of HOSTS) {
      expect(before[host]).toHaveLength(1);
      const after = uniqueDeliveries(bed.receivers[host]!).filter((d) => d.body.data.object.key === 'SEC-7');
      expect(after.map((d) => d.messageId)).toEqual(before[host]!.map((d) => d.messageId));
    }
  }, 300_000);
});
