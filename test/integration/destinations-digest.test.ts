/**
 * Bursts to chat destinations: 500 Jira events due at once to a Slack or Teams webhook arrive as a handful of
 * digest messages (counts per type, the first few items, a link to the delivery log), not 500 posts;
 * every event shows in the delivery log as delivered. A trickle still gets one message per event.
 */
import { allDeliveries, flush, issueCreated, startDeliveryBed, type DeliveryBed } from './support/delivery-bed';
import type { Receiver } from './support/receiver';
import { TEAMS_ACCEPTED, TEAMS_MESSAGE_LIMIT_BYTES, checkTeamsRequest } from './support/vendors/teams';

const SLACK = 'hooks.slack.com';
const SLACK_URL = 'https://hooks.slack.com/services/T0001ABCD/B0002EFGH/abcdEFGH1234ijklMNOP5678';
const EVENTS = 500;

interface SlackBody {
  text: string;
  blocks: { type: string; text?: { type: string; text: string }; elements?: { text: string }[] }[];
}

describe('digests for bursts to Slack', () => {
  let bed: DeliveryBed;
  let receiver: Receiver;
  beforeEach(async () => {
    bed = await startDeliveryBed([SLACK]);
    receiver = bed.receivers[SLACK] as Receiver;
    receiver.responder = () => ({ status: 200, body: 'ok' });
  });
  afterEach(() => bed.close());

  it(`${EVENTS} events due at once arrive as a handful of digests, each event delivered in the log`, async () => {
    const { webhook } = await bed.admin('webhooks.create', { kind: 'slack', name: '#audit', url: SLACK_URL, events: ['issue.created'] });
    for (let n = 1; n <= EVENTS; n += 1) await bed.host.fireEvent(issueCreated(n, { summary: n === 1 ? '<!channel> *bold* _it_ [link](x) <script>alert(1)</script>' : `Audit event number ${n}` }));
    await flush(bed.host);
    await bed.host.advance(120);
    const bodies = [...new Map(receiver.requests.map((r) => [String(r.headers['webhook-id']), JSON.parse(r.body) as SlackBody])).values()];
    expect(bodies.length).toBeGreaterThanOrEqual(EVENTS / 100);
    expect(bodies.length).toBeLessThanOrEqual(15);
    console.log(`Slack burst: ${EVENTS} events in ${bodies.length} messages`);
    // A job whose due events stay under the threshold (the drain's last few) posts them one by one.
    const digests = bodies.filter((body) => /^\d+ Jira audit events?$/.test(body.blocks[0]?.text?.text ?? ''));
    const singles = bodies.length - digests.length;
    const counted = digests.reduce((sum, body) => sum + Number(/^(\d+)/.exec(body.blocks[0]?.text?.text ?? '')?.[1]), 0);
    expect(counted + singles).toBe(EVENTS);
    expect(singles).toBeLessThanOrEqual(10);
    for (const body of digests) {
      expect(body.blocks[1]?.text?.text).toMatch(/^• issue\.created: \d+$/);
      // Event text goes as plain_text: shown as typed, no mention, no formatting.
      expect(body.blocks[2]?.text?.type).toBe('plain_text');
      expect(JSON.stringify(body)).not.toContain('<!channel>"');
    }
    expect(JSON.stringify(bodies)).toContain('<!channel> *bold* _it_ [link](x) <script>alert(1)</script>');
    const deliveries = (await allDeliveries(bed, { webhookId: webhook.id })).filter((d) => d.eventType === 'issue.created');
    expect(deliveries).toHaveLength(EVENTS);
    expect(deliveries.every((d) => d.status === 'delivered')).toBe(true);
    expect(new Set(deliveries.map((d) => d.eventId)).size).toBe(EVENTS);
  });

  it('a trickle below the threshold still posts one message per event, and 0 turns digests off', async () => {
    await bed.admin('webhooks.create', { kind: 'slack', name: '#audit', url: SLACK_URL, events: ['issue.created'] });
    for (let n = 1; n <= 5; n += 1) await bed.host.fireEvent(issueCreated(n));
    await flush(bed.host);
    await bed.host.advance(30);
    const posts = [...new Map(receiver.requests.map((r) => [String(r.headers['webhook-id']), JSON.parse(r.body) as SlackBody])).values()];
    expect(posts).toHaveLength(5);
    expect(posts.every((body) => body.blocks[0]?.text?.text === 'issue.created')).toBe(true);

    const other = await bed.admin('webhooks.create', { kind: 'slack', name: '#all', url: SLACK_URL.replace('B0002EFGH', 'B0003EFGH'), events: ['issue.created'], settings: { digestThreshold: 0 } });
    expect(other.webhook.settings).toEqual({ digestThreshold: 0 });
    receiver.requests.length = 0;
    for (let n = 10; n < 25; n += 1) await bed.host.fireEvent(issueCreated(n));
    await flush(bed.host);
    await bed.host.advance(120);
    const byWebhook = receiver.requests.filter((r) => r.path.includes('B0003EFGH'));
    expect(new Set(byWebhook.map((r) => r.headers['webhook-id'])).size).toBe(15);
  });
});

const TEAMS = 'prod-03.westus.logic.azure.com';
const TEAMS_URL = `https://${TEAMS}/workflows/c4ed9335bc864140a11f4508d19acea3/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG`;

describe('digests for bursts to Microsoft Teams', () => {
  let bed: DeliveryBed;
  afterEach(() => bed.close());

  it(`${EVENTS} events due at once arrive as a handful of Adaptive Card digests Microsoft's parser accepts, each event delivered in the log`, async () => {
    bed = await startDeliveryBed([TEAMS]);
    const receiver = bed.receivers[TEAMS] as Receiver;
    receiver.responder = () => TEAMS_ACCEPTED;
    const { webhook } = await bed.admin('webhooks.create', { kind: 'teams', name: 'Security channel', url: TEAMS_URL, events: ['issue.created'] });
    // 150 KB of markup in one summary (Forge drops product events over 200 KB before the app sees them).
    const huge = '<script>alert(1)</script> *bold* [link](x) '.repeat(3_500);
    for (let n = 1; n <= EVENTS; n += 1) await bed.host.fireEvent(issueCreated(n, n === 1 ? { summary: huge } : {}));
    await flush(bed.host);
    await bed.host.advance(300);
    const requests = [...new Map(receiver.requests.map((r) => [String(r.headers['webhook-id']), r])).values()];
    expect(requests.length).toBeLessThanOrEqual(15);
    console.log(`Teams burst: ${EVENTS} events in ${requests.length} messages`);
    let events = 0;
    for (const request of requests) {
      const check = checkTeamsRequest(request);
      expect(check.problems).toEqual([]);
      expect(Buffer.byteLength(request.body)).toBeLessThan(TEAMS_MESSAGE_LIMIT_BYTES);
      events += check.events;
    }
    expect(events).toBe(EVENTS);
    const deliveries = (await allDeliveries(bed, { webhookId: webhook.id })).filter((d) => d.eventType === 'issue.created');
    expect(deliveries).toHaveLength(EVENTS);
    expect(deliveries.every((d) => d.status === 'delivered')).toBe(true);
  });
});
