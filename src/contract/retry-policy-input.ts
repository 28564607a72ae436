import { z } from 'zod';
import {
  FIXED_INTERVAL_MAX_SECONDS,
  FIXED_INTERVAL_MIN_SECONDS,
  FIXED_RETRIES_MAX,
  fixedHorizonProblem,
} from '../domain/delivery/webhook-retry-policy';
import { wholeNumber } from './fields';

const modeError = "Choose the retry policy's mode: 'default', 'fixed' or 'none'.";

/**
 * retryPolicy on webhooks.create/update: { mode: 'default' } | { mode: 'fixed', intervalSeconds, retries } | { mode: 'none' }.
 * `retries` counts the retries after the first try (3 retries: 4 tries in all).
 */
export const retryPolicySchema = z
  .discriminatedUnion(
    'mode',
    [
      z.strictObject({ mode: z.literal('default') }, { error: "Send the default policy as { mode: 'default' }." }),
      z.strictObject({ mode: z.literal('none') }, { error: "Send no retries as { mode: 'none' }." }),
      z.strictObject(
        {
          mode: z.literal('fixed'),
          intervalSeconds: wholeNumber('the seconds between retries', FIXED_INTERVAL_MIN_SECONDS, FIXED_INTERVAL_MAX_SECONDS),
          retries: wholeNumber('the retries after the first try', 1, FIXED_RETRIES_MAX),
        },
        { error: "Send a fixed policy as { mode: 'fixed', intervalSeconds, retries }." },
      ),
    ],
    { error: modeError },
  )
  .superRefine((policy, ctx) => {
    if (policy.mode !== 'fixed') return;
    const problem = fixedHorizonProblem(policy.intervalSeconds, policy.retries);
    if (problem) ctx.addIssue({ code: 'custom', path: ['retries'], message: problem });
  });

export type RetryPolicyInput = z.input<typeof retryPolicySchema>;
