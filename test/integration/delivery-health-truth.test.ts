import { ADMIN } from './support/app-host';
import { createWebhook, envelopeOf, flush, getWebhook, issueCreated, requestsOfType, startBedWithReceiver, type DeliveryBed } from './support/delivery-bed';
import type { Receiver } from './support/receiver';

const HOST = 'truth.example.test';
const URL = `https://${HOST}/hook`;

/** Issue 13: health that tells the truth (never delivered, 3 failures in a row, who disabled, last success, rate, stats). */
describe('delivery engine: health that tells the truth', () => {
  let bed: DeliveryBed;
  let receiver: Receiver;
  beforeEach(async () => {
    ({ bed, receiver } = await startBedWithReceiver(HOST));
  });
  afterEach(() => bed.close());

  const deliverOne = async (n: number): Promise<void> => {
    await bed.host.fireEvent(issueCreated(n));
    await flush(bed.host);
  };

  it('a receiver answering 400 to everything turns failing within 3 deliveries, not 15 minutes', async () => {
    const webhook = await createWebhook(bed, { url: URL });
    expect(webhook.health.state).toBe('never-delivered');
    receiver.responder = () => ({ status: 400, body: 'bad request' });
    const states: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      await deliverOne(n);
      states.push((await getWebhook(bed, webhook.id)).health.state);
    }
    expect(requestsOfType(receiver, 'issue.created')).toHaveLength(5);
    const firstFailing = states.indexOf('failing') + 1;
    expect(firstFailing).toBeGreaterThanOrEqual(3);
    expect(firstFailing).toBeLessThanOrEqual(5);
    expect(states.slice(0, 2)).toEqual(['never-delivered', 'never-delivered']);
    const failing = await getWebhook(bed, webhook.id);
    expect(failing.health).toMatchObject({ state: 'failing', consecutiveFailures: 5 });
    expect(failing.health.reason).toMatch(/400/);
    expect(failing.health.successRate24h).toBe(0);
    expect(failing.health.lastSuccessAt).toBeUndefined();
    // The banner's source: webhooks.list shows the same state.
    const listed = await bed.admin('webhooks.list', {});
    expect(listed.webhooks.find((w) => w.id === webhook.id)?.health.state).toBe('failing');
  });

  it('never delivered after create and after re-enable; disabled by the app (410) and by an admin are told apart', async () => {
    const webhook = await createWebhook(bed, { url: URL });
    expect(webhook.health).toMatchObject({ state: 'never-delivered', since: webhook.createdAt });
    expect((await getWebhook(bed, webhook.id)).health.state).toBe('never-delivered');

    receiver.responder = () => ({ status: 410, body: 'gone' });
    await deliverOne(1);
    const byApp = await getWebhook(bed, webhook.id);
    expect(byApp.enabled).toBe(false);
    expect(byApp.health).toMatchObject({ state: 'disabled', disabledBy: 'app' });
    expect(byApp.health.reason).toMatch(/410/);
    expect(byApp.health.disabledByAccountId).toBeUndefined();
    expect(byApp.health.since).toBeDefined();

    const { webhook: again } = await bed.admin('webhooks.update', { id: webhook.id, version: byApp.version, enabled: true });
    expect(again.health.state).toBe('never-delivered');
    expect(again.health.disabledBy).toBeUndefined();

    const { webhook: off } = await bed.admin('webhooks.update', { id: webhook.id, version: again.version, enabled: false });
    expect(off.health).toMatchObject({ state: 'disabled', disabledBy: 'admin', disabledByAccountId: ADMIN });
    expect(off.health.since).toBeDefined();
    const { webhook: on } = await bed.admin('webhooks.update', { id: webhook.id, version: off.version, enabled: true });
    expect(on.health.state).toBe('never-delivered');
    expect(on.health.disabledByAccountId).toBeUndefined();

    receiver.responder = () => ({ status: 200 });
    await deliverOne(2);
    expect((await getWebhook(bed, webhook.id)).health.state).toBe('healthy');
  });

  it('last success, 24-hour success rate and the hourly stats count what was delivered', async () => {
    const webhook = await createWebhook(bed, { url: URL });
    // 200, 400, 200, 400: two delivered, two refused for good (a 400 is not retried).
    receiver.responder = (_request, index) => (index % 2 === 0 ? { status: 200 } : { status: 400 });
    for (const n of [1, 2, 3, 4]) await deliverOne(n);
    const sent = requestsOfType(receiver, 'issue.created');
    expect(sent).toHaveLength(4);

    const view = await getWebhook(bed, webhook.id);
    expect(view.health.successRate24h).toBeCloseTo(0.5);
    const lastOk = sent[2]?.at ?? 0;
    expect(Math.abs(Date.parse(view.health.lastSuccessAt ?? '') - lastOk)).toBeLessThan(2000);
    expect(view.health.state).toBe('healthy');

    const day = await bed.admin('deliveries.stats', { webhookId: webhook.id, hours: 24 });
    expect(day.buckets).toHaveLength(24);
    const sum = (key: 'delivered' | 'failed' | 'retried' | 'durationCount') => day.buckets.reduce((total, bucket) => total + bucket[key], 0);
    expect([sum('delivered'), sum('failed'), sum('retried'), sum('durationCount')]).toEqual([2, 2, 0, 4]);
    expect(Date.parse(day.buckets[23]?.hour ?? '')).toBeLessThanOrEqual(Date.now());

    const week = await bed.admin('deliveries.stats', { hours: 168 });
    expect(week.buckets).toHaveLength(168);
    expect(week.buckets.reduce((total, bucket) => total + bucket.delivered + bucket.failed, 0)).toBe(4);
    const refused = await bed.result('deliveries.stats', { hours: 12 as 24 });
    expect(refused.ok).toBe(false);
  });

  it('re-enable and recover: the events skipped since the app disabled the webhook are sent again', async () => {
    const webhook = await createWebhook(bed, { url: URL });
    receiver.responder = () => ({ status: 410 });
    await deliverOne(1);
    for (const n of [2, 3]) await deliverOne(n);
    expect(requestsOfType(receiver, 'issue.created')).toHaveLength(1);
    const disabled = await getWebhook(bed, webhook.id);
    expect(disabled.health.disabledBy).toBe('app');
    const since = disabled.health.failingSince ?? disabled.health.since ?? '';

    // What the admin page's "Re-enable and recover what was missed" does: re-enable, then recover from an hour before the failures began (a job is created a few seconds before its first attempt).
    receiver.responder = () => ({ status: 200 });
    const { webhook: enabled } = await bed.admin('webhooks.update', { id: webhook.id, version: disabled.version, enabled: true });
    expect(enabled.health.state).toBe('never-delivered');
    const { recovered } = await bed.admin('deliveries.recover', { webhookId: webhook.id, since: new Date(Date.parse(since) - 3_600_000).toISOString() });
    expect(recovered).toBe(3);
    await flush(bed.host);
    await bed.host.advance(60);
    const keys = requestsOfType(receiver, 'issue.created').slice(1).map((r) => (envelopeOf(r)?.data.object as { key: string }).key).sort();
    expect(keys).toEqual(['SEC-1', 'SEC-2', 'SEC-3']);
    expect((await getWebhook(bed, webhook.id)).health.state).toBe('healthy');
  });
});
