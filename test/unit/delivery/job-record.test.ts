import { createHash } from 'node:crypto';
import { toDeliveryView } from '../../../src/app/deliveries/delivery-view';
import { DeliverJob, SENDS_PER_RUN } from '../../../src/app/delivery/deliver-job';
import { JOB_SIZE, jobIdFor, messageIdFor, type DeliveryAttempt, type DeliveryJob, type DeliveryTask } from '../../../src/app/delivery/job';
import { encodeJob, readJobRecord } from '../../../src/app/delivery/job-record';
import { MAX_JOB_RECORD_BYTES, fitJobRecord } from '../../../src/app/delivery/job-record-size';
import type { DeliveryTarget, DeliveryTargets } from '../../../src/app/delivery/target';
import type { PipelineEvent } from '../../../src/app/pipeline/audit-event';
import { batchKey, deliveryLogKey } from '../../../src/app/pipeline/keys';
import { PushBudget } from '../../../src/app/pipeline/push-budget';
import type { HttpSender, OutboundRequest, OutboundResult } from '../../../src/app/ports';
import type { EndpointHealth } from '../../../src/domain/delivery/health';
import { ManualClock, MemoryKvs, RecordingLogger, SequentialIds } from '../admin/helpers/memory-ports';

const START = new Date('2026-11-20T09:00:00.000Z');
const hex32 = (seed: string): string => createHash('sha256').update(seed).digest('hex').slice(0, 32);
const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/** Issue events as the pipeline stores them (product-event ids are `pe-` + 32 hex). */
const events = (n: number): PipelineEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `pe-${hex32(`event-${i}`)}`,
    type: i % 3 === 0 ? 'issue.created' : 'issue.updated',
    timestamp: new Date(START.getTime() - 5_000 + i).toISOString(),
    data: { source: 'jira', summary: `Issue SEC-${i} changed`, actor: { accountId: '5b10a2844c20165700ede21g' }, object: { type: 'issue', id: String(10_000 + i), key: `SEC-${i}` } },
  }));

/** A Splunk-like custom webhook: Standard Webhooks signature, a bearer token, a sensitive and a plain header. */
const target: DeliveryTarget = {
  id: 'wh_2Kx9QmV7pLr3TzA8',
  name: 'Splunk production',
  kind: 'custom',
  url: 'https://splunk.example.com:8088/services/collector/raw?channel=6f1c0b1e-4d3a-4c4e-9a3f-2c1d8e7b6a50',
  displayUrl: 'https://splunk.example.com:8088/services/collector/raw?channel=•••',
  method: 'POST',
  timeoutSeconds: 15,
  signing: { mode: 'standard' },
  secrets: [`whsec_${Buffer.alloc(32, 7).toString('base64')}`],
  authorization: 'Splunk 0d3c4f2a-8b1e-4c6d-9e7f-1a2b3c4d5e6f',
  settings: {},
  headers: [
    { name: 'X-Splunk-Request-Channel', value: '6f1c0b1e-4d3a-4c4e-9a3f-2c1d8e7b6a50', sensitive: true },
    { name: 'X-Env', value: 'prod', sensitive: false },
  ],
  enabled: true,
};

/** What a node:http receiver answers (its usual headers) with a short body. */
const answer = (status: number, body: string, durationMs: number): OutboundResult => ({
  kind: 'response',
  status,
  headers: { 'content-type': 'application/json', date: 'Fri, 20 Nov 2026 09:00:00 GMT', connection: 'keep-alive', 'keep-alive': 'timeout=5', 'content-length': String(body.length) },
  body,
  truncated: false,
  durationMs,
});

