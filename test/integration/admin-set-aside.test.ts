import { kvsSnapshot, startAdminHttp, type AdminHttp } from './support/admin-http';
import { issueCreated, flush } from './support/delivery-bed';
import type { SetAsideView } from '../../src/contract';

/**
 * Issue 9: an event the pipeline sets aside is recorded where an admin sees it. Jira events the app cannot
 * read (an issue event without the issue key) are set aside at the trigger; `events.setAside` lists them
 * to a site admin, newest first with their reason, page by page through `nextCursor`, and answers anyone
 * else FORBIDDEN. Listing changes nothing. Over HTTP, through the local Forge host, as the bridge calls it.
 */

/** An issue event without the issue key: the normaliser cannot read it. */
const unreadable = (n: number) => {
  const event = issueCreated(n, { summary: `Unreadable ${n}` }) as { issue: Record<string, unknown> };
  return { ...event, issue: { ...event.issue, key: undefined } };
};

type Page = { entries: SetAsideView[]; nextCursor?: string };

describe('events.setAside over HTTP', () => {
  let api: AdminHttp;
  beforeAll(async () => {
    api = await startAdminHttp(['siem.example.test'], { startTime: new Date('2026-03-02T09:00:00.000Z') });
  });
  afterAll(() => api.close());

  it('answers an empty list while nothing was set aside', async () => {
    expect(await api.invoke('events.setAside', {})).toEqual({ ok: true, data: { entries: [] } });
    // The bridge sends undefined for no payload.
    expect(await api.invoke('events.setAside')).toEqual({ ok: true, data: { entries: [] } });
  });

  it('lists each unreadable Jira event, newest first, with its stage and reason; pages through nextCursor', async () => {
    for (const n of [1, 2, 3]) {
      await api.bed.host.fireEvent(unreadable(n));
      await api.bed.host.advance(60);
    }
    // An ordinary event between them is not set aside.
    await api.bed.host.fireEvent(issueCreated(4));
    await flush(api.bed.host);

    const all = await api.data<Page>('events.setAside', {});
    expect(all.nextCursor).toBeUndefined();
    expect(all.entries).toHaveLength(3);
    for (const entry of all.entries) {
      expect(entry).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{33}$/),
        at: expect.stringMatching(/^2026-03-02T09:0\d:00\.\d{3}Z$/),
        stage: 'trigger',
        reason: expect.stringMatching(/^The app could not read this Jira event: .*issue\.key/),
        jiraEventType: 'avi:jira:created:issue',
        subject: expect.stringMatching(/^issue 2000[123]$/),
      });
    }
    // Newest first.
    const times = all.entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(new Set(times).size).toBe(3);

    const first = await api.data<Page>('events.setAside', { limit: 2 });
    expect(first.entries).toEqual(all.entries.slice(0, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await api.data<Page>('events.setAside', { limit: 2, cursor: first.nextCursor });
    expect(second.entries).toEqual(all.entries.slice(2));
    expect(second.nextCursor).toBeUndefined();
  });

  it('changes nothing by listing', async () => {
    await flush(api.bed.host);
    const before = await kvsSnapshot();
    const writes = api.bed.host.stats().kvs.writes;
    await api.data('events.setAside', { limit: 100 });
    expect(await kvsSnapshot()).toEqual(before);
    expect(api.bed.host.stats().kvs.writes).toBe(writes);
  });

  it.each([
    ['someone-else', 'a non-admin'],
    ['LOCAL-ADMIN', 'another spelling of the admin'],
  ])('answers FORBIDDEN to %s (%s), whatever the input', async (accountId) => {
    for (const payload of [{}, { limit: 100 }, { limit: 0 }, { cursor: 'x' }, 'not an object']) {
      const result = await api.invoke('events.setAside', payload, accountId);
      expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/^Only Jira site admins/) } });
    }
  });

  it('answers VALIDATION naming the field for a bad limit, an unknown field or a cursor it did not return', async () => {
    const fieldsOf = async (payload: unknown): Promise<Record<string, string>> => {
      const result = await api.invoke('events.setAside', payload);
      if (result.ok) throw new Error(`expected VALIDATION for ${JSON.stringify(payload)}`);
      expect(result.error.code).toBe('VALIDATION');
      return result.error.fields ?? {};
    };
    expect(await fieldsOf({ limit: 0 })).toEqual({ limit: 'Use at least 1 for the page size.' });
    expect(await fieldsOf({ limit: 101 })).toEqual({ limit: 'Use at most 100 for the page size.' });
    expect(await fieldsOf({ limit: 2.5 })).toEqual({ limit: expect.stringMatching(/whole number/) });
    expect(await fieldsOf({ stage: 'trigger' })).toEqual({ stage: expect.stringMatching(/Remove "stage"/) });
    expect(await fieldsOf({ cursor: 'x'.repeat(1001) })).toEqual({ cursor: expect.stringMatching(/nextCursor/) });
    for (const cursor of ['not-a-cursor-this-app-returned', 'sa1.', 'sa1.***', Buffer.from('dlog:0').toString('base64url')]) {
      expect(await fieldsOf({ cursor })).toEqual({ cursor: 'Pass nextCursor exactly as the previous page returned it.' });
    }
  });
});
