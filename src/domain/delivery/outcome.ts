import { parseRetryAfter } from './retry-after';

/**
 * What one delivery attempt came to, decided where the answer is read, so the retry policy and the
 * health tracker never look at raw HTTP again. The error classes are the contract's
 * DeliveryView.attempts[].errorClass (Outpost's network error taxonomy plus 'http' and 'blocked-egress').
 */
export type ErrorClass = 'dns' | 'refused' | 'reset' | 'timeout' | 'tls' | 'redirect' | 'http' | 'blocked-egress' | 'other';

export type DeliveredOutcome = { kind: 'delivered'; httpStatus: number };
/** Worth trying again later: the receiver or the network may recover without anyone changing config. */
export type RetryOutcome = { kind: 'retry'; errorClass: ErrorClass; message: string; httpStatus?: number; retryAfterSeconds?: number };
/** This message will not be accepted as it is: stop retrying it, keep it for a manual retry. */
export type PermanentOutcome = {
  kind: 'permanent';
  errorClass: ErrorClass;
  message: string;
  httpStatus?: number;
  /**
   * The answer says the endpoint's configuration is wrong (Splunk's invalid token, a refused OAuth client
   * secret), not this message: the webhook shows as failing at once with this reason, instead of after
   * 15 minutes, and is not disabled (an admin fixes the setting; nothing is silently switched off).
   */
  failsEndpoint?: true;
};
/** The endpoint itself is gone (410, archived Slack channel, revoked Slack hook): stop sending to it. */
export type DisableOutcome = { kind: 'disable'; errorClass: ErrorClass; message: string; httpStatus?: number };

export type FailedOutcome = RetryOutcome | PermanentOutcome | DisableOutcome;

/** An HTTP answer saying the endpoint's configuration is wrong (a refused credential): fails at once, never retried. */
export const misconfigured = (httpStatus: number, message: string): PermanentOutcome => ({ kind: 'permanent', errorClass: 'http', httpStatus, failsEndpoint: true, message });
export type DeliveryOutcome = DeliveredOutcome | FailedOutcome;

export type ResponseHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface ReceiverResponse {
  status: number;
  headers?: ResponseHeaders;
  /** The response body as text (possibly truncated): read by destinations whose answers carry codes. */
  body?: string;
  /** Now, to turn an HTTP-date Retry-After into seconds. */
  now: Date;
}

/** 408 Request Timeout, 425 Too Early, 429 Too Many Requests: the receiver asks us to come back. */
const RETRYABLE_4XX = new Set([408, 425, 429]);

const HINT_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'the receiver rejected the payload',
  401: 'check the webhook\'s authorization header',
  403: 'check the webhook\'s authorization header and the receiver\'s access rules',
  404: 'check the webhook URL',
  405: 'check the webhook URL and method',
  413: 'the receiver refused the payload size',
  415: 'the receiver wants another content type',
  422: 'the receiver rejected the payload',
};

export function headerValue(headers: ResponseHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) {
      return typeof value === 'string' ? value : value?.[0];
    }
  }
  return undefined;
}

/**
 * Classifies an HTTP answer. Decisions worth knowing:
 * - Any 2xx is delivered (Teams Workflows' 202 only means accepted; we cannot see further).
 * - 3xx is never followed (the target could be an internal address the URL rules never checked) and
 *   is retried, not dropped: it usually means the receiver moved or sits behind a login proxy,
 *   which an admin fixes by updating the URL, and retrying keeps the messages meanwhile while the
 *   endpoint shows as failing. Standard Webhooks calls 3xx a failure, not a terminal one.
 * - A 403 carrying `forge-proxy-error` is Forge's egress filter, not the receiver: permanent, because
 *   only a new app version (manifest egress) changes it.
 * - `specific` lets a destination module read its own answers first (after the two rules above).
 * - A failed answer may carry Svix's receiver control header `webhook-delivery`: `abort-message`
 *   (stop retrying this message) or `disable` (stop sending to this endpoint). It is ignored on
 *   2xx, since a delivered message needs no control.
 */
export function classifyResponse(response: ReceiverResponse, specific?: (response: ReceiverResponse) => DeliveryOutcome | undefined): DeliveryOutcome {
  const { status } = response;
  if (status >= 200 && status <= 299) {
    return { kind: 'delivered', httpStatus: status };
  }
  if (status === 403 && headerValue(response.headers, 'forge-proxy-error') !== undefined) {
    return {
      kind: 'permanent',
      errorClass: 'blocked-egress',
      httpStatus: status,
      message: 'Blocked by Forge egress rules: the receiver\'s host is not in the app\'s allowed egress.',
    };
  }
  const control = headerValue(response.headers, 'webhook-delivery')?.trim().toLowerCase();
  if (control === 'disable') {
    return { kind: 'disable', errorClass: 'http', httpStatus: status, message: `The receiver asked to disable this endpoint (HTTP ${status}, webhook-delivery: disable).` };
  }
  if (control === 'abort-message') {
    return { kind: 'permanent', errorClass: 'http', httpStatus: status, message: `The receiver refused this message for good (HTTP ${status}, webhook-delivery: abort-message).` };
  }
  // A destination's own reading of its answers (Slack's error codes, Splunk's HEC codes) comes after the
  // platform's and the receiver's control signals, and before the generic HTTP rules.
  const own = specific?.(response);
  if (own !== undefined) return own;
  if (status === 410) {
    return { kind: 'disable', errorClass: 'http', httpStatus: status, message: 'HTTP 410 Gone from receiver: the endpoint says it no longer exists.' };
  }
  if (status >= 300 && status <= 399) {
    return {
      kind: 'retry',
      errorClass: 'redirect',
      httpStatus: status,
      message: `HTTP ${status} redirect from receiver (not followed): set the webhook URL to the final address.`,
    };
  }
  if (RETRYABLE_4XX.has(status) || (status >= 500 && status <= 599)) {
    const retryAfterSeconds = parseRetryAfter(headerValue(response.headers, 'retry-after'), response.now);
    return {
      kind: 'retry',
      errorClass: 'http',
      httpStatus: status,
      message: status === 429 ? 'HTTP 429 from receiver (rate limited).' : `HTTP ${status} from receiver.`,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    };
  }
  if (status >= 400 && status <= 499) {
    const hint = HINT_BY_STATUS[status];
    return { kind: 'permanent', errorClass: 'http', httpStatus: status, message: `HTTP ${status} from receiver${hint ? `: ${hint}` : ''}.` };
  }
  // 1xx or a non-HTTP status: something in between misbehaved; a later attempt may go through.
  return { kind: 'retry', errorClass: 'other', httpStatus: status, message: `Unexpected HTTP status ${status} from receiver.` };
}