const runJob = async (n: number, respond: (request: OutboundRequest, index: number) => OutboundResult) => {
  const clock = new ManualClock(START);
  const store = new MemoryKvs(clock);
  const batch = events(n);
  await store.set(batchKey(`batch-${n}`), { createdAt: START.toISOString(), events: batch });
  let sent = 0;
  const http: HttpSender = { send: async (request) => respond(request, sent++) };
  let health: EndpointHealth = { state: 'healthy', since: START.toISOString() };
  const targets: DeliveryTargets = {
    get: async () => ({ ...target, health }),
    health: async () => health,
    setHealth: async (_id, next) => {
      health = next;
    },
  };
  const deliver = new DeliverJob({
    store,
    clock,
    ids: new SequentialIds(),
    http,
    targets,
    budget: new PushBudget(store, clock),
    requeue: async () => undefined,
    remainingMs: () => 280_000,
    sleep: async () => undefined,
    logger: new RecordingLogger(),
    recordDisabled: async () => undefined,
  });
  const task: DeliveryTask = { jobId: jobIdFor(START.getTime(), `batch-${n}`, target.id, 0), webhookId: target.id, webhookName: target.name, batchId: `batch-${n}`, eventIds: batch.map((e) => e.id) };
  await deliver.run(task);
  const raw = await store.get<unknown>(deliveryLogKey(task.jobId));
  return { raw, job: readJobRecord(raw) };
};

describe('delivery-log record: the stored form', () => {
  it.each([25, 100])('a job of %i messages delivered at once with a 2xx writes at most 250 bytes a message', async (n) => {
    const { raw, job } = await runJob(n, () => answer(200, '{"text":"Success","code":0}', 140));
    expect(job?.messages).toHaveLength(n);
    expect(job?.messages.every((m) => m.status === 'delivered' && m.attempts.length === 1)).toBe(true);
    const perMessage = bytes(raw) / n;
    expect(perMessage).toBeLessThanOrEqual(250);
    // What the previous version wrote for the same job (the DeliveryJob itself, whole answers): for the record.
    expect(bytes(job) / n).toBeGreaterThan(3 * perMessage);
  });

  it('keeps of a delivered answer its status and the first 256 bytes of the body; of a failure the whole capture', async () => {
    const long = `{"ack":"${'a'.repeat(600)}"}`;
    const { job } = await runJob(3, (_r, i) => (i === 1 ? answer(400, long, 20) : answer(200, long, 20)));
    const [first, second] = job?.messages ?? [];
    expect(first?.attempts[0]?.response).toEqual({ status: 200, headers: {}, body: long.slice(0, 256), truncated: true });
    expect(second?.attempts[0]?.response).toMatchObject({ status: 400, body: long, truncated: false });
    expect(Object.keys(second?.attempts[0]?.response?.headers ?? {})).toContain('content-type');
  });

  it('stores no credential: the bearer value and the sensitive header are redacted, the URL masked', async () => {
    const { raw } = await runJob(5, () => answer(202, '', 90));
    const text = JSON.stringify(raw);
    expect(text).not.toContain('0d3c4f2a-8b1e');
    expect(text).not.toContain('6f1c0b1e-4d3a');
    expect(text).toContain('"Spl…"');
  });
});

/** Fixtures covering every branch of the encoding: retries, failures, odd requests and times, notes. */
const attempt = (over: Partial<DeliveryAttempt> & Pick<DeliveryAttempt, 'number' | 'at'>, msgId: string): DeliveryAttempt => ({
  outcome: 'delivered',
  httpStatus: 200,
  durationMs: 31,
  request: {
    method: 'POST',
    url: 'https://siem.example.com/in?code=•••',
    headers: {
      'X-Env': 'prod',
      'content-type': 'application/json',
      'user-agent': 'AuditWebhooksForJira/0.1.0 (+Atlassian Forge)',
      authorization: 'Bea…',
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(Date.parse(over.at) / 1000)),
      'webhook-signature': `v1,${Buffer.from(over.at).toString('base64')}`,
    },
  },
  response: { status: 200, headers: {}, body: 'ok', truncated: false },
  ...over,
});

