import { parseAdminInput } from '../../../src/contract';
import type { FailedOutcome } from '../../../src/domain/delivery/outcome';
import { describeRetryPolicy, exhaustedNote, planNextAttemptFor, type WebhookRetryPolicy } from '../../../src/domain/delivery/webhook-retry-policy';

const unavailable: FailedOutcome = { kind: 'retry', errorClass: 'http', httpStatus: 503, message: 'HTTP 503' };
const fixed60x3: WebhookRetryPolicy = { mode: 'fixed', intervalSeconds: 60, retries: 3 };

const create = (retryPolicy: unknown) =>
  parseAdminInput('webhooks.create', { kind: 'custom', name: 'Retry', url: 'https://siem.example.com/hook', events: ['*'], retryPolicy });
const fieldsOf = (retryPolicy: unknown): Record<string, string> => {
  const parsed = create(retryPolicy);
  if (parsed.ok) throw new Error('expected a validation failure');
  expect(parsed.error.code).toBe('VALIDATION');
  return parsed.error.fields ?? {};
};

describe('webhook retry policy: planning', () => {
  it('fixed 60 s x 3 retries: exactly 60 s after attempts 1, 2 and 3 (whatever the random draw), then gives up', () => {
    for (const random of [0, 0.5, 0.999]) {
      expect([1, 2, 3].map((attemptNumber) => planNextAttemptFor({ policy: fixed60x3, attemptNumber, outcome: unavailable, random }))).toEqual([
        { retryInSeconds: 60 },
        { retryInSeconds: 60 },
        { retryInSeconds: 60 },
      ]);
      expect(planNextAttemptFor({ policy: fixed60x3, attemptNumber: 4, outcome: unavailable, random })).toEqual({ giveUp: 'attempts-exhausted' });
    }
  });

  it('fixed: a longer Retry-After or the overload minute wins; a shorter one does not shorten the interval', () => {
    const policy: WebhookRetryPolicy = { mode: 'fixed', intervalSeconds: 10, retries: 2 };
    expect(planNextAttemptFor({ policy, attemptNumber: 1, outcome: { ...unavailable, retryAfterSeconds: 120 }, random: 0 })).toEqual({ retryInSeconds: 120 });
    expect(planNextAttemptFor({ policy: fixed60x3, attemptNumber: 1, outcome: { ...unavailable, retryAfterSeconds: 5 }, random: 0 })).toEqual({ retryInSeconds: 60 });
    expect(planNextAttemptFor({ policy, attemptNumber: 1, outcome: { ...unavailable, httpStatus: 429 }, random: 0 })).toEqual({ retryInSeconds: 60 });
    expect(planNextAttemptFor({ policy, attemptNumber: 1, outcome: { kind: 'retry', errorClass: 'timeout', message: 'timed out' }, random: 0 })).toEqual({ retryInSeconds: 60 });
  });

  it('none: the first failure is final; permanent failures and a disabled endpoint are never retried in any mode', () => {
    expect(planNextAttemptFor({ policy: { mode: 'none' }, attemptNumber: 1, outcome: unavailable, random: 0 })).toEqual({ giveUp: 'attempts-exhausted' });
    for (const policy of [undefined, { mode: 'default' } as const, fixed60x3, { mode: 'none' } as const]) {
      expect(planNextAttemptFor({ policy, attemptNumber: 1, outcome: { kind: 'permanent', errorClass: 'http', httpStatus: 400, message: 'HTTP 400' }, random: 0 })).toEqual({ giveUp: 'permanent-failure' });
      expect(planNextAttemptFor({ policy, attemptNumber: 1, outcome: { kind: 'disable', errorClass: 'http', httpStatus: 410, message: 'HTTP 410' }, random: 0 })).toEqual({ giveUp: 'endpoint-disabled' });
    }
  });

  it('default (or no policy): today\'s schedule, 30 s ± 20 % after the first attempt, gives up after the tenth', () => {
    for (const policy of [undefined, { mode: 'default' } as const]) {
      expect(planNextAttemptFor({ policy, attemptNumber: 1, outcome: unavailable, random: 0.5 })).toEqual({ retryInSeconds: 30 });
      expect(planNextAttemptFor({ policy, attemptNumber: 10, outcome: unavailable, random: 0.5 })).toEqual({ giveUp: 'attempts-exhausted' });
    }
  });

  it('says the policy and the give-up in words', () => {
    expect(describeRetryPolicy(fixed60x3)).toBe('Retries every 60 s, 3 times');
    expect(describeRetryPolicy({ mode: 'none' })).toBe('No retries');
    expect(describeRetryPolicy(undefined)).toMatch(/^Default retries/);
    expect(exhaustedNote(fixed60x3)).toBe("Gave up after 3 retries (the webhook's retry policy)");
    expect(exhaustedNote({ mode: 'none' })).toMatch(/no retries/);
  });
});

describe('webhook retry policy: input', () => {
  it('accepts the three modes', () => {
    for (const policy of [{ mode: 'default' }, { mode: 'none' }, { mode: 'fixed', intervalSeconds: 60, retries: 3 }, { mode: 'fixed', intervalSeconds: 86_400, retries: 4 }]) {
      expect(create(policy).ok).toBe(true);
    }
  });

  it('refuses bad policies naming the field and what to enter', () => {
    expect(fieldsOf({ mode: 'fixed', intervalSeconds: 5, retries: 3 })['retryPolicy.intervalSeconds']).toBe('Use at least 10 for the seconds between retries.');
    expect(fieldsOf({ mode: 'fixed', intervalSeconds: 100_000, retries: 3 })['retryPolicy.intervalSeconds']).toBe('Use at most 86400 for the seconds between retries.');
    expect(fieldsOf({ mode: 'fixed', intervalSeconds: 60, retries: 21 })['retryPolicy.retries']).toBe('Use at most 20 for the retries after the first try.');
    expect(fieldsOf({ mode: 'fixed', intervalSeconds: 60, retries: 1.5 })['retryPolicy.retries']).toMatch(/whole number/);
    expect(fieldsOf({ mode: 'fixed', intervalSeconds: 60 })['retryPolicy.retries']).toMatch(/whole number from 1 to 20/);
    // 20 retries a day apart go past the 4-day horizon.
    expect(fieldsOf({ mode: 'fixed', intervalSeconds: 86_400, retries: 20 })['retryPolicy.retries']).toMatch(/480 hours; keep it within 96 hours/);
    const mode = Object.entries(fieldsOf({ mode: 'often' }));
    expect(mode).toHaveLength(1);
    expect(mode[0]?.[0]).toMatch(/^retryPolicy/);
    expect(mode[0]?.[1]).toBe("Choose the retry policy's mode: 'default', 'fixed' or 'none'.");
    expect(Object.keys(fieldsOf({ mode: 'none', retries: 2 }))[0]).toMatch(/^retryPolicy/);
  });
});
