import { createHash } from 'node:crypto';
import { base64DecodedLength, encodeBase64 } from './base64';
import { invisibleCharacterProblem } from './invisible-characters';
import { acceptsOwnSecrets, ownSecretProblem } from './own-secret-rules';
import { GENERATED_SECRET_BYTES, SECRET_MAX_BYTES, SECRET_MIN_BYTES } from './limits';

/** Standard Webhooks' symmetric secret format: "whsec_" + base64 of 24..64 random bytes. */
export const SECRET_PREFIX = 'whsec_';
export const SECRET_PREVIEW_CHARS = 3;

/** What is wrong with a signing secret, or undefined. Messages never repeat the secret. */
export function secretProblem(secret: string): string | undefined {
  if (!secret.startsWith(SECRET_PREFIX)) {
    return 'Start the secret with whsec_ followed by base64 (use "Generate" for a new one).';
  }
  const bytes = base64DecodedLength(secret.slice(SECRET_PREFIX.length));
  if (bytes === undefined) {
    return 'After whsec_, use standard base64: A-Z, a-z, 0-9, + and /, padded with = to a multiple of 4 characters.';
  }
  if (bytes < SECRET_MIN_BYTES || bytes > SECRET_MAX_BYTES) {
    return `Use a secret of ${SECRET_MIN_BYTES} to ${SECRET_MAX_BYTES} random bytes (32 recommended); this one decodes to ${bytes}.`;
  }
  return undefined;
}

/**
 * The secret rule of a signing mode: whsec_ + base64 everywhere, and in base64-list and hub also a text
 * of the admin's own (own-secret-rules.ts). A value starting with whsec_ is always held to the whsec_ rule.
 */
export function secretProblemFor(secret: string, mode: string): string | undefined {
  if (secret.startsWith(SECRET_PREFIX) || !acceptsOwnSecrets(mode)) return secretProblem(secret);
  return ownSecretProblem(secret);
}

/**
 * The input-level check, before the signing mode is known (it may be stored, or change in the same
 * update): a valid whsec_ secret or a valid text of the admin's own. The use case then holds text secrets
 * to base64-list and hub (secret-mode-check.ts). The message leads with the whsec_ rule, as before.
 */
export function anySecretProblem(secret: string): string | undefined {
  const whsec = secretProblem(secret);
  if (whsec === undefined || secret.startsWith(SECRET_PREFIX)) return whsec;
  const own = ownSecretProblem(secret);
  if (own === undefined) return undefined;
  return `${whsec} In base64-list or hub signing a text of your own also works: ${own}`;
}

/** 'text' for a secret of the admin's own, 'whsec' for a Standard Webhooks secret. */
export const secretFormat = (secret: string): 'whsec' | 'text' => (secret.startsWith(SECRET_PREFIX) ? 'whsec' : 'text');

/** A fresh secret; randomBytes must be a cryptographic source (IdSource.randomBytes). */
export function generateSecret(randomBytes: (size: number) => Uint8Array): string {
  const bytes = randomBytes(GENERATED_SECRET_BYTES);
  if (bytes.length !== GENERATED_SECRET_BYTES) throw new Error(`generateSecret: randomBytes returned ${bytes.length} bytes, expected ${GENERATED_SECRET_BYTES}`);
  return SECRET_PREFIX + encodeBase64(bytes);
}

/** The most of a secret anyone may see again: its first 3 characters. */
export const previewSecret = (secret: string): string => secret.slice(0, SECRET_PREVIEW_CHARS);

/**
 * A short name for a secret that reveals nothing useful: the first 8 hex characters (32 bits) of its
 * SHA-256. A 256-bit random secret cannot be searched from 32 bits of its hash (about 2^224 secrets
 * share each fingerprint), yet two secrets of one webhook differ in it with near certainty.
 */
export const SECRET_FINGERPRINT_CHARS = 8;
export const secretFingerprint = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, SECRET_FINGERPRINT_CHARS);

export const SECRET_LABEL_MAX_CHARS = 60;

/** What is wrong with a secret's label (already trimmed), or undefined. */
export function secretLabelProblem(label: string): string | undefined {
  if (label.length === 0) return 'Enter a label for the secret (1 to 60 characters, e.g. "Rotation Nov 2026"), or leave it out for "Secret N".';
  if (label.length > SECRET_LABEL_MAX_CHARS) return `Shorten the label to at most ${SECRET_LABEL_MAX_CHARS} characters (it has ${label.length}).`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(label)) return 'Remove line breaks, tabs and control characters from the label.';
  return invisibleCharacterProblem(label, 'the label', 'so one label could look like another');
}

/** The label of a secret given none: "Secret <its position>", or the next number no other secret's label uses. */
export function defaultSecretLabel(position: number, taken: readonly string[]): string {
  for (let n = position; ; n += 1) {
    const label = `Secret ${n}`;
    if (!taken.includes(label)) return label;
  }
}
