import { getServices } from '../platform/container';
import { retryLater, retryOnPlatformLimits } from './retry';

/** Consumer of the audit-pipeline queue: fans the outbox out into delivery jobs. */
export const drainOutbox = async () =>
  retryOnPlatformLimits(async () => {
    const result = await getServices().drain.run();
    return result.status === 'continue' ? retryLater(result.retryAfterSeconds) : undefined;
  });
