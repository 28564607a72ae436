/**
 * Issue 14, payload templates: a template that maps our event to { summary, who, when } delivers exactly
 * that, signed over those bytes; a template that loops or builds a huge output fails in the preview with
 * a clear message and is not saved. A real receiver on 127.0.0.1, the app in the local host.
 */
import { Webhook } from 'standardwebhooks';
import { secret } from './support/app-host';
import { allDeliveries, createWebhook, flush, getWebhook, header, issueCreated, requestsOfType, startBedWithReceiver, type DeliveryBed } from './support/delivery-bed';
import type { Receiver } from './support/receiver';

const HOST = 'siem.example.test';
const URL = `https://${HOST}/hook`;
const SHAPE = '{ "summary": data.summary, "who": data.actor.accountId, "when": timestamp }';
const LOOP = '($f := function($x){ $f($x) }; $f(1))';
const HUGE = '$reduce([1..40], function($acc, $i){ $acc & $acc }, "x")';

describe('payload templates', () => {
  let bed: DeliveryBed;
  let receiver: Receiver;
  beforeEach(async () => {
    ({ bed, receiver } = await startBedWithReceiver(HOST));
  });
  afterEach(() => bed.close());

  const storedCount = async (): Promise<number> => (await bed.admin('webhooks.list', {})).webhooks.length;

  it('delivers exactly the JSON the template describes, and the Standard Webhooks signature covers those bytes', async () => {
    const key = secret(7);
    const webhook = await createWebhook(bed, { url: URL, secrets: [key], template: SHAPE });
    expect(webhook.template).toBe(SHAPE);
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);

    const [request] = receiver.requests;
    expect(receiver.requests).toHaveLength(1);
    if (!request) return;
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['summary', 'who', 'when']);
    expect(body.summary).toMatch(/SEC-1/);
    expect(typeof body.who).toBe('string');
    expect(body.when).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // The receiver's own check (the standardwebhooks library) over the raw bytes it got.
    const verified = new Webhook(key).verify(request.body, {
      'webhook-id': header(request, 'webhook-id'),
      'webhook-timestamp': header(request, 'webhook-timestamp'),
      'webhook-signature': header(request, 'webhook-signature'),
    });
    expect(verified).toEqual(body);
    // The delivery log's inspector shows the body as sent, templated.
    const [delivery] = await allDeliveries(bed, { webhookId: webhook.id });
    expect((await bed.admin('deliveries.get', { id: delivery?.id ?? '' })).requestBody).toBe(request.body);
    expect(() => new Webhook(key).verify(JSON.stringify({ ...body, extra: 1 }), {
      'webhook-id': header(request, 'webhook-id'),
      'webhook-timestamp': header(request, 'webhook-timestamp'),
      'webhook-signature': header(request, 'webhook-signature'),
    })).toThrow();
  });

  it('the preview shows the looping and the huge template failing, clearly, and neither is saved by create or update', async () => {
    const { previews } = await bed.admin('webhooks.previewTemplate', { template: LOOP, eventTypes: ['issue.created'] });
    expect(previews).toEqual([{ eventType: 'issue.created', ok: false, problem: { message: expect.stringMatching(/^The template (took more than 10,000 steps|failed at character \d+ \(near "f"\): it ran out of time): check for a loop/) } }]);
    const huge = await bed.admin('webhooks.previewTemplate', { template: HUGE });
    expect(huge.previews[0]).toEqual({ eventType: 'issue.created', ok: false, problem: { message: expect.stringMatching(/longer than 65,536 characters/) } });

    for (const template of [LOOP, HUGE]) {
      const created = await bed.result('webhooks.create', { kind: 'custom', name: 'Looping', url: URL, events: ['issue.created'], template });
      expect(created.ok).toBe(false);
      if (created.ok) return;
      expect(created.error.code).toBe('VALIDATION');
      expect(created.error.fields?.template).toMatch(/^For issue\.created events: The template .*Fix the template, or remove it/);
      expect(created.error.message).toMatch(/^Fix Payload template:/);
    }
    expect(await storedCount()).toBe(0);

    const plain = await createWebhook(bed, { url: URL });
    const updated = await bed.result('webhooks.update', { id: plain.id, version: plain.version, template: LOOP });
    expect(updated.ok ? 'saved' : updated.error.fields?.template).toMatch(/^For issue\.created events: The template/);
    const after = await getWebhook(bed, plain.id);
    expect(after.version).toBe(plain.version);
    expect(after.template).toBeUndefined();
  });

  it('a kept template is checked again against newly subscribed event types; null removes it', async () => {
    const issueOnly = '{ "key": data.object.key ? data.object.key : $error("this event has no key") }';
    const webhook = await createWebhook(bed, { url: URL, template: issueOnly });
    const widened = await bed.result('webhooks.update', { id: webhook.id, version: webhook.version, events: ['issue.created', 'audit.permissions'] });
    expect(widened.ok ? 'saved' : widened.error.fields?.template).toMatch(/^For audit\.permissions events: .*this event has no key/);
    const { webhook: cleared } = await bed.admin('webhooks.update', { id: webhook.id, version: webhook.version, template: null, events: ['issue.created', 'audit.permissions'] });
    expect(cleared.template).toBeUndefined();
    await bed.host.fireEvent(issueCreated(2));
    await flush(bed.host);
    expect(requestsOfType(receiver, 'issue.created')).toHaveLength(1);
  });

  it('kinds with a vendor format refuse a template; the preview shows their own format as the content sample', async () => {
    const slack = await bed.result('webhooks.create', { kind: 'slack', name: 'Chat', url: 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX', events: ['issue.created'], template: SHAPE });
    expect(slack.ok ? 'saved' : slack.error.fields?.template).toMatch(/^Remove the template: Slack/);
    const { previews } = await bed.admin('webhooks.previewTemplate', { kind: 'custom', eventTypes: ['issue.created', 'audit.permissions'] });
    expect(previews.map((p) => p.ok && JSON.parse(p.body).type)).toEqual(['issue.created', 'audit.permissions']);
    const bad = await bed.result('webhooks.previewTemplate', { eventTypes: ['issue.nope'] });
    expect(bad.ok ? 'ok' : bad.error.fields?.['eventTypes.0']).toMatch(/not an event type of the catalogue/);
  });

  it('a template that passed the samples but fails on a real event is a permanent failure with a clear note, not a retry loop', async () => {
    // The samples have short summaries; this real issue has a long one, which the template refuses.
    const picky = '{ "short": $length(data.details.summary) > 100 ? $error("summary too long for this receiver") : data.details.summary }';
    const webhook = await createWebhook(bed, { url: URL, template: picky });
    await bed.host.fireEvent(issueCreated(3, { summary: 'x'.repeat(230) }));
    await flush(bed.host);
    expect(receiver.requests).toHaveLength(0);
    const [delivery] = await allDeliveries(bed, { webhookId: webhook.id });
    expect(delivery?.status).toBe('failed');
    const detail = await bed.admin('deliveries.get', { id: delivery?.id ?? '' });
    expect(JSON.stringify(detail)).toMatch(/The payload template failed for this event: .*summary too long for this receiver/);
    await bed.host.advance(3600);
    expect(receiver.requests).toHaveLength(0);
    expect((await allDeliveries(bed, { webhookId: webhook.id })).map((d) => d.status)).toEqual(['failed']);
  });
});
