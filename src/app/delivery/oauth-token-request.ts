import { createHash } from 'node:crypto';
import { z } from 'zod';
import { classifyNetworkError } from '../../domain/delivery/network-error';
import type { FailedOutcome, PermanentOutcome } from '../../domain/delivery/outcome';
import { headerValue } from '../../domain/delivery/outcome';
import { parseRetryAfter } from '../../domain/delivery/retry-after';
import { compileCredentials, scrubCredentials } from '../../domain/delivery/scrub-credentials';
import type { ClientCredentials } from '../../domain/destinations/contract';
import type { OutboundRequest, OutboundResult } from '../ports';

/**
 * The OAuth 2.0 client-credentials request (RFC 6749 4.4, client_secret_post) and the reading of its
 * answer. Pure apart from hashing: the cache, the lease and the HTTP call are in oauth-tokens.ts.
 */

/** Entra ID answers in well under a second; a token endpoint that takes longer than this is not there. */
export const TOKEN_REQUEST_TIMEOUT_MS = 10_000;
/** A token without expires_in is used this long (RFC 6749 leaves the lifetime to the server then). */
export const DEFAULT_LIFETIME_SECONDS = 300;
/** However long the server says a token lives, it is fetched again after this. */
export const MAX_LIFETIME_SECONDS = 24 * 3600;
/** A token is dropped this long before it expires (or 10 % of its lifetime, whichever is less). */
export const EXPIRY_MARGIN_SECONDS = 60;
/** How much of the endpoint's error_description a message may quote (after scrubbing). */
const MAX_DESCRIPTION_CHARS = 300;

const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * The cache key of one client: a hash over everything that decides which token the endpoint issues.
 * Any change of credentials (a rotated secret, another scope) gives another key, so an old token is never
 * reused for new settings; the key itself reveals nothing (the secret enters it only as its own hash).
 */
export const tokenCacheKey = (client: ClientCredentials): string =>
  sha256(JSON.stringify([client.tokenUrl, client.clientId, sha256(client.clientSecret), client.scope ?? '', client.audience ?? '']));

export const buildTokenRequest = (client: ClientCredentials): OutboundRequest => {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret });
  if (client.scope) form.set('scope', client.scope);
  if (client.audience) form.set('audience', client.audience);
  return {
    url: client.tokenUrl,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    timeoutMs: TOKEN_REQUEST_TIMEOUT_MS,
  };
};

/**
 * RFC 6749 5.1. token_type is required by the RFC, but some servers leave it out; an absent type is
 * read as Bearer (the access token is all we send). Any other type (MAC, DPoP) cannot be sent as a
 * bearer token and is refused.
 */
const TokenAnswerSchema = z.object({
  access_token: z.string().min(1).max(16_000),
  token_type: z
    .string()
    .refine((type) => type.toLowerCase() === 'bearer')
    .optional(),
  expires_in: z.union([z.number().finite(), z.string().trim().regex(/^\d{1,10}$/).transform(Number)]).optional(),
});

/** RFC 6749 5.2 error answer: only the fields we read. */
const TokenErrorSchema = z.object({
  error: z.string().max(200),
  error_description: z.string().optional(),
});

/** For how long a token may be used, in ms from when it arrived: its lifetime less the margin. */
export const usableForMs = (expiresInSeconds: number | undefined): number => {
  const lifetime = Math.min(Math.max(expiresInSeconds ?? DEFAULT_LIFETIME_SECONDS, 0), MAX_LIFETIME_SECONDS);
  const margin = Math.min(EXPIRY_MARGIN_SECONDS, lifetime * 0.1);
  return Math.floor((lifetime - margin) * 1000);
};

export type TokenAnswer = { ok: true; token: string; expiresInSeconds?: number } | { ok: false; outcome: FailedOutcome; oauthError?: string };

/** The OAuth errors that say the client's settings are wrong, each with what the admin should check. */
const CONFIG_ERRORS: Readonly<Record<string, string>> = {
  invalid_client: 'The token endpoint refused the client credentials (invalid_client): check the client ID and client secret.',
  unauthorized_client:
    'The token endpoint does not allow this client the client-credentials grant (unauthorized_client): check the app registration on the identity provider.',
  invalid_grant: 'The token endpoint refused the grant (invalid_grant): check that the client secret has not expired and the token URL names the right tenant.',
  invalid_scope: 'The token endpoint refused the scope (invalid_scope): check the scope setting.',
  invalid_request: 'The token endpoint refused the request (invalid_request): check the token URL, scope and audience.',
  unsupported_grant_type: 'The token endpoint does not support the client-credentials grant (unsupported_grant_type): check the token URL.',
};

const HINT_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'check the client ID, client secret, scope and audience',
  401: 'check the client ID and client secret',
  403: 'check that the client may request tokens',
  404: 'check the token URL',
  405: 'check the token URL',
  410: 'check the token URL',
};

const RETRYABLE_4XX = new Set([408, 425, 429]);

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
};

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
};

