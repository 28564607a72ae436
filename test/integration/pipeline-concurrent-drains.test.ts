/** Every drain event delivered twice, half of them side by side: the drain lease lets one drain run at a
 * time, so no event is fanned out twice under a second job (and so a second webhook-id). */
import '../../dev/host';
import { startTestBed, type TestBed } from './support/app-host';
import { captureLogs, createWebhook, runUntilQuiet, uniqueDeliveries } from './support/events-kit';
import { issueCreated } from './support/delivery-bed';

const HOSTS = ['siem-a.example.test', 'siem-b.example.test'];
const EVENTS = 150;

describe('outbox drains delivered twice, side by side', () => {
  let bed: TestBed;
  beforeAll(async () => {
    bed = await startTestBed(HOSTS, { startTime: new Date('2026-03-02T09:00:00.000Z'), strictness: { workers: 8, duplicateRate: 1 } });
  });
  afterAll(() => bed.close());

  it('fan each event out once: one webhook-id per event and webhook', async () => {
    for (const [i, host] of HOSTS.entries()) await createWebhook(bed, { name: `SIEM ${i + 1}`, url: `https://${host}/hook`, events: ['issue.created'] });
    const { lines } = await captureLogs(async () => {
      // Events arrive while drains run, so several drains are queued and each is delivered twice.
      for (let n = 1; n <= EVENTS; n += 1) {
        await bed.host.fireEvent(issueCreated(n));
        if (n % 25 === 0) await bed.host.advance(1);
      }
      return runUntilQuiet(bed.host);
    });
    for (const host of HOSTS) {
      const unique = uniqueDeliveries(bed.receivers[host]!).filter((d) => d.body.type === 'issue.created');
      const idsPerEvent = new Map<string, Set<string>>();
      for (const d of unique) idsPerEvent.set(d.body.id, (idsPerEvent.get(d.body.id) ?? new Set()).add(d.messageId));
      expect(idsPerEvent.size).toBe(EVENTS);
      expect([...idsPerEvent.values()].every((ids) => ids.size === 1)).toBe(true);
    }
    // The lease was contended: a second drain found the first running and waited for it.
    expect(lines.filter((l) => l.message === 'Another drain is running: this one runs after it').length).toBeGreaterThan(0);
    expect(bed.host.stats().queue.dropped).toBe(0);
  }, 300_000);
});
