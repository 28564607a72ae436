import { truncateUtf8, utf8Bytes } from '../formats/utf8';
import { redactHeaders } from '../signing/redact-headers';
import { compileCredentials, scrubCredentials, type CompiledCredentials, type ScrubCredentials } from './scrub-credentials';

/**
 * What the delivery log keeps of a receiver's answer. The body is cut at 20,000 bytes (Svix's
 * RESPONSE_MAX_SIZE): enough to read an error page, small enough that an attempt record stays far
 * below KVS's 240 KiB value limit. Credential-bearing response headers (Set-Cookie,
 * WWW-Authenticate) are redacted like request headers, and every credential the request carried is
 * scrubbed from the body and the header values (scrub-credentials.ts states the rule).
 */
export const MAX_CAPTURED_RESPONSE_BYTES = 20_000;

/**
 * Of a delivered (2xx) answer the delivery log keeps the status and this much of the body, no headers:
 * a success needs no more to be shown, and it is written for every message delivered (Svix keeps
 * whole answers, but Forge's KVS counts every 10 KB written).
 */
export const DELIVERED_BODY_MAX_BYTES = 256;

export interface CapturedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
}

const NO_CREDENTIALS: ScrubCredentials = { secrets: [] };

export function captureResponse(
  response: { status: number; headers: Readonly<Record<string, string>>; body: string; truncated?: boolean },
  credentials: ScrubCredentials | CompiledCredentials = NO_CREDENTIALS,
  maxBytes: number = MAX_CAPTURED_RESPONSE_BYTES,
): CapturedResponse {
  const compiled = 'grams' in credentials ? credentials : compileCredentials(credentials);
  let truncated = response.truncated ?? false;
  let body = response.body;
  // Cut first, then scrub: the scrub then sees the cut and removes a secret's start left at the end.
  if (utf8Bytes(body) > maxBytes) {
    body = truncateUtf8(body, maxBytes);
    truncated = true;
  }
  body = scrubCredentials(body, compiled, { truncated });
  // A REDACTED marker can be longer than the few bytes it replaced: the cap holds after scrubbing too.
  if (utf8Bytes(body) > maxBytes) {
    body = truncateUtf8(body, maxBytes);
    truncated = true;
  }
  return {
    status: response.status,
    headers: Object.fromEntries(Object.entries(redactHeaders(response.headers)).map(([name, value]) => [name, scrubCredentials(value, compiled)])),
    body,
    truncated,
  };
}
