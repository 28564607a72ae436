import { readFileSync } from 'node:fs';
import path from 'node:path';
import { APP_DIR } from './support/app-host';
import { allDeliveries, createWebhook, envelopeOf, header, issueCreated, requestsOfType, flush, startDeliveryBed, type DeliveryBed } from './support/delivery-bed';
import type { Receiver } from './support/receiver';

const GOOD = 'good.example.test';
const BAD = 'bad.example.test';
const DAY = 24 * 3600;

describe('delivery log: attempts, filters, paging, retention, recover window', () => {
  let bed: DeliveryBed;
  let good: Receiver;
  let bad: Receiver;
  beforeEach(async () => {
    bed = await startDeliveryBed([GOOD, BAD]);
    good = bed.receivers[GOOD] as Receiver;
    bad = bed.receivers[BAD] as Receiver;
  });
  afterEach(() => bed.close());

  it('filters by webhook and outcome, pages with a cursor, newest first', async () => {
    const goodHook = await createWebhook(bed, { url: `https://${GOOD}/in`, name: 'Good' });
    const badHook = await createWebhook(bed, { url: `https://${BAD}/in`, name: 'Bad' });
    bad.responder = () => ({ status: 422, body: 'no thanks' });
    for (const n of [1, 2, 3, 4, 5]) {
      await bed.host.fireEvent(issueCreated(n));
      await flush(bed.host);
      await bed.host.advance(10);
    }
    const goodLog = await allDeliveries(bed, { webhookId: goodHook.id });
    const badLog = await allDeliveries(bed, { webhookId: badHook.id });
    expect(goodLog.map((d) => d.status)).toEqual(Array(5).fill('delivered'));
    expect(badLog.map((d) => d.status)).toEqual(Array(5).fill('failed'));
    expect(goodLog.every((d) => d.webhookId === goodHook.id && d.webhookName === 'Good')).toBe(true);
    // Newest first.
    const created = goodLog.map((d) => Date.parse(d.createdAt));
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    expect((await bed.admin('deliveries.list', { outcome: 'failed' })).deliveries.map((d) => d.id).sort()).toEqual(badLog.map((d) => d.id).sort());
    expect((await bed.admin('deliveries.list', { webhookId: goodHook.id, outcome: 'failed' })).deliveries).toEqual([]);

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await bed.admin('deliveries.list', { limit: 3, ...(cursor ? { cursor } : {}) });
      pages.push(page.deliveries.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor && pages.length < 10);
    expect(pages.flat()).toHaveLength(10);
    expect(new Set(pages.flat()).size).toBe(10);
    expect(pages.every((p) => p.length <= 3)).toBe(true);

    // Each attempt as the issue lists it.
    const [attempt] = badLog[0]?.attempts ?? [];
    expect(attempt).toMatchObject({ number: 1, outcome: 'failed', httpStatus: 422, errorClass: 'http', response: { status: 422, body: 'no thanks', truncated: false } });
    expect(Date.parse(attempt?.at ?? '')).not.toBeNaN();
    expect(attempt?.durationMs).toBeGreaterThanOrEqual(0);
    expect(attempt?.request).toMatchObject({ method: 'POST', url: `https://${BAD}/in` });
    expect(attempt?.request.headers['webhook-id']).toBe(badLog[0]?.id);
    const sent = requestsOfType(bad, 'issue.created').find((r) => header(r, 'webhook-id') === badLog[0]?.id);
    expect(sent && envelopeOf(sent)?.id).toBe(badLog[0]?.eventId);
    expect(requestsOfType(good, 'issue.created')).toHaveLength(5);
  });

  it('keeps at most 20 KB of a response body, and marks it truncated', async () => {
    const webhook = await createWebhook(bed, { url: `https://${BAD}/in` });
    bad.responder = () => ({ status: 500, body: 'E'.repeat(50_000) });
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    const [delivery] = await allDeliveries(bed, { webhookId: webhook.id });
    const response = delivery?.attempts[0]?.response;
    expect(response?.truncated).toBe(true);
    expect(Buffer.byteLength(response?.body ?? '')).toBeLessThanOrEqual(20_000);
    expect(response?.body.length).toBeGreaterThan(10_000);
  });

  it('the log is kept 14 days (KVS TTL): after 15 days it is gone', async () => {
    const webhook = await createWebhook(bed, { url: `https://${GOOD}/in` });
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    expect(await allDeliveries(bed, { webhookId: webhook.id })).toHaveLength(1);
    await bed.host.advance(13 * DAY);
    expect(await allDeliveries(bed, { webhookId: webhook.id })).toHaveLength(1);
    await bed.host.advance(2 * DAY);
    expect(await allDeliveries(bed, { webhookId: webhook.id })).toHaveLength(0);
  });

  it('recover takes only what failed or was skipped since the given time, and refuses more than 14 days back', async () => {
    const webhook = await createWebhook(bed, { url: `https://${BAD}/in` });
    bad.responder = () => ({ status: 400 });
    await bed.host.fireEvent(issueCreated(1)); // failed, before `since`
    await flush(bed.host);
    await bed.host.advance(3600);
    const since = new Date(Date.now() - 1000).toISOString();
    await bed.host.fireEvent(issueCreated(2)); // failed, after `since`
    await flush(bed.host);
    bad.responder = () => ({ status: 200 });
    await bed.host.fireEvent(issueCreated(3)); // delivered, after `since`
    await flush(bed.host);
    expect((await bed.admin('deliveries.recover', { webhookId: webhook.id, since })).recovered).toBe(1);
    await flush(bed.host);
    const keys = requestsOfType(bad, 'issue.created').map((r) => (envelopeOf(r)?.data.object as { key: string }).key);
    expect(keys).toEqual(['SEC-1', 'SEC-2', 'SEC-3', 'SEC-2']);
    const tooOld = await bed.result('deliveries.recover', { webhookId: webhook.id, since: new Date(Date.now() - 15 * DAY * 1000).toISOString() });
    expect(tooOld.ok).toBe(false);
    const future = await bed.result('deliveries.recover', { webhookId: webhook.id, since: new Date(Date.now() + 60_000).toISOString() });
    expect(future.ok).toBe(false);
  });

  it('recover of many skipped jobs queues them in a few pushes and delivers each event once', async () => {
    const webhook = await createWebhook(bed, { url: `https://${GOOD}/in` });
    const since = new Date(Date.now() - 1000).toISOString();
    const { webhook: off } = await bed.admin('webhooks.update', { id: webhook.id, version: webhook.version, enabled: false });
    const JOBS = 60;
    // One event at a time, each fanned out on its own: one skipped job per event.
    for (let n = 1; n <= JOBS; n += 1) {
      await bed.host.fireEvent(issueCreated(n));
      await flush(bed.host);
    }
    const skipped = await allDeliveries(bed, { webhookId: webhook.id, outcome: 'skipped' });
    expect(skipped).toHaveLength(JOBS);
    expect(new Set(skipped.map((d) => /^msg_([0-9a-f]+)_/.exec(d.id)?.[1])).size).toBe(JOBS);
    await bed.admin('webhooks.update', { id: webhook.id, version: off.version, enabled: true });

    const pushesBefore = bed.host.stats().queue.pushes;
    expect((await bed.admin('deliveries.recover', { webhookId: webhook.id, since })).recovered).toBe(JOBS);
    // Forge takes 50 events per push: 60 jobs need 2 pushes, not 60 round trips inside the resolver's 25 s.
    expect(bed.host.stats().queue.pushes - pushesBefore).toBeLessThanOrEqual(2);
    await flush(bed.host);
    const keys = requestsOfType(good, 'issue.created').map((r) => (envelopeOf(r)?.data.object as { key: string }).key);
    expect(keys).toHaveLength(JOBS);
    expect(new Set(keys).size).toBe(JOBS);
    expect((await allDeliveries(bed, { webhookId: webhook.id, outcome: 'delivered' })).length).toBe(JOBS);
    // A second recover finds nothing left to do.
    expect((await bed.admin('deliveries.recover', { webhookId: webhook.id, since })).recovered).toBe(0);
  });

  it('a test send is logged as a test, never retried, and does not count as an event delivery', async () => {
    const webhook = await createWebhook(bed, { url: `https://${BAD}/in` });
    bad.responder = () => ({ status: 503 });
    const tested = await bed.admin('webhooks.test', { id: webhook.id });
    expect(tested.response?.status).toBe(503);
    expect(tested.error?.class).toBe('http');
    await bed.host.advance(3 * 3600);
    expect(bad.requests).toHaveLength(1);
    const tests = await bed.admin('deliveries.list', { webhookId: webhook.id, test: true });
    expect(tests.deliveries.map((d) => [d.id, d.status, d.test])).toEqual([[tested.deliveryId, 'failed', true]]);
    expect((await bed.result('deliveries.retry', { id: tested.deliveryId })).ok).toBe(false);
  });

  it('the default per-attempt timeout is 15 s', async () => {
    const webhook = await createWebhook(bed, { url: `https://${BAD}/in` });
    expect(webhook.timeoutSeconds).toBe(15);
    bad.responder = () => ({ hang: true });
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    const [delivery] = await allDeliveries(bed, { webhookId: webhook.id });
    const [attempt] = delivery?.attempts ?? [];
    expect(attempt?.errorClass).toBe('timeout');
    // Real time: the attempt waited its 15 s (a lower bound, which a slow machine cannot break).
    expect(attempt?.durationMs).toBeGreaterThanOrEqual(14_500);
    expect(delivery?.status).toBe('pending');
  });

  it("the User-Agent carries the app's version from package.json", async () => {
    const { version } = JSON.parse(readFileSync(path.join(APP_DIR, 'package.json'), 'utf8')) as { version: string };
    await createWebhook(bed, { url: `https://${GOOD}/in` });
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    const [request] = requestsOfType(good, 'issue.created');
    expect(request && header(request, 'user-agent')).toContain(`AuditWebhooksForJira/${version}`);
  });
});
