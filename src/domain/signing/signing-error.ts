/**
 * The one error type of the signing module. Messages say what to fix and never contain a secret
 * (at most its first 3 characters, the same preview the admin page shows).
 */
export class SigningError extends Error {
  override readonly name = 'SigningError';
}

/** The first 3 characters of a secret: enough for an admin to tell secrets apart, never more. */
export function secretPreview(secret: string): string {
  return `${secret.slice(0, 3)}…`;
}
