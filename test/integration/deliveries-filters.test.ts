/**
 * deliveries.list's filters (from/to, eventType, eventId) and "Retry all failed" for a webhook and a time
 * range (deliveries.recover with to and onlyFailed), through the local host with real receivers.
 */
import { allDeliveries, createWebhook, flush, header, issueCreated, startDeliveryBed, type DeliveryBed } from './support/delivery-bed';
import type { Receiver } from './support/receiver';

const GOOD = 'good.example.test';
const BAD = 'bad.example.test';
const HOUR = 3600;

const issueTypeCreated = (n: number) => ({ eventType: 'avi:jira:created:issuetype', issueType: { id: String(10050 + n), name: `Incident ${n}`, description: 'For audits' } });

describe('deliveries.list filters and Retry all failed', () => {
  let bed: DeliveryBed;
  let good: Receiver;
  let bad: Receiver;
  beforeEach(async () => {
    bed = await startDeliveryBed([GOOD, BAD]);
    good = bed.receivers[GOOD] as Receiver;
    bad = bed.receivers[BAD] as Receiver;
  });
  afterEach(() => bed.close());

  /** Three events an hour apart (issue, issue type, issue) to both webhooks; answers each event's delivery time. */
  const threeEventsHoursApart = async (): Promise<void> => {
    for (const event of [issueCreated(1), issueTypeCreated(2), issueCreated(3)]) {
      await bed.host.fireEvent(event);
      await flush(bed.host);
      await bed.host.advance(HOUR);
    }
  };

  it('narrows by event type, event id and an inclusive date range, pages within a range, and says what is wrong with a bad range', async () => {
    const goodHook = await createWebhook(bed, { url: `https://${GOOD}/in`, name: 'Good', events: ['issue.created', 'issuetype.created'] });
    await createWebhook(bed, { url: `https://${BAD}/in`, name: 'Bad', events: ['issue.created', 'issuetype.created'] });
    bad.responder = () => ({ status: 400, body: 'no' });
    await threeEventsHoursApart();
    const everything = (await allDeliveries(bed, {})).filter((d) => !d.test);
    expect(everything).toHaveLength(6);

    const deleted = await allDeliveries(bed, { eventType: 'issuetype.created' });
    expect(deleted).toHaveLength(2);
    expect(deleted.every((d) => d.eventType === 'issuetype.created')).toBe(true);
    expect(await allDeliveries(bed, { eventType: 'issuetype.created', webhookId: goodHook.id })).toHaveLength(1);
    expect(await allDeliveries(bed, { eventType: 'no.such.type' })).toEqual([]);

    const oneEvent = everything[0]!.eventId;
    const byId = await allDeliveries(bed, { eventId: oneEvent });
    expect(byId).toHaveLength(2);
    expect(byId.every((d) => d.eventId === oneEvent)).toBe(true);

    // The middle event alone: a range from its deliveries' creation to the same instant (both ends inclusive).
    const middle = deleted.map((d) => Date.parse(d.createdAt)).sort((a, b) => a - b);
    const inRange = await allDeliveries(bed, { from: new Date(middle[0]!).toISOString(), to: new Date(middle[1]!).toISOString() });
    expect(inRange.map((d) => d.eventType)).toEqual(['issuetype.created', 'issuetype.created']);
    // From the middle on: the middle and the newest event, newest first; paged one by one through cursors.
    const paged: string[] = [];
    let cursor: string | undefined;
    for (let call = 0; call < 20; call += 1) {
      const page = await bed.admin('deliveries.list', { from: new Date(middle[0]!).toISOString(), test: false, limit: 1, ...(cursor ? { cursor } : {}) });
      paged.push(...page.deliveries.map((d) => d.eventType));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(paged).toEqual(['issue.created', 'issue.created', 'issuetype.created', 'issuetype.created']);
    // Up to before the first event: nothing.
    const before = new Date(Math.min(...everything.map((d) => Date.parse(d.createdAt))) - 1000).toISOString();
    expect((await bed.admin('deliveries.list', { to: before })).deliveries).toEqual([]);

    const backwards = await bed.result('deliveries.list', { from: new Date(middle[0]!).toISOString(), to: before });
    expect(backwards.ok).toBe(false);
    if (!backwards.ok) expect(backwards.error.fields).toEqual({ to: expect.stringMatching(/after the "from" time/) });
    const notADate = await bed.result('deliveries.list', { from: 'yesterday' });
    expect(notADate.ok).toBe(false);
    if (!notADate.ok) expect(notADate.error.fields).toEqual({ from: expect.stringMatching(/ISO date-time/) });
    const tooLong = await bed.result('deliveries.list', { eventId: 'x'.repeat(201) });
    expect(tooLong.ok).toBe(false);
  });

  it('Retry all failed re-sends only failed deliveries of the webhook in the range, not skipped or test ones, and says how many', async () => {
    const hook = await createWebhook(bed, { url: `https://${BAD}/in`, name: 'Bad', events: ['issue.created', 'issuetype.created'] });
    const other = await createWebhook(bed, { url: `https://${GOOD}/in`, name: 'Other', events: ['issue.created', 'issuetype.created'] });
    bad.responder = () => ({ status: 400, body: 'no' });
    good.responder = () => ({ status: 400, body: 'no' });
    const start = bed.host.now().getTime();
    await threeEventsHoursApart();
    // A skipped delivery in the range: the webhook is off for one event.
    const { webhook: off } = await bed.admin('webhooks.update', { id: hook.id, version: hook.version, enabled: false });
    await bed.host.fireEvent(issueCreated(4));
    await flush(bed.host);
    await bed.admin('webhooks.update', { id: hook.id, version: off.version, enabled: true });
    await bed.admin('webhooks.test', { id: hook.id });

    const failed = (await allDeliveries(bed, { webhookId: hook.id, outcome: 'failed', test: false })).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    expect(failed).toHaveLength(3);
    expect(await allDeliveries(bed, { webhookId: hook.id, outcome: 'skipped' })).toHaveLength(1);

    // The first two events' range: two re-sent, the newest failed one, the skipped one, the test and the other webhook's left.
    bad.responder = () => ({ status: 200, body: 'ok' });
    const seen = bad.requests.length;
    const otherSeen = good.requests.length;
    const answer = await bed.admin('deliveries.recover', {
      webhookId: hook.id,
      since: new Date(start).toISOString(),
      to: failed[1]!.createdAt,
      onlyFailed: true,
    });
    expect(answer).toEqual({ recovered: 2 });
    await flush(bed.host);
    // Distinct webhook-ids: the host delivers 5 % of queue events twice (Forge: at least once), and a twin
    // run side by side may send a message again under the same id, which receivers drop.
    const resent = [...new Set(bad.requests.slice(seen).map((r) => header(r, 'webhook-id')))];
    expect(resent.sort()).toEqual([failed[0]!.id, failed[1]!.id].sort());
    expect(good.requests.length).toBe(otherSeen);
    expect((await allDeliveries(bed, { webhookId: hook.id, outcome: 'failed', test: false })).map((d) => d.id)).toEqual([failed[2]!.id]);
    expect(await allDeliveries(bed, { webhookId: hook.id, outcome: 'skipped' })).toHaveLength(1);
    // The other webhook's four failed deliveries (it was on for the fourth event) are untouched.
    expect(await allDeliveries(bed, { webhookId: other.id, outcome: 'failed' })).toHaveLength(4);

    // A test delivery is refused by retry, with the reason.
    const [testDelivery] = await allDeliveries(bed, { webhookId: hook.id, test: true });
    const refused = await bed.result('deliveries.retry', { id: testDelivery!.id });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/Test deliveries are not retried/);

    // A range that ends before it starts is refused on `to`.
    const backwards = await bed.result('deliveries.recover', { webhookId: hook.id, since: failed[1]!.createdAt, to: failed[0]!.createdAt, onlyFailed: true });
    expect(backwards.ok).toBe(false);
    if (!backwards.ok) expect(Object.keys(backwards.error.fields ?? {})).toEqual(['to']);
  });

  it('deliveries.get answers the request body as sent, rebuilt from the event', async () => {
    await createWebhook(bed, { url: `https://${BAD}/in`, name: 'Bad', events: ['issue.created', 'issuetype.created'] });
    bad.responder = () => ({ status: 400, body: 'no' });
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    const [delivery] = await allDeliveries(bed, { test: false });
    const detail = await bed.admin('deliveries.get', { id: delivery!.id });
    const sent = bad.requests.find((r) => header(r, 'webhook-id') === delivery!.id);
    expect(detail.delivery.id).toBe(delivery!.id);
    expect(JSON.parse(detail.requestBody ?? 'null')).toEqual(JSON.parse(sent!.body));
    const missing = await bed.result('deliveries.get', { id: 'msg_00000000000000nothing_0' });
    expect(missing.ok).toBe(false);
  });
});
