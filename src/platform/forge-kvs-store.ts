import { kvs, WhereConditions, ForgeKvsAPIError, MetadataField } from '@forge/kvs';
import type { KeyValueStore, SecretStore } from '../app/ports';

const ttlOption = (ttlSeconds?: number) =>
  ttlSeconds === undefined ? {} : { ttl: { value: Math.max(1, Math.ceil(ttlSeconds)), unit: 'SECONDS' as const } };

/** Forge answers a FAIL_IF_EXISTS write on an existing key with a conflict. */
const isKeyExists = (error: unknown): boolean =>
  error instanceof ForgeKvsAPIError &&
  (error.responseDetails.status === 409 || /EXIST|CONFLICT|PRECONDITION/i.test(error.code));

/**
 * Forge deletes expired keys asynchronously, up to 48 h late, and reads may return them meanwhile
 * (KVS docs, "Expired data deletion is asynchronous"). Every read here asks for EXPIRE_TIME and treats
 * a key past its expiry as absent, so a TTL means what the app meant by it.
 */
/** A fresh object each call: @forge/kvs's query builder writes where, limit and cursor into its options. */
const withExpiry = () => ({ metadataFields: [MetadataField.EXPIRE_TIME] });
const expired = (expireTime: string | undefined): boolean => expireTime !== undefined && Date.parse(expireTime) <= Date.now();

interface Stored<T> { value: T; expireTime?: string }

async function readLive<T>(key: string): Promise<Stored<T> | undefined> {
  const found = (await kvs.get<T>(key, withExpiry())) as Stored<T> | undefined;
  return found === undefined || expired(found.expireTime) ? undefined : found;
}

/** The TTL left on a value, to put it back as it was. */
const remainingTtl = (expireTime: string | undefined) =>
  expireTime === undefined ? {} : ttlOption(Math.max(1, (Date.parse(expireTime) - Date.now()) / 1000));

export const forgeKeyValueStore: KeyValueStore = {
  get: async <T>(key: string) => (await readLive<T>(key))?.value,
  set: async <T>(key: string, value: T, options?: { ttlSeconds?: number }) => {
    await kvs.set(key, value, ttlOption(options?.ttlSeconds));
  },
  setIfAbsent: async <T>(key: string, value: T, options?: { ttlSeconds?: number }) => {
    try {
      await kvs.set(key, value, { ...ttlOption(options?.ttlSeconds), keyPolicy: 'FAIL_IF_EXISTS' });
      return true;
    } catch (error) {
      if (!isKeyExists(error)) throw error;
    }
    // The key exists. If it is only an expired key that Forge has not deleted yet, it is absent: take it
    // over with one swap, and keep it only if what the swap replaced was still the expired value.
    if (await readLive(key)) return false;
    const previous = (await kvs.set(key, value, {
      ...ttlOption(options?.ttlSeconds),
      keyPolicy: 'OVERRIDE',
      returnValue: 'PREVIOUS',
      returnMetadataFields: [MetadataField.EXPIRE_TIME],
    })) as Stored<unknown> | undefined;
    if (previous === undefined || expired(previous.expireTime)) return true;
    // Another caller took the key between the read and the swap: give its value back and lose.
    await kvs.set(key, previous.value, remainingTtl(previous.expireTime));
    return false;
  },
  delete: (key: string) => kvs.delete(key),
  query: async <T>(prefix: string, options?: { limit?: number; cursor?: string }) => {
    let builder = kvs.query(withExpiry()).where('key', WhereConditions.beginsWith(prefix)).limit(Math.min(options?.limit ?? 100, 100));
    if (options?.cursor) builder = builder.cursor(options.cursor);
    const page = await builder.getMany<T>();
    return {
      results: page.results.filter((r) => !expired(r.expireTime)).map((r) => ({ key: r.key, value: r.value })),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  },
};

export const forgeSecretStore: SecretStore = {
  get: <T>(key: string) => kvs.getSecret<T>(key),
  set: async <T>(key: string, value: T) => {
    await kvs.setSecret(key, value);
  },
  delete: (key: string) => kvs.deleteSecret(key),
};

/** KVS refused the request because the installation is over its read/write rate. */
export const isStorageRateLimited = (error: unknown): boolean =>
  error instanceof ForgeKvsAPIError && (error.responseDetails.status === 429 || error.code === 'RATE_LIMIT_EXCEEDED');
