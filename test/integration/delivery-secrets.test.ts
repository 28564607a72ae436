import { secret } from './support/app-host';
import { allDeliveries, createWebhook, header, issueCreated, requestsOfType, flush, startBedWithReceiver, type DeliveryBed } from './support/delivery-bed';
import type { Receiver, ReceivedRequest } from './support/receiver';

const HOST = 'siem.example.test';
const SIGNING_SECRET = secret(71);
const BEARER_TOKEN = 'bearer-7f3c9e1a-SUPERSECRET-5d2b';
const SENSITIVE_VALUE = 'hdr-value-91ac7e-SENSITIVE-04ff';
const QUERY_TOKEN = 'qtok-3344-QUERYSECRET-8899';
const RAW_AUTH = 'Splunk rawcred-a1b2c3-RAWSECRET-d4e5';

/** Every whole credential this webhook holds, and the parts of them that are secret on their own. */
const CREDENTIALS = [
  SIGNING_SECRET,
  SIGNING_SECRET.slice('whsec_'.length),
  `Bearer ${BEARER_TOKEN}`,
  BEARER_TOKEN,
  SENSITIVE_VALUE,
  QUERY_TOKEN,
  RAW_AUTH,
  RAW_AUTH.split(' ')[1] as string,
];

/** A receiver that echoes every request header back, in its body and in response headers: the worst case for a log. */
const echo = (status: number) => (request: ReceivedRequest) => ({
  status,
  headers: {
    'x-echo-authorization': header(request, 'authorization'),
    'x-echo-token': header(request, 'x-splunk-token'),
    'set-cookie': `session=${header(request, 'x-splunk-token')}`,
    'content-type': 'application/json',
  },
  body: JSON.stringify({ youSent: request.headers, path: request.path }),
});