const mixedJob = (test = false): DeliveryJob => {
  const jobId = jobIdFor(START.getTime(), 'batch-x', 'wh_1', 0);
  const id = (i: number) => messageIdFor(jobId, i);
  return {
    jobId,
    webhookId: 'wh_1',
    webhookName: 'SIEM',
    batchId: 'batch-x',
    test,
    createdAt: START.toISOString(),
    updatedAt: '2026-11-20T09:05:00.000Z',
    messages: [
      { msgId: id(0), eventId: 'pe-a', eventType: 'issue.created', status: 'delivered', attempts: [attempt({ number: 1, at: '2026-11-20T09:00:01.250Z' }, id(0))] },
      {
        msgId: id(1),
        eventId: 'pe-b',
        eventType: 'issue.updated',
        status: 'pending',
        nextAttemptAt: '2026-11-20T09:02:00.000Z',
        attempts: [
          attempt({ number: 1, at: '2026-11-20T09:00:02.000Z', outcome: 'retry', httpStatus: 503, errorClass: 'http', errorMessage: 'HTTP 503', response: { status: 503, headers: { 'retry-after': '60', date: 'x' }, body: 'maintenance', truncated: false } }, id(1)),
          attempt({ number: 2, at: '2026-11-20T09:00:40.000Z', outcome: 'retry', httpStatus: 503, errorClass: 'http', errorMessage: 'HTTP 503', response: { status: 503, headers: {}, body: '', truncated: true } }, id(1)),
        ],
      },
      {
        msgId: id(2),
        eventId: 'pe-c',
        eventType: 'issue.updated',
        status: 'failed',
        note: 'connect ECONNREFUSED',
        attempts: [
          // A network error: no httpStatus, no response; the request of an edited webhook (other URL).
          { ...attempt({ number: 1, at: '2026-11-20T09:00:03.000Z', outcome: 'failed', errorClass: 'refused', errorMessage: 'connect ECONNREFUSED' }, id(2)), httpStatus: undefined, response: undefined, request: { method: 'PUT', url: 'https://other.example.com/', headers: { a: 'b' } } },
        ].map(({ httpStatus: _h, response: _r, ...rest }) => rest),
      },
      // A request that could not be built (no headers), a number out of sequence and a time not canonical.
      { msgId: id(3), eventId: 'pe-d', eventType: 'issue.deleted', status: 'failed', note: 'bad config', attempts: [{ number: 3, at: '2026-11-20T09:00:04Z', outcome: 'failed', durationMs: 0, errorClass: 'other', errorMessage: 'bad config', request: { method: 'POST', url: 'https://siem.example.com/in?code=•••', headers: {} } }] },
      // httpStatus without the response, and a response status other than httpStatus.
      { msgId: id(4), eventId: 'pe-e', eventType: 'issue.created', status: 'delivered', attempts: [{ ...attempt({ number: 1, at: '2026-11-20T09:00:05.000Z' }, id(4)), httpStatus: 204, response: { status: 200, headers: { 'x-id': '1' }, body: '', truncated: false } }] },
      { msgId: 'msg_custom_id', eventId: 'pe-f', eventType: 'issue.created', status: 'skipped', note: 'Webhook switched off', attempts: [] },
      { msgId: id(6), eventId: 'pe-g', eventType: 'issue.created', status: 'skipped', note: 'Webhook switched off', attempts: [] },
    ],
  };
};

describe('delivery-log record: round trip and the previous format', () => {
  it('decodes to exactly the job that was encoded (through JSON, as KVS keeps it)', () => {
    for (const job of [mixedJob(), mixedJob(true)]) {
      const stored = JSON.parse(JSON.stringify(encodeJob(job))) as unknown;
      expect(readJobRecord(stored)).toEqual(JSON.parse(JSON.stringify(job)));
    }
  });

  it('the admin API answers the same JSON from a record of the previous version and of this one', () => {
    const job = mixedJob();
    const previous = readJobRecord(JSON.parse(JSON.stringify(job)));
    const current = readJobRecord(JSON.parse(JSON.stringify(encodeJob(job))));
    expect(previous && current).toBeTruthy();
    const views = (j: DeliveryJob) => JSON.stringify(j.messages.map((m) => toDeliveryView(j, m)));
    expect(views(current as DeliveryJob)).toBe(views(previous as DeliveryJob));
  });

  it('refuses what is neither form, and a record whose text table is broken', () => {
    expect(readJobRecord({ hello: 'world' })).toBeUndefined();
    expect(readJobRecord(undefined)).toBeUndefined();
    const broken = encodeJob(mixedJob());
    broken.tb = [];
    expect(readJobRecord(JSON.parse(JSON.stringify(broken)))).toBeUndefined();
  });
});

