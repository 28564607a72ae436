export {
  classifyResponse,
  headerValue,
  type DeliveredOutcome,
  type DeliveryOutcome,
  type DisableOutcome,
  type ErrorClass,
  type FailedOutcome,
  type PermanentOutcome,
  type ReceiverResponse,
  type ResponseHeaders,
  type RetryOutcome,
} from './outcome';
export { classifyNetworkError } from './network-error';
export { parseRetryAfter } from './retry-after';
export {
  JITTER_FRACTION,
  MAX_ATTEMPTS,
  MAX_RETRY_AFTER_SECONDS,
  OVERLOAD_MIN_DELAY_SECONDS,
  RETRY_SCHEDULE_SECONDS,
  jittered,
  planNextAttempt,
  type GiveUpReason,
  type NextAttemptPlan,
  type PlanNextAttemptInput,
} from './retry-policy';
export { MAX_FORGE_DELAY_SECONDS, hopsFor, nextHopDelaySeconds } from './forge-hops';
export {
  DISABLE_AFTER_SECONDS,
  FAILING_AFTER_SECONDS,
  MAX_FAILURE_GAP_SECONDS,
  healthAt,
  initialHealth,
  recordAttempt,
  reenable,
  type EndpointHealth,
  type HealthState,
} from './health';
export { summariseAttempt, type AttemptSummary } from './attempt-summary';
export { MAX_CAPTURED_RESPONSE_BYTES, captureResponse, type CapturedResponse } from './response-capture';
