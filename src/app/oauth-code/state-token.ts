import { hmacSha256 } from '../../domain/signing/hmac';
import { constantTimeEqual } from '../../domain/webhook/constant-time';
import { parseState, type StateParts } from '../slack-oauth/state-token';

/**
 * The `state` of a webhook's "Authorize": the same form as Add to Slack's (`<nonce>.<expires at,
 * ms>.<signature>`, parsed by slack-oauth/state-token.ts) but signed over a different text, so a state
 * issued for one flow can never pass the other. The signature binds the nonce and expiry to the webhook
 * id, its version and the admin who started the flow; none of those travel in the URL (the verifier reads
 * them from the pending record and the MAC proves it was not altered).
 */
export interface StateBinding {
  webhookId: string;
  version: number;
  accountId: string;
}

const signedText = (nonce: string, expiresAtMs: number, binding: StateBinding): string =>
  `audit-webhooks/oauth-code-state/v1\n${nonce}\n${expiresAtMs}\n${binding.webhookId}\n${binding.version}\n${binding.accountId}`;

export const signCodeState = (key: Uint8Array, nonce: string, expiresAtMs: number, binding: StateBinding): string =>
  `${nonce}.${expiresAtMs}.${hmacSha256(key, signedText(nonce, expiresAtMs, binding)).toString('base64url')}`;

export const parseCodeState = (state: string): StateParts | undefined => parseState(state);

export const codeStateSignatureValid = (key: Uint8Array, parts: StateParts, binding: StateBinding): boolean =>
  constantTimeEqual(parts.signature, hmacSha256(key, signedText(parts.nonce, parts.expiresAtMs, binding)).toString('base64url'));
