import {
  MAX_ATTEMPTS,
  MAX_RETRY_AFTER_SECONDS,
  RETRY_SCHEDULE_SECONDS,
  planNextAttempt,
  type FailedOutcome,
} from '../../../src/domain/delivery';

const HTTP_503: FailedOutcome = { kind: 'retry', errorClass: 'http', httpStatus: 503, message: 'HTTP 503 from receiver.' };
const ALMOST_ONE = 0.9999999;
const DAY = 24 * 3600;

function totalHorizon(random: number): number {
  let total = 0;
  for (let attempt = 1; ; attempt += 1) {
    const plan = planNextAttempt({ attemptNumber: attempt, outcome: HTTP_503, random });
    if ('giveUp' in plan) {
      expect(plan.giveUp).toBe('attempts-exhausted');
      expect(attempt).toBe(MAX_ATTEMPTS);
      return total;
    }
    total += plan.retryInSeconds;
  }
}

describe('retry schedule', () => {
  it('makes 10 attempts, the first at once', () => {
    expect(MAX_ATTEMPTS).toBe(10);
    expect(RETRY_SCHEDULE_SECONDS).toEqual([30, 120, 600, 1800, 3600, 7200, 14400, 28800, 57600]);
  });

  it.each([
    ['every jitter at -20 %', 0],
    ['no jitter', 0.5],
    ['every jitter at +20 %', ALMOST_ONE],
  ])('spans at least 24 h with %s', (_label, random) => {
    expect(totalHorizon(random)).toBeGreaterThanOrEqual(DAY);
  });

  it.each(RETRY_SCHEDULE_SECONDS.map((base, index) => [index + 1, base] as const))('after attempt %i waits %i s ±20 %', (attemptNumber, base) => {
    const low = planNextAttempt({ attemptNumber, outcome: HTTP_503, random: 0 });
    const mid = planNextAttempt({ attemptNumber, outcome: HTTP_503, random: 0.5 });
    const high = planNextAttempt({ attemptNumber, outcome: HTTP_503, random: ALMOST_ONE });
    expect(low).toEqual({ retryInSeconds: Math.round(base * 0.8) });
    expect(mid).toEqual({ retryInSeconds: base });
    expect('retryInSeconds' in high && high.retryInSeconds).toBeLessThanOrEqual(Math.round(base * 1.2));
    expect('retryInSeconds' in high && high.retryInSeconds).toBeGreaterThan(base * 1.19);
  });

  it('gives up after the 10th attempt', () => {
    expect(planNextAttempt({ attemptNumber: 10, outcome: HTTP_503, random: 0.5 })).toEqual({ giveUp: 'attempts-exhausted' });
  });

  it('stops at once on permanent and disable outcomes', () => {
    expect(planNextAttempt({ attemptNumber: 1, outcome: { kind: 'permanent', errorClass: 'http', httpStatus: 400, message: 'x' }, random: 0.5 })).toEqual({ giveUp: 'permanent-failure' });
    expect(planNextAttempt({ attemptNumber: 1, outcome: { kind: 'disable', errorClass: 'http', httpStatus: 410, message: 'x' }, random: 0.5 })).toEqual({ giveUp: 'endpoint-disabled' });
  });

  it('refuses a nonsense attempt number', () => {
    expect(() => planNextAttempt({ attemptNumber: 0, outcome: HTTP_503, random: 0.5 })).toThrow(RangeError);
  });
});

describe('Retry-After and overload', () => {
  it('never retries earlier than Retry-After', () => {
    const outcome: FailedOutcome = { ...HTTP_503, retryAfterSeconds: 300 };
    expect(planNextAttempt({ attemptNumber: 1, outcome, random: ALMOST_ONE })).toEqual({ retryInSeconds: 300 });
  });

  it('keeps the schedule when Retry-After asks for less', () => {
    const outcome: FailedOutcome = { ...HTTP_503, retryAfterSeconds: 5 };
    expect(planNextAttempt({ attemptNumber: 3, outcome, random: 0.5 })).toEqual({ retryInSeconds: 600 });
  });

  it('caps Retry-After at 8 h', () => {
    const outcome: FailedOutcome = { ...HTTP_503, retryAfterSeconds: 7 * DAY };
    expect(planNextAttempt({ attemptNumber: 1, outcome, random: 0.5 })).toEqual({ retryInSeconds: MAX_RETRY_AFTER_SECONDS });
  });

  it('an explicit retryAfterSeconds overrides the outcome', () => {
    expect(planNextAttempt({ attemptNumber: 1, outcome: HTTP_503, retryAfterSeconds: 120, random: 0.5 })).toEqual({ retryInSeconds: 120 });
  });

  it.each([
    ['a 429', { kind: 'retry', errorClass: 'http', httpStatus: 429, message: 'x' }],
    ['a timeout', { kind: 'retry', errorClass: 'timeout', message: 'x' }],
  ] as [string, FailedOutcome][])('waits at least 60 s after %s', (_label, outcome) => {
    expect(planNextAttempt({ attemptNumber: 1, outcome, random: 0 })).toEqual({ retryInSeconds: 60 });
  });
});
