// dev/host (through the support helpers) must load before @forge/*: it installs the egress-checked fetch.
import { secret } from './support/app-host';
import { allDeliveries, createWebhook, distinctAttempts, flush, getWebhook, issueCreated, requestsOfType, startBedWithReceiver, startDeliveryBed, type DeliveryBed } from './support/delivery-bed';
import type { Receiver } from './support/receiver';

const HOST = 'siem.example.test';
const URL = `https://${HOST}/hook`;

describe('delivery engine: the retry policy of each webhook (issue 14)', () => {
  let bed: DeliveryBed;
  let receiver: Receiver;
  beforeEach(async () => {
    ({ bed, receiver } = await startBedWithReceiver(HOST));
    receiver.responder = () => ({ status: 503, body: 'down for maintenance' });
  });
  afterEach(() => bed.close());

  const attemptTimes = (): number[] => requestsOfType(receiver, 'issue.created').map((request) => request.at);

  it('fixed 60 s with 3 retries: exactly 4 tries, 60 s apart by the host clock, the log showing each next attempt, then gave up', async () => {
    const webhook = await createWebhook(bed, { url: URL, secrets: [secret(21)], retryPolicy: { mode: 'fixed', intervalSeconds: 60, retries: 3 } });
    expect(webhook.retryPolicy).toEqual({ mode: 'fixed', intervalSeconds: 60, retries: 3 });
    expect(webhook.retryPolicySummary).toBe('Retries every 60 s, 3 times');

    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    expect(attemptTimes()).toHaveLength(1);
    const [pending] = await allDeliveries(bed, { webhookId: webhook.id });
    expect(pending?.status).toBe('pending');
    expect(Date.parse(pending?.nextAttemptAt ?? '')).toBe((attemptTimes()[0] as number) + 60_000);

    // Well past when a fifth try would have come under any schedule but the policy's.
    await bed.host.advance(3_600);
    const times = attemptTimes();
    expect(times).toHaveLength(4);
    expect(times.slice(1).map((at, index) => at - (times[index] as number))).toEqual([60_000, 60_000, 60_000]);
    const [gaveUp] = await allDeliveries(bed, { webhookId: webhook.id });
    expect(gaveUp?.status).toBe('failed');
    expect(gaveUp?.nextAttemptAt).toBeUndefined();
    expect(gaveUp?.attempts).toHaveLength(4);
  });

  it('no retries: one try, failed at once', async () => {
    const webhook = await createWebhook(bed, { url: URL, secrets: [secret(22)], retryPolicy: { mode: 'none' } });
    await bed.host.fireEvent(issueCreated(2));
    await flush(bed.host);
    await bed.host.advance(3_600);
    expect(attemptTimes()).toHaveLength(1);
    const [failed] = await allDeliveries(bed, { webhookId: webhook.id });
    expect(failed?.status).toBe('failed');
    expect(failed?.attempts).toHaveLength(1);
  });

  it('default (no policy, or switched back to it by an update): the app schedule, 30 s ± 20 % then 2 min ± 20 %', async () => {
    const created = await createWebhook(bed, { url: URL, secrets: [secret(23)], retryPolicy: { mode: 'none' } });
    const { webhook } = await bed.admin('webhooks.update', { id: created.id, version: created.version, retryPolicy: { mode: 'default' } });
    expect(webhook.retryPolicy).toEqual({ mode: 'default' });
    expect((await getWebhook(bed, created.id)).retryPolicySummary).toMatch(/^Default retries/);

    await bed.host.fireEvent(issueCreated(3));
    await flush(bed.host);
    await bed.host.advance(200);
    const times = attemptTimes();
    expect(times).toHaveLength(3);
    const first = (times[1] as number) - (times[0] as number);
    const second = (times[2] as number) - (times[1] as number);
    expect(first).toBeGreaterThanOrEqual(24_000);
    expect(first).toBeLessThanOrEqual(37_000);
    expect(second).toBeGreaterThanOrEqual(96_000);
    expect(second).toBeLessThanOrEqual(145_000);
    const [pending] = await allDeliveries(bed, { webhookId: created.id });
    expect(pending?.status).toBe('pending');
  });

  it('a bad policy is refused naming the field, and changes nothing', async () => {
    const webhook = await createWebhook(bed, { url: URL, secrets: [secret(24)], retryPolicy: { mode: 'fixed', intervalSeconds: 60, retries: 3 } });
    const answer = await bed.result('webhooks.update', { id: webhook.id, version: webhook.version, retryPolicy: { mode: 'fixed', intervalSeconds: 3, retries: 3 } });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe('VALIDATION');
    expect(answer.error.fields?.['retryPolicy.intervalSeconds']).toBe('Use at least 10 for the seconds between retries.');
    expect(answer.error.message).toMatch(/Seconds between retries/);
    const after = await getWebhook(bed, webhook.id);
    expect(after.version).toBe(webhook.version);
    expect(after.retryPolicy).toEqual({ mode: 'fixed', intervalSeconds: 60, retries: 3 });
  });
});

// Its own block: one manual-clock host per process at a time, and this one is harsher than the default.
describe('delivery engine: the retry policy when Forge runs work twice', () => {
  it('fixed 60 s x 3 with every queue event delivered twice: still 4 tries in the log, 60 s apart', async () => {
    const harsh = await startDeliveryBed([HOST], { strictness: { duplicateRate: 1 } });
    try {
      const echo = harsh.receivers[HOST] as Receiver;
      echo.responder = () => ({ status: 503 });
      const webhook = await createWebhook(harsh, { url: URL, secrets: [secret(25)], retryPolicy: { mode: 'fixed', intervalSeconds: 60, retries: 3 } });
      await harsh.host.fireEvent(issueCreated(5));
      await flush(harsh.host);
      await harsh.host.advance(240);
      const [gaveUp] = await allDeliveries(harsh, { webhookId: webhook.id });
      expect(gaveUp?.status).toBe('failed');
      expect(gaveUp?.attempts).toHaveLength(4);
      // A repeated queue event may send one attempt twice (same webhook-id and timestamp); the tries are 4.
      const tries = distinctAttempts(requestsOfType(echo, 'issue.created')).map((request) => request.at);
      expect(tries).toHaveLength(4);
      expect(tries.slice(1).map((at, index) => at - (tries[index] as number))).toEqual([60_000, 60_000, 60_000]);
    } finally {
      await harsh.close();
    }
  });
});
