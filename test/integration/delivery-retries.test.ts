// dev/host (through the support helpers) must load before @forge/*: it installs the egress-checked fetch.
import { secret } from './support/app-host';
import {
  advanceTo,
  advanceUntil,
  allDeliveries,
  createWebhook,
  envelopeOf,
  flush,
  header,
  issueCreated,
  requestsOfType,
  standardEntries,
  startBedWithReceiver,
  type DeliveryBed,
} from './support/delivery-bed';
import type { Receiver, ReceivedRequest } from './support/receiver';
import { Queue } from '@forge/events';

const HOST = 'siem.example.test';
const URL = `https://${HOST}/hook`;

const noPlatformFailures = (bed: DeliveryBed): void => {
  const stats = bed.host.stats();
  expect(stats.recentErrors).toEqual([]);
  expect(stats.invocations['deliver-webhooks']?.errors ?? 0).toBe(0);
  expect(stats.invocations['deliver-webhooks']?.timeouts ?? 0).toBe(0);
  expect(stats.queue.rejected).toBe(0);
  expect(stats.queue.rateLimited).toBe(0);
  expect(stats.queue.dropped).toBe(0);
};

const issueRequests = (receiver: Receiver): ReceivedRequest[] => requestsOfType(receiver, 'issue.created');

describe('delivery engine: retries, Retry-After, failure classes', () => {
  let bed: DeliveryBed;
  let receiver: Receiver;
  beforeEach(async () => {
    ({ bed, receiver } = await startBedWithReceiver(HOST));
  });
  afterEach(() => bed.close());

  /** When the receiver got the issue request number `index` (from 0), on the virtual clock. */
  const attemptAt = (index: number): number => (issueRequests(receiver)[index] as ReceivedRequest).at;

  /** With `attemptsSoFar` made, the next comes no sooner than `notBeforeMs` after `fromMs` and by `byMs` after it. */
  const expectNextAttemptBetween = async (fromMs: number, notBeforeMs: number, byMs: number, attemptsSoFar: number): Promise<void> => {
    await advanceTo(bed.host, fromMs + notBeforeMs);
    expect(issueRequests(receiver)).toHaveLength(attemptsSoFar);
    await advanceTo(bed.host, fromMs + byMs);
    expect(issueRequests(receiver)).toHaveLength(attemptsSoFar + 1);
  };

  it('500, 500, then 200: one message, three attempts with the same webhook-id, all three in the delivery log', async () => {
    const signingSecret = secret(11);
    const webhook = await createWebhook(bed, { url: URL, secrets: [signingSecret] });
    const statuses = [500, 500, 200];
    receiver.responder = (request) => (envelopeOf(request)?.type === 'issue.created' ? { status: statuses.shift() ?? 200, body: 'answer' } : { status: 200 });

    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    expect(issueRequests(receiver)).toHaveLength(1);

    // The second attempt comes 30 s ± 20 % later: never before 24 s, always by 36 s.
    await expectNextAttemptBetween(attemptAt(0), 23_000, 37_000, 1);
    // The third 2 min ± 20 % after the second: not before 96 s after it, always by 144 s.
    await expectNextAttemptBetween(attemptAt(1), 95_000, 145_000, 2);
    const attempts = issueRequests(receiver);
    await bed.host.advance(3600);
    expect(issueRequests(receiver)).toHaveLength(3);

    const ids = attempts.map((r) => header(r, 'webhook-id'));
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^msg_/);
    const timestamps = attempts.map((r) => Number(header(r, 'webhook-timestamp')));
    expect(new Set(timestamps).size).toBe(3); // a fresh timestamp per attempt
    attempts.forEach((request, index) => {
      // The timestamp is the attempt's own time (virtual clock), and the signature covers it.
      expect(Math.abs((timestamps[index] as number) - Math.floor(request.at / 1000))).toBeLessThanOrEqual(1);
      const { expected, offered } = standardEntries(signingSecret, request);
      expect(offered).toEqual([expected]);
      expect(header(request, 'user-agent')).toMatch(/AuditWebhooksForJira\/\d+\.\d+/);
    });
    expect((attempts[1] as ReceivedRequest).at - (attempts[0] as ReceivedRequest).at).toBeGreaterThanOrEqual(24_000);
    expect((attempts[2] as ReceivedRequest).at - (attempts[1] as ReceivedRequest).at).toBeGreaterThanOrEqual(96_000);

    const log = (await allDeliveries(bed, { webhookId: webhook.id })).filter((d) => d.eventType === 'issue.created');
    expect(log).toHaveLength(1);
    const [delivery] = log;
    expect(delivery?.id).toBe(ids[0]);
    expect(delivery?.status).toBe('delivered');
    expect(delivery?.attempts.map((a) => [a.number, a.outcome, a.httpStatus])).toEqual([
      [1, 'retry', 500],
      [2, 'retry', 500],
      [3, 'delivered', 200],
    ]);
    expect(delivery?.attempts[0]?.errorClass).toBe('http');
    expect(delivery?.attempts[0]?.response?.body).toBe('answer');
    expect(delivery?.attempts.every((a) => a.request.headers['webhook-id'] === ids[0])).toBe(true);
    expect(delivery?.attempts.map((a) => Date.parse(a.at))).toEqual(attempts.map((r) => r.at));
    expect((await bed.admin('deliveries.list', { webhookId: webhook.id, outcome: 'delivered' })).deliveries.map((d) => d.id)).toEqual([ids[0]]);
    expect((await bed.admin('deliveries.list', { webhookId: webhook.id, outcome: 'failed' })).deliveries).toEqual([]);
    noPlatformFailures(bed);
  });

  it('receiver down 6 virtual hours (refused, then 503), then up: every event delivered once', async () => {
    await createWebhook(bed, { url: URL });
    await receiver.down(); // connection refused
    const fired: number[] = [];
    const fire = async (n: number): Promise<void> => {
      fired.push(n);
      await bed.host.fireEvent(issueCreated(n));
    };
    for (const n of [1, 2, 3, 4, 5]) await fire(n);
    await flush(bed.host);
    await bed.host.advance(3600);
    for (const n of [6, 7]) await fire(n);
    await bed.host.advance(2 * 3600);
    // Back on the port, but answering 503 for the next three hours.
    receiver.responder = () => ({ status: 503, body: 'maintenance' });
    await receiver.up();
    await fire(8);
    await bed.host.advance(3 * 3600);
    // While it answered 503 some retries reached it (all refused before).
    expect(issueRequests(receiver).length).toBeGreaterThan(0);
    const downUntil = Date.now();
    receiver.responder = () => ({ status: 200, body: 'ok' });

    const delivered = (): ReceivedRequest[] => issueRequests(receiver).filter((r) => r.at >= downUntil);
    const used = await advanceUntil(bed.host, () => delivered().length >= fired.length, 30 * 3600, 900);
    await bed.host.advance(24 * 3600); // and nothing more arrives later
    expect(used).toBeLessThan(30 * 3600);

    const successes = delivered();
    const eventIds = successes.map((r) => envelopeOf(r)?.id);
    const keys = successes.map((r) => envelopeOf(r)?.data.object);
    expect(successes).toHaveLength(fired.length);
    expect(new Set(eventIds).size).toBe(fired.length);
    expect(new Set(successes.map((r) => header(r, 'webhook-id'))).size).toBe(fired.length);
    expect(keys.map((k) => (k as { key: string }).key).sort()).toEqual(fired.map((n) => `SEC-${n}`).sort());
    // Every attempt of one event carried that event's single webhook-id.
    const idsByEvent = new Map<string, Set<string>>();
    for (const request of issueRequests(receiver)) {
      const id = envelopeOf(request)?.id ?? '';
      idsByEvent.set(id, (idsByEvent.get(id) ?? new Set()).add(header(request, 'webhook-id')));
    }
    expect([...idsByEvent.values()].every((set) => set.size === 1)).toBe(true);

    const log = (await allDeliveries(bed)).filter((d) => d.eventType === 'issue.created');
    expect(log).toHaveLength(fired.length);
    expect(log.every((d) => d.status === 'delivered')).toBe(true);
    const classes = new Set(log.flatMap((d) => d.attempts.map((a) => a.errorClass)).filter(Boolean));
    expect(classes).toEqual(new Set(['refused', 'http']));
    noPlatformFailures(bed);
  });

  it('429 with Retry-After: 120 is not retried before 120 virtual seconds', async () => {
    const webhook = await createWebhook(bed, { url: URL });
    receiver.responder = (_request, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '120' }, body: 'slow down' } : { status: 200 });
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    expect(issueRequests(receiver)).toHaveLength(1);
    const first = attemptAt(0);
    await expectNextAttemptBetween(first, 119_000, 121_000, 1);
    expect(attemptAt(1) - first).toBeGreaterThanOrEqual(120_000);
    const [delivery] = await allDeliveries(bed, { webhookId: webhook.id });
    expect(delivery?.status).toBe('delivered');
    expect(delivery?.attempts.map((a) => [a.httpStatus, a.outcome])).toEqual([
      [429, 'retry'],
      [200, 'delivered'],
    ]);
    noPlatformFailures(bed);
  });

  it('Retry-After as an HTTP date, and a huge Retry-After clamped (retried within 8 h, not dropped)', async () => {
    const webhook = await createWebhook(bed, { url: URL });
    // An HTTP-date 10 minutes after the request (the date has whole seconds: 599 to 600 s away).
    receiver.responder = (request, index) =>
      index === 0
        ? { status: 503, headers: { 'retry-after': new Date(request.at + 600_000).toUTCString() } }
        : index === 1
          ? { status: 503, headers: { 'retry-after': '9999999' } }
          : { status: 200 };
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    await expectNextAttemptBetween(attemptAt(0), 598_000, 601_000, 1);
    const [pending] = await allDeliveries(bed, { webhookId: webhook.id });
    expect(pending?.status).toBe('pending');
    const waitSeconds = (Date.parse(pending?.nextAttemptAt ?? '') - Date.now()) / 1000;
    expect(waitSeconds).toBeGreaterThanOrEqual(3600);
    expect(waitSeconds).toBeLessThanOrEqual(8 * 3600 + 1);
    await bed.host.advance(8 * 3600 + 60);
    expect(issueRequests(receiver)).toHaveLength(3);
    noPlatformFailures(bed);
  });

  it('3xx is a failure and is not followed; it is retried', async () => {
    const webhook = await createWebhook(bed, { url: URL });
    receiver.responder = (request) => (request.path === '/hook' ? { status: 302, headers: { location: '/elsewhere' } } : { status: 200 });
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    await bed.host.advance(40);
    expect(receiver.requests.map((r) => r.path)).toEqual(['/hook', '/hook']);
    const [delivery] = await allDeliveries(bed, { webhookId: webhook.id });
    expect(delivery?.status).toBe('pending');
    expect(delivery?.attempts.map((a) => [a.httpStatus, a.errorClass, a.outcome])).toEqual([
      [302, 'redirect', 'retry'],
      [302, 'redirect', 'retry'],
    ]);
    noPlatformFailures(bed);
  });

  it('other 4xx are permanent: one attempt, failed, and deliveries.retry sends it again with the same webhook-id', async () => {
    const webhook = await createWebhook(bed, { url: URL });
    receiver.responder = (_request, index) => (index === 0 ? { status: 400, body: 'bad payload' } : { status: 200 });
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    await bed.host.advance(2 * 3600);
    expect(issueRequests(receiver)).toHaveLength(1);
    const [failed] = await allDeliveries(bed, { webhookId: webhook.id, outcome: 'failed' });
    expect(failed?.attempts.map((a) => [a.httpStatus, a.errorClass, a.outcome])).toEqual([[400, 'http', 'failed']]);

    const retried = await bed.admin('deliveries.retry', { id: failed?.id ?? '' });
    expect(retried.delivery.id).toBe(failed?.id);
    await flush(bed.host);
    const requests = issueRequests(receiver);
    expect(requests).toHaveLength(2);
    expect(header(requests[1] as ReceivedRequest, 'webhook-id')).toBe(failed?.id);
    const [after] = await allDeliveries(bed, { webhookId: webhook.id });
    expect(after?.status).toBe('delivered');
    expect(after?.attempts.map((a) => a.number)).toEqual([1, 2]);
    // A delivered message is not sent twice.
    const again = await bed.result('deliveries.retry', { id: failed?.id ?? '' });
    expect(again.ok).toBe(false);
    noPlatformFailures(bed);
  });

  it('a receiver that does not answer within the webhook timeout is a timeout, retried no sooner than a minute', async () => {
    const webhook = await createWebhook(bed, { url: URL, timeoutSeconds: 1 });
    receiver.responder = (_request, index) => (index === 0 ? { hang: true } : { status: 200 });
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    const [first] = await allDeliveries(bed, { webhookId: webhook.id });
    expect(first?.attempts.map((a) => [a.errorClass, a.outcome])).toEqual([['timeout', 'retry']]);
    expect(first?.attempts[0]?.durationMs).toBeGreaterThanOrEqual(900);
    await expectNextAttemptBetween(attemptAt(0), 59_000, 89_000, 1);
    noPlatformFailures(bed);
  });

  it('a reset connection is retried as a network error', async () => {
    const webhook = await createWebhook(bed, { url: URL });
    receiver.responder = (_request, index) => (index === 0 ? { reset: true } : { status: 200 });
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    await bed.host.advance(40);
    const [delivery] = await allDeliveries(bed, { webhookId: webhook.id });
    expect(delivery?.attempts.map((a) => [a.errorClass, a.outcome])).toEqual([
      ['reset', 'retry'],
      [undefined, 'delivered'],
    ]);
    noPlatformFailures(bed);
  });

  it('a receiver that always fails gets the whole schedule: 10 attempts over more than 24 h, then failed', async () => {
    const webhook = await createWebhook(bed, { url: URL });
    receiver.responder = () => ({ status: 500 });
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    await advanceUntil(bed.host, () => issueRequests(receiver).length >= 10, 48 * 3600, 900);
    await bed.host.advance(24 * 3600);
    const times = issueRequests(receiver).map((r) => r.at);
    expect(times).toHaveLength(10);
    const gaps = times.slice(1).map((t, i) => (t - (times[i] as number)) / 1000);
    const schedule = [30, 120, 600, 1800, 3600, 7200, 14400, 28800];
    schedule.forEach((base, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(base * 0.8 - 1);
      expect(gaps[i]).toBeLessThanOrEqual(base * 1.2 + 1);
    });
    expect(gaps[8]).toBeGreaterThan(28800); // the last long gap
    expect(((times[9] as number) - (times[0] as number)) / 1000).toBeGreaterThan(24 * 3600);
    const [delivery] = await allDeliveries(bed, { webhookId: webhook.id });
    expect(delivery?.status).toBe('failed');
    expect(delivery?.attempts).toHaveLength(10);
    expect(delivery?.attempts.at(-1)?.outcome).toBe('failed');
    noPlatformFailures(bed);
  });

  it('duplicate platform invocations do not produce a second message id', async () => {
    const webhook = await createWebhook(bed, { url: URL });
    let answered = 0;
    receiver.responder = () => ({ status: answered++ === 0 ? 500 : 200 });
    // The same Jira event twice at once (a trigger invoked twice)...
    await Promise.all([bed.host.fireEvent(issueCreated(1)), bed.host.fireEvent(issueCreated(1))]);
    await flush(bed.host);
    expect(issueRequests(receiver)).toHaveLength(1);
    // ...and once more while the first attempt waits for its retry (the platform retried the trigger).
    await bed.host.advance(10);
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    await bed.host.advance(3600);
    // ...and once more after it was delivered.
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    await bed.host.advance(3600);
    const requests = issueRequests(receiver);
    expect(new Set(requests.map((r) => header(r, 'webhook-id'))).size).toBe(1);
    expect(new Set(requests.map((r) => envelopeOf(r)?.id)).size).toBe(1);
    expect(requests).toHaveLength(2); // the 500, then the one 200
    const log = await allDeliveries(bed, { webhookId: webhook.id });
    expect(log).toHaveLength(1);
    expect(log[0]?.status).toBe('delivered');

    // The job's task delivered a second time by the queue (at-least-once): nothing is sent again.
    const jobId = /^msg_([0-9a-f]+)_\d+$/.exec(log[0]?.id ?? '')?.[1] ?? '';
    expect(jobId).not.toBe('');
    await new Queue({ key: 'webhook-delivery' }).push([
      { body: { jobId, webhookId: webhook.id, webhookName: webhook.name, batchId: 'unknown', eventIds: [log[0]?.eventId ?? ''] } },
    ]);
    await flush(bed.host);
    await bed.host.advance(3600);
    expect(issueRequests(receiver)).toHaveLength(2);
    noPlatformFailures(bed);
  });
});
