import { fromProductEvent } from '../domain/events';
import { getServices } from '../platform/container';
import { retryOnPlatformLimits } from './retry';

/**
 * Product-event trigger: normalise and record, nothing more (triggers get 25 s). A malformed payload is
 * logged as a clear error and skipped; a KVS rate limit asks Forge to retry the trigger later.
 */
export const onJiraEvent = async (event: unknown) => {
  const { outbox, clock, logger } = getServices();
  const normalised = fromProductEvent(event, { receivedAt: clock.now() });
  if (!normalised.ok) {
    const eventType = typeof event === 'object' && event !== null && 'eventType' in event ? String(event.eventType) : 'unknown';
    logger.error('Skipped a Jira event that could not be read', { eventType, problem: normalised.error });
    return;
  }
  return retryOnPlatformLimits(() => outbox.accept([normalised.event]));
};
