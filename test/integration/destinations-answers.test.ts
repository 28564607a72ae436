/**
 * How the SIEM destinations read their vendors' answers, end to end on the local Forge host with real
 * receivers on 127.0.0.1: Sentinel's token cached, refreshed after expiry and after a 401, and a wrong
 * client secret failing clearly; Splunk's invalid token turning the webhook failing (never silently
 * disabled) and its busy answer retried; Elastic's per-item failures retrying only those events.
 */
import type { DeliveryView, WebhookView } from '../../src/contract';
import { allDeliveries, distinctAttempts, flush, getWebhook, issueCreated, startDeliveryBed, type DeliveryBed } from './support/delivery-bed';
import type { ReceivedRequest, Receiver } from './support/receiver';
import { checkElasticRequest, elasticBulkAnswer } from './support/vendors/elastic';
import { EntraTokenEndpoint } from './support/vendors/entra-token';
import { sentinelAccepted } from './support/vendors/sentinel';
import { SPLUNK_SUCCESS, checkSplunkRequest } from './support/vendors/splunk';
import { CLIENT, CLIENT_SECRET, DCR, ELASTIC, ELASTIC_KEY, ENTRA, SENTINEL, SPLUNK, SPLUNK_TOKEN, TENANT } from './support/vendors/test-credentials';

const receiverOf = (bed: DeliveryBed, host: string): Receiver => bed.receivers[host] as Receiver;
const fire = async (bed: DeliveryBed, from: number, count: number): Promise<void> => {
  for (let n = from; n < from + count; n += 1) await bed.host.fireEvent(issueCreated(n));
  await flush(bed.host);
};
const bearer = (request: ReceivedRequest): string => String(request.headers.authorization ?? '').replace(/^Bearer /, '');
const ofWebhook = async (bed: DeliveryBed, webhook: WebhookView): Promise<DeliveryView[]> =>
  (await allDeliveries(bed, { webhookId: webhook.id })).filter((d) => d.eventType === 'issue.created');

describe('Sentinel: OAuth 2.0 client credentials against Entra ID', () => {
  let bed: DeliveryBed;
  let entra: EntraTokenEndpoint;
  let webhook: WebhookView;
  /** Tokens the ingestion endpoint no longer accepts (revoked). */
  const revoked = new Set<string>();

  beforeEach(async () => {
    bed = await startDeliveryBed([SENTINEL, ENTRA]);
    entra = new EntraTokenEndpoint({ tenantId: TENANT, clientId: CLIENT, clientSecret: CLIENT_SECRET, expiresIn: 3599 });
    revoked.clear();
    receiverOf(bed, ENTRA).responder = (request) => entra.handle(request);
    receiverOf(bed, SENTINEL).responder = (request) =>
      entra.issuedToken(bearer(request)) && !revoked.has(bearer(request)) ? sentinelAccepted() : { status: 401, body: '{"error":{"code":"InvalidAuthenticationToken"}}' };
    ({ webhook } = await bed.admin('webhooks.create', {
      kind: 'sentinel',
      name: 'Sentinel',
      url: `https://${SENTINEL}`,
      events: ['issue.created'],
      batchEvents: 5,
      settings: { tenantId: TENANT, clientId: CLIENT, clientSecret: CLIENT_SECRET, dcrImmutableId: DCR },
    }));
  });
  afterEach(() => bed.close());

  it('asks for a token once for many batches, again after it expires and after a 401, never per request', async () => {
    await fire(bed, 1, 30);
    const requests = () => receiverOf(bed, SENTINEL).requests.length;
    expect(requests()).toBeGreaterThanOrEqual(6);
    expect(entra.issued).toBe(1);

    // An hour later the token has expired: the next batch gets a new one.
    await bed.host.advance(3_600);
    await fire(bed, 100, 10);
    expect(entra.issued).toBe(2);

    // The ingestion endpoint stops accepting the current token: one refresh, and the batch goes through in the same attempt.
    revoked.add(entra.lastToken as string);
    await fire(bed, 200, 10);
    expect(entra.issued).toBe(3);
    const deliveries = await ofWebhook(bed, webhook);
    expect(deliveries).toHaveLength(50);
    expect(deliveries.every((d) => d.status === 'delivered' && d.attempts.length === 1)).toBe(true);
    expect(entra.calls).toBe(3);
  });

  it('a wrong client secret ends in a clear error that is not retried, and the webhook shows failing', async () => {
    entra.clientSecret = 'the-secret-was-rotated-in-Entra';
    await fire(bed, 1, 3);
    await bed.host.advance(3_600);
    const deliveries = await ofWebhook(bed, webhook);
    expect(deliveries).toHaveLength(3);
    for (const delivery of deliveries) {
      expect(delivery.status).toBe('failed');
      expect(delivery.attempts).toHaveLength(1);
      expect(delivery.attempts[0]?.errorMessage).toMatch(/invalid_client/);
      expect(delivery.attempts[0]?.errorMessage).toMatch(/client secret/i);
    }
    expect(receiverOf(bed, SENTINEL).requests).toHaveLength(0);
    const health = (await getWebhook(bed, webhook.id)).health;
    expect(health.state).toBe('failing');
    expect(health.reason).toMatch(/invalid_client/);
    // The client secret appears in no answer of the admin API.
    const everything = JSON.stringify([deliveries, await bed.admin('webhooks.list', {})]);
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(everything).not.toContain(CLIENT_SECRET.slice(0, 8));
  });
});

