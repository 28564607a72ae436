import { createHash } from 'node:crypto';

/**
 * PKCE (RFC 7636) with the S256 method only: `plain` would send the verifier itself through the
 * browser, which is what PKCE exists to avoid. Randomness is passed in (domain code does no I/O).
 */

/** RFC 7636 4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~]. */
export const VERIFIER_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;

/** A code verifier from 32 random bytes: 43 base64url characters (256 bits), as RFC 7636 4.1 recommends. */
export const pkceVerifier = (random: Uint8Array): string => {
  if (random.length < 32) throw new RangeError('a PKCE verifier needs at least 32 random bytes');
  return Buffer.from(random).toString('base64url');
};

/** RFC 7636 4.2: BASE64URL(SHA256(ASCII(code_verifier))), no padding. */
export const pkceChallenge = (verifier: string): string => {
  if (!VERIFIER_PATTERN.test(verifier)) throw new RangeError('not a PKCE code verifier (43 to 128 unreserved characters)');
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
};
