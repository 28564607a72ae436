/** The Forge Key-Value Store behind `__forge_fetch__({type:'kvs'}, '/api/v1/...')`, answering with the
 * status codes and `{code, message}` bodies that @forge/kvs turns into `ForgeKvsAPIError`. */
import { z } from 'zod';
import type { Counters } from './stats';
import { RollingWindow } from './rate-window';

export interface KvsEntry { value: unknown; createdAt: number; updatedAt: number; expireAt?: number }
export interface KvsState {
  store: Record<string, KvsEntry>;
  secrets: Record<string, KvsEntry>;
  entities: Record<string, Record<string, KvsEntry>>;
}
export function emptyKvsState(): KvsState {
  return { store: {}, secrets: {}, entities: {} };
}

export interface KvsReply { status: number; body?: unknown }

export const KVS_LIMITS = {
  keyLength: 500,
  valueBytes: 240 * 1024,
  maxDepth: 32,
  queryDefault: 10,
  queryMax: 100,
  batchMax: 25,
  transactionMax: 25,
  readUnitsPerMinute: 4000,
  writeUnitsPerMinute: 4000,
  unitBytes: 10 * 1024,
} as const;

const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
const TTL_UNIT_MS = { SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 } as const;

const ttlSchema = z.object({ value: z.number().positive(), unit: z.enum(['SECONDS', 'MINUTES', 'HOURS', 'DAYS']) });
const metadataFields = z.array(z.enum(['CREATED_AT', 'UPDATED_AT', 'EXPIRE_TIME'])).optional();
const setOptions = z
  .looseObject({
    ttl: ttlSchema.optional(),
    keyPolicy: z.enum(['OVERRIDE', 'FAIL_IF_EXISTS']).optional(),
    returnValue: z.enum(['PREVIOUS', 'LATEST']).optional(),
    returnMetadataFields: metadataFields,
  })
  .optional();
const getBody = z.looseObject({ key: z.unknown(), entityName: z.string().optional(), options: z.looseObject({ metadataFields }).optional() });
const setBody = z.looseObject({ key: z.unknown(), value: z.unknown(), entityName: z.string().optional(), options: setOptions });
const deleteBody = z.looseObject({ key: z.unknown(), entityName: z.string().optional() });
const queryBody = z.looseObject({
  limit: z.number().int().optional(),
  after: z.string().optional(),
  where: z.array(z.looseObject({ property: z.string(), condition: z.string(), values: z.array(z.unknown()) })).optional(),
  options: z.looseObject({ metadataFields }).optional(),
});
const transactionBody = z.looseObject({
  set: z.array(setBody).optional(),
  delete: z.array(deleteBody).optional(),
  check: z.array(deleteBody).optional(),
});

class KvsFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
const badRequest = (code: string, message: string) => new KvsFailure(400, code, message);

function units(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / KVS_LIMITS.unitBytes));
}

function depth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let max = 0;
  for (const v of Object.values(value)) max = Math.max(max, depth(v));
  return max + 1;
}

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw badRequest('KEY_TOO_SHORT', 'The provided key must not be empty.');
  if (key.length > KVS_LIMITS.keyLength) throw badRequest('KEY_TOO_LONG', `The provided key has exceeded the maximum ${KVS_LIMITS.keyLength} characters.`);
  if (!KEY_PATTERN.test(key)) throw badRequest('INVALID_KEY', 'The provided key does not match the regex: /^(?!\\s+$)[a-zA-Z0-9:._\\s-#]+$/');
  return key;
}

