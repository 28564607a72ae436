import { DEFAULT_BASE64_LIST_HEADER, base64ListSignatureHeader } from './base64-list';
import { HUB_SIGNATURE_256_HEADER, HUB_SIGNATURE_HEADER, hubSignatureHeader } from './hub';
import { SigningError } from './signing-error';
import { STANDARD_HEADERS, assertSignableIdAndTimestamp, standardSignatureHeader } from './standard';

export const SIGNING_MODES = ['standard', 'base64-list', 'hub'] as const;
export type SigningMode = (typeof SIGNING_MODES)[number];

export interface SignatureHeadersInput {
  mode: SigningMode;
  /** Header name for base64-list mode only; defaults to X-Webhook-Signature. */
  header?: string;
  /** The delivery's message id: the same on every retry, so receivers can deduplicate. */
  msgId: string;
  /** Unix seconds of this attempt (not of the event: that stays in the body). */
  timestamp: number;
  /** The exact body that will be sent. */
  body: string;
  /** The webhook's active secrets, newest first; one signature each. Empty: unsigned. */
  secrets: readonly string[];
}

const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Every mode sends `webhook-id` and `webhook-timestamp`: the id is the receiver's idempotency key on
 * retries whatever the signature scheme, and the timestamp dates the attempt. Only Standard Webhooks
 * mode signs them; in base64-list and hub modes they are informational and not covered by the MAC.
 * A webhook without secrets gets those two headers and no signature header.
 */
export function buildSignatureHeaders(input: SignatureHeadersInput): Record<string, string> {
  assertSignableIdAndTimestamp(input.msgId, input.timestamp);
  const headers: Record<string, string> = {
    [STANDARD_HEADERS.id]: input.msgId,
    [STANDARD_HEADERS.timestamp]: String(input.timestamp),
  };
  if (input.header !== undefined && input.mode !== 'base64-list') {
    throw new SigningError(`A custom signature header name only applies to "base64-list" mode, not "${input.mode}".`);
  }
  if (input.secrets.length === 0) {
    return headers;
  }
  switch (input.mode) {
    case 'standard':
      headers[STANDARD_HEADERS.signature] = standardSignatureHeader(input.secrets, input.msgId, input.timestamp, input.body);
      return headers;
    case 'base64-list': {
      const name = input.header ?? DEFAULT_BASE64_LIST_HEADER;
      if (!HTTP_TOKEN.test(name) || name.toLowerCase() === STANDARD_HEADERS.id || name.toLowerCase() === STANDARD_HEADERS.timestamp) {
        throw new SigningError(`"${name}" cannot be the signature header: use letters, digits and '-' (e.g. X-Webhook-Signature), not webhook-id or webhook-timestamp.`);
      }
      headers[name] = base64ListSignatureHeader(input.secrets, input.body);
      return headers;
    }
    case 'hub': {
      // Jira's own webhooks name it X-Hub-Signature, GitHub X-Hub-Signature-256 (the name the admin page
      // and docs show): both carry the same sha256=<hex> value, so either kind of verifier works.
      const value = hubSignatureHeader(input.secrets, input.body);
      headers[HUB_SIGNATURE_HEADER] = value;
      headers[HUB_SIGNATURE_256_HEADER] = value;
      return headers;
    }
    default: {
      const unknown: never = input.mode;
      throw new SigningError(`Unknown signing mode "${String(unknown)}": use one of ${SIGNING_MODES.join(', ')}.`);
    }
  }
}
