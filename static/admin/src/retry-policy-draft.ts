/**
 * The retry policy's part of the form's draft (issue 14): the mode and the two numbers as typed, and
 * what create and update send. Bounds mirror the backend's (src/domain/delivery/webhook-retry-policy.ts),
 * which checks them again.
 */
import { FIXED_INTERVAL_MAX_SECONDS, FIXED_INTERVAL_MIN_SECONDS, FIXED_RETRIES_MAX, fixedHorizonProblem, type WebhookRetryPolicy } from '../../../src/domain/delivery/webhook-retry-policy';
import { RETRY_SCHEDULE_SECONDS } from '../../../src/domain/delivery/retry-policy';
import type { CreateWebhookInput, UpdateWebhookInput, WebhookView } from './types';

const DEFAULT_RETRIES = RETRY_SCHEDULE_SECONDS.length;

export type RetryMode = WebhookRetryPolicy['mode'];

export interface RetryDraft {
  mode: RetryMode;
  intervalSeconds: string;
  retries: string;
}

export function retryDraftFrom(webhook: WebhookView | undefined): RetryDraft {
  const policy = webhook?.retryPolicy;
  if (policy?.mode === 'fixed') return { mode: 'fixed', intervalSeconds: String(policy.intervalSeconds), retries: String(policy.retries) };
  return { mode: policy?.mode ?? 'default', intervalSeconds: '60', retries: '3' };
}

/** The field's problems as the backend names them (retryPolicy.intervalSeconds, retryPolicy.retries). */
export function retryDraftProblems(draft: RetryDraft): Record<string, string> {
  if (draft.mode !== 'fixed') return {};
  const problems: Record<string, string> = {};
  const interval = Number(draft.intervalSeconds);
  const retries = Number(draft.retries);
  if (!/^\d+$/.test(draft.intervalSeconds.trim()) || interval < FIXED_INTERVAL_MIN_SECONDS || interval > FIXED_INTERVAL_MAX_SECONDS) {
    problems['retryPolicy.intervalSeconds'] = `Enter the seconds between retries as a whole number from ${FIXED_INTERVAL_MIN_SECONDS} to ${FIXED_INTERVAL_MAX_SECONDS}.`;
  }
  if (!/^\d+$/.test(draft.retries.trim()) || retries < 1 || retries > FIXED_RETRIES_MAX) {
    problems['retryPolicy.retries'] = `Enter the retries after the first try as a whole number from 1 to ${FIXED_RETRIES_MAX}.`;
  }
  const horizon = Object.keys(problems).length === 0 ? fixedHorizonProblem(interval, retries) : undefined;
  if (horizon) problems['retryPolicy.retries'] = horizon;
  return problems;
}

function policyOf(draft: RetryDraft): WebhookRetryPolicy {
  if (draft.mode === 'fixed') return { mode: 'fixed', intervalSeconds: Number(draft.intervalSeconds), retries: Number(draft.retries) };
  return { mode: draft.mode };
}

/** The default schedule is sent as nothing: a new webhook without a policy of its own. */
export const retryPolicyForCreate = (draft: RetryDraft): Pick<CreateWebhookInput, 'retryPolicy'> => (draft.mode === 'default' ? {} : { retryPolicy: policyOf(draft) });

/** Sent only when it changed. */
export function retryPolicyForUpdate(webhook: WebhookView, draft: RetryDraft): Pick<UpdateWebhookInput, 'retryPolicy'> {
  const next = policyOf(draft);
  const current = webhook.retryPolicy ?? { mode: 'default' };
  return JSON.stringify(next) === JSON.stringify(current) ? {} : { retryPolicy: next };
}

/** Which retry comes next under the webhook's policy, for the log's "next try": e.g. "retry 2 of 3, every 60 s". */
export function nextTryNote(policy: WebhookRetryPolicy | undefined, triesSoFar: number): string {
  if (policy?.mode === 'fixed') return `retry ${triesSoFar} of ${policy.retries}, every ${policy.intervalSeconds} s`;
  if (policy?.mode === 'none') return '';
  return `retry ${triesSoFar} of ${DEFAULT_RETRIES} (default schedule)`;
}
