import { isHeaderText, isHttpToken, utf8Bytes } from './http-token';
import { invisibleCharacterProblem } from './invisible-characters';
import { HEADERS_MAX, HEADER_NAME_MAX_CHARS, HEADER_VALUE_MAX_BYTES } from './limits';
import type { FieldProblem } from './model';

/**
 * Headers the app sets itself: letting an admin override them would break framing (content-length,
 * transfer-encoding, connection), the body's meaning (content-type), or the receiver's trust in the
 * signature (webhook-*, x-hub-signature*, the configured signature header).
 */
const OWNED_EXACT: Record<string, string> = {
  host: 'the app sets Host from the URL',
  'content-length': 'the HTTP client computes it',
  'content-type': 'the payload format decides it (application/json)',
  'content-encoding': 'the app sends the body uncompressed',
  'transfer-encoding': 'the HTTP client decides it',
  connection: 'the HTTP client decides it',
  'keep-alive': 'the HTTP client decides it',
  te: 'the HTTP client decides it',
  trailer: 'the HTTP client decides it',
  upgrade: 'the HTTP client decides it',
  expect: 'the HTTP client decides it',
  'user-agent': 'the app identifies itself with it',
  authorization: 'use the Authorization field instead, which keeps the value secret',
  cookie: 'the app sends no cookies',
};
const OWNED_PREFIXES: [string, string][] = [
  ['webhook-', 'Standard Webhooks signing uses the webhook-* headers'],
  ['x-hub-signature', 'hub signing uses X-Hub-Signature-256'],
  ['proxy-', 'proxy headers belong to the network path'],
  ['sec-', 'sec-* headers are reserved for clients'],
];

/**
 * Header names that carry a credential whatever the admin ticks: their values are stored and shown as
 * sensitive (write-only). The delivery log already redacts the first three (domain/signing
 * ALWAYS_SENSITIVE_HEADERS); the others are the API-key headers of common receivers (Azure Functions
 * and API Management, GitLab, generic "api-key" styles).
 */
const CREDENTIAL_HEADERS = new Set([
  'x-api-key',
  'x-auth-token',
  'dd-api-key',
  'api-key',
  'apikey',
  'x-apikey',
  'x-api-token',
  'x-access-token',
  'x-functions-key',
  'ocp-apim-subscription-key',
  'private-token',
]);

export const isCredentialHeaderName = (name: string): boolean => CREDENTIAL_HEADERS.has(name.toLowerCase());

/** Why the app owns a header name (any case), or undefined when an admin may set it. */
export function ownedHeaderReason(name: string, signatureHeader?: string): string | undefined {
  const lower = name.toLowerCase();
  if (signatureHeader !== undefined && lower === signatureHeader.toLowerCase()) return 'it is the signature header configured under signing';
  const exact = OWNED_EXACT[lower];
  if (exact !== undefined) return exact;
  return OWNED_PREFIXES.find(([prefix]) => lower.startsWith(prefix))?.[1];
}

const HIDDEN_IN_HEADER = 'and header names and values are printable ASCII only';

export function headerNameProblem(name: string, signatureHeader?: string): string | undefined {
  if (name.length === 0) return 'Enter the header name, e.g. X-Api-Key.';
  if (name.length > HEADER_NAME_MAX_CHARS) return `Shorten the header name to at most ${HEADER_NAME_MAX_CHARS} characters.`;
  const invisible = invisibleCharacterProblem(name, 'the header name', HIDDEN_IN_HEADER);
  if (invisible !== undefined) return invisible;
  if (!isHttpToken(name)) return 'Use only letters, digits and !#$%&\'*+-.^_`|~ in header names (no spaces or colons).';
  const owned = ownedHeaderReason(name, signatureHeader);
  if (owned !== undefined) return `The app sets ${name} itself (${owned}); remove this header.`;
  return undefined;
}

export function headerValueProblem(value: string): string | undefined {
  if (value.length === 0) return 'Enter the header value.';
  const invisible = invisibleCharacterProblem(value, 'the header value', HIDDEN_IN_HEADER);
  if (invisible !== undefined) return invisible;
  if (!isHeaderText(value)) return 'Use printable ASCII only in header values: no line breaks, NUL or other control characters.';
  if (utf8Bytes(value) > HEADER_VALUE_MAX_BYTES) return `Shorten the header value to at most ${HEADER_VALUE_MAX_BYTES} bytes.`;
  return undefined;
}

/**
 * The list-level rules: at most 25, names unique ignoring case, none the app owns. Values are checked
 * per item; a missing value is the caller's concern (an update may keep a stored sensitive value).
 */
export function headerListProblems(headers: readonly { name: string; value?: string }[], signatureHeader?: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (headers.length > HEADERS_MAX) {
    problems.push({ path: [], message: `Use at most ${HEADERS_MAX} headers (there are ${headers.length}).` });
  }
  const seen = new Set<string>();
  headers.forEach((header, index) => {
    const nameProblem = headerNameProblem(header.name, signatureHeader);
    if (nameProblem !== undefined) problems.push({ path: [index, 'name'], message: nameProblem });
    else if (seen.has(header.name.toLowerCase())) {
      problems.push({ path: [index, 'name'], message: `${header.name} is listed twice (names ignore case); keep one.` });
    }
    seen.add(header.name.toLowerCase());
    if (header.value !== undefined) {
      const valueProblem = headerValueProblem(header.value);
      if (valueProblem !== undefined) problems.push({ path: [index, 'value'], message: valueProblem });
    }
  });
  return problems;
}
