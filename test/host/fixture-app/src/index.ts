/** A fixture Forge app for the local host's own tests: each resolver definition drives one real
 * @forge/* API and reports what the app would see, errors included. */
import Resolver from '@forge/resolver';
import api, { fetch, route, assumeTrustedRoute, permissions, getAppContext } from '@forge/api';
import { kvs, WhereConditions, MetadataField, ForgeKvsAPIError } from '@forge/kvs';
import { Queue, InvocationError, InvocationErrorCode, type AsyncEvent } from '@forge/events';

type Payload = Record<string, unknown>;

function describeError(e: unknown): { name: string; message: string; code?: string; status?: number } {
  if (e instanceof ForgeKvsAPIError) return { name: 'ForgeKvsAPIError', message: e.message, code: e.code, status: e.responseDetails.status };
  if (e instanceof Error) return { name: e.constructor.name, message: e.message };
  return { name: 'unknown', message: String(e) };
}

async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: ReturnType<typeof describeError> }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, error: describeError(e) };
  }
}

const str = (p: Payload, k: string): string => String(p[k] ?? '');
const queue = new Queue({ key: 'fixture-queue' });

const resolver = new Resolver();
resolver.define('kvsSet', ({ payload }) =>
  attempt(() => kvs.set(str(payload, 'key'), payload.value, payload.options as Parameters<typeof kvs.set>[2])),
);
resolver.define('kvsGet', ({ payload }) =>
  attempt(() => (payload.metadata ? kvs.get(str(payload, 'key'), { metadataFields: [MetadataField.EXPIRE_TIME, MetadataField.CREATED_AT] }) : kvs.get(str(payload, 'key')))),
);
resolver.define('kvsDelete', ({ payload }) => attempt(() => kvs.delete(str(payload, 'key'))));
resolver.define('kvsQuery', ({ payload }) =>
  attempt(() => {
    let q = kvs.query().where('key', WhereConditions.beginsWith(str(payload, 'prefix')));
    if (typeof payload.limit === 'number') q = q.limit(payload.limit);
    if (typeof payload.cursor === 'string') q = q.cursor(payload.cursor);
    return q.getMany();
  }),
);
resolver.define('secretSet', ({ payload }) => attempt(() => kvs.setSecret(str(payload, 'key'), payload.value)));
resolver.define('secretGet', ({ payload }) => attempt(() => kvs.getSecret(str(payload, 'key'))));
resolver.define('secretDelete', ({ payload }) => attempt(() => kvs.deleteSecret(str(payload, 'key'))));
resolver.define('kvsBatch', ({ payload }) =>
  attempt(async () => {
    const keys = payload.keys as string[];
    const set = await kvs.batchSet(keys.map((key) => ({ key, value: { key } })));
    const get = await kvs.batchGet([...keys, 'batch-missing'].map((key) => ({ key })));
    return { set, get };
  }),
);
resolver.define('kvsTransact', ({ payload }) =>
  attempt(async () => {
    let tx = kvs.transact();
    for (const key of payload.set as string[]) tx = tx.set(key, { key });
    for (const key of (payload.delete as string[] | undefined) ?? []) tx = tx.delete(key);
    await tx.execute();
    return 'done';
  }),
);
resolver.define('kvsWriteMany', ({ payload }) =>
  attempt(async () => {
    const n = Number(payload.count);
    for (let i = 0; i < n; i++) await kvs.set(`many:${i}`, i);
    return n;
  }),
);
resolver.define('push', ({ payload }) =>
  attempt(async () => {
    const count = Number(payload.count ?? 1);
    const pad = 'x'.repeat(Number(payload.bodyBytes ?? 0));
    const events = Array.from({ length: count }, (_, i) => ({
      body: { id: `${str(payload, 'id') || 'e'}-${i}`, mode: payload.mode, succeedAfter: payload.succeedAfter, retryAfter: payload.retryAfter, sleepMs: payload.sleepMs, chain: payload.chain, pad },
      ...(typeof payload.delayInSeconds === 'number' ? { delayInSeconds: payload.delayInSeconds } : {}),
      ...(typeof payload.concurrencyLimit === 'number' ? { concurrency: { key: 'fixture-key', limit: payload.concurrencyLimit } } : {}),
    }));
    const { jobId } = await queue.push(events);
    return { jobId };
  }),
);
resolver.define('jobCancel', ({ payload }) => attempt(() => queue.getJob(str(payload, 'jobId')).cancel()));
resolver.define('jobStats', ({ payload }) => attempt(() => queue.getJob(str(payload, 'jobId')).getStats()));
resolver.define('fetch', ({ payload }) =>
  attempt(async () => {
    const res = await fetch(str(payload, 'url'), {
      method: typeof payload.method === 'string' ? payload.method : 'GET',
      headers: { 'content-type': 'application/json', 'x-fixture': 'yes' },
      ...(payload.body !== undefined ? { body: JSON.stringify(payload.body) } : {}),
    });
    return { status: res.status, proxyError: res.headers.get('forge-proxy-error'), text: await res.text() };
  }),
);
resolver.define('fetchMany', ({ payload }) =>
  attempt(async () => {
    const statuses: number[] = [];
    for (let i = 0; i < Number(payload.count); i++) statuses.push((await fetch(str(payload, 'url'))).status);
    return statuses;
  }),
);
resolver.define('canFetch', ({ payload }) => permissions.canFetchFrom('backend', str(payload, 'url')));
resolver.define('isAdmin', ({ payload }) =>
  attempt(async () => {
    if (typeof payload.delayMs === 'number') await new Promise((r) => setTimeout(r, payload.delayMs as number));
    const res = await api.asUser().requestJira(route`/rest/api/3/mypermissions?permissions=ADMINISTER`);
    const body = (await res.json()) as { permissions: { ADMINISTER: { havePermission: boolean } } };
    return body.permissions.ADMINISTER.havePermission;
  }),
);
resolver.define('auditPage', ({ payload }) =>
  attempt(async () => {
    const params = new URLSearchParams();
    for (const k of ['from', 'to', 'offset', 'limit']) if (payload[k] !== undefined) params.set(k, String(payload[k]));
    const res = await api.asApp().requestJira(route`/rest/api/3/auditing/record?${params}`);
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as unknown };
  }),
);
resolver.define('jiraGet', ({ payload }) =>
  attempt(async () => {
    const res = await api.asApp().requestJira(assumeTrustedRoute(str(payload, 'path')));
    return { status: res.status, body: (await res.json()) as unknown };
  }),
);
resolver.define('context', ({ context }) => {
  const app = getAppContext();
  return { context, moduleKey: app.moduleKey, environmentType: app.environmentType, remaining: app.invocationRemainingTimeInMillis(), now: Date.now() };
});
resolver.define('fail', () => {
  throw new Error('fixture resolver failed on purpose');
});
resolver.define('sleep', async ({ payload }) => {
  await new Promise((r) => setTimeout(r, Number(payload.ms)));
  return 'slept';
});
/** How many deliveries run at this moment, and the most seen at once (the host runs due work concurrently). */
const gauge = { running: 0, most: 0, starts: [] as string[], runningIds: new Map<string, number>(), overlaps: 0 };
resolver.define('gauge', ({ payload }) => {
  const seen = { most: gauge.most, starts: [...gauge.starts], overlaps: gauge.overlaps };
  if (payload?.reset) Object.assign(gauge, { running: 0, most: 0, starts: [], runningIds: new Map(), overlaps: 0 });
  return seen;
});

