import { z } from 'zod';
import { getServices } from '../platform/container';
import { retryLater, retryOnPlatformLimits } from './retry';

/** A drain run's queue event: queued by a trigger (no chain) or by the drain itself (its chain token). */
const drainEventSchema = z.object({ body: z.object({ chain: z.string().max(64).optional() }).passthrough().optional() }).passthrough();

/** Consumer of the audit-pipeline queue: fans the outbox out into delivery jobs. */
export const drainOutbox = async (event: unknown) =>
  retryOnPlatformLimits(async () => {
    const parsed = drainEventSchema.safeParse(event);
    // An unreadable body is still a request to drain, only not part of a chain.
    const chain = parsed.success ? parsed.data.body?.chain : undefined;
    const result = await getServices().drain.run(chain);
    return result.status === 'continue' ? retryLater(result.retryAfterSeconds) : undefined;
  });
