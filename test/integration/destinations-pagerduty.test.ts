/**
 * The PagerDuty destination end to end on the local Forge host: a webhook created through the admin API
 * with no URL (the region builds it), subscribed to two alerting event types only; Jira product events of
 * those and of other types fired; a receiver standing in for events.pagerduty.com that checks each request
 * against the Events API v2 (test/integration/support/vendors/pagerduty.ts) and answers as PagerDuty does.
 * Only the alerting events reach PagerDuty, one trigger each, with the severity set for their type; a 400
 * about the routing key turns the webhook failing with what to fix, and the key shows in no admin answer.
 */
import type { WebhookView } from '../../src/contract';
import { allDeliveries, distinctAttempts, flush, getWebhook, issueCreated, startDeliveryBed, type DeliveryBed } from './support/delivery-bed';
import { jiraFixture } from './support/events-kit';
import type { ReceivedRequest, Receiver } from './support/receiver';
import { PAGERDUTY_ACCEPTED, PAGERDUTY_BAD_KEY, checkPagerDutyRequest } from './support/vendors/pagerduty';

const PAGERDUTY = 'events.pagerduty.com';
const ROUTING_KEY = 'e93facc04764012d7bfb002500d5d1a6';
const ALERTING = ['issue.deleted', 'project.softdeleted'];

interface Trigger {
  routing_key: string;
  event_action: string;
  dedup_key: string;
  payload: { summary: string; source: string; severity: string; class: string; component?: string; custom_details: { event_id: string; event_type: string } };
  client: string;
}

const receiverOf = (bed: DeliveryBed): Receiver => bed.receivers[PAGERDUTY] as Receiver;

/** Two alerting events (an issue deleted, a project moved to the trash) among three that are not. */
const fireMixed = async (bed: DeliveryBed): Promise<void> => {
  await bed.host.fireEvent(issueCreated(1));
  await bed.host.fireEvent(jiraFixture('product-events/issue-deleted'));
  await bed.host.fireEvent(jiraFixture('product-events/issue-updated'));
  await bed.host.fireEvent(jiraFixture('product-events/project-softdeleted'));
  await bed.host.fireEvent(issueCreated(2));
  await flush(bed.host);
};

const createPagerDuty = async (bed: DeliveryBed): Promise<WebhookView> =>
  (
    await bed.admin('webhooks.create', {
      kind: 'pagerduty',
      name: 'PagerDuty: Jira admin changes',
      events: ALERTING,
      settings: { routingKey: ROUTING_KEY, severity: 'error', severityByType: 'issue.deleted=critical, audit.permissions=critical', component: 'jira-admin' },
    })
  ).webhook;

describe('PagerDuty Events API v2 destination', () => {
  let bed: DeliveryBed;
  let webhook: WebhookView;
  beforeEach(async () => {
    bed = await startDeliveryBed([PAGERDUTY], { startTime: new Date('2026-03-02T09:00:00.000Z') });
    webhook = await createPagerDuty(bed);
  });
  afterEach(() => bed.close());

  it('sends one Events v2 trigger per alerting event, with its severity, and nothing for the other types', async () => {
    receiverOf(bed).responder = PAGERDUTY_ACCEPTED;
    expect(webhook.url).toBe('https://events.pagerduty.com/v2/enqueue');
    await fireMixed(bed);

    const requests = distinctAttempts(receiverOf(bed).requests);
    expect(requests).toHaveLength(2);
    const checks = requests.map((request: ReceivedRequest) => checkPagerDutyRequest(request, { routingKey: ROUTING_KEY }));
    expect(checks.flatMap((check) => check.problems)).toEqual([]);
    const events = checks.flatMap((check) => check.events);
    expect(events.map(({ type, severity }) => ({ type, severity })).sort((a, b) => a.type.localeCompare(b.type))).toEqual([
      { type: 'issue.deleted', severity: 'critical' },
      { type: 'project.softdeleted', severity: 'error' },
    ]);

    for (const request of requests) {
      const body = JSON.parse(request.body) as Trigger;
      expect(body.routing_key).toBe(ROUTING_KEY);
      expect(body.event_action).toBe('trigger');
      expect(body.dedup_key).toBe(body.payload.custom_details.event_id);
      expect(body.payload.summary.length).toBeGreaterThan(0);
      expect(body.payload.source.length).toBeGreaterThan(0);
      expect(body.payload.class).toBe(body.payload.custom_details.event_type);
      expect(body.payload.component).toBe('jira-admin');
      expect(body.client).toBe('Audit Webhooks for Jira');
    }

    const deliveries = await allDeliveries(bed, { webhookId: webhook.id });
    expect(deliveries.map((d) => d.eventType).sort()).toEqual(ALERTING);
    expect(deliveries.every((d) => d.status === 'delivered' && d.attempts.length === 1)).toBe(true);
  });

  it('a 400 about the routing key fails the events once and turns the webhook failing, the key in no admin answer', async () => {
    receiverOf(bed).responder = () => PAGERDUTY_BAD_KEY;
    await fireMixed(bed);
    await bed.host.advance(3_600);

    // Each alerting event is sent once and never retried: no retry fixes a wrong key.
    expect(distinctAttempts(receiverOf(bed).requests)).toHaveLength(2);
    const deliveries = await allDeliveries(bed, { webhookId: webhook.id });
    expect(deliveries.map((d) => d.eventType).sort()).toEqual(ALERTING);
    for (const delivery of deliveries) {
      expect(delivery.status).toBe('failed');
      expect(delivery.attempts).toHaveLength(1);
      expect(delivery.attempts[0]?.errorMessage).toMatch(/^PagerDuty refused the integration key \(HTTP 400, .*routing_key.*\): check Integration key/);
    }
    const view = await getWebhook(bed, webhook.id);
    expect(view.health.state).toBe('failing');
    expect(view.health.reason).toMatch(/integration key/i);
    expect(view.enabled).toBe(true);
    const everything = JSON.stringify([deliveries, await bed.admin('webhooks.list', {}), view]);
    expect(everything).not.toContain(ROUTING_KEY);
    expect(everything).not.toContain(ROUTING_KEY.slice(0, 8));
  });
});
