/**
 * Burst safety through the local Forge host, which enforces Forge's limits (KVS 4000 writes/min, queue
 * 500 events/min, 50 events and 200 KB per push): 5,000 `avi:jira:updated:issue` events within one
 * virtual minute, three webhooks subscribed to ["*"]. Every webhook gets every event exactly once, no
 * push is refused, and the platform's retries of refused trigger writes lose nothing.
 */
import { performance } from 'node:perf_hooks';
import type { HostStats } from '../../dev/host';
import { startTestBed, type TestBed } from './support/app-host';
import { captureLogs, createWebhook, deliveriesOf, jiraFixture, runUntilQuiet } from './support/events-kit';

const HOSTS = ['siem-a.example.test', 'siem-b.example.test', 'siem-c.example.test'];
const EVENTS = 5_000;
/** Events fired together, then the clock moves on: 100 rounds of 50 over 60 virtual seconds. */
const ROUND = 50;
const ROUND_SECONDS = 60 / (EVENTS / ROUND);

const issueUpdated = (n: number): Record<string, unknown> => {
  const base = jiraFixture('product-events/issue-updated') as { issue: { fields: Record<string, unknown> }; changelog: Record<string, unknown> };
  return {
    ...base,
    issue: { ...base.issue, id: String(100_000 + n), key: `BURST-${n}` },
    changelog: { ...base.changelog, id: String(500_000 + n) },
  };
};

const diff = (after: HostStats, before: HostStats) => ({
  kvsReads: after.kvs.reads - before.kvs.reads + (after.kvs.queries - before.kvs.queries),
  kvsWrites: after.kvs.writes - before.kvs.writes,
  kvsDeletes: after.kvs.deletes - before.kvs.deletes,
  kvsRateLimited: after.kvs.rateLimited - before.kvs.rateLimited,
  queuePushes: after.queue.pushes - before.queue.pushes,
  queueEvents: after.queue.events - before.queue.events,
  queueRetries: after.queue.retries - before.queue.retries,
  triggerInvocations: after.triggers.invocations - before.triggers.invocations,
  triggerRetries: after.triggers.retries - before.triggers.retries,
});

// Harsher than the host's Forge-like defaults: 8 invocations at once and one queue event in ten delivered twice.
const STRICTNESS = { workers: 8, duplicateRate: 0.1 };

describe('burst: 5,000 issue updates within one minute, three webhooks, 8 workers, 10 % of queue events delivered twice', () => {
  let bed: TestBed;
  beforeAll(async () => {
    bed = await startTestBed(HOSTS, { startTime: new Date('2026-03-02T09:00:00.000Z'), strictness: STRICTNESS });
    for (const [i, host] of HOSTS.entries()) await createWebhook(bed, { name: `SIEM ${i + 1}`, url: `https://${host}/hook`, events: ['*'] });
    await runUntilQuiet(bed.host, { quietSteps: 2 });
    for (const receiver of Object.values(bed.receivers)) receiver.requests.length = 0;
  });
  afterAll(() => bed.close());

  it('delivers every event to every webhook exactly once, within the queue limits, losing nothing', async () => {
    const before = bed.host.stats();
    const started = performance.now();
    const startedAt = bed.host.now().getTime();
    let burstEnd = 0;
    const { result: run, lines } = await captureLogs(async () => {
      for (let round = 0; round * ROUND < EVENTS; round += 1) {
        const fired = await Promise.all(Array.from({ length: ROUND }, (_, i) => bed.host.fireEvent(issueUpdated(round * ROUND + i))));
        expect(fired.every((f) => f.invocations === 1)).toBe(true);
        await bed.host.advance(ROUND_SECONDS);
      }
      expect(bed.host.now().getTime() - startedAt).toBeLessThanOrEqual(60_000);
      burstEnd = performance.now();
      return runUntilQuiet(bed.host);
    });
    const logged: Record<string, number> = {};
    for (const line of lines) logged[`${String(line.level)}: ${String(line.message)}`] = (logged[`${String(line.level)}: ${String(line.message)}`] ?? 0) + 1;
    const realSeconds = (performance.now() - started) / 1000;
    const after = bed.host.stats();
    const used = diff(after, before);

    const perWebhook = HOSTS.map((host) => {
      const deliveries = deliveriesOf(bed.receivers[host]!).filter((d) => d.body.type === 'issue.updated');
      return {
        host,
        deliveries: deliveries.length,
        messageIds: new Set(deliveries.map((d) => d.messageId)).size,
        repeatedMessages: deliveries.length - new Set(deliveries.map((d) => d.messageId)).size,
        events: new Set(deliveries.map((d) => d.body.id)).size,
        issues: new Set(deliveries.map((d) => d.body.data.object.key)).size,
      };
    });
    const totalDeliveries = perWebhook.reduce((sum, w) => sum + w.deliveries, 0);
    const report = {
      realSeconds: Math.round(realSeconds),
      realSecondsFiring: Math.round((burstEnd - started) / 1000),
      // The receivers stamp requests with Date.now(), which the manual clock fakes: virtual time.
      virtualSecondsToLastDelivery: Math.round((Math.max(...HOSTS.flatMap((h) => bed.receivers[h]!.requests.map((r) => r.at))) - startedAt) / 1000),
      virtualMinutesRun: Math.round(run.virtualSeconds / 60),
      ...used,
      kvsWritesPerEvent: +((used.kvsWrites + used.kvsDeletes) / EVENTS).toFixed(2),
      kvsWritesPerDelivery: +((used.kvsWrites + used.kvsDeletes) / Math.max(1, totalDeliveries)).toFixed(3),
      kvsReadsPerEvent: +(used.kvsReads / EVENTS).toFixed(2),
      kvsReadsPerDelivery: +(used.kvsReads / Math.max(1, totalDeliveries)).toFixed(3),
      eventsPerPush: +(used.queueEvents / Math.max(1, used.queuePushes)).toFixed(1),
      perWebhook,
      logged,
      recentErrors: after.recentErrors.slice(-3).map((e) => `${e.functionKey}: ${e.message.slice(0, 160)}`),
    };
    console.log(`burst report ${JSON.stringify(report, null, 2)}`);

    // Every event reaches every webhook under exactly one webhook-id. Forge delivers queue events at least
    // once, so a receiver may see a message twice (the report counts how often); never a second id.
    for (const webhook of perWebhook) {
      expect(webhook).toEqual({ host: webhook.host, deliveries: webhook.deliveries, repeatedMessages: webhook.repeatedMessages, messageIds: EVENTS, events: EVENTS, issues: EVENTS });
      expect(webhook.deliveries).toBeGreaterThanOrEqual(EVENTS);
    }
    expect(totalDeliveries).toBeGreaterThanOrEqual(EVENTS * HOSTS.length);
    expect(after.queue.rejected).toBe(before.queue.rejected);
    expect(after.queue.rateLimited).toBe(before.queue.rateLimited);
    expect(after.queue.dropped).toBe(before.queue.dropped);
    expect(after.triggers.dropped).toBe(before.triggers.dropped);
    expect(after.queue.pending).toBe(0);
  }, 600_000);
});
