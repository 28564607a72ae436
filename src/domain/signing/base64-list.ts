import { constantTimeEqual, hmacSha256 } from './hmac';
import { utf8SecretKey } from './secret-key';
import type { VerifyResult } from './verify-result';

/**
 * Seed 000's scheme, kept for receivers already written against it: for each secret, base64 of
 * HMAC-SHA256 over the raw body only, keyed by the secret string's UTF-8 bytes (the whole string,
 * `whsec_` prefix included, never base64-decoded: seed 000's verifier passes the string straight to
 * `crypto.createHmac('sha256', secret)`), all joined with ',' in one header.
 *
 * The body alone is signed, so this mode has no replay protection; Standard Webhooks mode has.
 */
export const DEFAULT_BASE64_LIST_HEADER = 'X-Webhook-Signature';

export function base64ListSignature(secret: string, body: string): string {
  return hmacSha256(utf8SecretKey(secret), body).toString('base64');
}

export function base64ListSignatureHeader(secrets: readonly string[], body: string): string {
  return secrets.map((secret) => base64ListSignature(secret, body)).join(',');
}

/**
 * Accepts when any comma-separated signature matches any secret. (Seed 000's own example demands one
 * signature per secret, which breaks as soon as sender and receiver rotate at different moments.)
 */
export function verifyBase64List(input: { signatureHeader: string | undefined; body: string; secrets: readonly string[] }): VerifyResult {
  if (!input.signatureHeader) {
    return { valid: false, reason: 'Missing signature header.' };
  }
  const offered = input.signatureHeader.split(',').map((entry) => entry.trim());
  for (const [index, secret] of input.secrets.entries()) {
    const expected = base64ListSignature(secret, input.body);
    if (offered.some((entry) => constantTimeEqual(entry, expected))) {
      return { valid: true, matchedSecretIndex: index };
    }
  }
  return { valid: false, reason: 'No signature matches any secret: check the secret, and that the raw request body is verified.' };
}