describe('Splunk HEC answers', () => {
  let bed: DeliveryBed;
  let receiver: Receiver;
  let webhook: WebhookView;
  beforeEach(async () => {
    bed = await startDeliveryBed([SPLUNK]);
    receiver = receiverOf(bed, SPLUNK);
    ({ webhook } = await bed.admin('webhooks.create', {
      kind: 'splunk',
      name: 'Splunk',
      url: `https://${SPLUNK}/services/collector/event`,
      events: ['issue.created'],
      settings: { token: SPLUNK_TOKEN },
    }));
  });
  afterEach(() => bed.close());

  it('{"code":4} (invalid token) fails the events for good and turns the webhook failing with that reason, never disabled', async () => {
    receiver.responder = () => ({ status: 403, headers: { 'content-type': 'application/json' }, body: '{"text":"Invalid token","code":4}' });
    await fire(bed, 1, 5);
    await bed.host.advance(3_600);
    // One attempt (a queue redelivery may send that one attempt twice: counted once).
    expect(distinctAttempts(receiver.requests)).toHaveLength(1);
    const deliveries = await ofWebhook(bed, webhook);
    expect(deliveries.map((d) => d.status)).toEqual(Array(5).fill('failed'));
    const view = await getWebhook(bed, webhook.id);
    expect(view.health.state).toBe('failing');
    expect(view.health.reason).toMatch(/code 4/i);
    expect(view.enabled).toBe(true);
  });

  it('503 (server busy) is retried, and the events arrive on the retry', async () => {
    let calls = 0;
    receiver.responder = () => {
      calls += 1;
      return calls === 1 ? { status: 503, headers: { 'content-type': 'application/json' }, body: '{"text":"Server is busy","code":9}' } : SPLUNK_SUCCESS;
    };
    await fire(bed, 1, 5);
    await bed.host.advance(600);
    const deliveries = await ofWebhook(bed, webhook);
    expect(deliveries.map((d) => d.status)).toEqual(Array(5).fill('delivered'));
    expect(deliveries.every((d) => d.attempts.length === 2 && d.attempts[0]?.outcome === 'retry')).toBe(true);
    // The retry carries the same five events under the same webhook-id, as HEC's format documents.
    const [first, second] = distinctAttempts(receiver.requests);
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    expect(checkSplunkRequest(second as ReceivedRequest, { token: SPLUNK_TOKEN })).toMatchObject({ problems: [] });
    expect(checkSplunkRequest(second as ReceivedRequest, { token: SPLUNK_TOKEN }).events).toHaveLength(5);
  });
});

describe('Elastic _bulk with per-item failures', () => {
  let bed: DeliveryBed;
  afterEach(() => bed.close());

  it('answering 200 with two failed items retries only those two events', async () => {
    bed = await startDeliveryBed([ELASTIC]);
    const receiver = receiverOf(bed, ELASTIC);
    const { webhook } = await bed.admin('webhooks.create', { kind: 'elastic', name: 'Elastic', url: `https://${ELASTIC}`, events: ['issue.created'], settings: { apiKey: ELASTIC_KEY } });
    receiver.responder = (request, index) => {
      const count = request.body.split('\n').filter((line) => line !== '').length / 2;
      return index === 0 ? elasticBulkAnswer(count, { 3: { status: 429, type: 'es_rejected_execution_exception', reason: 'rejected execution' }, 7: { status: 503, type: 'unavailable_shards_exception' } }) : elasticBulkAnswer(count);
    };
    await fire(bed, 1, 10);
    await bed.host.advance(600);
    const check = (request: ReceivedRequest) => checkElasticRequest(request, { apiKey: ELASTIC_KEY, dataStream: 'logs-jira.audit-default' });
    const [first, second, ...rest] = distinctAttempts(receiver.requests);
    expect(rest).toHaveLength(0);
    const firstEvents = check(first as ReceivedRequest).events.map((e) => e.id);
    expect(firstEvents).toHaveLength(10);
    expect(check(second as ReceivedRequest)).toMatchObject({ problems: [] });
    expect(check(second as ReceivedRequest).events.map((e) => e.id)).toEqual([firstEvents[3], firstEvents[7]]);
    const deliveries = await ofWebhook(bed, webhook);
    expect(deliveries.map((d) => d.status)).toEqual(Array(10).fill('delivered'));
    const retried = deliveries.filter((d) => d.attempts.length === 2).map((d) => d.eventId);
    expect(retried.sort()).toEqual([firstEvents[3], firstEvents[7]].sort());
  });
});

describe('test sends of kinds that carry their credential in the body', () => {
  let bed: DeliveryBed;
  afterEach(() => bed.close());

  it('PagerDuty: the body shown back hides the routing key', async () => {
    const PAGERDUTY = 'events.pagerduty.com';
    const ROUTING_KEY = 'R0ut1ngKeyR0ut1ngKeyR0ut1ngKey12';
    bed = await startDeliveryBed([PAGERDUTY]);
    receiverOf(bed, PAGERDUTY).responder = () => ({ status: 202, headers: { 'content-type': 'application/json' }, body: '{"status":"success","message":"Event processed"}' });
    const { webhook } = await bed.admin('webhooks.create', { kind: 'pagerduty', name: 'On call', events: ['issue.deleted'], settings: { routingKey: ROUTING_KEY } });
    const result = await bed.admin('webhooks.test', { id: webhook.id });
    expect(JSON.parse(receiverOf(bed, PAGERDUTY).requests[0]?.body ?? '{}')).toMatchObject({ routing_key: ROUTING_KEY, event_action: 'trigger' });
    expect(result.response?.status).toBe(202);
    expect(result.request.body).toContain('"event_action":"trigger"');
    expect(JSON.stringify(result)).not.toContain(ROUTING_KEY.slice(0, 8));
  });
});
