import { base64DecodedLength, encodeBase64 } from './base64';
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

/** A fresh secret; randomBytes must be a cryptographic source (IdSource.randomBytes). */
export function generateSecret(randomBytes: (size: number) => Uint8Array): string {
  const bytes = randomBytes(GENERATED_SECRET_BYTES);
  if (bytes.length !== GENERATED_SECRET_BYTES) throw new Error(`generateSecret: randomBytes returned ${bytes.length} bytes, expected ${GENERATED_SECRET_BYTES}`);
  return SECRET_PREFIX + encodeBase64(bytes);
}

/** The most of a secret anyone may see again: its first 3 characters. */
export const previewSecret = (secret: string): string => secret.slice(0, SECRET_PREVIEW_CHARS);
