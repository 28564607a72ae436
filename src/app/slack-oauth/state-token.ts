import { hmacSha256 } from '../../domain/signing/hmac';
import { constantTimeEqual } from '../../domain/webhook/constant-time';

/**
 * The OAuth `state` the app hands Slack: `<nonce>.<expires at, ms>.<signature>`. The signature is an
 * HMAC-SHA256 (key: the app's state key, kept in the secret store) over the nonce, the expiry and the
 * account id of the admin who started the flow. The account id is not in the state (it would travel to
 * Slack and back in URLs): the verifier reads it from the pending record and the MAC proves it.
 */
const STATE_PATTERN = /^([0-9a-f]{32})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

export interface StateParts {
  nonce: string;
  expiresAtMs: number;
  signature: string;
}

const signedText = (nonce: string, expiresAtMs: number, accountId: string): string => `audit-webhooks/slack-oauth-state/v1\n${nonce}\n${expiresAtMs}\n${accountId}`;

export function signState(key: Uint8Array, nonce: string, expiresAtMs: number, accountId: string): string {
  return `${nonce}.${expiresAtMs}.${hmacSha256(key, signedText(nonce, expiresAtMs, accountId)).toString('base64url')}`;
}

/** The parts of a well-formed state, or undefined for anything this app could not have issued. */
export function parseState(state: string): StateParts | undefined {
  const match = STATE_PATTERN.exec(state);
  if (!match) return undefined;
  return { nonce: match[1] as string, expiresAtMs: Number(match[2]), signature: match[3] as string };
}

export function stateSignatureValid(key: Uint8Array, parts: StateParts, accountId: string): boolean {
  const expected = hmacSha256(key, signedText(parts.nonce, parts.expiresAtMs, accountId)).toString('base64url');
  return constantTimeEqual(parts.signature, expected);
}
