import { ApiFailure } from '../../contract/envelope';
import type { KeyValueStore } from '../ports';
import { CONFIG_LOCK_KEY } from './webhook-repository';

/** Long enough for one resolver call (25 s), short enough that a crashed call frees it soon. */
const LOCK_TTL_SECONDS = 30;

/**
 * Runs one admin change while holding the config lock. KVS has no compare-and-set, so without it two
 * admins could both pass the version check (or both take the same name) before either writes.
 * Admin changes are rare, so a busy lock answers CONFLICT rather than waiting.
 */
export async function withConfigLock<T>(kvs: KeyValueStore, owner: string, change: () => Promise<T>): Promise<T> {
  const acquired = await kvs.setIfAbsent(CONFIG_LOCK_KEY, { owner }, { ttlSeconds: LOCK_TTL_SECONDS });
  if (!acquired) {
    throw new ApiFailure('CONFLICT', 'Another webhook change is being saved right now. Wait a few seconds, reload, and try again.');
  }
  try {
    return await change();
  } finally {
    await kvs.delete(CONFIG_LOCK_KEY);
  }
}