export const resolverHandler = resolver.getDefinitions();

async function bump(key: string): Promise<number> {
  const n = ((await kvs.get<number>(key)) ?? 0) + 1;
  await kvs.set(key, n);
  return n;
}

export async function onEvent(event: Payload & { retryContext?: { retryCount: number } }): Promise<unknown> {
  const id = str((event.issue as Payload | undefined) ?? {}, 'key') || 'event';
  await kvs.set(`trigger-log:${id}:${event.retryContext?.retryCount ?? 0}`, { at: Date.now(), eventType: event.eventType });
  const attempts = await bump(`trigger-attempts:${id}`);
  if (event.mode === 'retry') return new InvocationError({ retryAfter: Number(event.retryAfter ?? 60), retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  if (event.mode === 'throw') throw new Error(`trigger failure ${attempts}`);
  if (event.mode === 'asUser') {
    try {
      await api.asUser().requestJira(route`/rest/api/3/myself`);
      await kvs.set('as-user-in-trigger', 'allowed');
    } catch (e) {
      await kvs.set('as-user-in-trigger', describeError(e).name);
    }
  }
  return undefined;
}

export async function poll(): Promise<void> {
  await bump('scheduled-runs');
  await kvs.set(`scheduled-at:${await kvs.get<number>('scheduled-runs')}`, new Date().toISOString());
}

type FixtureBody = { id: string; mode?: string; succeedAfter?: number; retryAfter?: number; sleepMs?: number; chain?: number };

export async function deliver(event: AsyncEvent<FixtureBody>): Promise<unknown> {
  const body = event.body;
  if (body.mode === 'gauge') {
    gauge.running++;
    gauge.most = Math.max(gauge.most, gauge.running);
    gauge.starts.push(body.id);
    const same = gauge.runningIds.get(body.id) ?? 0;
    if (same > 0) gauge.overlaps++;
    gauge.runningIds.set(body.id, same + 1);
    await new Promise((r) => setTimeout(r, body.sleepMs ?? 0));
    gauge.runningIds.set(body.id, (gauge.runningIds.get(body.id) ?? 1) - 1);
    gauge.running--;
    await kvs.set(`delivered:${body.id}:${event.eventId}:${gauge.starts.length}`, { at: Date.now() });
    return undefined;
  }
  const retryCount = event.retryContext?.retryCount ?? 0;
  await kvs.set(`consumer-log:${body.id}:${retryCount}`, { at: Date.now(), reason: event.retryContext?.retryReason ?? null, jobId: event.jobId });
  if (retryCount < (body.succeedAfter ?? 0)) {
    if (body.mode === 'retry') return new InvocationError({ retryAfter: body.retryAfter ?? 30, retryReason: InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED, retryData: { n: retryCount } });
    if (body.mode === 'throw') throw new Error('consumer failure');
    if (body.mode === 'sleep') await new Promise((r) => setTimeout(r, body.sleepMs ?? 0));
  }
  await kvs.set(`delivered:${body.id}`, { at: Date.now(), retryCount });
  // A consumer that queues follow-up work, as a fan-out does.
  if (body.mode === 'chain' && (body.chain ?? 0) > 0) await queue.push([{ body: { id: `${body.id}.next`, mode: 'chain', chain: (body.chain ?? 0) - 1 } }]);
  return undefined;
}
