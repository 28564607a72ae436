/**
 * A stand-in OAuth 2.0 provider for authorization-code webhooks (RFC 6749 4.1 with PKCE, RFC 7636), the
 * way dev/slack-standin.ts stands in for Slack. Used by the local host (`npm start`: the consent page at
 * OAUTH_STANDIN_AUTHORIZE_LOCAL_PATH, the token endpoint at https://OAUTH_STANDIN_HOST/token answered in
 * process) and by tests (in front of a 127.0.0.1 receiver).
 *
 * - authorize(url, { allow }): checks response_type=code, client_id, redirect_uri, state and an S256
 *   code_challenge, and answers where the browser goes next: redirect_uri with `code` and `state` (or
 *   `error=access_denied`).
 * - token(contentType, body): form-encoded or JSON parameters. `authorization_code`: the client's id and
 *   secret, a known, unused code at most 10 minutes old, the same redirect_uri, and a code_verifier whose
 *   S256 hash is the challenge. `refresh_token`: a live refresh token; it is rotated (the old one dies)
 *   unless `rotateRefreshTokens` is off. Access tokens live `accessTokenSeconds`.
 * - revoke(): every refresh and access token dies (the provider-side "remove app access").
 * - accepts(header): whether an Authorization header carries a live access token (for a test receiver).
 * State lives in memory only.
 */
import { createHash, randomBytes } from 'node:crypto';

export const OAUTH_STANDIN_HOST = 'oauth.standin.test';
export const OAUTH_STANDIN_AUTHORIZE_URL = `https://${OAUTH_STANDIN_HOST}/authorize`;
export const OAUTH_STANDIN_TOKEN_URL = `https://${OAUTH_STANDIN_HOST}/token`;
export const OAUTH_STANDIN_AUTHORIZE_LOCAL_PATH = '/__forge/oauth-standin/authorize';

export interface OAuthStandInOptions {
  clientId: string;
  clientSecret: string;
  /** Access token lifetime (expires_in). */
  accessTokenSeconds: number;
  rotateRefreshTokens: boolean;
  /** Which token request encodings are accepted. */
  formats: readonly ('form' | 'json')[];
}

export const OAUTH_STANDIN_DEFAULTS: OAuthStandInOptions = {
  clientId: 'local-oauth-client-id',
  clientSecret: 'local-oauth-client-secret-0123456789',
  accessTokenSeconds: 3600,
  rotateRefreshTokens: true,
  formats: ['form', 'json'],
};

export interface StandInAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface IssuedCode {
  challenge: string;
  redirectUri: string;
  scope?: string;
  issuedAtMs: number;
  used: boolean;
}

const CODE_LIFETIME_MS = 10 * 60_000;
const json = (status: number, value: unknown): StandInAnswer => ({ status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(value) });
const oauthError = (status: number, error: string, description: string): StandInAnswer => json(status, { error, error_description: description });
const s256 = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url');

export class OAuthStandInError extends Error {}

export class OAuthStandIn {
  readonly options: OAuthStandInOptions;
  private readonly codes = new Map<string, IssuedCode>();
  private readonly refreshTokens = new Set<string>();
  private readonly accessTokens = new Map<string, number>();
  /** Counters for tests: token requests by grant. */
  readonly calls = { authorization_code: 0, refresh_token: 0, refused: 0 };
  /** Every access token and refresh token issued, in order (tests look for them where they must not be). */
  readonly issued: string[] = [];
  readonly issuedRefresh: string[] = [];

