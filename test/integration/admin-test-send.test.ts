import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { secret } from './support/app-host';
import { startAdminHttp, type AdminHttp } from './support/admin-http';
import { flush } from './support/delivery-bed';

/**
 * Acceptance: webhooks.test sends one sample event now, against a real receiver, never retried, and
 * answers the request exactly as sent (method, masked URL, headers with the signature, body; credentials
 * redacted) and the receiver's answer (status, headers, body cut at 20 KB with truncated: true,
 * durationMs). The send is in deliveries.list as a test.
 */

interface TestResult {
  deliveryId: string;
  request: { method: string; url: string; headers: Record<string, string>; body: string };
  response?: { status: number; headers: Record<string, string>; body: string; truncated: boolean; durationMs: number };
  error?: { class: string; message: string };
}
interface DeliveryView {
  id: string;
  webhookId: string;
  test: boolean;
  status: string;
  nextAttemptAt?: string;
  attempts: { number: number; outcome: string; httpStatus?: number; errorClass?: string; request: TestResult['request']; response?: Omit<NonNullable<TestResult['response']>, 'durationMs'> }[];
}

const SIGNING_SECRET = secret(42);
const BEARER = 'test-send-bearer-token-123456';
const API_KEY = 'test-send-api-key-abcdefgh';
const QUERY_TOKEN = 'test-send-query-token-999';
const SLACK_URL = 'https://hooks.slack.com/services/T0001ABCD/B0002EFGH/testSendSlackToken123456';

const lower = (headers: Record<string, string | string[] | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]));

