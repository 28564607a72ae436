import type { DeliveryOutcome } from './outcome';

/**
 * Endpoint health as pure transitions over attempt results (one per request, not per event of a
 * batch). Timestamps are ISO strings so the value is stored in KVS and shown in WebhookView.health as is.
 *
 * - never-delivered: created or re-enabled, and no request has succeeded since. Failures count as for
 *   healthy (so a new webhook that never worked still turns failing).
 * - healthy: the last request succeeded, or failures are still a blip (fewer than 3 in a row and not yet
 *   15 minutes long; the seed vendors use the same 15 minutes).
 * - failing: 3 requests in a row failed (FAILING_AFTER_FAILURES), whatever their kind: a 5xx or a timeout,
 *   and also a permanent refusal such as 400 or 422. One refused message is that message's problem, but
 *   a receiver that refuses three in a row is refusing everything, which is an endpoint problem an admin
 *   must see now, not in 15 minutes (and a permanent answer is never retried, so the 15-minute clock alone
 *   could wait for the next event for hours). Or no success for 15 minutes since the first failure of the
 *   run (a slow trickle of events, one request every few minutes), or at once when an answer says the
 *   endpoint's configuration is wrong (PermanentOutcome.failsEndpoint).
 * - disabled: 5 days of continuous failure (Svix), or at once when the receiver says the endpoint is
 *   gone (410, archived Slack channel). Only an admin's re-enable leaves this state.
 *
 * A run of failures is "continuous" while no success comes between failures and no two failures are
 * more than 24 h apart: without attempts in between there is no evidence the endpoint stayed down
 * (a quiet site could otherwise be disabled by two blips five days apart).
 */
export type HealthState = 'never-delivered' | 'healthy' | 'failing' | 'disabled';

export interface EndpointHealth {
  state: HealthState;
  /** When the current state began (for failing: when the failure run began). */
  since?: string;
  /** Short human reason of the latest failure in the current run; never a secret or a full URL. */
  reason?: string;
  /** The first failure of the current continuous failure run. */
  failingSince?: string;
  lastFailureAt?: string;
  /** Failed requests in a row in the current run (absent: none, or stored before this was counted). */
  consecutiveFailures?: number;
}

export const FAILING_AFTER_SECONDS = 15 * 60;
/** Failed requests in a row that make an endpoint failing at once (a 400 to everything shows within 3 deliveries). */
export const FAILING_AFTER_FAILURES = 3;
export const DISABLE_AFTER_SECONDS = 5 * 24 * 3_600;
export const MAX_FAILURE_GAP_SECONDS = 24 * 3_600;

export function initialHealth(at: Date): EndpointHealth {
  return { state: 'healthy', since: at.toISOString() };
}

/** A webhook just created or re-enabled: nothing sent yet, so nothing to call healthy. */
export function neverDelivered(at: Date): EndpointHealth {
  return { state: 'never-delivered', since: at.toISOString() };
}

/** The transition for one attempt's outcome at time `at`. */
export function recordAttempt(health: EndpointHealth, outcome: DeliveryOutcome, at: Date): EndpointHealth {
  if (health.state === 'disabled') {
    // Late results of attempts already in flight must not silently re-enable an endpoint.
    return health;
  }
  if (outcome.kind === 'delivered') {
    if (health.state !== 'healthy') return initialHealth(at);
    // A blip that never turned into 'failing' does not restart "healthy since".
    if (health.failingSince === undefined) return health;
    return { state: 'healthy', since: health.since ?? at.toISOString() };
  }
  const atIso = at.toISOString();
  if (outcome.kind === 'disable') {
    return { state: 'disabled', since: atIso, reason: outcome.message, failingSince: health.failingSince ?? atIso, lastFailureAt: atIso };
  }
  const runContinues =
    health.failingSince !== undefined &&
    health.lastFailureAt !== undefined &&
    secondsBetween(health.lastFailureAt, at) <= MAX_FAILURE_GAP_SECONDS;
  const failingSince = runContinues && health.failingSince ? health.failingSince : atIso;
  const failedFor = secondsBetween(failingSince, at);
  const consecutiveFailures = (runContinues ? (health.consecutiveFailures ?? 1) : 0) + 1;
  if (failedFor >= DISABLE_AFTER_SECONDS) {
    return {
      state: 'disabled',
      since: atIso,
      reason: `Failing continuously for 5 days; last error: ${outcome.message}`,
      failingSince,
      lastFailureAt: atIso,
      consecutiveFailures,
    };
  }
  if (
    failedFor >= FAILING_AFTER_SECONDS ||
    consecutiveFailures >= FAILING_AFTER_FAILURES ||
    (outcome.kind === 'permanent' && outcome.failsEndpoint === true)
  ) {
    return { state: 'failing', since: failingSince, reason: outcome.message, failingSince, lastFailureAt: atIso, consecutiveFailures };
  }
  // A blip: the state (healthy, or never delivered) and its start stay as they were.
  const state = health.state === 'never-delivered' ? 'never-delivered' : 'healthy';
  const { since } = health;
  return {
    state,
    ...(since === undefined ? {} : { since }),
    reason: outcome.message,
    failingSince,
    lastFailureAt: atIso,
    consecutiveFailures,
  };
}

/**
 * The state to show at `now`, between attempts: a run that began 15 minutes ago with no success
 * since is failing even if the next retry is hours away. Disabling is never derived here: it stops
 * deliveries, so it happens only through recordAttempt and is stored.
 */
export function healthAt(health: EndpointHealth, now: Date): EndpointHealth {
  if ((health.state !== 'healthy' && health.state !== 'never-delivered') || health.failingSince === undefined || health.lastFailureAt === undefined) {
    return health;
  }
  if (secondsBetween(health.lastFailureAt, now) > MAX_FAILURE_GAP_SECONDS) return health;
  if (secondsBetween(health.failingSince, now) < FAILING_AFTER_SECONDS) return health;
  return { ...health, state: 'failing', since: health.failingSince };
}

/** An admin re-enabled the endpoint: start afresh, with nothing delivered yet. */
export function reenable(at: Date): EndpointHealth {
  return neverDelivered(at);
}

function secondsBetween(fromIso: string, to: Date): number {
  return (to.getTime() - Date.parse(fromIso)) / 1000;
}
