import { z } from 'zod';
import { pipelineEventSchema } from '../app/pipeline/audit-event';
import { getServices } from '../platform/container';
import { retryLater, retryOnPlatformLimits } from './retry';

/**
 * An audit-pipeline queue event: a drain run, queued by a trigger (no chain) or by the drain itself (its
 * chain token); or an event a trigger could not record in its five tries (`record`), to record now.
 */
const pipelineMessageSchema = z.looseObject({
  body: z.looseObject({ chain: z.string().max(64).optional(), record: z.unknown().optional() }).optional(),
});

/** Consumer of the audit-pipeline queue: records handed-over events, and fans the outbox out into delivery jobs. */
export const drainOutbox = async (event: unknown) =>
  retryOnPlatformLimits(async () => {
    const { drain, outbox, logger } = getServices();
    const parsed = pipelineMessageSchema.safeParse(event);
    const body = parsed.success ? parsed.data.body : undefined;
    if (body?.record !== undefined) {
      const record = pipelineEventSchema.safeParse(body.record);
      if (!record.success) {
        logger.error('Dropped a handed-over event of unexpected shape', { problem: record.error.issues[0]?.message });
        return undefined;
      }
      // A failure to record throws: KVS over its rate becomes a retry (retryOnPlatformLimits), anything
      // else a thrown error that Forge retries for up to 24 h. A repeat is dropped by the drain by its id.
      await outbox.accept([record.data]);
      return undefined;
    }
    // An unreadable body is still a request to drain, only not part of a chain.
    const result = await drain.run(body?.chain);
    return result.status === 'continue' ? retryLater(result.retryAfterSeconds) : undefined;
  });
