/**
 * The audit-records poll through the local Forge host: records added to the stub Jira
 * (host.addAuditRecords, as POST /__forge/jira/audit-records) and the scheduled trigger run
 * (host.runScheduled('audit-log-poll')) reach a webhook exactly once each; nothing from before the
 * install unless an admin asks for a backfill (then once); Jira's 429 and Retry-After are honoured;
 * a poll cut short by its time limit skips nothing.
 */
// dev/host first: it installs the egress-checking fetch that @forge/api captures when it loads.
import '../../dev/host';
import { AuditLogPoll } from '../../src/app/audit-poll/poll-audit-log';
import { getServices } from '../../src/platform/container';
import { fetchAuditRecords } from '../../src/platform/forge-jira';
import { startTestBed, type TestBed } from './support/app-host';
import { captureLogs, createWebhook, jiraFixture, uniqueDeliveries, type Delivery } from './support/events-kit';
import { flush } from './support/delivery-bed';

const HOST = 'siem.example.test';
const INSTALL = new Date('2026-03-02T09:00:00.000Z');
const MINUTE = 60_000;

/** Jira's own date format: 2026-03-02T09:00:30.000+0000. */
const jiraDate = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

const record = (id: number, createdMs: number, extra: Record<string, unknown> = {}) => ({
  ...jiraFixture('audit-records/group-member-added'),
  id,
  created: jiraDate(createdMs),
  summary: `Audit record ${id}`,
  ...extra,
});

const auditDeliveries = (bed: TestBed): Delivery[] => uniqueDeliveries(bed.receivers[HOST]!).filter((d) => d.body.data.source === 'audit-log');

/** record id -> how many times a receiver got it. */
const countByRecord = (bed: TestBed): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const d of auditDeliveries(bed)) {
    const id = String(d.body.data.original.recordId);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
};

const pollAndSettle = async (bed: TestBed): Promise<void> => {
  await bed.host.runScheduled('audit-log-poll');
  await flush(bed.host);
};

interface SettingsAnswer {
  settings: { version: number; auditPoll: { enabled: boolean; cursor?: string; lastError?: string; lastPolledAt?: string }; installedAt: string };
}

const settings = async (bed: TestBed): Promise<SettingsAnswer['settings']> => {
  const answer = await bed.call<SettingsAnswer>('settings.get', {});
  expect(answer.ok).toBe(true);
  return answer.data.settings;
};

const requestBackfill = async (bed: TestBed, days: number): Promise<void> => {
  const { version } = await settings(bed);
  const answer = await bed.call<SettingsAnswer>('settings.update', { version, backfillDays: days });
  expect(answer.ok).toBe(true);
};

/** The app with its clock at INSTALL and a webhook taking every event; `installEvent`: Forge's install event came first. */
const startPollBed = async ({ installEvent }: { installEvent: boolean }): Promise<TestBed> => {
  const bed = await startTestBed([HOST], { startTime: INSTALL });
  if (installEvent) expect((await bed.host.fireEvent({ eventType: 'avi:forge:installed:app', ...jiraFixture('product-events/app-installed') })).invocations).toBe(1);
  await createWebhook(bed, { name: 'SIEM', url: `https://${HOST}/audit`, events: ['*'] });
  await flush(bed.host);
  return bed;
};

