import { constantTimeEqual, hmacSha256 } from './hmac';
import { utf8SecretKey } from './secret-key';
import type { VerifyResult } from './verify-result';

/**
 * Jira's own webhook style (also GitHub's): `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>`,
 * keyed by the secret's UTF-8 bytes. With several active secrets (a rotation) the entries are joined
 * with ',' (`sha256=<a>,sha256=<b>`); a receiver that only knows one secret compares against each
 * entry. As in base64-list mode, only the body is signed: no replay protection.
 */
export const HUB_SIGNATURE_HEADER = 'X-Hub-Signature';
/** GitHub's name for the same sha256=<hex> value; sent alongside, with the same content. */
export const HUB_SIGNATURE_256_HEADER = 'X-Hub-Signature-256';

export function hubSignature(secret: string, body: string): string {
  return `sha256=${hmacSha256(utf8SecretKey(secret), body).toString('hex')}`;
}

export function hubSignatureHeader(secrets: readonly string[], body: string): string {
  return secrets.map((secret) => hubSignature(secret, body)).join(',');
}

export function verifyHub(input: { signatureHeader: string | undefined; body: string; secrets: readonly string[] }): VerifyResult {
  if (!input.signatureHeader) {
    return { valid: false, reason: `Missing ${HUB_SIGNATURE_HEADER} header.` };
  }
  const offered = input.signatureHeader.split(',').map((entry) => entry.trim().toLowerCase());
  for (const [index, secret] of input.secrets.entries()) {
    const expected = hubSignature(secret, input.body);
    if (offered.some((entry) => constantTimeEqual(entry, expected))) {
      return { valid: true, matchedSecretIndex: index };
    }
  }
  return { valid: false, reason: 'No sha256= signature matches any secret: check the secret, and that the raw request body is verified.' };
}
