import { kvsSnapshot } from './support/admin-http';
import { secret } from './support/app-host';
import { allDeliveries, createWebhook, distinctMessages, header, issueCreated, requestsOfType, flush, startBedWithReceiver, type DeliveryBed } from './support/delivery-bed';
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

/**
 * Starts a fresh bed with one receiver for each test and keeps every console line it writes (the scans
 * below look for credentials in them). Read `bed`, `receiver` and `lines` inside the tests.
 */
const bedCapturingConsole = () => {
  const state = { lines: [] as string[] } as { bed: DeliveryBed; receiver: Receiver; lines: string[] };
  const spies: jest.SpyInstance[] = [];
  beforeEach(async () => {
    state.lines.length = 0;
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void state.lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a) ?? String(a))).join(' '))));
    }
    ({ bed: state.bed, receiver: state.receiver } = await startBedWithReceiver(HOST));
  });
  afterEach(async () => {
    await state.bed.close();
    for (const spy of spies.splice(0)) spy.mockRestore();
  });
  return state;
};

describe('delivery engine: no credential in the delivery log, test answers or log lines', () => {
  const the = bedCapturingConsole();

  const leaks = (label: string, text: string): string[] => CREDENTIALS.filter((c) => text.includes(c)).map((c) => `${label} contains ${c.slice(0, 6)}…`);

  it('custom webhook with secrets, bearer token, sensitive header and a masked query token', async () => {
    const { bed, receiver, lines } = the;
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
    const { bed, receiver } = the;
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
    const { bed, receiver, lines } = the;
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

/**
 * Issue 9, "scrubbing that holds": a receiver that echoes credentials in part or encoded (12 characters,
 * base64 of all the request headers at each byte offset, base64url, hex in both cases, %-encoding)
 * leaves no 8 consecutive bytes of any of them, in any of those forms, in a resolver answer
 * (webhooks.test, deliveries.list, deliveries.retry), a log line or the readable KVS.
 */
describe('delivery engine: echoed credentials in part or encoded are scrubbed everywhere', () => {
  const TOKEN = 'echo-bearer-Q7v2Lm9Xk4Rt8Wz1';
  const KEY = 'echo-header-Hn3Pz6Vb0Yc5Jd2S';
  const QTOK = 'echo-query-Fg4Ks7Nq1Mx8Bw3';
  const SECRETS = [TOKEN, KEY, QTOK];

  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  const b64url = (text: string): string => Buffer.from(text).toString('base64url');
  const hex = (text: string): string => Buffer.from(text).toString('hex');
  const percentAll = (text: string): string => [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');

  /**
   * Written from the encodings, not from the scrubber: every text that carries 8 consecutive bytes of a
   * secret, plain, hex (both cases), %XX, or base64/base64url at each of the 3 byte alignments (the
   * characters holding only bits of those 8 bytes: whatever surrounds them in an echo, they are there).
   */
  const betrayals = (secretValue: string): string[] => {
    const out = new Set<string>();
    for (let i = 0; i + 8 <= secretValue.length; i += 1) {
      const run = secretValue.slice(i, i + 8);
      out.add(run).add(hex(run)).add(hex(run).toUpperCase()).add(percentAll(run));
      for (let k = 0; k < 3; k += 1) {
        for (const encoded of [b64(`${'\0'.repeat(k)}${run}`), b64url(`${'\0'.repeat(k)}${run}`)]) {
          out.add(encoded.slice(Math.ceil((k * 4) / 3), Math.floor(((k + 8) * 4) / 3)));
        }
      }
    }
    return [...out];
  };
  const ORACLE = SECRETS.flatMap((value) => betrayals(value).map((form) => ({ value, form })));
  const leaks = (label: string, text: string): string[] =>
    ORACLE.filter(({ form }) => text.includes(form)).map(({ value, form }) => `${label}: ${value.slice(0, 6)}… as ${form.slice(0, 6)}…`);

  /** What a hostile (or just chatty) receiver sends back: credentials whole, cut, and in every encoding. */
  const echoEverything = (status: number) => (request: ReceivedRequest, index: number) => {
    const auth = header(request, 'authorization');
    const key = header(request, 'x-splunk-token');
    const all = JSON.stringify(request.headers);
    return {
      status,
      headers: {
        'content-type': 'application/json',
        'x-echo-b64': b64(auth),
        'x-echo-hex': hex(key).toUpperCase(),
        'x-echo-part': auth.slice(7, 19),
      },
      body: JSON.stringify({
        whole: auth,
        first12: auth.slice(7, 19),
        keyPart: key.slice(3, 15),
        // base64 of all the headers, shifted so the credentials fall at each byte offset mod 3.
        blobs: [0, 1, 2].map((k) => b64(`${'#'.repeat(k + index)}${all}`)),
        blobUrl: b64url(`v${all}`),
        base64Key: b64(key),
        hexLower: hex(auth),
        hexUpper: hex(key).toUpperCase(),
        pct: percentAll(QTOK),
        path: encodeURIComponent(request.path),
      }),
    };
  };

  const the = bedCapturingConsole();

  it('leaves none of them in webhooks.test, deliveries.list, deliveries.retry, log lines or the KVS', async () => {
    const { bed, receiver, lines } = the;
    const webhook = await createWebhook(bed, {
      url: `https://${HOST}/services/collector?token=${QTOK}`,
      maskUrl: 'query',
      secrets: [SIGNING_SECRET],
      authorization: { type: 'bearer', token: TOKEN },
      headers: [
        { name: 'X-Splunk-Token', value: KEY, sensitive: true },
        { name: 'X-Env', value: 'prod' },
      ],
    });
    // 400: refused for good, so the delivery fails at once and deliveries.retry has something to retry.
    receiver.responder = echoEverything(400);
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    const tested = await bed.result('webhooks.test', { id: webhook.id });
    const [failed] = await allDeliveries(bed, { webhookId: webhook.id, outcome: 'failed', test: false });
    expect(failed).toBeDefined();
    const retried = await bed.result('deliveries.retry', { id: failed!.id });
    if (!retried.ok) throw new Error(`deliveries.retry: ${JSON.stringify(retried.error)}`);
    await flush(bed.host);
    const listed = await allDeliveries(bed);

    // Not vacuous: the receiver got the real credentials and its echo betrays them to the oracle.
    const issueRequests = requestsOfType(receiver, 'issue.created');
    expect(distinctMessages(issueRequests)).toHaveLength(1);
    expect(issueRequests.length).toBeGreaterThanOrEqual(2); // the first attempt and the retry
    const echoed = echoEverything(400)(issueRequests[0] as ReceivedRequest, 0);
    for (const value of SECRETS) expect(leaks('echo', JSON.stringify(echoed)).filter((l) => l.includes(value.slice(0, 6))).length).toBeGreaterThan(3);
    // The log still shows the echo, minus the credentials.
    const attempts = listed.filter((d) => d.webhookId === webhook.id).flatMap((d) => d.attempts);
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    for (const attempt of attempts) {
      expect(attempt.response?.body).toContain('[redacted]');
      expect(attempt.response?.body).toContain('"blobs"');
    }

    const problems = [
      ...leaks('webhooks.test', JSON.stringify(tested)),
      ...leaks('deliveries.retry', JSON.stringify(retried)),
      ...leaks('deliveries.list', JSON.stringify(listed)),
      ...leaks('log lines', lines.join('\n')),
      ...leaks('KVS', JSON.stringify(await kvsSnapshot())),
    ];
    expect(problems).toEqual([]);
  });
});
