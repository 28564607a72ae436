import type { FailedOutcome } from './outcome';

/**
 * Seconds to wait after attempt n (index n-1) before attempt n+1; attempt 1 goes out at once.
 * 10 attempts. The shape follows the brief (30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, ...),
 * but the last gap is 16 h, not 8 h: with 8 h the nominal horizon is 23 h 42 min and, with every
 * jitter at -20 %, 19 h; with 16 h the last attempt is at least 25 h 22 min after the first whatever
 * the jitter (nominal 31 h 42 min), so a receiver down for a full day still gets its messages.
 */
export const RETRY_SCHEDULE_SECONDS: readonly number[] = [30, 120, 600, 1_800, 3_600, 7_200, 14_400, 28_800, 57_600];

export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length + 1;

/** ±20 %, as Svix: spreads the retries of a burst that failed together. */
export const JITTER_FRACTION = 0.2;

/**
 * Retry-After is honoured (we never come back earlier than asked) up to 8 h; a receiver asking for
 * more is still retried after 8 h rather than dropping messages or stalling the queue for days.
 */
export const MAX_RETRY_AFTER_SECONDS = 8 * 3_600;

/** After a 429 or a timeout the receiver is overloaded: give it at least a minute (Svix's penalty). */
export const OVERLOAD_MIN_DELAY_SECONDS = 60;

export type GiveUpReason = 'permanent-failure' | 'endpoint-disabled' | 'attempts-exhausted';
export type NextAttemptPlan = { retryInSeconds: number } | { giveUp: GiveUpReason };

export interface PlanNextAttemptInput {
  /** The number of the attempt that just failed, from 1. */
  attemptNumber: number;
  outcome: FailedOutcome;
  /** Overrides outcome.retryAfterSeconds (e.g. parsed elsewhere). */
  retryAfterSeconds?: number;
  /** Uniform in [0, 1), from IdSource.random(): injected so plans are reproducible in tests. */
  random: number;
}

export function planNextAttempt(input: PlanNextAttemptInput): NextAttemptPlan {
  const { outcome } = input;
  if (outcome.kind === 'permanent') return { giveUp: 'permanent-failure' };
  if (outcome.kind === 'disable') return { giveUp: 'endpoint-disabled' };
  if (!Number.isInteger(input.attemptNumber) || input.attemptNumber < 1) {
    throw new RangeError(`attemptNumber must be a whole number from 1, got ${input.attemptNumber}.`);
  }
  const base = RETRY_SCHEDULE_SECONDS[input.attemptNumber - 1];
  if (base === undefined) return { giveUp: 'attempts-exhausted' };

  let delay = jittered(base, input.random);
  const overloaded = outcome.errorClass === 'timeout' || outcome.httpStatus === 429;
  if (overloaded) delay = Math.max(delay, OVERLOAD_MIN_DELAY_SECONDS);
  const retryAfter = input.retryAfterSeconds ?? outcome.retryAfterSeconds;
  if (retryAfter !== undefined && Number.isFinite(retryAfter)) {
    delay = Math.max(delay, Math.min(Math.ceil(retryAfter), MAX_RETRY_AFTER_SECONDS));
  }
  return { retryInSeconds: delay };
}

/** base scaled by a factor in [1 - 20 %, 1 + 20 %), whole seconds, at least 1. */
export function jittered(baseSeconds: number, random: number): number {
  const unit = Math.min(Math.max(random, 0), 1);
  const factor = 1 + (2 * unit - 1) * JITTER_FRACTION;
  return Math.max(1, Math.round(baseSeconds * factor));
}
