import { SigningError, secretPreview } from './signing-error';

export const STANDARD_SECRET_PREFIX = 'whsec_';

/** Padded or unpadded standard base64 (Svix-issued secrets are 32 characters without padding). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/**
 * The HMAC key of a Standard Webhooks secret: the base64-decoded bytes after `whsec_` (the prefix is
 * optional, as in the reference libraries, so receivers can paste either form). Strict base64 is
 * required because Buffer.from(..., 'base64') silently skips junk and would sign with the wrong key.
 */
export function standardSecretKey(secret: string): Buffer {
  const encoded = secret.startsWith(STANDARD_SECRET_PREFIX) ? secret.slice(STANDARD_SECRET_PREFIX.length) : secret;
  if (encoded.length === 0) {
    throw new SigningError('A Standard Webhooks secret is empty: use "whsec_" followed by base64 of 24 to 64 random bytes.');
  }
  if (!BASE64.test(encoded)) {
    throw new SigningError(
      `The secret starting "${secretPreview(secret)}" is not "whsec_" + base64: Standard Webhooks signing needs base64 after the prefix. Generate a new secret or use the "base64-list" or "hub" signing mode.`,
    );
  }
  return Buffer.from(encoded, 'base64');
}

/**
 * The HMAC key of the compatibility modes (base64-list, hub): the secret string's UTF-8 bytes, the
 * whole string including any `whsec_` prefix, with no decoding. This is what
 * `crypto.createHmac('sha256', secret)` does with a string secret, as in seed 000's verifier.
 */
export function utf8SecretKey(secret: string): Buffer {
  if (secret.length === 0) {
    throw new SigningError('A signing secret is empty: remove it or generate a new one.');
  }
  return Buffer.from(secret, 'utf8');
}
