import { createWebhook, envelopeOf, flush, getWebhook, issueCreated, startDeliveryBed, type DeliveryBed } from './support/delivery-bed';
import type { Receiver } from './support/receiver';

/**
 * Acceptance (issues 3 and 5): when the delivery engine disables a webhook (410 Gone), that is a change of
 * the app's configuration like an admin's switch-off: the catalogue's app.webhook.disabled ("by an admin,
 * or by the app after repeated failures") must reach the other subscribed webhooks, with no actor (the app
 * did it) and the reason. Before the fix only the later app.webhook.enabled of the re-enable was sent, so a
 * SIEM saw a webhook enabled that it never saw disabled.
 */
describe('acceptance: a webhook disabled by the delivery engine is an app.webhook.disabled audit event', () => {
  let bed: DeliveryBed;
  let gone: Receiver;
  let watcher: Receiver;
  beforeEach(async () => {
    bed = await startDeliveryBed(['gone.example.test', 'watch.example.test']);
    gone = bed.receivers['gone.example.test'] as Receiver;
    watcher = bed.receivers['watch.example.test'] as Receiver;
  });
  afterEach(() => bed.close());

  const appEvents = () => watcher.requests.map(envelopeOf).filter((e) => e?.type.startsWith('app.'));

  it('410: the watcher gets app.webhook.disabled once (no actor, the reason), then app.webhook.enabled on re-enable', async () => {
    const webhook = await createWebhook(bed, { url: 'https://gone.example.test/hook', name: 'Gone' });
    await createWebhook(bed, { url: 'https://watch.example.test/all', name: 'Watcher', events: ['*'] });
    await flush(bed.host);
    gone.responder = () => ({ status: 410, body: 'gone' });

    for (const n of [1, 2]) await bed.host.fireEvent(issueCreated(n));
    await flush(bed.host);
    await bed.host.advance(3600);
    expect((await getWebhook(bed, webhook.id)).health.state).toBe('disabled');

    const disabled = appEvents().filter((e) => e?.type === 'app.webhook.disabled');
    expect(disabled).toHaveLength(1);
    const data = disabled[0]?.data as { source: string; actor: Record<string, unknown>; object: { type: string; id: string; name: string }; summary: string };
    expect(data.source).toBe('app');
    expect(data.actor).toEqual({});
    expect(data.object).toEqual({ type: 'webhook', id: webhook.id, name: 'Gone' });
    expect(data.summary).toMatch(/410/);

    gone.responder = () => ({ status: 200 });
    const current = await getWebhook(bed, webhook.id);
    await bed.admin('webhooks.update', { id: webhook.id, version: current.version, enabled: true });
    await flush(bed.host);
    expect(appEvents().map((e) => e?.type)).toEqual(['app.webhook.created', 'app.webhook.disabled', 'app.webhook.enabled']);
  });
});
