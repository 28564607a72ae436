import { MAX_CAPTURED_RESPONSE_BYTES } from '../../domain/delivery';
import { truncateUtf8, utf8Bytes } from '../../domain/formats/utf8';
import { ALWAYS_SENSITIVE_HEADERS, redactHeaders } from '../../domain/signing';
import type { DeliveryTarget } from './target';

/** What stands in a captured response for a credential the receiver echoed back. */
export const REDACTED = '[redacted]';

/** Shorter values are not searched for: replacing every "abc" in a response would mangle it for nothing. */
const MIN_SCRUB_LENGTH = 4;

const ALWAYS_SENSITIVE = new Set<string>(ALWAYS_SENSITIVE_HEADERS);

/**
 * Every credential value a webhook sends, in the forms a receiver could echo back: signing secrets (with
 * and without `whsec_`), the Authorization value and its credentials part (and a Basic password decoded),
 * sensitive header values, and the URL parts the admin chose to hide (query values, masked path
 * segments). Longest first, so a value is replaced before any shorter value inside it.
 */
export const credentialValues = (target: DeliveryTarget): string[] => {
  const values = new Set<string>();
  const add = (value: string | undefined): void => {
    if (value === undefined || value.length < MIN_SCRUB_LENGTH) return;
    values.add(value);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) values.add(encoded);
  };
  for (const secret of target.secrets) {
    add(secret);
    if (secret.startsWith('whsec_')) add(secret.slice('whsec_'.length));
  }
  if (target.authorization) {
    add(target.authorization);
    const space = target.authorization.indexOf(' ');
    const credentials = space > 0 ? target.authorization.slice(space + 1).trim() : undefined;
    add(credentials);
    if (credentials && /^basic$/i.test(target.authorization.slice(0, space))) {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      add(decoded);
      add(decoded.slice(decoded.indexOf(':') + 1));
    }
  }
  for (const header of target.headers) {
    if (header.sensitive || ALWAYS_SENSITIVE.has(header.name.toLowerCase())) add(header.value);
  }
  for (const part of hiddenUrlParts(target.url, target.displayUrl)) add(part);
  return [...values].sort((a, b) => b.length - a.length);
};

/** Query values and path segments of the real URL that the masked URL does not show. */
const hiddenUrlParts = (url: string, displayUrl: string): string[] => {
  if (url === displayUrl) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  const parts = [url, `${parsed.pathname}${parsed.search}`];
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  for (const segment of parsed.pathname.split('/')) if (segment && !displayUrl.includes(segment)) parts.push(segment, decode(segment));
  for (const pair of parsed.search.slice(1).split('&')) {
    const value = pair.includes('=') ? pair.slice(pair.indexOf('=') + 1) : pair;
    if (value) parts.push(value, decode(value));
  }
  return parts;
};

/**
 * Replaces every credential in a text the receiver sent us (its answer is logged and shown to admins).
 * When the text was cut short, a tail that is the beginning of a credential is cut too, so no prefix of
 * a secret survives a truncation.
 */
export const scrubText = (text: string, credentials: readonly string[], truncated = false): string => {
  let out = scrubWhole(text, credentials);
  if (truncated) out = scrubTail(out, credentials);
  // '[redacted]' can be longer than a short credential it replaced: the captured body stays within its cap.
  return utf8Bytes(out) > utf8Bytes(text) && utf8Bytes(out) > MAX_CAPTURED_RESPONSE_BYTES ? truncateUtf8(out, MAX_CAPTURED_RESPONSE_BYTES) : out;
};

const scrubWhole = (text: string, credentials: readonly string[]): string => {
  let out = text;
  for (const value of credentials) if (out.includes(value)) out = out.split(value).join(REDACTED);
  return out;
};

const scrubTail = (text: string, credentials: readonly string[]): string => {
  let out = text;
  for (const value of credentials) {
    for (let length = Math.min(value.length - 1, out.length); length >= MIN_SCRUB_LENGTH; length -= 1) {
      if (out.endsWith(value.slice(0, length))) {
        out = `${out.slice(0, out.length - length)}${REDACTED}`;
        break;
      }
    }
  }
  return out;
};

/** Response headers for the log: credential-bearing names redacted, echoed credentials replaced. */
export const scrubResponseHeaders = (headers: Readonly<Record<string, string>>, credentials: readonly string[]): Record<string, string> =>
  Object.fromEntries(Object.entries(redactHeaders(headers)).map(([name, value]) => [name, scrubText(value, credentials)]));
