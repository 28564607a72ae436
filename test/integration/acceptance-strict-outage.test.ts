/** A receiver outage of several hours on a host harsher than Forge's defaults (8 invocations at once, one
 * queue event in ten delivered twice): every event still reaches every webhook, each under exactly one
 * webhook-id; a receiver may see a message twice, and the test reports how often. */
import '../../dev/host';
import { startTestBed, type TestBed } from './support/app-host';
import { createWebhook, uniqueDeliveries } from './support/events-kit';
import { issueCreated } from './support/delivery-bed';

const HOSTS = ['siem-a.example.test', 'siem-b.example.test', 'siem-c.example.test'];
const EVENTS = 60;
const HOUR = 3600;

describe('receiver outage of 6 hours, 8 workers, 10 % duplicate queue deliveries', () => {
  let bed: TestBed;
  beforeAll(async () => {
    bed = await startTestBed(HOSTS, { startTime: new Date('2026-03-02T09:00:00.000Z'), strictness: { workers: 8, duplicateRate: 0.1 } });
  });
  afterAll(() => bed.close());

  it('delivers every event to every webhook under one webhook-id each once the receivers are back', async () => {
    for (const [i, host] of HOSTS.entries()) await createWebhook(bed, { name: `SIEM ${i + 1}`, url: `https://${host}/hook`, events: ['issue.created'] });
    const receivers = HOSTS.map((h) => bed.receivers[h]!);
    // Half the receivers refuse connections, half answer 503, for six hours.
    await receivers[0]!.down();
    receivers[1]!.responder = () => ({ status: 503 });
    receivers[2]!.responder = () => ({ status: 503 });
    for (let n = 1; n <= EVENTS; n += 1) await bed.host.fireEvent(issueCreated(n));
    for (let hour = 0; hour < 6; hour += 1) await bed.host.advance(HOUR);
    await receivers[0]!.up();
    receivers[1]!.responder = () => ({ status: 200, body: 'ok' });
    receivers[2]!.responder = () => ({ status: 200, body: 'ok' });
    // The longest retry gap before the 6-hour mark is 4 h (with jitter): 10 hours cover the next attempt.
    for (let hour = 0; hour < 10; hour += 1) await bed.host.advance(HOUR);

    const report = HOSTS.map((host, i) => {
      const receiver = receivers[i]!;
      const ok = receiver.requests.filter((r) => JSON.parse(r.body).type === 'issue.created');
      const unique = uniqueDeliveries(receiver).filter((d) => d.body.type === 'issue.created');
      const idsPerEvent = new Map<string, Set<string>>();
      for (const d of unique) idsPerEvent.set(d.body.id, (idsPerEvent.get(d.body.id) ?? new Set()).add(d.messageId));
      return { host, requests: ok.length, messages: unique.length, events: idsPerEvent.size, idsPerEvent: Math.max(...[...idsPerEvent.values()].map((s) => s.size)) };
    });
    const stats = bed.host.stats();
    console.log(`outage report ${JSON.stringify({ report, queueDuplicates: stats.queue.duplicates, dropped: stats.queue.dropped })}`);
    for (const r of report) {
      expect(r.events).toBe(EVENTS);
      expect(r.messages).toBe(EVENTS);
      expect(r.idsPerEvent).toBe(1);
    }
    expect(stats.queue.duplicates).toBeGreaterThan(0);
    expect(stats.queue.dropped).toBe(0);
  }, 600_000);
});
