import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FailedOutcome, PermanentOutcome } from '../../domain/delivery/outcome';
import type { AuthCodeClient } from '../../domain/destinations/contract';
import type { OutboundRequest, OutboundResult } from '../ports';
import { TOKEN_REQUEST_TIMEOUT_MS, readTokenAnswer } from './oauth-token-request';

/**
 * The token requests of the authorization-code grant (RFC 6749 4.1.3 with PKCE, RFC 7636 4.5; refresh,
 * RFC 6749 6) and the reading of their answers. Parameters go form-encoded (the standard) or as JSON, as
 * the webhook's "OAuth token request format" says (some providers, seed 004's "OAuth API type", take JSON).
 * Pure apart from hashing.
 */

/** What the admin sees when the provider refuses the refresh token: the only fix is to authorize again. */
export const REVOKED_MESSAGE = 'The authorization was revoked or expired: authorize again (edit the webhook and choose Re-authorize).';
export const NOT_AUTHORIZED_MESSAGE = 'The webhook is not authorized yet: edit it and choose Authorize, then Verify.';
export const SETTINGS_CHANGED_MESSAGE = 'The OAuth settings changed since the webhook was authorized: authorize again (edit the webhook and choose Re-authorize).';

const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * Which client a grant belongs to: a hash over everything that decides what the provider issued. Tokens
 * of a grant whose client key no longer matches the settings (another client, secret, scope, token URL)
 * are not used: the admin authorizes again. Reveals nothing (the secret enters only as its own hash).
 */
export const codeClientKey = (client: AuthCodeClient): string =>
  sha256(JSON.stringify(['authorization-code', client.tokenUrl, client.authorizeUrl, client.clientId, sha256(client.clientSecret), client.scope ?? '', client.audience ?? '']));

const tokenRequest = (client: AuthCodeClient, params: Record<string, string>): OutboundRequest => {
  const all: Record<string, string> = { ...params, client_id: client.clientId, client_secret: client.clientSecret };
  return {
    url: client.tokenUrl,
    method: 'POST',
    headers: { 'content-type': client.tokenFormat === 'json' ? 'application/json' : 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: client.tokenFormat === 'json' ? JSON.stringify(all) : new URLSearchParams(all).toString(),
    timeoutMs: TOKEN_REQUEST_TIMEOUT_MS,
  };
};

/** The code exchange: the code the provider sent to the redirect URL, with the PKCE verifier. */
export const buildCodeExchange = (client: AuthCodeClient, code: string, redirectUri: string, codeVerifier: string): OutboundRequest =>
  tokenRequest(client, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier });

/** A refresh: the refresh token only (RFC 6749 6: the scope stays as granted when left out). */
export const buildRefresh = (client: AuthCodeClient, refreshToken: string): OutboundRequest => tokenRequest(client, { grant_type: 'refresh_token', refresh_token: refreshToken });

const GrantAnswerSchema = z.object({
  access_token: z.string().min(1).max(16_000),
  token_type: z
    .string()
    .refine((type) => type.toLowerCase() === 'bearer')
    .optional(),
  expires_in: z.union([z.number().finite(), z.string().trim().regex(/^\d{1,10}$/).transform(Number)]).optional(),
  refresh_token: z.string().min(1).max(16_000).optional(),
});

const ErrorCodeSchema = z.object({ error: z.string().max(200) });

export type GrantAnswer =
  | { ok: true; accessToken: string; refreshToken?: string; expiresInSeconds?: number }
  /** `revoked`: the provider refused the code or refresh token (invalid_grant): only a new authorization helps. */
  | { ok: false; outcome: FailedOutcome; revoked: boolean };

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
};

const revoked = (status: number): PermanentOutcome => ({ kind: 'permanent', errorClass: 'http', httpStatus: status, failsEndpoint: true, message: REVOKED_MESSAGE });

/**
 * The token endpoint's answer to a code exchange or a refresh. invalid_grant (RFC 6749 5.2: the grant or
 * refresh token is invalid, expired or revoked) is told apart; everything else reads as for client
 * credentials (network errors, egress, 5xx and 429 retried, refused clients failing the endpoint).
 */
export const readGrantAnswer = (result: OutboundResult, client: AuthCodeClient, now: Date): GrantAnswer => {
  if (result.kind === 'response' && result.status >= 200 && result.status <= 299) {
    const parsed = GrantAnswerSchema.safeParse(parseJson(result.body));
    if (parsed.success) {
      const { access_token: accessToken, refresh_token: refreshToken, expires_in: expiresIn } = parsed.data;
      return { ok: true, accessToken, ...(refreshToken ? { refreshToken } : {}), ...(expiresIn === undefined ? {} : { expiresInSeconds: expiresIn }) };
    }
  }
  if (result.kind === 'response' && (result.status === 400 || result.status === 401)) {
    const error = ErrorCodeSchema.safeParse(parseJson(result.body));
    if (error.success && error.data.error === 'invalid_grant') return { ok: false, outcome: revoked(result.status), revoked: true };
  }
  const answer = readTokenAnswer(result, client, now);
  if (answer.ok) return { ok: true, accessToken: answer.token, ...(answer.expiresInSeconds === undefined ? {} : { expiresInSeconds: answer.expiresInSeconds }) };
  // The shared reading names the client-credentials grant in a few hints; here the grant is another.
  return { ok: false, outcome: { ...answer.outcome, message: answer.outcome.message.replace(/client-credentials grant/g, 'authorization-code grant') }, revoked: false };
};
