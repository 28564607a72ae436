import { DeliverJob, groupRequests } from '../../../src/app/delivery/deliver-job';
import { jobIdFor, messageIdFor, type DeliveryMessage, type DeliveryTask } from '../../../src/app/delivery/job';
import { readJobRecord } from '../../../src/app/delivery/job-record';
import type { DeliveryTarget, DeliveryTargets } from '../../../src/app/delivery/target';
import type { PipelineEvent } from '../../../src/app/pipeline/audit-event';
import { batchKey, deliveryLogKey } from '../../../src/app/pipeline/keys';
import { PushBudget } from '../../../src/app/pipeline/push-budget';
import type { HttpSender, OutboundRequest } from '../../../src/app/ports';
import { UnknownDestinationError, destinationModule } from '../../../src/domain/destinations';
import { ManualClock, MemoryKvs, RecordingLogger, SequentialIds } from '../admin/helpers/memory-ports';

const START = new Date('2026-11-20T09:00:00.000Z');
const event = (i: number, pad = 0): PipelineEvent => ({
  id: `pe-${String(i).padStart(32, '0')}`,
  type: 'issue.created',
  timestamp: START.toISOString(),
  data: { source: 'product-event', summary: `Issue SEC-${i} created${'x'.repeat(pad)}`, object: { type: 'issue', key: `SEC-${i}` } },
});
const splunk: DeliveryTarget = {
  id: 'wh_splunk',
  name: 'Splunk',
  kind: 'splunk',
  url: 'https://splunk.example.com/services/collector/event',
  displayUrl: 'https://splunk.example.com/services/collector/event',
  method: 'POST',
  timeoutSeconds: 15,
  signing: { mode: 'standard' },
  secrets: [],
  headers: [],
  settings: { token: '7c0f6d0e-2b8a-4f5e-9a71-3c2d1e0f9b8a', source: 'jira:audit', sourcetype: '_json' },
  enabled: true,
};
const messages = (n: number): DeliveryMessage[] =>
  Array.from({ length: n }, (_, i) => ({ msgId: messageIdFor('0'.repeat(33), i), eventId: event(i).id, eventType: 'issue.created', status: 'pending', attempts: [] }));

const run = async (n: number, get: DeliveryTargets['get']) => {
  const clock = new ManualClock(START);
  const store = new MemoryKvs(clock);
  const batch = Array.from({ length: n }, (_, i) => event(i));
  await store.set(batchKey('b1'), { createdAt: START.toISOString(), events: batch });
  const sent: OutboundRequest[] = [];
  const http: HttpSender = { send: async (request) => (sent.push(request), { kind: 'response', status: 200, headers: {}, body: '{"text":"Success","code":0}', truncated: false, durationMs: 5 }) };
  const deliver = new DeliverJob({
    store,
    clock,
    ids: new SequentialIds(),
    http,
    targets: { get, health: async () => ({ state: 'healthy' }), setHealth: async () => undefined },
    budget: new PushBudget(store, clock),
    requeue: async () => undefined,
    remainingMs: () => 280_000,
    sleep: async () => undefined,
    logger: new RecordingLogger(),
    recordDisabled: async () => undefined,
  });
  const task: DeliveryTask = { jobId: jobIdFor(START.getTime(), 'b1', 'wh_splunk', 0), webhookId: 'wh_splunk', webhookName: 'Splunk', batchId: 'b1', eventIds: batch.map((e) => e.id) };
  await deliver.run(task);
  return { sent, job: readJobRecord(await store.get<unknown>(deliveryLogKey(task.jobId))) };
};

describe('delivery engine and destination kinds', () => {
  it('sends a Splunk job of 100 events as one request with one webhook-id, and records each event delivered', async () => {
    const { sent, job } = await run(100, async () => splunk);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers['webhook-id']).toMatch(/^bat_[0-9a-f]{33}_0_100$/);
    expect(sent[0]?.headers.authorization).toBe('Splunk 7c0f6d0e-2b8a-4f5e-9a71-3c2d1e0f9b8a');
    expect(job?.messages.every((m) => m.status === 'delivered' && m.attempts.length === 1)).toBe(true);
  });

  it('honours the webhook\'s events per request', async () => {
    const { sent } = await run(25, async () => ({ ...splunk, batchEvents: 10 }));
    // `bat_<job>_<first>_<count>`: the same id for a retry of the same events.
    expect(sent.map((r) => r.headers['webhook-id']?.replace(/^bat_[0-9a-f]{33}_/, ''))).toEqual(['0_10', '10_10', '20_5']);
  });

  it('skips the job with a note naming the kind when the webhook has a kind this version does not know', async () => {
    const { sent, job } = await run(3, async () => {
      throw new UnknownDestinationError('teams');
    });
    expect(sent).toHaveLength(0);
    expect(job?.messages.map((m) => [m.status, m.note])).toEqual(Array(3).fill(['skipped', expect.stringMatching(/Unknown destination kind "teams"/)]));
  });

  it('keeps every request under the kind\'s byte cap (a batch over it is split)', () => {
    const kind = destinationModule('splunk');
    const big = new Map(Array.from({ length: 100 }, (_, i) => [event(i).id, event(i, 30_000)]));
    const groups = groupRequests(kind, splunk, messages(100), big);
    expect(groups.flat()).toHaveLength(100);
    expect(groups.length).toBeGreaterThan(1);
    for (const group of groups) {
      const body = kind.render(group.map((m) => ({ msgId: m.msgId, event: big.get(m.eventId) as PipelineEvent })), splunk.settings, {});
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(kind.batch?.maxBytes ?? 0);
    }
  });

  it('sends one event per request for kinds that do not batch', () => {
    const events = new Map(Array.from({ length: 5 }, (_, i) => [event(i).id, event(i)]));
    expect(groupRequests(destinationModule('custom'), { ...splunk, kind: 'custom', settings: {} }, messages(5), events).map((g) => g.length)).toEqual([1, 1, 1, 1, 1]);
  });
});
