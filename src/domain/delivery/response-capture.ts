import { truncateUtf8, utf8Bytes } from '../formats/utf8';
import { redactHeaders } from '../signing/redact-headers';

/**
 * What the delivery log keeps of a receiver's answer. The body is cut at 20,000 bytes (Svix's
 * RESPONSE_MAX_SIZE): enough to read an error page, small enough that an attempt record stays far
 * below KVS's 240 KiB value limit. Credential-bearing response headers (Set-Cookie,
 * WWW-Authenticate) are redacted like request headers.
 */
export const MAX_CAPTURED_RESPONSE_BYTES = 20_000;

export interface CapturedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
}

export function captureResponse(
  response: { status: number; headers: Readonly<Record<string, string>>; body: string },
  maxBytes: number = MAX_CAPTURED_RESPONSE_BYTES,
): CapturedResponse {
  const truncated = utf8Bytes(response.body) > maxBytes;
  return {
    status: response.status,
    headers: redactHeaders(response.headers),
    body: truncated ? truncateUtf8(response.body, maxBytes) : response.body,
    truncated,
  };
}
