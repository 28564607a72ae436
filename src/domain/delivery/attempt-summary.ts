import type { DeliveryOutcome, ErrorClass } from './outcome';
import type { NextAttemptPlan } from './retry-policy';

/**
 * How one attempt reads in the delivery log (the contract's DeliveryView.attempts[] fields): an
 * attempt is 'retry' only when another attempt is actually planned, so the last attempt of an
 * exhausted schedule shows as 'failed', not as a promise that will never be kept.
 */
export interface AttemptSummary {
  outcome: 'delivered' | 'retry' | 'failed';
  httpStatus?: number;
  errorClass?: ErrorClass;
  errorMessage?: string;
}

export function summariseAttempt(outcome: DeliveryOutcome, plan?: NextAttemptPlan): AttemptSummary {
  if (outcome.kind === 'delivered') return { outcome: 'delivered', httpStatus: outcome.httpStatus };
  const retrying = outcome.kind === 'retry' && plan !== undefined && 'retryInSeconds' in plan;
  return {
    outcome: retrying ? 'retry' : 'failed',
    ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }),
    errorClass: outcome.errorClass,
    errorMessage: outcome.message,
  };
}