describe('admin API over HTTP: webhooks.test against real receivers', () => {
  let api: AdminHttp;
  let hang: Server;
  let refusedPort: number;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // A receiver that takes the request and never answers, and a port where nothing listens.
    hang = createServer(() => undefined);
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    refusedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    api = await startAdminHttp(['siem.example.test', 'hooks.slack.com'], {
      routes: { 'hang.example.test': `http://127.0.0.1:${(hang.address() as AddressInfo).port}`, 'down.example.test': `http://127.0.0.1:${refusedPort}` },
    });
    const make = async (label: string, input: Record<string, unknown>) => {
      ids[label] = (await api.data<{ webhook: { id: string } }>('webhooks.create', { name: label, events: ['*'], ...input })).webhook.id;
    };
    await make('SIEM', {
      kind: 'custom',
      url: `https://siem.example.test/ingest/jira?token=${QUERY_TOKEN}`,
      maskUrl: 'query',
      method: 'PUT',
      secrets: [SIGNING_SECRET],
      authorization: { type: 'bearer', token: BEARER },
      headers: [
        { name: 'X-Env', value: 'prod' },
        { name: 'X-Api-Key', value: API_KEY, sensitive: true },
      ],
    });
    await make('Slack', { kind: 'slack', url: SLACK_URL });
    await make('Hanging', { kind: 'custom', url: 'https://hang.example.test/hook', timeoutSeconds: 1 });
    await make('Down', { kind: 'custom', url: 'https://down.example.test/hook' });
    // Deliver the webhook.created config events first, so each test sees only its own requests.
    await flush(api.bed.host);
  });
  afterAll(async () => {
    await api.close();
    hang.closeAllConnections();
    await new Promise<void>((resolve) => hang.close(() => resolve()));
  });

  const siem = () => api.bed.receivers['siem.example.test']!;

  it('returns the request exactly as sent, secrets redacted, and the receiver answer; it is a test in deliveries.list', async () => {
    siem().requests.length = 0;
    siem().responder = () => ({ status: 201, headers: { 'content-type': 'application/json', 'x-receiver': 'siem-7' }, body: '{"received":true}' });
    const result = await api.data<TestResult>('webhooks.test', { id: ids.SIEM });

    expect(siem().requests).toHaveLength(1);
    const received = siem().requests[0]!;
    expect(received.method).toBe('PUT');
    expect(received.path).toBe(`/ingest/jira?token=${QUERY_TOKEN}`);

    // Request: method, masked URL, the exact body, the headers as sent.
    expect(result.request.method).toBe('PUT');
    expect(result.request.url).toBe('https://siem.example.test/ingest/jira?token=•••');
    expect(result.request.body).toBe(received.body);
    const body = JSON.parse(result.request.body) as { id: string; type: string; data: { test?: boolean } };
    expect(body.type).toBe('app.webhook.test');
    const shown = lower(result.request.headers);
    const sent = lower(received.headers);
    for (const [name, value] of Object.entries(shown)) {
      if (name === 'authorization') {
        expect(sent[name]).toBe(`Bearer ${BEARER}`);
        expect(value).toBe('Bea…');
      } else if (name === 'x-api-key') {
        expect(sent[name]).toBe(API_KEY);
        expect(value).toBe('tes…');
      } else {
        expect({ name, value }).toEqual({ name, value: sent[name] });
      }
    }
    // Every header the app set is shown; only transport headers fetch adds itself are not.
    const notShown = Object.keys(sent).filter((name) => !(name in shown));
    for (const name of notShown) expect(['host', 'content-length', 'connection', 'accept', 'accept-language', 'sec-fetch-mode', 'accept-encoding', 'transfer-encoding']).toContain(name);
    expect(shown).toMatchObject({ 'x-env': 'prod', 'content-type': 'application/json', 'webhook-id': result.deliveryId });
    expect(shown['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    // The signature shown is the one sent, and it verifies with the webhook's secret (independent library).
    const verified = new Webhook(SIGNING_SECRET).verify(received.body, { 'webhook-id': sent['webhook-id']!, 'webhook-timestamp': sent['webhook-timestamp']!, 'webhook-signature': sent['webhook-signature']! });
    expect(verified).toMatchObject({ type: 'app.webhook.test' });

    // Response: status, headers, body, not truncated, a duration.
    expect(result.response).toMatchObject({ status: 201, body: '{"received":true}', truncated: false });
    expect(lower(result.response!.headers)).toMatchObject({ 'x-receiver': 'siem-7', 'content-type': 'application/json' });
    expect(result.response!.durationMs).toEqual(expect.any(Number));
    expect(result.response!.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.error).toBeUndefined();

    // The delivery log: listed as a test, with the same request and response; not among real deliveries.
    const tests = await api.data<{ deliveries: DeliveryView[] }>('deliveries.list', { webhookId: ids.SIEM, test: true });
    const entry = tests.deliveries.find((d) => d.id === result.deliveryId);
    expect(entry).toMatchObject({ webhookId: ids.SIEM, test: true, status: 'delivered' });
    expect(entry!.attempts).toHaveLength(1);
    expect(entry!.attempts[0]!.request).toEqual({ method: 'PUT', url: result.request.url, headers: result.request.headers });
    expect(entry!.attempts[0]!.response).toEqual({ status: 201, headers: result.response!.headers, body: '{"received":true}', truncated: false });
    const real = await api.data<{ deliveries: DeliveryView[] }>('deliveries.list', { webhookId: ids.SIEM, test: false });
    expect(real.deliveries.map((d) => d.id)).not.toContain(result.deliveryId);
    const all = await api.data<{ deliveries: DeliveryView[] }>('deliveries.list', {});
    expect(all.deliveries.find((d) => d.id === result.deliveryId)?.test).toBe(true);
  });

  it('cuts a 50 KB receiver body to 20 KB with truncated: true, in the answer and in the delivery log', async () => {
    const big = '0123456789'.repeat(5 * 1024);
    expect(Buffer.byteLength(big)).toBe(51_200);
    siem().responder = () => ({ status: 200, body: big });
    const result = await api.data<TestResult>('webhooks.test', { id: ids.SIEM });
    expect(result.response!.truncated).toBe(true);
    const size = Buffer.byteLength(result.response!.body);
    expect(size).toBeGreaterThanOrEqual(20_000);
    expect(size).toBeLessThanOrEqual(20 * 1024);
    expect(big.startsWith(result.response!.body)).toBe(true);
    const logged = (await api.data<{ deliveries: DeliveryView[] }>('deliveries.list', { test: true })).deliveries.find((d) => d.id === result.deliveryId);
    expect(logged!.attempts[0]!.response).toMatchObject({ truncated: true, body: result.response!.body });
  });

  // The 20 KB cap falls inside a 3-byte character: the stored body must end before it, not in U+FFFD.
  it('cuts a multi-byte body on a character boundary', async () => {
    const euros = '€'.repeat(20_000);
    siem().responder = () => ({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: euros });
    const result = await api.data<TestResult>('webhooks.test', { id: ids.SIEM });
    expect(result.response!.truncated).toBe(true);
    expect(result.response!.body).toMatch(/^€+$/);
    expect(Buffer.byteLength(result.response!.body)).toBeLessThanOrEqual(20 * 1024);
  });

  it('is never retried: a 503 is answered as a failure, sent once, logged as a failed test with no next attempt', async () => {
    siem().requests.length = 0;
    siem().responder = () => ({ status: 503, headers: { 'retry-after': '1' }, body: 'maintenance' });
    const result = await api.data<TestResult>('webhooks.test', { id: ids.SIEM });
    expect(result.response).toMatchObject({ status: 503, body: 'maintenance', truncated: false });
    expect(result.error).toMatchObject({ class: 'http', message: expect.stringMatching(/503/) });
    await flush(api.bed.host);
    await api.bed.host.advance(2 * 3600);
    expect(siem().requests.filter((r) => r.body.includes('app.webhook.test'))).toHaveLength(1);
    const logged = (await api.data<{ deliveries: DeliveryView[] }>('deliveries.list', { test: true })).deliveries.find((d) => d.id === result.deliveryId);
    expect(logged).toMatchObject({ status: 'failed', test: true });
    expect(logged!.nextAttemptAt).toBeUndefined();
    expect(logged!.attempts).toHaveLength(1);
    // And a test is not retried by hand either.
    const retry = await api.invoke('deliveries.retry', { id: result.deliveryId });
    expect(retry).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/send a new test/) } });
    siem().responder = () => ({ status: 200, body: 'ok' });
  });

  it('a receiver that never answers: timeout after the webhook timeoutSeconds, no response, logged', async () => {
    const result = await api.data<TestResult>('webhooks.test', { id: ids.Hanging });
    expect(result.response).toBeUndefined();
    expect(result.error).toMatchObject({ class: 'timeout' });
    expect(result.request.url).toBe('https://hang.example.test/hook');
    const logged = (await api.data<{ deliveries: DeliveryView[] }>('deliveries.list', { webhookId: ids.Hanging, test: true })).deliveries;
    expect(logged.map((d) => [d.id, d.status])).toEqual([[result.deliveryId, 'failed']]);
    expect(logged[0]!.attempts[0]!.errorClass).toBe('timeout');
  });

  it('a receiver that refuses the connection: error class refused, no response, logged', async () => {
    const result = await api.data<TestResult>('webhooks.test', { id: ids.Down });
    expect(result.response).toBeUndefined();
    expect(result.error).toMatchObject({ class: 'refused' });
    const logged = (await api.data<{ deliveries: DeliveryView[] }>('deliveries.list', { webhookId: ids.Down, test: true })).deliveries;
    expect(logged.map((d) => d.status)).toEqual(['failed']);
  });

  it('Slack: the URL stays masked, the body is a Slack message, no signature headers', async () => {
    const slack = api.bed.receivers['hooks.slack.com']!;
    slack.requests.length = 0;
    const result = await api.data<TestResult>('webhooks.test', { id: ids.Slack });
    expect(result.request.url).toBe('https://hooks.slack.com/services/•••');
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]!.path).toBe('/services/T0001ABCD/B0002EFGH/testSendSlackToken123456');
    expect(result.request.body).toBe(slack.requests[0]!.body);
    expect(JSON.parse(result.request.body)).toHaveProperty('blocks');
    expect(Object.keys(lower(result.request.headers))).not.toContain('webhook-signature');
    expect(result.response).toMatchObject({ status: 200 });
  });

  it('an unknown webhook is NOT_FOUND and sends nothing', async () => {
    siem().requests.length = 0;
    const result = await api.invoke('webhooks.test', { id: 'wh_doesnotexist' });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(siem().requests).toHaveLength(0);
  });
});
