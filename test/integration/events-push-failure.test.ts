/**
 * A refused queue push loses nothing: something else of the installation (here the test, pushing to a
 * queue of its own through the real @forge/events) has used Forge's 500 queued events for this minute,
 * so the drain's push of delivery jobs is answered 429 by the local host. The drain's committed
 * fan-out is finished once the minute has passed: every event reaches the webhook once.
 */
// dev/host first: it installs the egress-checking fetch that @forge/api captures when it loads.
import '../../dev/host';
import { Queue } from '@forge/events';
import { startTestBed, type TestBed } from './support/app-host';
import { captureLogs, createWebhook, deliveriesOf, jiraFixture, runUntilQuiet } from './support/events-kit';
import { flush } from './support/delivery-bed';

const HOST = 'siem.example.test';
const EVENTS = 60;

const issueCreated = (n: number): Record<string, unknown> => {
  const base = jiraFixture('product-events/issue-created') as { issue: Record<string, unknown> };
  return { ...base, issue: { ...base.issue, id: String(40_000 + n), key: `PUSH-${n}` } };
};

describe('a refused queue push', () => {
  let bed: TestBed;
  beforeAll(async () => {
    bed = await startTestBed([HOST], { startTime: new Date('2026-03-02T09:00:00.000Z') });
    await createWebhook(bed, { name: 'SIEM', url: `https://${HOST}/hook`, events: ['*'] });
    await runUntilQuiet(bed.host, { quietSteps: 2 });
    bed.receivers[HOST]!.requests.length = 0;
  });
  afterAll(() => bed.close());

  it('is retried from the drain\'s journal: every event delivered once', async () => {
    // Use up 499 of the installation's 500 queued events this minute, outside the app's push budget
    // (no consumer: the host drops them). The drain's own push still fits; its jobs' push does not.
    const filler = new Queue({ key: 'test-filler' });
    for (let i = 0; i < 10; i += 1) await filler.push(Array.from({ length: i < 9 ? 50 : 49 }, (_, n) => ({ body: { n: i * 50 + n } })));
    const before = bed.host.stats();

    const { lines } = await captureLogs(async () => {
      for (let n = 0; n < EVENTS; n += 1) await bed.host.fireEvent(issueCreated(n));
      await flush(bed.host);
      return runUntilQuiet(bed.host);
    });

    const after = bed.host.stats();
    // The refusal did happen, to the drain (the app could not know the minute was used up)...
    expect(after.queue.rateLimited).toBeGreaterThan(before.queue.rateLimited);
    expect(after.queue.retries).toBeGreaterThan(before.queue.retries);
    expect(after.invocations['drain-outbox']?.invocations ?? 0).toBeGreaterThan((before.invocations['drain-outbox']?.invocations ?? 0) + 1);
    // ...and cost nothing: each event once, with one message id.
    const deliveries = deliveriesOf(bed.receivers[HOST]!).filter((d) => d.body.type === 'issue.created');
    expect(new Set(deliveries.map((d) => d.body.data.object.key)).size).toBe(EVENTS);
    expect(deliveries).toHaveLength(EVENTS);
    expect(new Set(deliveries.map((d) => d.messageId)).size).toBe(EVENTS);
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
  });
});
