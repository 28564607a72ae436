/**
 * Header names whose values are credentials (Svix's list plus the SIEM tokens our presets use).
 * Signature headers are not here on purpose: a signature proves a message, it does not grant access,
 * and the delivery log must show what was sent so receivers can debug verification.
 */
export const ALWAYS_SENSITIVE_HEADERS = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-auth-token',
  'dd-api-key',
  'cookie',
  'set-cookie',
  'www-authenticate',
  'proxy-authenticate',
] as const;

/** Shorter values are masked entirely: their first 3 characters would be most of the secret. */
const MIN_LENGTH_FOR_PREVIEW = 8;

/** A credential shown only by its first 3 characters, as everywhere in the app. */
export function redactValue(value: string): string {
  return value.length < MIN_LENGTH_FOR_PREVIEW ? '…' : `${value.slice(0, 3)}…`;
}

/**
 * The same headers, in the same order and casing, with the values of sensitive headers (always the
 * list above, plus the webhook's own headers marked sensitive, matched case-insensitively) redacted.
 */
export function redactHeaders(headers: Readonly<Record<string, string>>, sensitiveNames: readonly string[] = []): Record<string, string> {
  const sensitive = new Set([...ALWAYS_SENSITIVE_HEADERS, ...sensitiveNames].map((name) => name.toLowerCase()));
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, sensitive.has(name.toLowerCase()) ? redactValue(value) : value]),
  );
}
