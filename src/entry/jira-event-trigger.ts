import { InvocationErrorCode } from '@forge/events';
import { fromProductEvent } from '../domain/events';
import { getServices } from '../platform/container';
import { isStorageRateLimited } from '../platform/forge-kvs-store';
import { retryLater } from './retry';

/** Forge retries a product-event trigger at most 4 times: spread them over about 15 minutes. */
const TRIGGER_RETRY_SECONDS = [60, 120, 240, 480];
const RETRY_JITTER_SECONDS = 30;

const retryCountOf = (event: unknown): number => {
  if (typeof event !== 'object' || event === null || !('retryContext' in event)) return 0;
  const context = event.retryContext;
  if (typeof context !== 'object' || context === null || !('retryCount' in context)) return 0;
  return typeof context.retryCount === 'number' ? context.retryCount : 0;
};

const eventTypeOf = (event: unknown): string =>
  typeof event === 'object' && event !== null && 'eventType' in event ? String(event.eventType) : 'unknown';

/**
 * Normalises and records one Forge product event, nothing more (triggers get 25 s). A malformed payload
 * is logged as a clear error and skipped. The one write that records the event is the only step whose
 * failure asks Forge for a retry (Forge does not retry a thrown error): when KVS refuses it (over 4000
 * writes a minute in a burst), nothing was recorded, so a retry cannot duplicate the event. The retries are spread (60, 120, 240, 480 s plus
 * jitter) so a burst that overflows one minute lands in the next ones instead of all at once.
 */
export const recordProductEvent = async (event: unknown, eventType?: string) => {
  const { outbox, clock, logger, ids } = getServices();
  const normalised = fromProductEvent(event, { receivedAt: clock.now(), ...(eventType ? { eventType } : {}) });
  if (!normalised.ok) {
    logger.error('Skipped a Jira event that could not be read', { eventType: eventType ?? eventTypeOf(event), problem: normalised.error });
    return;
  }
  try {
    await outbox.record([normalised.event]);
  } catch (error) {
    // Forge retries a trigger only when it returns InvocationError (a thrown error ends the event), so
    // every failure to record asks for a retry. A retry after a write that did land records the event
    // twice under the same id, which the drain drops; not asking would lose it.
    const retry = retryCountOf(event);
    const base = TRIGGER_RETRY_SECONDS[Math.min(retry, TRIGGER_RETRY_SECONDS.length - 1)] as number;
    const eventType = normalised.event.data.original.eventType;
    if (isStorageRateLimited(error)) {
      logger.warn('Storage busy: Forge will deliver this Jira event again', { eventType, retry });
      return retryLater(base + Math.floor(ids.random() * RETRY_JITTER_SECONDS), InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED);
    }
    logger.error('Could not record a Jira event: Forge will deliver it again', { eventType, retry, problem: error instanceof Error ? error.message : String(error) });
    return retryLater(base + Math.floor(ids.random() * RETRY_JITTER_SECONDS));
  }
  // Recorded: from here on nothing may fail the invocation (a retry would record the event again).
  await outbox.requestDrainQuietly();
  return undefined;
};

/** Product-event trigger (manifest: jira-audit-events, jsm-config-events). */
export const onJiraEvent = (event: unknown) => recordProductEvent(event);
