import { acceptsOwnSecrets } from '../../domain/webhook/own-secret-rules';
import { secretFormat, secretProblemFor } from '../../domain/webhook/secret-rules';
import type { Problems } from './problems';

/**
 * Secrets against the signing mode, which the input schema cannot see (it may be stored, or change in the
 * same update): a text of the admin's own signs only in base64-list and hub mode; whsec_ secrets sign in
 * every mode. Messages name the secret by its label, never by its value.
 */
const STANDARD_NEEDS_WHSEC =
  'Start the secret with whsec_ followed by base64 (use "Generate" for a new one): Standard Webhooks signing needs one. A text of your own works in base64-list or hub signing.';

/** New secrets (create's `secrets`, update's `secretsAdd`) under the mode they will sign with. */
export function checkNewSecretsForMode(problems: Problems, field: 'secrets' | 'secretsAdd', values: readonly string[], mode: string): void {
  values.forEach((value, index) => {
    if (secretFormat(value) === 'text' && !acceptsOwnSecrets(mode)) {
      problems.add([field, index], STANDARD_NEEDS_WHSEC);
      return;
    }
    const problem = secretProblemFor(value, mode);
    if (problem !== undefined) problems.add([field, index], problem);
  });
}

/** A signing mode change that the secrets kept (grace periods included) could not sign with. */
export function checkKeptSecretsForMode(problems: Problems, kept: readonly { label: string; value: string }[], mode: string): void {
  if (acceptsOwnSecrets(mode)) return;
  const own = kept.filter((secret) => secretFormat(secret.value) === 'text').map((secret) => secret.label);
  if (own.length === 0) return;
  problems.add(
    ['signing', 'mode'],
    `Keep base64-list or hub signing, or first remove the secrets of your own (${own.join(', ')}) with graceHours 0: Standard Webhooks signing needs whsec_ secrets.`,
  );
}
