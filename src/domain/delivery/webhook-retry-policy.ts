import type { FailedOutcome } from './outcome';
import { MAX_RETRY_AFTER_SECONDS, OVERLOAD_MIN_DELAY_SECONDS, planNextAttempt, type NextAttemptPlan } from './retry-policy';

/**
 * How one webhook retries a failed delivery (issue 14, part 2). Absent on a record means 'default'.
 * - default: the app's schedule (retry-policy.ts: 9 retries over about 31 h, with jitter).
 * - fixed: `retries` retries after the first try, exactly `intervalSeconds` apart (no jitter: an admin
 *   who asks for "every 60 s" gets 60 s), so 3 retries make 4 tries in all.
 * - none: the first failure is final.
 * Permanent failures (4xx other than 408/429) and a disabled endpoint are never retried in any mode.
 */
export type WebhookRetryPolicy = { mode: 'default' } | { mode: 'fixed'; intervalSeconds: number; retries: number } | { mode: 'none' };

/** Below 10 s a failing receiver gets no time to recover and a burst of retries looks like a flood. */
export const FIXED_INTERVAL_MIN_SECONDS = 10;
/**
 * One day. Forge async events wait at most 900 s (delayInSeconds), so longer gaps are reached by
 * re-queueing in 15-minute hops (forge-hops.ts); a day is 96 hops, the same as the default schedule's longest gap needs.
 */
export const FIXED_INTERVAL_MAX_SECONDS = 86_400;
export const FIXED_RETRIES_MAX = 20;
/**
 * The last retry must come within 4 days of the first try: a webhook failing for 5 days is disabled
 * (health.ts), and each pending message keeps its job record and the hop chain alive until it ends.
 */
export const FIXED_HORIZON_MAX_SECONDS = 4 * 24 * 3_600;

/** The problem with a fixed policy as a whole (each number's own bounds are checked by the input schema). */
export function fixedHorizonProblem(intervalSeconds: number, retries: number): string | undefined {
  const horizon = intervalSeconds * retries;
  if (horizon <= FIXED_HORIZON_MAX_SECONDS) return undefined;
  return `Retries x interval comes to ${Math.round(horizon / 3_600)} hours; keep it within 96 hours (4 days): use fewer retries or a shorter interval.`;
}

export interface PlanWithPolicyInput {
  policy?: WebhookRetryPolicy | undefined;
  attemptNumber: number;
  outcome: FailedOutcome;
  random: number;
}

/** What follows a failed attempt under the webhook's policy. */
export function planNextAttemptFor(input: PlanWithPolicyInput): NextAttemptPlan {
  const { policy, outcome, attemptNumber, random } = input;
  if (!policy || policy.mode === 'default') return planNextAttempt({ attemptNumber, outcome, random });
  if (outcome.kind === 'permanent') return { giveUp: 'permanent-failure' };
  if (outcome.kind === 'disable') return { giveUp: 'endpoint-disabled' };
  if (policy.mode === 'none') return { giveUp: 'attempts-exhausted' };
  // Attempt n (from 1) is followed by retry n while n <= retries: retries + 1 tries in all.
  if (attemptNumber > policy.retries) return { giveUp: 'attempts-exhausted' };
  let delay = policy.intervalSeconds;
  // The receiver's own asks still win when they are longer: never back before Retry-After, and a
  // minute at least after a 429 or a timeout (as in the default schedule).
  if (outcome.errorClass === 'timeout' || outcome.httpStatus === 429) delay = Math.max(delay, OVERLOAD_MIN_DELAY_SECONDS);
  const retryAfter = outcome.retryAfterSeconds;
  if (retryAfter !== undefined && Number.isFinite(retryAfter)) delay = Math.max(delay, Math.min(Math.ceil(retryAfter), MAX_RETRY_AFTER_SECONDS));
  return { retryInSeconds: delay };
}

/** The policy in a few words for admins, e.g. "Retries every 60 s, 3 times". */
export function describeRetryPolicy(policy: WebhookRetryPolicy | undefined): string {
  if (!policy || policy.mode === 'default') return 'Default retries (up to 9 over about 31 hours)';
  if (policy.mode === 'none') return 'No retries';
  return `Retries every ${policy.intervalSeconds} s, ${policy.retries} ${policy.retries === 1 ? 'time' : 'times'}`;
}

/** The give-up note of a message whose retries ran out. */
export function exhaustedNote(policy: WebhookRetryPolicy | undefined): string {
  if (policy?.mode === 'none') return 'Not retried: this webhook has no retries';
  if (policy?.mode === 'fixed') return `Gave up after ${policy.retries} ${policy.retries === 1 ? 'retry' : 'retries'} (the webhook's retry policy)`;
  return 'Gave up after the last scheduled retry';
}