  constructor(
    options: Partial<OAuthStandInOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...OAUTH_STANDIN_DEFAULTS, ...options };
  }

  /** The consent decision: where the browser is sent (redirect_uri with code and state, or an error). */
  authorize(authorizeUrl: string, decision: { allow?: boolean } = {}): string {
    const url = new URL(authorizeUrl);
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri');
    const state = q.get('state');
    if (!redirectUri) throw new OAuthStandInError('redirect_uri is missing');
    if (q.get('client_id') !== this.options.clientId) throw new OAuthStandInError('unknown client_id');
    const back = new URL(redirectUri);
    if (state !== null) back.searchParams.set('state', state);
    if (q.get('response_type') !== 'code') {
      back.searchParams.set('error', 'unsupported_response_type');
      return back.toString();
    }
    const challenge = q.get('code_challenge');
    if (q.get('code_challenge_method') !== 'S256' || !challenge || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
      back.searchParams.set('error', 'invalid_request');
      return back.toString();
    }
    if (decision.allow === false) {
      back.searchParams.set('error', 'access_denied');
      return back.toString();
    }
    const code = randomBytes(18).toString('base64url');
    this.codes.set(code, { challenge, redirectUri, ...(q.get('scope') ? { scope: q.get('scope') as string } : {}), issuedAtMs: this.now(), used: false });
    back.searchParams.set('code', code);
    return back.toString();
  }

  /** The token endpoint. */
  token(contentType: string | undefined, body: string): StandInAnswer {
    const format = (contentType ?? '').toLowerCase().startsWith('application/json') ? 'json' : 'form';
    if (!this.options.formats.includes(format)) return this.refuse(oauthError(400, 'invalid_request', `This provider takes ${this.options.formats.join(' or ')} token requests.`));
    let params: Record<string, string>;
    try {
      params = format === 'json' ? (JSON.parse(body) as Record<string, string>) : Object.fromEntries(new URLSearchParams(body));
    } catch {
      return this.refuse(oauthError(400, 'invalid_request', 'The body is not JSON.'));
    }
    if (params.client_id !== this.options.clientId || params.client_secret !== this.options.clientSecret) return this.refuse(oauthError(401, 'invalid_client', 'Unknown client or wrong secret.'));
    if (params.grant_type === 'authorization_code') return this.exchange(params);
    if (params.grant_type === 'refresh_token') return this.refresh(params);
    return this.refuse(oauthError(400, 'unsupported_grant_type', 'authorization_code or refresh_token only.'));
  }

  /** Removes the app's access: every refresh and access token dies. */
  revoke(): void {
    this.refreshTokens.clear();
    this.accessTokens.clear();
  }

  /** Whether `authorization` is `Bearer <a live access token>`. */
  accepts(authorization: string | undefined): boolean {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const expiresAt = token === undefined ? undefined : this.accessTokens.get(token);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  private refuse(answer: StandInAnswer): StandInAnswer {
    this.calls.refused += 1;
    return answer;
  }

  private exchange(params: Record<string, string>): StandInAnswer {
    this.calls.authorization_code += 1;
    const code = params.code === undefined ? undefined : this.codes.get(params.code);
    if (!code || code.used || this.now() - code.issuedAtMs > CODE_LIFETIME_MS) return this.refuse(oauthError(400, 'invalid_grant', 'Unknown, used or expired code.'));
    code.used = true;
    if (params.redirect_uri !== code.redirectUri) return this.refuse(oauthError(400, 'invalid_grant', 'redirect_uri differs from the authorize request.'));
    if (!params.code_verifier || s256(params.code_verifier) !== code.challenge) return this.refuse(oauthError(400, 'invalid_grant', 'PKCE verification failed.'));
    return this.issue(code.scope);
  }

  private refresh(params: Record<string, string>): StandInAnswer {
    this.calls.refresh_token += 1;
    const token = params.refresh_token;
    if (!token || !this.refreshTokens.has(token)) return this.refuse(oauthError(400, 'invalid_grant', 'The refresh token is invalid, expired or revoked.'));
    if (this.options.rotateRefreshTokens) this.refreshTokens.delete(token);
    return this.issue(undefined, this.options.rotateRefreshTokens ? undefined : token);
  }

  private issue(scope: string | undefined, keepRefresh?: string): StandInAnswer {
    const accessToken = `at_${randomBytes(18).toString('base64url')}`;
    this.accessTokens.set(accessToken, this.now() + this.options.accessTokenSeconds * 1000);
    this.issued.push(accessToken);
    const answer: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: this.options.accessTokenSeconds, ...(scope ? { scope } : {}) };
    if (!keepRefresh) {
      const refreshToken = `rt_${randomBytes(24).toString('base64url')}`;
      this.refreshTokens.add(refreshToken);
      this.issuedRefresh.push(refreshToken);
      answer.refresh_token = refreshToken;
    }
    return json(200, answer);
  }
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The local host's consent page (GET OAUTH_STANDIN_AUTHORIZE_LOCAL_PATH): Allow or Deny, then `decide`. */
export function consentPage(standIn: OAuthStandIn, query: URLSearchParams): { status: number; html: string } {
  const redirect = query.get('redirect_uri');
  if (query.get('client_id') !== standIn.options.clientId || !redirect) {
    return { status: 400, html: `<!doctype html><title>OAuth provider (local stand-in)</title><h1>The provider refused the request</h1><p>Unknown client_id or no redirect_uri.</p>` };
  }
  const hidden = [...query.entries()].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
  return {
    status: 200,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>OAuth provider (local stand-in): allow access</title>
<style>body{font:15px/1.5 -apple-system,'Segoe UI',Roboto,sans-serif;max-width:520px;margin:40px auto;color:#172b4d}button{padding:8px 16px;margin-right:8px;border-radius:4px;border:1px solid #bbb;cursor:pointer}button.allow{background:#0c66e4;color:#fff;border-color:#0c66e4}</style></head>
<body><p><small>Local stand-in for an OAuth 2.0 provider (${OAUTH_STANDIN_HOST})</small></p>
<h1>Allow Audit Webhooks for Jira to send to your API?</h1>
<p>Scope: <code>${esc(query.get('scope') ?? '(none)')}</code>. You return to <code>${esc(new URL(redirect).origin)}</code>.</p>
<form method="get" action="${OAUTH_STANDIN_AUTHORIZE_LOCAL_PATH}/decide">${hidden}<p>
<button type="submit" name="decision" value="deny">Deny</button>
<button type="submit" class="allow" name="decision" value="allow">Allow</button></p></form></body></html>`,
  };
}

/** The app's egress to https://OAUTH_STANDIN_HOST/... answered in process: POST /token only. */
export function standInResponse(standIn: OAuthStandIn, method: string, pathname: string, headers: Headers, body: string): Response {
  const answer: StandInAnswer =
    method === 'POST' && pathname === '/token' ? standIn.token(headers.get('content-type') ?? undefined, body) : { status: 404, headers: { 'content-type': 'application/json' }, body: '{"error":"not_found"}' };
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