/**
 * The endpoint's own words, safe to show: without any run of the client secret (scrub-credentials), on
 * one line, trimmed. Entra's AADSTS descriptions say exactly what is wrong ("AADSTS7000215: Invalid client
 * secret provided..."), which is worth more to an admin than any hint of ours.
 */
const safeDescription = (description: string | undefined, client: ClientCredentials): string | undefined => {
  if (!description) return undefined;
  // eslint-disable-next-line no-control-regex
  const oneLine = description.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!oneLine) return undefined;
  const credentials = compileCredentials({ secrets: [client.clientSecret] });
  // Scrubbed whole first (a run cut in two by the trim would escape), then the cut itself: it must not
  // leave the first bytes of the secret at the end.
  const scrubbed = scrubCredentials(oneLine, credentials);
  if (scrubbed.length <= MAX_DESCRIPTION_CHARS) return scrubbed;
  return `${scrubCredentials(scrubbed.slice(0, MAX_DESCRIPTION_CHARS - 1), credentials, { truncated: true })}…`;
};

/** An OAuth error code as we may quote it: short, and made of the characters RFC 6749 allows. */
const quotableCode = (code: string): string | undefined => (/^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/.test(code) ? code : undefined);

const refused = (status: number, message: string): PermanentOutcome => ({ kind: 'permanent', errorClass: 'http', httpStatus: status, message, failsEndpoint: true });

/** What the token endpoint's answer (or the network) came to. */
export const readTokenAnswer = (result: OutboundResult, client: ClientCredentials, now: Date): TokenAnswer => {
  if (result.kind === 'error') {
    const outcome = classifyNetworkError(result.error);
    // The taxonomy's messages speak of "the receiver"; here it is the token endpoint.
    return { ok: false, outcome: { ...outcome, message: outcome.message.replace(/\b([Tt])he receiver\b/g, '$1he token endpoint') } };
  }
  const { status, headers } = result;
  if (status >= 200 && status <= 299) {
    const parsed = TokenAnswerSchema.safeParse(parseJson(result.body));
    if (!parsed.success) {
      return {
        ok: false,
        outcome: {
          kind: 'retry',
          errorClass: 'http',
          httpStatus: status,
          message: `The token endpoint answered HTTP ${status} without a bearer token (JSON with access_token, token_type Bearer, expires_in): check the token URL.`,
        },
      };
    }
    const { access_token: token, expires_in: expiresIn } = parsed.data;
    return expiresIn === undefined ? { ok: true, token } : { ok: true, token, expiresInSeconds: expiresIn };
  }
  if (status === 403 && headerValue(headers, 'forge-proxy-error') !== undefined) {
    const host = hostOf(client.tokenUrl);
    return {
      ok: false,
      outcome: {
        kind: 'permanent',
        errorClass: 'blocked-egress',
        httpStatus: status,
        failsEndpoint: true,
        message: `Blocked by Forge egress rules: the token endpoint's host${host ? ` ${host}` : ''} is not in the app's allowed egress. Add it to permissions.external.fetch.backend in manifest.yml, or use a token URL on an allowed host.`,
      },
    };
  }
  if (status >= 300 && status <= 399) {
    return {
      ok: false,
      outcome: { kind: 'retry', errorClass: 'redirect', httpStatus: status, message: `HTTP ${status} redirect from the token endpoint (not followed): set the token URL to the final address.` },
    };
  }
  if (RETRYABLE_4XX.has(status) || (status >= 500 && status <= 599)) {
    const retryAfterSeconds = parseRetryAfter(headerValue(headers, 'retry-after'), now);
    return {
      ok: false,
      outcome: {
        kind: 'retry',
        errorClass: 'http',
        httpStatus: status,
        message: status === 429 ? 'HTTP 429 from the token endpoint (rate limited).' : `HTTP ${status} from the token endpoint.`,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      },
    };
  }
  if (status >= 400 && status <= 499) {
    const answer = TokenErrorSchema.safeParse(parseJson(result.body));
    const code = answer.success ? quotableCode(answer.data.error) : undefined;
    const description = answer.success ? safeDescription(answer.data.error_description, client) : undefined;
    const said = description ? ` The token endpoint said: "${description}"` : '';
    const known = code !== undefined && (status === 400 || status === 401) ? CONFIG_ERRORS[code] : undefined;
    if (known) return { ok: false, outcome: refused(status, `${known}${said}`), oauthError: code };
    const hint = HINT_BY_STATUS[status] ?? 'check the token URL and the client settings';
    const message = `HTTP ${status} from the token endpoint${code ? ` (${code})` : ''}: ${hint}.${said}`;
    return code === undefined ? { ok: false, outcome: refused(status, message) } : { ok: false, outcome: refused(status, message), oauthError: code };
  }
  return { ok: false, outcome: { kind: 'retry', errorClass: 'other', httpStatus: status, message: `Unexpected HTTP status ${status} from the token endpoint.` } };
};
