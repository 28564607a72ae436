import { InvocationErrorCode } from '@forge/events';
import { fromProductEvent } from '../domain/events';
import { getServices } from '../platform/container';
import { isStorageRateLimited } from '../platform/forge-kvs-store';
import { retryLater } from './retry';
import { errorMessage } from '../app/error-message';

/**
 * Forge retries a product-event trigger at most 4 times, each after at most 900 s (Forge docs,
 * events-reference/product_events). A retry is asked for when KVS refused the write, which in a burst
 * means the installation's 4,000 write units of this minute are spent: retries are spread at random over
 * the whole of what Forge allows (retry n: between the n-th base delay and 900 s), so a burst's refused
 * writes come back over some 15 minutes per round instead of all in the next minute (docs/benchmarks.md,
 * "Bursts").
 */
export const TRIGGER_RETRY_BASE_SECONDS = [60, 120, 240, 480];
export const TRIGGER_RETRY_MAX_SECONDS = 900;

/** Any other failure (not the quota) is retried soon after its base delay, with a little jitter. */
const OTHER_FAILURE_JITTER_SECONDS = 30;

/**
 * The delay of retry number `retry` (0-based) for a uniform `random` in [0, 1): spread up to 900 s when
 * KVS refused the write for its quota (`spread`), else the base delay plus up to 30 s.
 */
export const triggerRetryDelaySeconds = (retry: number, random: number, spread = true): number => {
  const base = TRIGGER_RETRY_BASE_SECONDS[Math.min(retry, TRIGGER_RETRY_BASE_SECONDS.length - 1)] as number;
  return base + Math.floor(random * (spread ? TRIGGER_RETRY_MAX_SECONDS - base : OTHER_FAILURE_JITTER_SECONDS));
};

const retryCountOf = (event: unknown): number => {
  if (typeof event !== 'object' || event === null || !('retryContext' in event)) return 0;
  const context = event.retryContext;
  if (typeof context !== 'object' || context === null || !('retryCount' in context)) return 0;
  return typeof context.retryCount === 'number' ? context.retryCount : 0;
};

const eventTypeOf = (event: unknown): string =>
  typeof event === 'object' && event !== null && 'eventType' in event ? String(event.eventType) : 'unknown';

/** Forge retries a product-event trigger at most 4 times: the invocation with this retryCount is the last. */
const LAST_TRIGGER_TRY = 4;

/** What the raw payload says about its object, for a set-aside record (an issue key, a project key...). */
const subjectOf = (event: unknown): string | undefined => {
  if (typeof event !== 'object' || event === null) return undefined;
  for (const name of ['issue', 'project', 'comment', 'worklog', 'attachment', 'version', 'sprint', 'board', 'user', 'field', 'issueType', 'filter']) {
    const value = (event as Record<string, unknown>)[name];
    if (typeof value !== 'object' || value === null) continue;
    const ref = value as Record<string, unknown>;
    const label = [ref.key, ref.id, ref.name].find((part) => typeof part === 'string' || typeof part === 'number');
    if (label !== undefined) return `${name} ${String(label)}`.slice(0, 200);
  }
  return undefined;
};


/**
 * Normalises and records one Forge product event, nothing more (triggers get 25 s). Nothing is dropped
 * silently: an event the app cannot read, or one it could not store by its last try, becomes a set-aside
 * record (listed by events.setAside) and an app.event.set_aside event. A failure to store asks Forge for a
 * retry (Forge does not retry a thrown error): when KVS refuses it (over 4000 writes a minute in a
 * burst), nothing was recorded, so a retry cannot duplicate the event. The retries are spread over up to
 * 15 minutes each (triggerRetryDelaySeconds) so a burst that overflows one minute lands in the next ones.
 */
export const recordProductEvent = async (event: unknown, eventType?: string) => {
  const { outbox, clock, logger, ids, handOver } = getServices();
  const retry = retryCountOf(event);
  const retryLaterFor = (error: unknown) => {
    const limited = isStorageRateLimited(error);
    const delay = triggerRetryDelaySeconds(retry, ids.random(), limited);
    return limited ? retryLater(delay, InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED) : retryLater(delay);
  };
  const jiraEventType = eventType ?? eventTypeOf(event);
  let normalised: ReturnType<typeof fromProductEvent>;
  try {
    normalised = fromProductEvent(event, { receivedAt: clock.now(), ...(eventType ? { eventType } : {}) });
  } catch (error) {
    // The normaliser answers malformed input as a value; a throw is a bug, and still no reason to lose the event silently.
    normalised = { ok: false, error: `the normaliser failed: ${errorMessage(error)}` };
  }
  if (!normalised.ok) {
    logger.error('Skipped a Jira event that could not be read: it is set aside (events.setAside, app.event.set_aside)', { eventType: jiraEventType, problem: normalised.error });
    try {
      await outbox.setAside.record({ stage: 'trigger', reason: `The app could not read this Jira event: ${normalised.error}`, jiraEventType, ...(subjectOf(event) ? { subject: subjectOf(event) } : {}) });
    } catch (error) {
      if (retry < LAST_TRIGGER_TRY) return retryLaterFor(error);
      logger.error('Could not read a Jira event, nor record that it was set aside', { eventType: jiraEventType, problem: normalised.error, error: errorMessage(error) });
      return undefined;
    }
    await outbox.requestDrainQuietly();
    return undefined;
  }
  try {
    await outbox.record([normalised.event]);
  } catch (error) {
    // Forge retries a trigger only when it returns InvocationError (a thrown error ends the event), so
    // every failure to record asks for a retry. A retry after a write that did land records the event
    // twice under the same id, which the drain drops; not asking would lose it.
    const eventType = normalised.event.data.original.eventType;
    if (retry < LAST_TRIGGER_TRY) {
      if (isStorageRateLimited(error)) logger.warn('Storage busy: Forge will deliver this Jira event again', { eventType, retry });
      else logger.error('Could not record a Jira event: Forge will deliver it again', { eventType, retry, problem: errorMessage(error) });
      return retryLaterFor(error);
    }
    // Forge will not call again. The event goes to the pipeline queue instead (a push writes nothing to
    // KVS, and the consumer that records it is retried by Forge for up to 24 h); only if the queue
    // refuses too is it set aside, listed with its reason.
    try {
      await handOver(normalised.event, triggerRetryDelaySeconds(0, ids.random()));
      logger.warn('App storage refused a Jira event 5 times: it is handed to the pipeline queue, which records it later', { eventType, eventId: normalised.event.id });
      return undefined;
    } catch (pushError) {
      logger.error('Could not hand a Jira event to the pipeline queue either', { eventType, eventId: normalised.event.id, problem: errorMessage(pushError) });
    }
    try {
      await outbox.setAside.record({
        stage: 'outbox',
        reason: `App storage did not accept the event in ${retry + 1} tries: ${errorMessage(error)}`,
        eventId: normalised.event.id,
        eventType: normalised.event.type,
        ...(eventType ? { jiraEventType: eventType } : {}),
        subject: normalised.event.data.summary,
      });
    } catch (again) {
      logger.error('Could not record a Jira event in 5 tries, nor record that it was set aside', { eventType, eventId: normalised.event.id, problem: errorMessage(again) });
      return undefined;
    }
  }
  // Recorded: from here on nothing may fail the invocation (a retry would record the event again).
  await outbox.requestDrainQuietly();
  return undefined;
};

/** Product-event trigger (manifest: jira-audit-events, jsm-config-events). */
export const onJiraEvent = (event: unknown) => recordProductEvent(event);
