import { createWebhook, envelopeOf, header, issueCreated, requestsOfType, flush, startDeliveryBed, type DeliveryBed } from './support/delivery-bed';
import type { Receiver } from './support/receiver';

const SIEM = 'siem.example.test';
const SLACK = 'hooks.slack.com';
/** The most webhooks a site may have: each event becomes this many deliveries. */
const WEBHOOKS = 50;
/** Fired one at a time, each drained on its own: one delivery job per event and webhook (the most pushes). */
const SINGLES = 10;
/** Fired at once: one fan-out with two jobs per webhook (25 + 1 events), pushed in chunks of at most 50. */
const BURST = 26;

describe("delivery engine: Forge's queue limits under a burst, Slack pacing", () => {
  let bed: DeliveryBed;
  afterEach(() => bed.close());

  it(`${SINGLES + BURST} events to ${WEBHOOKS} webhooks within a virtual minute: every (event, webhook) delivered once, no push refused or rate-limited`, async () => {
    bed = await startDeliveryBed([SIEM]);
    const receiver = bed.receivers[SIEM] as Receiver;
    // The first attempt of the single events fails, so their jobs are pushed again for the retry.
    const seen = new Set<string>();
    receiver.responder = (request) => {
      const key = `${request.path}|${header(request, 'webhook-id')}`;
      const first = !seen.has(key);
      seen.add(key);
      const issueNumber = Number((envelopeOf(request)?.data.object as { key?: string } | undefined)?.key?.slice('SEC-'.length));
      return { status: first && issueNumber <= SINGLES ? 503 : 200 };
    };
    for (let i = 0; i < WEBHOOKS; i += 1) await createWebhook(bed, { url: `https://${SIEM}/hook/${i}`, name: `SIEM ${i}` });
    const started = Date.now();
    for (let n = 1; n <= SINGLES; n += 1) {
      await bed.host.fireEvent(issueCreated(n));
      // Three seconds apart, each drained on its own (flush would let ten seconds pass each time).
      await bed.host.settle();
      for (let second = 0; second < 3; second += 1) await bed.host.advance(1);
    }
    for (let n = SINGLES + 1; n <= SINGLES + BURST; n += 1) await bed.host.fireEvent(issueCreated(n));
    await flush(bed.host);
    // Less than a virtual minute has passed, yet far more than 500 queue events were needed: the rest must wait.
    expect(Date.now() - started).toBeLessThan(60_000);
    const expected = WEBHOOKS * (SINGLES + BURST);
    const delivered = () => new Set(requestsOfType(receiver, 'issue.created').map((r) => `${r.path}|${header(r, 'webhook-id')}`)).size;
    expect(delivered()).toBeLessThan(expected);
    let minutes = 0;
    while (minutes < 30 && requestsOfType(receiver, 'issue.created').length < expected + WEBHOOKS * SINGLES) {
      await bed.host.advance(60);
      minutes += 1;
    }
    await bed.host.advance(3600);

    const requests = requestsOfType(receiver, 'issue.created');
    expect(delivered()).toBe(expected);
    // Singles: a 503, then a 200 on the retry. A second delivery of the same job may send the first attempt
    // twice at once (the twin gets the 200), so some singles need no retry.
    expect(requests.length).toBeGreaterThanOrEqual(expected);
    expect(requests.length).toBeLessThanOrEqual(expected + WEBHOOKS * SINGLES);
    expect(new Set(requests.map((r) => `${r.path}|${envelopeOf(r)?.id}`)).size).toBe(expected);

    const stats = bed.host.stats();
    expect(stats.queue.events).toBeGreaterThan(500);
    expect(stats.queue.rateLimited).toBe(0);
    expect(stats.queue.rejected).toBe(0);
    expect(stats.queue.dropped).toBe(0);
    expect(stats.kvs.rateLimited).toBe(0);
    expect(stats.recentErrors).toEqual([]);
    expect(minutes).toBeGreaterThanOrEqual(1);
    console.info(
      `burst: ${expected} messages (${SINGLES + BURST} events × ${WEBHOOKS} webhooks), ${requests.length} requests, ${stats.queue.pushes} pushes / ${stats.queue.events} queue events over ${minutes} virtual minutes, KVS ${stats.kvs.writes} writes ${stats.kvs.deletes} deletes ${stats.kvs.reads} reads`,
    );
  });

  it('Slack is paced at about one message a second, also across delivery jobs', async () => {
    bed = await startDeliveryBed([SLACK]);
    const slack = bed.receivers[SLACK] as Receiver;
    await createWebhook(bed, { kind: 'slack', name: 'Slack', url: 'https://hooks.slack.com/services/T0000/B0000/slacktoken123456' });
    // Three events in one job, then two more, each in a job of its own.
    for (const n of [1, 2, 3]) await bed.host.fireEvent(issueCreated(n));
    await flush(bed.host);
    for (const n of [4, 5]) {
      await bed.host.fireEvent(issueCreated(n));
      // Three seconds apart, each drained on its own (flush would let ten seconds pass each time).
      await bed.host.settle();
      for (let second = 0; second < 3; second += 1) await bed.host.advance(1);
    }
    const posts = slack.requests;
    expect(posts).toHaveLength(5);
    const gaps = posts.slice(1).map((r, i) => r.realMs - (posts[i]?.realMs ?? 0));
    // A lower bound only: a slow machine makes gaps longer, never shorter.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(900);
    expect(posts.every((r) => r.path === '/services/T0000/B0000/slacktoken123456')).toBe(true);
    // Slack gets no signature, but each message still carries its own webhook-id.
    expect(new Set(posts.map((r) => header(r, 'webhook-id'))).size).toBe(5);
    expect(posts.every((r) => /^msg_/.test(header(r, 'webhook-id')) && header(r, 'webhook-signature') === '')).toBe(true);
    expect(JSON.parse(posts[0]?.body ?? '{}')).toHaveProperty('blocks');
  });
});