/** The job size this record is built for (JOB_SIZE is to be raised to it). */
const BIG_JOB = 100;

describe('delivery-log record: 100 messages fit KVS, the task a push, the sends the egress allowance', () => {
  const failedJob = (attempts: number, bodyBytes: number): DeliveryJob => {
    const job = mixedJob();
    job.messages = Array.from({ length: BIG_JOB }, (_, i) => {
      const msgId = messageIdFor(job.jobId, i);
      return {
        msgId,
        eventId: `pe-${hex32(String(i))}`,
        eventType: 'issue.updated',
        status: 'failed' as const,
        note: 'Gave up after the last scheduled retry',
        attempts: Array.from({ length: attempts }, (_a, k) =>
          attempt(
            {
              number: k + 1,
              at: new Date(START.getTime() + k * 60_000 + i).toISOString(),
              outcome: k === attempts - 1 ? 'failed' : 'retry',
              httpStatus: 500,
              errorClass: 'http',
              errorMessage: `HTTP 500 from the receiver (attempt ${k + 1})`,
              response: { status: 500, headers: { 'content-type': 'text/html', date: new Date(START.getTime() + k).toUTCString(), 'x-request-id': hex32(`${i}-${k}`) }, body: `<html>${'E'.repeat(bodyBytes)}</html>`, truncated: bodyBytes >= 20_000 },
            },
            msgId,
          ),
        ),
      };
    });
    return job;
  };

  it('a job of 100 messages with 4 failed attempts each, with short error pages, is stored whole', () => {
    const job = failedJob(4, 200);
    const record = fitJobRecord(structuredClone(job));
    expect(bytes(record)).toBeLessThanOrEqual(MAX_JOB_RECORD_BYTES);
    expect(readJobRecord(JSON.parse(JSON.stringify(record)))).toEqual(JSON.parse(JSON.stringify(job)));
  });

  it('with 20 KB error pages, drops older bodies first and stays under the KVS limit', () => {
    const job = failedJob(4, 20_000);
    const record = fitJobRecord(job);
    expect(bytes(record)).toBeLessThanOrEqual(MAX_JOB_RECORD_BYTES);
    expect(bytes(record)).toBeLessThan(240 * 1024);
    const back = readJobRecord(JSON.parse(JSON.stringify(record)));
    expect(back?.messages.every((m) => m.attempts.length === 4)).toBe(true);
    // Every attempt's status and time kept; older bodies go first, so every body kept is a latest one.
    const older = back?.messages.flatMap((m) => m.attempts.slice(0, 3).map((a) => a.response?.body ?? '')) ?? [];
    expect(older.every((b) => b.startsWith('[response body dropped'))).toBe(true);
    expect(back?.messages.every((m) => m.attempts[3]?.response?.status === 500)).toBe(true);
  });

  it('a first push of 50 tasks of 100 event ids is about 200 KB (forge-queue splits pushes by bytes); hop and recovery tasks carry no ids', () => {
    const task: DeliveryTask = { jobId: jobIdFor(START.getTime(), 'b', 'wh_1', 0), webhookId: 'wh_2Kx9QmV7pLr3TzA8', webhookName: 'Splunk production', batchId: hex32('b').slice(0, 20), eventIds: events(BIG_JOB).map((e) => e.id) };
    const pushed = (t: DeliveryTask) => ({ body: t, delayInSeconds: 0, concurrency: { key: `webhook-${t.webhookId}`, limit: 1 } });
    expect(bytes(Array.from({ length: 50 }, () => pushed(task)))).toBeLessThan(210_000);
    expect(bytes(Array.from({ length: 50 }, () => pushed({ ...task, eventIds: [] })))).toBeLessThan(20_000);
  });

  it('one run sends at most one attempt per message: a job stays within the egress allowance', () => {
    expect(JOB_SIZE).toBeLessThanOrEqual(SENDS_PER_RUN);
    expect(BIG_JOB).toBeLessThanOrEqual(SENDS_PER_RUN);
  });
});
