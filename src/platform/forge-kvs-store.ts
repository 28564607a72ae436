import { kvs, WhereConditions, ForgeKvsAPIError } from '@forge/kvs';
import type { KeyValueStore, SecretStore } from '../app/ports';

const ttlOption = (ttlSeconds?: number) =>
  ttlSeconds === undefined ? {} : { ttl: { value: Math.max(1, Math.ceil(ttlSeconds)), unit: 'SECONDS' as const } };

/** Forge answers a FAIL_IF_EXISTS write on an existing key with a conflict. */
const isKeyExists = (error: unknown): boolean =>
  error instanceof ForgeKvsAPIError &&
  (error.responseDetails.status === 409 || /EXIST|CONFLICT|PRECONDITION/i.test(error.code));

export const forgeKeyValueStore: KeyValueStore = {
  get: <T>(key: string) => kvs.get<T>(key),
  set: async <T>(key: string, value: T, options?: { ttlSeconds?: number }) => {
    await kvs.set(key, value, ttlOption(options?.ttlSeconds));
  },
  setIfAbsent: async <T>(key: string, value: T, options?: { ttlSeconds?: number }) => {
    try {
      await kvs.set(key, value, { ...ttlOption(options?.ttlSeconds), keyPolicy: 'FAIL_IF_EXISTS' });
      return true;
    } catch (error) {
      if (isKeyExists(error)) return false;
      throw error;
    }
  },
  delete: (key: string) => kvs.delete(key),
  query: async <T>(prefix: string, options?: { limit?: number; cursor?: string }) => {
    let builder = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(Math.min(options?.limit ?? 100, 100));
    if (options?.cursor) builder = builder.cursor(options.cursor);
    const page = await builder.getMany<T>();
    return {
      results: page.results.map((r) => ({ key: r.key, value: r.value })),
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
