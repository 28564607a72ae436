import type { ErrorClass, RetryOutcome } from './outcome';

/**
 * Maps what fetch throws (undici wraps the socket error in `cause`; Node's errors carry `code`) to
 * Outpost's taxonomy. Every network failure is retryable: none of them proves the message is bad.
 * The message is built from the class and code only, never from error.message, which can contain
 * the full URL (and so a Slack token or query-string key).
 */
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const REFUSED_CODES = new Set(['ECONNREFUSED']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const TIMEOUT_NAMES = new Set(['AbortError', 'TimeoutError', 'ConnectTimeoutError', 'HeadersTimeoutError', 'BodyTimeoutError']);
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'HOSTNAME_MISMATCH',
]);

const MESSAGES: Readonly<Record<ErrorClass, string>> = {
  dns: 'DNS lookup failed for the receiver\'s host',
  refused: 'Connection refused by the receiver',
  reset: 'Connection reset before the receiver answered',
  timeout: 'The receiver did not answer in time',
  tls: 'TLS handshake failed: check the receiver\'s certificate',
  redirect: 'Redirect not followed',
  http: 'HTTP error',
  'blocked-egress': 'Blocked by Forge egress rules',
  other: 'Network error',
};

/** How deep to follow `cause`: undici nests one or two levels; a cycle must not hang us. */
const MAX_CAUSE_DEPTH = 5;

export function classifyNetworkError(error: unknown): RetryOutcome {
  const { errorClass, code } = findClass(error);
  const suffix = code ? ` (${code})` : '';
  return { kind: 'retry', errorClass, message: `${MESSAGES[errorClass]}${suffix}.` };
}

function findClass(error: unknown): { errorClass: ErrorClass; code?: string } {
  let current: unknown = error;
  let firstCode: string | undefined;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && isObject(current); depth += 1) {
    const code = typeof current.code === 'string' ? current.code : undefined;
    const name = typeof current.name === 'string' ? current.name : undefined;
    firstCode ??= code;
    const errorClass = classOf(code, name);
    if (errorClass) return code ? { errorClass, code } : { errorClass };
    current = current.cause;
  }
  return firstCode && /^[A-Z0-9_]{2,40}$/.test(firstCode) ? { errorClass: 'other', code: firstCode } : { errorClass: 'other' };
}

function classOf(code: string | undefined, name: string | undefined): ErrorClass | undefined {
  if (code) {
    if (DNS_CODES.has(code)) return 'dns';
    if (REFUSED_CODES.has(code)) return 'refused';
    if (RESET_CODES.has(code)) return 'reset';
    if (TIMEOUT_CODES.has(code)) return 'timeout';
    if (TLS_CODES.has(code) || code.startsWith('CERT_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) return 'tls';
  }
  if (name && TIMEOUT_NAMES.has(name)) return 'timeout';
  return undefined;
}

function isObject(value: unknown): value is { code?: unknown; name?: unknown; cause?: unknown } {
  return typeof value === 'object' && value !== null;
}