describe('delivery engine: no credential in the delivery log, test answers or log lines', () => {
  let bed: DeliveryBed;
  let receiver: Receiver;
  const lines: string[] = [];
  const spies: jest.SpyInstance[] = [];
  beforeEach(async () => {
    lines.length = 0;
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a) ?? String(a))).join(' '))));
    }
    ({ bed, receiver } = await startBedWithReceiver(HOST));
  });
  afterEach(async () => {
    await bed.close();
    for (const spy of spies.splice(0)) spy.mockRestore();
  });

  const leaks = (label: string, text: string): string[] => CREDENTIALS.filter((c) => text.includes(c)).map((c) => `${label} contains ${c.slice(0, 6)}…`);

  it('custom webhook with secrets, bearer token, sensitive header and a masked query token', async () => {
    const webhook = await createWebhook(bed, {
      url: `https://${HOST}/services/collector?token=${QUERY_TOKEN}`,
      maskUrl: 'query',
      secrets: [SIGNING_SECRET],
      authorization: { type: 'bearer', token: BEARER_TOKEN },
      headers: [
        { name: 'X-Splunk-Token', value: SENSITIVE_VALUE, sensitive: true },
        { name: 'X-Env', value: 'prod' },
      ],
    });
    receiver.responder = (request, index) => echo(index === 0 ? 500 : 200)(request);
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    await bed.host.advance(60);
    const sent = requestsOfType(receiver, 'issue.created');
    expect(sent).toHaveLength(2);
    // The receiver did get the real credentials: the scan below is not vacuous.
    expect(header(sent[0] as ReceivedRequest, 'authorization')).toBe(`Bearer ${BEARER_TOKEN}`);
    expect(header(sent[0] as ReceivedRequest, 'x-splunk-token')).toBe(SENSITIVE_VALUE);
    expect((sent[0] as ReceivedRequest).path).toContain(QUERY_TOKEN);

    const tested = await bed.result('webhooks.test', { id: webhook.id });
    expect(tested.ok).toBe(true);
    const log = await allDeliveries(bed);
    expect(log.filter((d) => d.eventType === 'issue.created').flatMap((d) => d.attempts)).toHaveLength(2);
    const listed = await bed.result('deliveries.list', { webhookId: webhook.id });
    const got = await bed.result('webhooks.get', { id: webhook.id });
    const all = await bed.result('webhooks.list', {});

    // What the log does show, so an admin can still debug: redacted previews, masked URL.
    const attempt = log.find((d) => d.eventType === 'issue.created')?.attempts[0];
    expect(attempt?.request.headers.authorization).toMatch(/^Bea…$/);
    expect(attempt?.request.url).not.toContain(QUERY_TOKEN);
    expect(attempt?.response?.body).toContain('x-env');

    // The engine did log the failed attempt (so the scan of log lines below is not vacuous).
    expect(lines.some((line) => line.includes('Delivery attempt failed') && line.includes(webhook.id))).toBe(true);
    const problems = [
      ...leaks('deliveries.list', JSON.stringify(log)),
      ...leaks('deliveries.list (one page)', JSON.stringify(listed)),
      ...leaks('webhooks.test', JSON.stringify(tested)),
      ...leaks('webhooks.get', JSON.stringify(got)),
      ...leaks('webhooks.list', JSON.stringify(all)),
      ...leaks('log lines', lines.join('\n')),
    ];
    expect(problems).toEqual([]);
  });

  it('a response cut at 20 KB keeps no prefix of a credential, and redaction never grows it past 20 KB', async () => {
    const SHORT = 'k9Zq7Lw2';
    const webhook = await createWebhook(bed, {
      url: `https://${HOST}/hook`,
      authorization: { type: 'bearer', token: BEARER_TOKEN },
      headers: [{ name: 'X-Short', value: SHORT, sensitive: true }],
    });
    const bodies = [`${'x'.repeat(19_990)}Bearer ${BEARER_TOKEN}`, SHORT.repeat(2_500)];
    receiver.responder = () => ({ status: 500, body: bodies.shift() ?? '' });
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    await bed.host.advance(40);
    const [delivery] = await allDeliveries(bed, { webhookId: webhook.id });
    const [cut, expanded] = (delivery?.attempts ?? []).map((a) => a.response?.body ?? '');
    expect(cut?.startsWith('x'.repeat(19_990))).toBe(true);
    expect(cut).not.toContain('Bearer bea'); // the first 10 bytes of the Authorization value
    expect(expanded).not.toContain(SHORT);
    expect(Buffer.byteLength(expanded ?? '')).toBeLessThanOrEqual(20_000);
    expect(expanded).toContain('[redacted]');
  });

  it('raw Authorization, base64-list secrets, and failures of every kind (refused, 401, timeout)', async () => {
    const webhook = await createWebhook(bed, {
      url: `https://${HOST}/hook?token=${QUERY_TOKEN}`,
      maskUrl: 'path-and-query',
      timeoutSeconds: 1,
      signing: { mode: 'base64-list' },
      secrets: [SIGNING_SECRET],
      authorization: { type: 'raw', value: RAW_AUTH },
      headers: [{ name: 'X-Splunk-Token', value: SENSITIVE_VALUE, sensitive: true }],
    });
    receiver.responder = (request) => echo(401)(request);
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    const tested401 = await bed.result('webhooks.test', { id: webhook.id });
    receiver.responder = () => ({ hang: true });
    const testedTimeout = await bed.result('webhooks.test', { id: webhook.id });
    await receiver.down();
    const testedRefused = await bed.result('webhooks.test', { id: webhook.id });
    await bed.host.fireEvent(issueCreated(2));
    await flush(bed.host);
    await bed.host.advance(3600);
    expect(JSON.stringify(testedRefused)).toContain('refused');
    expect(JSON.stringify(testedTimeout)).toContain('timeout');

    const log = await allDeliveries(bed);
    expect(log.flatMap((d) => d.attempts).length).toBeGreaterThanOrEqual(4);
    expect(lines.some((line) => line.includes('Endpoint health changed') || line.includes('Delivery attempt failed'))).toBe(true);
    const problems = [
      ...leaks('deliveries.list', JSON.stringify(log)),
      ...leaks('webhooks.test', JSON.stringify([tested401, testedTimeout, testedRefused])),
      ...leaks('log lines', lines.join('\n')),
    ];
    expect(problems).toEqual([]);
  });
});
