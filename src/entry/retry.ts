import { InvocationError, InvocationErrorCode } from '@forge/events';
import { QueueUnavailableError } from '../platform/forge-queue';
import { isStorageRateLimited } from '../platform/forge-kvs-store';

/** Asks Forge to call again later (at most 900 s): the platform keeps the event, nothing is lost. */
export const retryLater = (seconds: number, reason = InvocationErrorCode.FUNCTION_RETRY_REQUEST): InvocationError =>
  new InvocationError({ retryAfter: Math.min(900, Math.max(1, Math.ceil(seconds))), retryReason: reason });

/**
 * Platform limits (KVS rate, queue rate) are transient: the invocation is retried after a pause instead
 * of failing. Anything else is a bug and is thrown, so Forge retries it and the logs show it.
 */
export const retryOnPlatformLimits = async <T>(work: () => Promise<T>): Promise<T | InvocationError> => {
  try {
    return await work();
  } catch (error) {
    if (isStorageRateLimited(error) || (error instanceof QueueUnavailableError && error.rateLimited)) {
      return retryLater(60, InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED);
    }
    throw error;
  }
};
