import { deliveryTaskSchema } from '../app/delivery/job';
import { getServices } from '../platform/container';
import { retryLater, retryOnPlatformLimits } from './retry';

interface QueuedEvent {
  body?: unknown;
}

/** Consumer of the webhook-delivery queue: one delivery job per event. */
export const deliverWebhooks = async (event: QueuedEvent) => {
  const { deliverJob, logger } = getServices();
  const task = deliveryTaskSchema.safeParse(event.body);
  if (!task.success) {
    logger.error('Dropped a delivery task of unexpected shape', { problem: task.error.issues[0]?.message });
    return;
  }
  return retryOnPlatformLimits(async () => {
    const result = await deliverJob.run(task.data);
    return result.status === 'wait' ? retryLater(result.retryAfterSeconds) : undefined;
  });
};