function checkValue(value: unknown): number {
  if (value === undefined) throw badRequest('BAD_REQUEST', 'Provided request body is invalid: value is missing.');
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > KVS_LIMITS.valueBytes) {
    throw badRequest('MAX_SIZE', `The provided value has exceeded the maximum size limit (${KVS_LIMITS.valueBytes} bytes; got ${bytes}).`);
  }
  if (depth(value) > KVS_LIMITS.maxDepth) throw badRequest('MAX_DEPTH', `The provided value has exceeded the maximum object depth (${KVS_LIMITS.maxDepth}) limit.`);
  return bytes;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw badRequest('BAD_REQUEST', `Provided request body is invalid: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return r.data;
}

type Space = Record<string, KvsEntry>;

export class KvsService {
  private readonly reads = new RollingWindow(KVS_LIMITS.readUnitsPerMinute);
  private readonly writes = new RollingWindow(KVS_LIMITS.writeUnitsPerMinute);

  constructor(
    private readonly state: KvsState,
    private readonly now: () => number,
    private readonly counters: Counters,
    private readonly onChange: () => void,
    /** Forge deletes expired keys asynchronously (up to 48 h): until then they are still read. */
    private readonly expiredReadableMs = 0,
  ) {}

  /** Whether an entry is gone for good: expired, and past the time Forge may still serve it. */
  private purgeable(e: KvsEntry, now: number): boolean {
    return e.expireAt !== undefined && e.expireAt + this.expiredReadableMs <= now;
  }

  handle(path: string, body: unknown): KvsReply {
    try {
      return this.route(path, body);
    } catch (e) {
      if (e instanceof KvsFailure) {
        if (e.status === 429) this.counters.kvs.rateLimited++;
        else if (e.code !== 'KEY_NOT_FOUND') this.counters.kvs.errors++;
        return { status: e.status, body: { code: e.code, message: e.message } };
      }
      throw e;
    }
  }

  private route(path: string, body: unknown): KvsReply {
    switch (path) {
      case '/api/v1/get':
        return this.get(this.state.store, body);
      case '/api/v1/secret/get':
        return this.get(this.state.secrets, body);
      case '/api/v1/entity/get':
        return this.get(this.entitySpace(body), body);
      case '/api/v1/set':
        return this.set(this.state.store, body);
      case '/api/v1/secret/set':
        return this.set(this.state.secrets, body);
      case '/api/v1/entity/set':
        return this.set(this.entitySpace(body), body);
      case '/api/v1/delete':
        return this.delete(this.state.store, body);
      case '/api/v1/secret/delete':
        return this.delete(this.state.secrets, body);
      case '/api/v1/entity/delete':
        return this.delete(this.entitySpace(body), body);
      case '/api/v1/query':
        return this.query(body);
      case '/api/v1/batch/set':
        return this.batchSet(body);
      case '/api/v1/batch/get':
        return this.batchGet(body);
      case '/api/v1/batch/delete':
        return this.batchDelete(body);
      case '/api/v1/transaction':
        return this.transaction(body);
      default:
        throw new KvsFailure(501, 'NOT_IMPLEMENTED', `The local Forge host does not implement KVS ${path} (custom entity queries are not supported locally).`);
    }
  }

  private entitySpace(body: unknown): Space {
    const name = typeof body === 'object' && body !== null && 'entityName' in body ? (body as { entityName: unknown }).entityName : undefined;
    if (typeof name !== 'string' || !name) throw badRequest('BAD_REQUEST', 'entityName is required for custom entity operations.');
    return this.spaceFor(name);
  }

  private spaceFor(entityName: string | undefined): Space {
    if (!entityName) return this.state.store;
    this.state.entities[entityName] ??= {};
    return this.state.entities[entityName];
  }

  private live(space: Space, key: string): KvsEntry | undefined {
    const e = space[key];
    if (!e) return undefined;
    if (this.purgeable(e, this.now())) {
      delete space[key];
      this.onChange();
      return undefined;
    }
    return e;
  }

  private takeRead(bytes: number): void {
    if (!this.reads.tryTake(this.now(), units(bytes))) {
      throw new KvsFailure(429, 'RATE_LIMIT_EXCEEDED', `KVS read limit exceeded: ${KVS_LIMITS.readUnitsPerMinute} read units (10 KB each) per minute per installation.`);
    }
  }

  private takeWrite(bytes: number): void {
    if (!this.writes.tryTake(this.now(), units(bytes))) {
      throw new KvsFailure(429, 'RATE_LIMIT_EXCEEDED', `KVS write limit exceeded: ${KVS_LIMITS.writeUnitsPerMinute} write units (10 KB each) per minute per installation.`);
    }
  }

  private describe(key: string, e: KvsEntry, fields?: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = { key, value: e.value, createdAt: e.createdAt, updatedAt: e.updatedAt };
    if (e.expireAt !== undefined) out.expireTime = new Date(e.expireAt).toISOString();
    if (fields) {
      if (!fields.includes('CREATED_AT')) delete out.createdAt;
      if (!fields.includes('UPDATED_AT')) delete out.updatedAt;
      if (!fields.includes('EXPIRE_TIME')) delete out.expireTime;
    }
    return out;
  }

  private get(space: Space, raw: unknown): KvsReply {
    const body = parse(getBody, raw);
    const key = checkKey(body.key);
    const e = this.live(space, key);
    const bytes = e ? Buffer.byteLength(JSON.stringify(e.value)) : 0;
    this.takeRead(bytes);
    this.counters.kvs.reads++;
    if (!e) throw new KvsFailure(404, 'KEY_NOT_FOUND', 'Provided key does not exist');
    this.counters.kvs.bytesRead += bytes;
    return { status: 200, body: this.describe(key, e) };
  }

  private applySet(space: Space, body: z.infer<typeof setBody>): { key: string; previous?: KvsEntry; entry: KvsEntry } {
    const key = checkKey(body.key);
    const bytes = checkValue(body.value);
    const previous = this.live(space, key);
    if (body.options?.keyPolicy === 'FAIL_IF_EXISTS' && previous) {
      throw new KvsFailure(409, 'KEY_CONFLICT', `The key "${key}" already exists and keyPolicy is FAIL_IF_EXISTS.`);
    }
    this.takeWrite(bytes);
    const now = this.now();
    const ttl = body.options?.ttl;
    const entry: KvsEntry = {
      value: body.value,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      ...(ttl ? { expireAt: now + ttl.value * TTL_UNIT_MS[ttl.unit] } : {}),
    };
    space[key] = entry;
    this.counters.kvs.writes++;
    this.counters.kvs.bytesWritten += bytes;
    this.onChange();
    return { key, previous, entry };
  }

  private set(space: Space, raw: unknown): KvsReply {
    const body = parse(setBody, raw);
    const { key, previous, entry } = this.applySet(space, body);
    const returnValue = body.options?.returnValue;
    if (!returnValue) return { status: 204 };
    const shown = returnValue === 'PREVIOUS' ? previous : entry;
    if (!shown) return { status: 204 };
    return { status: 200, body: this.describe(key, shown) };
  }

  private delete(space: Space, raw: unknown): KvsReply {
    const body = parse(deleteBody, raw);
    const key = checkKey(body.key);
    this.takeWrite(0);
    this.counters.kvs.deletes++;
    if (space[key]) {
      delete space[key];
      this.onChange();
    }
    return { status: 204 };
  }

  private query(raw: unknown): KvsReply {
    const body = parse(queryBody, raw);
    const limit = body.limit ?? KVS_LIMITS.queryDefault;
    if (limit < 1 || limit > KVS_LIMITS.queryMax) throw badRequest('INVALID_LIMIT', `Query limit must be between 1 and ${KVS_LIMITS.queryMax}; got ${limit}.`);
    let prefix = '';
    for (const w of body.where ?? []) {
      if (w.property !== 'key' || w.condition !== 'BEGINS_WITH' || typeof w.values[0] !== 'string') {
        throw badRequest('BAD_REQUEST', 'KVS queries support only where("key", WhereConditions.beginsWith("<prefix>")).');
      }
      prefix = w.values[0];
    }
    let after: string | undefined;
    if (body.after) {
      after = Buffer.from(body.after, 'base64url').toString('utf8');
      if (!after) throw badRequest('INVALID_CURSOR', 'The provided cursor is invalid.');
    }
    const keys = Object.keys(this.state.store)
      .filter((k) => k.startsWith(prefix) && (after === undefined || k > after))
      .sort();
    const data: Record<string, unknown>[] = [];
    let bytes = 0;
    let last: string | undefined;
    let i = 0;
    for (; i < keys.length && data.length < limit; i++) {
      const k = keys[i] as string;
      const e = this.live(this.state.store, k);
      if (!e) continue;
      const shown = this.describe(k, e, body.options?.metadataFields ?? ['EXPIRE_TIME']);
      bytes += Buffer.byteLength(JSON.stringify(e.value));
      data.push(shown);
      last = k;
    }
    const more = keys.slice(i).some((k) => this.live(this.state.store, k) !== undefined);
    this.takeRead(bytes);
    this.counters.kvs.queries++;
    this.counters.kvs.bytesRead += bytes;
    return { status: 200, body: { data, ...(more && last !== undefined ? { cursor: Buffer.from(last, 'utf8').toString('base64url') } : {}) } };
  }

  private checkBatch(items: unknown): { key: unknown; entityName?: string }[] {
    if (!Array.isArray(items) || items.length === 0) throw badRequest('BAD_REQUEST', 'A batch operation must contain at least one key.');
    if (items.length > KVS_LIMITS.batchMax) throw badRequest('BATCH_TOO_LARGE', `A batch operation can contain at most ${KVS_LIMITS.batchMax} keys; got ${items.length}.`);
    const parsed = items.map((i) => parse(deleteBody, i));
    const ids = new Set(parsed.map((p) => `${p.entityName ?? ''}\u0000${String(p.key)}`));
    if (ids.size !== parsed.length) throw badRequest('DUPLICATE_KEYS', 'A batch operation must not name the same key (or key and entity) twice.');
    return parsed;
  }

  private itemError(e: unknown): { code: string; message: string } {
    if (e instanceof KvsFailure) {
      if (e.status === 429) throw e;
      return { code: e.code, message: e.message };
    }
    throw e;
  }

  private batchSet(raw: unknown): KvsReply {
    this.checkBatch(raw);
    const successfulKeys: unknown[] = [];
    const failedKeys: unknown[] = [];
    for (const item of raw as unknown[]) {
      const body = parse(setBody, item);
      const id = { key: body.key, ...(body.entityName ? { entityName: body.entityName } : {}) };
      try {
        this.applySet(this.spaceFor(body.entityName), body);
        successfulKeys.push(id);
      } catch (e) {
        failedKeys.push({ ...id, error: this.itemError(e) });
      }
    }
    return { status: 200, body: { successfulKeys, failedKeys } };
  }

  private batchGet(raw: unknown): KvsReply {
    const items = this.checkBatch(raw);
    const successfulKeys: unknown[] = [];
    const failedKeys: unknown[] = [];
    for (const item of items) {
      const id = { key: item.key, ...(item.entityName ? { entityName: item.entityName } : {}) };
      try {
        const key = checkKey(item.key);
        const e = this.live(this.spaceFor(item.entityName), key);
        const bytes = e ? Buffer.byteLength(JSON.stringify(e.value)) : 0;
        this.takeRead(bytes);
        this.counters.kvs.reads++;
        if (!e) throw new KvsFailure(404, 'KEY_NOT_FOUND', 'Key does not exist');
        this.counters.kvs.bytesRead += bytes;
        successfulKeys.push({ ...this.describe(key, e), ...id });
      } catch (e) {
        failedKeys.push({ ...id, error: this.itemError(e) });
      }
    }
    return { status: 200, body: { successfulKeys, failedKeys } };
  }

  private batchDelete(raw: unknown): KvsReply {
    const items = this.checkBatch(raw);
    const successfulKeys: unknown[] = [];
    const failedKeys: unknown[] = [];
    for (const item of items) {
      const id = { key: item.key, ...(item.entityName ? { entityName: item.entityName } : {}) };
      try {
        this.delete(this.spaceFor(item.entityName), item);
        successfulKeys.push(id);
      } catch (e) {
        failedKeys.push({ ...id, error: this.itemError(e) });
      }
    }
    return { status: 200, body: { successfulKeys, failedKeys } };
  }

  /** All or nothing: every operation is validated (and rate-checked) before any is applied. */
  private transaction(raw: unknown): KvsReply {
    const body = parse(transactionBody, raw);
    const sets = body.set ?? [];
    const deletes = body.delete ?? [];
    const checks = body.check ?? [];
    const total = sets.length + deletes.length + checks.length;
    if (total === 0) throw badRequest('BAD_REQUEST', 'A transaction must contain at least one operation.');
    if (total > KVS_LIMITS.transactionMax) throw badRequest('TOO_MANY_OPERATIONS', `A transaction can contain at most ${KVS_LIMITS.transactionMax} operations; got ${total}.`);
    const ids = [...sets, ...deletes, ...checks].map((o) => `${o.entityName ?? ''}\u0000${checkKey(o.key)}`);
    if (new Set(ids).size !== ids.length) throw badRequest('DUPLICATE_KEYS', 'A transaction must not name the same key twice.');
    let writeBytes = 0;
    for (const s of sets) {
      writeBytes += checkValue(s.value);
      if (s.options?.keyPolicy === 'FAIL_IF_EXISTS' && this.live(this.spaceFor(s.entityName), String(s.key))) {
        throw new KvsFailure(409, 'KEY_CONFLICT', `The key "${String(s.key)}" already exists and keyPolicy is FAIL_IF_EXISTS.`);
      }
    }
    // Conditions on custom entities are not evaluated locally (documented in dev/README.md).
    this.takeWrite(writeBytes + deletes.length);
    for (const s of sets) this.applySetUnmetered(this.spaceFor(s.entityName), s);
    for (const d of deletes) {
      const space = this.spaceFor(d.entityName);
      delete space[String(d.key)];
      this.counters.kvs.deletes++;
    }
    this.onChange();
    return { status: 204 };
  }

  private applySetUnmetered(space: Space, body: z.infer<typeof setBody>): void {
    const key = String(body.key);
    const bytes = Buffer.byteLength(JSON.stringify(body.value));
    const now = this.now();
    const previous = this.live(space, key);
    const ttl = body.options?.ttl;
    space[key] = {
      value: body.value,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      ...(ttl ? { expireAt: now + ttl.value * TTL_UNIT_MS[ttl.unit] } : {}),
    };
    this.counters.kvs.writes++;
    this.counters.kvs.bytesWritten += bytes;
  }

  /** Drops entries past expiry and linger so persisted state does not grow with dead keys. */
  sweep(): void {
    const now = this.now();
    for (const space of [this.state.store, this.state.secrets, ...Object.values(this.state.entities)]) {
      for (const [k, e] of Object.entries(space)) if (this.purgeable(e, now)) delete space[k];
    }
  }
}