describe('audit-records poll: each record once, from the install on', () => {
  let bed: TestBed;
  beforeAll(async () => {
    bed = await startPollBed({ installEvent: true });
  });
  afterAll(() => bed.close());

  it('delivers records created after the install once, across polls, and leaves older ones alone', async () => {
    bed.host.addAuditRecords([
      record(1001, INSTALL.getTime() - 2 * 24 * 60 * MINUTE, { summary: 'Before the install' }),
      record(1002, INSTALL.getTime() + 30_000),
      record(1003, INSTALL.getTime() + 60_000),
      record(1004, INSTALL.getTime() + 60_000),
    ]);
    await bed.host.advance(90);
    await pollAndSettle(bed);
    await pollAndSettle(bed);
    expect(Object.fromEntries(countByRecord(bed))).toEqual({ '1002': 1, '1003': 1, '1004': 1 });

    // A record at the very instant of the cursor, one a little before it (Jira's index is not
    // instantaneous), and a new one; the poll runs again, on demand and on its schedule.
    bed.host.addAuditRecords([
      record(1005, INSTALL.getTime() + 60_000),
      record(1006, INSTALL.getTime() + 45_000),
      record(1007, INSTALL.getTime() + 100_000),
    ]);
    await bed.host.advance(30);
    await pollAndSettle(bed);
    await bed.host.advance(5 * 60);
    await pollAndSettle(bed);
    expect(Object.fromEntries(countByRecord(bed))).toEqual({ '1002': 1, '1003': 1, '1004': 1, '1005': 1, '1006': 1, '1007': 1 });

    const first = auditDeliveries(bed).find((d) => d.body.data.original.recordId === '1002');
    expect(first?.body).toMatchObject({
      id: 'audit-1002',
      type: 'audit.group_management',
      data: { source: 'audit-log', object: { type: 'group', id: 'site-admins' }, remoteAddress: '203.0.113.24' },
    });
    expect((await settings(bed)).installedAt).toBe(INSTALL.toISOString());
  });

  it('backfills the days an admin asks for once, however often it is asked', async () => {
    await requestBackfill(bed, 3);
    await pollAndSettle(bed);
    await pollAndSettle(bed);
    expect(countByRecord(bed).get('1001')).toBe(1);

    await requestBackfill(bed, 3);
    await pollAndSettle(bed);
    await requestBackfill(bed, 1);
    await pollAndSettle(bed);
    await bed.host.advance(10 * 60);
    await pollAndSettle(bed);
    const counts = countByRecord(bed);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect([...counts.keys()].sort()).toEqual(['1001', '1002', '1003', '1004', '1005', '1006', '1007']);
  });

  it('logs a malformed audit record as a clear error, skips it, and delivers the next good one', async () => {
    const now = bed.host.now().getTime();
    const badDate = jiraFixture('malformed/audit-record-bad-date') as { payload: Record<string, unknown> };
    const { lines } = await captureLogs(async () => {
      // The stub fills in a missing id and created, so the bad one keeps its id and gets a bad date.
      bed.host.addAuditRecords([{ ...badDate.payload, id: 1100, created: 'yesterday' }, record(1101, now - 200)]);
      await bed.host.advance(30);
      await pollAndSettle(bed);
    });
    expect(countByRecord(bed).get('1101')).toBe(1);
    expect(countByRecord(bed).has('1100')).toBe(false);
    const error = lines.find((line) => line.level === 'error' && String(line.recordId) === '1100');
    expect(String(error?.message)).toMatch(/skipped/i);
    expect(String(error?.problem)).toContain('created');
  });

  it('honours Jira\'s 429 and Retry-After, then catches up', async () => {
    const now = bed.host.now().getTime();
    bed.host.addAuditRecords([record(1008, now - 1000)]);
    bed.host.failJira({ pathPrefix: '/rest/api/3/auditing/record', status: 429, retryAfter: 600, times: 1 });
    const before = bed.host.stats().jira;
    await pollAndSettle(bed);
    expect(bed.host.stats().jira.injectedFailures).toBe(before.injectedFailures + 1);
    expect(countByRecord(bed).get('1008')).toBeUndefined();
    expect((await settings(bed)).auditPoll.lastError).toMatch(/429/);

    // Within the Retry-After, the poll does not call Jira at all.
    await bed.host.advance(60);
    const waiting = bed.host.stats().jira.requests;
    await pollAndSettle(bed);
    expect(bed.host.stats().jira.requests).toBe(waiting);

    await bed.host.advance(600);
    await pollAndSettle(bed);
    expect(countByRecord(bed).get('1008')).toBe(1);
    expect((await settings(bed)).auditPoll.lastError).toBeUndefined();
  });

  it('loses nothing when Jira refuses the app (403) for a while', async () => {
    const now = bed.host.now().getTime();
    bed.host.addAuditRecords([record(1009, now - 500)]);
    bed.host.failJira({ pathPrefix: '/rest/api/3/auditing/record', status: 403, times: 2 });
    await pollAndSettle(bed);
    expect((await settings(bed)).auditPoll.lastError).toMatch(/403/);
    await pollAndSettle(bed);
    await bed.host.advance(60);
    await pollAndSettle(bed);
    expect(countByRecord(bed).get('1009')).toBe(1);
  });
});

describe('audit-records poll cut short by its time limit', () => {
  let bed: TestBed;
  beforeAll(async () => {
    bed = await startPollBed({ installEvent: true });
  });
  afterAll(() => bed.close());

  it('resumes where it stopped, skipping nothing and repeating nothing, while new records shift the pages', async () => {
    await bed.host.advance(60);
    const base = bed.host.now().getTime() - 50_000;
    // 1,200 records over 40 s: more than two pages of the poll (500 each).
    bed.host.addAuditRecords(Array.from({ length: 1200 }, (_, i) => record(20_000 + i, base + Math.floor(i / 30) * 1000)));

    // The poll use case with the app's real Forge adapters (KVS, requestJira as the app), but a clock
    // of remaining time that runs out after one page each time.
    const services = getServices();
    let pagesLeft = 0;
    const poll = new AuditLogPoll({
      store: services.store,
      clock: services.clock,
      outbox: services.outbox,
      logger: services.logger,
      fetchPage: async (query) => {
        pagesLeft -= 1;
        return fetchAuditRecords(query);
      },
      remainingMs: () => (pagesLeft > 0 ? 100_000 : 1_000),
    });
    pagesLeft = 1;
    expect((await poll.run()).status).toBe('paused');
    await flush(bed.host);
    // New records arrive between the runs: they sort first (newest first) and shift every page.
    bed.host.addAuditRecords(Array.from({ length: 7 }, (_, i) => record(30_000 + i, bed.host.now().getTime() - 100)));
    await bed.host.advance(5);
    pagesLeft = 1;
    expect((await poll.run()).status).toBe('paused');
    pagesLeft = 100;
    expect((await poll.run()).status).toBe('done');
    // The scheduled trigger drains whatever the use case left in the outbox, then polls again.
    await pollAndSettle(bed);
    await bed.host.advance(5 * 60);
    await pollAndSettle(bed);

    const counts = countByRecord(bed);
    const expected = [...Array.from({ length: 1200 }, (_, i) => String(20_000 + i)), ...Array.from({ length: 7 }, (_, i) => String(30_000 + i))];
    expect([...counts.keys()].sort()).toEqual(expected.sort());
    const repeated = [...counts.entries()].filter(([, n]) => n !== 1);
    expect(repeated).toEqual([]);
  });
});

describe('audit-records poll when the install event never arrived', () => {
  let bed: TestBed;
  beforeAll(async () => {
    bed = await startPollBed({ installEvent: false });
  });
  afterAll(() => bed.close());

  it('reaches back one poll interval on its first run: no history flood, and nothing since the install is lost', async () => {
    bed.host.addAuditRecords([record(1, INSTALL.getTime() - 60 * MINUTE), record(2, INSTALL.getTime() + 2 * MINUTE)]);
    // The scheduled trigger first runs 5 minutes after the install.
    await bed.host.advance(5 * 60);
    await flush(bed.host);
    await pollAndSettle(bed);
    expect(Object.fromEntries(countByRecord(bed))).toEqual({ '2': 1 });
  });
});
