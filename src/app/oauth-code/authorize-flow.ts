import { ApiFailure } from '../../contract/envelope';
import type { OAuthAuthorizeStarted, OAuthCodeStatus } from '../../contract/oauth-code';
import type { AuthCodeClient, Settings } from '../../domain/destinations/contract';
import { destinationModule } from '../../domain/destinations/registry';
import { pkceChallenge, pkceVerifier, VERIFIER_PATTERN } from '../../domain/oauth/pkce';
import { buildCodeExchange, codeClientKey, readGrantAnswer, SETTINGS_CHANGED_MESSAGE } from '../delivery/oauth-code-request';
import { grantSecretKey, grantStatusKey, readGrantStatus, type GrantStatus, type StoredGrant } from '../delivery/oauth-code-grant';
import { usableForMs } from '../delivery/oauth-token-request';
import type { CallbackPage } from '../slack-oauth/callback-page';
import type { ExpiringSecretStore } from '../slack-oauth/ports';
import type { Clock, HttpSender, IdSource, KeyValueStore, Logger, SecretStore } from '../ports';
import { codeStateSignatureValid, parseCodeState, signCodeState } from './state-token';

/** The webhook as the flow needs it: its version (the state is bound to it) and its settings, secrets included. */
export interface CodeFlowWebhook {
  kind: string;
  version: number;
  settings: Settings;
}

export interface OAuthCodeFlowDeps {
  kvs: KeyValueStore;
  /** Tokens, kept without expiry (the grant's own expiry is in the value). */
  secrets: SecretStore;
  /** The PKCE verifier (10 minutes) and the state key. */
  expiring: ExpiringSecretStore;
  clock: Clock;
  ids: IdSource;
  http: HttpSender;
  logger: Logger;
  /** The redirect URL: the `oauth-callback` web trigger's URL (Forge webTrigger.getUrl). */
  redirectUrl: () => Promise<string>;
  webhook: (id: string) => Promise<CodeFlowWebhook | undefined>;
}

/** How long the admin has to consent at the provider. */
export const CODE_STATE_LIFETIME_SECONDS = 600;
/** The used marker outlives the state, so a replay is told "already used", not "unknown". */
const USED_LIFETIME_SECONDS = 24 * 3600;
const STATE_KEY_SECRET = 'oauth-code-state-key';
const pendingKey = (nonce: string) => `oauth-code:pending:${nonce}`;
const usedKey = (nonce: string) => `oauth-code:used:${nonce}`;
const verifierKey = (nonce: string) => `oauth-code-verifier:${nonce}`;

interface Pending {
  webhookId: string;
  version: number;
  accountId: string;
  expiresAt: string;
}

export interface CodeCallbackQuery {
  state?: string;
  code?: string;
  error?: string;
}

const TITLE_FAILED = 'Not authorized';
const AGAIN = 'Start again with Authorize on the Audit Webhooks admin page (edit the webhook).';
const page = (status: number, message: string, title = TITLE_FAILED): CallbackPage => ({ status, title, message });

/** Provider errors (RFC 6749 4.1.2.1) an admin can act on; others are named only. */
const PROVIDER_ERRORS: Record<string, string> = {
  access_denied: 'You (or the provider) declined the access, so nothing changed.',
  invalid_scope: 'The provider refused the scope: check the OAuth scope setting.',
  unauthorized_client: 'The provider does not allow this client the authorization-code grant: check the app registration at the provider.',
  invalid_request: 'The provider refused the request: check the client ID, the authorize URL and that the redirect URL is registered.',
};

/**
 * "Authorize" for a custom webhook with the authorization-code grant: start() (admin) answers the
 * provider's consent URL with PKCE (S256) and a signed, single-use state bound to the webhook, its version
 * and the admin; callback() (the web trigger the provider redirects to, no user) checks the state, uses it
 * up, exchanges code + verifier and keeps the tokens in the SecretStore only; status() says whether the
 * webhook is authorized. Codes, verifiers and tokens never reach an answer, a page or a log line.
 */
export class OAuthCodeFlow {
  constructor(private readonly deps: OAuthCodeFlowDeps) {}

  async start(actor: string, webhookId: string): Promise<OAuthAuthorizeStarted> {
    const { client, webhook } = await this.client(webhookId);
    const redirectUrl = await this.deps.redirectUrl();
    const nonce = this.deps.ids.randomBytes(16).toString('hex');
    const verifier = pkceVerifier(this.deps.ids.randomBytes(32));
    const expiresAtMs = this.deps.clock.now().getTime() + CODE_STATE_LIFETIME_SECONDS * 1000;
    const expiresAt = new Date(expiresAtMs).toISOString();
    const state = signCodeState(await this.stateKey(), nonce, expiresAtMs, { webhookId, version: webhook.version, accountId: actor });
    await this.deps.expiring.set(verifierKey(nonce), { verifier, expiresAt }, { ttlSeconds: CODE_STATE_LIFETIME_SECONDS });
    await this.deps.kvs.set<Pending>(pendingKey(nonce), { webhookId, version: webhook.version, accountId: actor, expiresAt }, { ttlSeconds: CODE_STATE_LIFETIME_SECONDS });
    const url = new URL(client.authorizeUrl);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', client.clientId);
    url.searchParams.set('redirect_uri', redirectUrl);
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', pkceChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    if (client.scope) url.searchParams.set('scope', client.scope);
    if (client.audience) url.searchParams.set('audience', client.audience);
    this.deps.logger.info('oauth.code.authorize-started', { webhookId });
    return { authorizeUrl: url.toString(), redirectUrl, expiresAt };
  }

  async status(webhookId: string): Promise<OAuthCodeStatus> {
    const { client } = await this.client(webhookId);
    const redirectUrl = await this.deps.redirectUrl();
    const status = await readGrantStatus(this.deps.kvs, webhookId);
    if (!status) return { status: 'not-authorized', redirectUrl };
    const who = { authorizedAt: status.authorizedAt, authorizedBy: status.authorizedBy };
    if (status.clientKey !== codeClientKey(client)) return { status: 'needs-reauthorization', redirectUrl, ...who, reason: SETTINGS_CHANGED_MESSAGE };
    if (status.state === 'revoked') return { status: 'needs-reauthorization', redirectUrl, ...who, ...(status.reason ? { reason: status.reason } : {}) };
    return { status: 'authorized', redirectUrl, ...who };
  }

  /** The web trigger: never throws; answers the page to show in the admin's browser tab. */
  async callback(query: CodeCallbackQuery): Promise<CallbackPage> {
    try {
      return await this.handleCallback(query);
    } catch (error) {
      this.deps.logger.error('oauth.code.callback-failed', { error: error instanceof Error ? error.name : typeof error });
      return page(503, `The app could not finish the authorization. ${AGAIN}`);
    }
  }

  private async handleCallback(query: CodeCallbackQuery): Promise<CallbackPage> {
    const parts = parseCodeState(query.state ?? '');
    if (!parts) return this.refuse('malformed', page(400, `This link is not one the app started. ${AGAIN}`));
    const now = this.deps.clock.now().getTime();
    if (parts.expiresAtMs <= now) return this.refuse('expired', page(400, `This link expired (you have 10 minutes to consent at the provider). ${AGAIN}`));
    const pending = await this.deps.kvs.get<Pending>(pendingKey(parts.nonce));
    if (!pending) return this.refuse('unknown', page(400, `This link is not one the app started, or it expired. ${AGAIN}`));
    if (!codeStateSignatureValid(await this.stateKey(), parts, pending)) return this.refuse('forged', page(400, `This link is not one the app started. ${AGAIN}`));
    if (!(await this.deps.kvs.setIfAbsent(usedKey(parts.nonce), { at: new Date(now).toISOString() }, { ttlSeconds: USED_LIFETIME_SECONDS }))) {
      return this.refuse('reused', page(409, `This link was already used: each authorization works once. ${AGAIN}`));
    }
    const { webhookId } = pending;
    if (query.error !== undefined) {
      const known = /^[a-z_]{1,40}$/.test(query.error) ? query.error : 'unknown_error';
      this.deps.logger.info('oauth.code.provider-error', { webhookId, providerError: known });
      return page(400, `${PROVIDER_ERRORS[known] ?? `The provider answered ${known}, so the webhook was not authorized.`} ${AGAIN}`);
    }
    if (!query.code) return page(400, `The provider sent no code, so the webhook was not authorized. ${AGAIN}`);
    const webhook = await this.deps.webhook(webhookId);
    if (!webhook) return page(404, 'This webhook was deleted, so nothing was authorized.');
    if (webhook.version !== pending.version) return page(409, `The webhook was changed while you were authorizing. ${AGAIN}`);
    const client = this.codeClient(webhook);
    if (!client) return page(400, `The webhook no longer uses the authorization-code grant. ${AGAIN}`);
    const stored = await this.deps.expiring.get<{ verifier: string; expiresAt: string }>(verifierKey(parts.nonce));
    if (!stored || !VERIFIER_PATTERN.test(stored.verifier) || Date.parse(stored.expiresAt) <= now) return page(400, `This link expired. ${AGAIN}`);
    const result = await this.deps.http.send(buildCodeExchange(client, query.code, await this.deps.redirectUrl(), stored.verifier));
    const answer = readGrantAnswer(result, client, this.deps.clock.now());
    await this.deps.expiring.delete(verifierKey(parts.nonce)).catch(() => undefined);
    if (!answer.ok) {
      this.deps.logger.warn('oauth.code.exchange-refused', { webhookId, ...(result.kind === 'response' ? { status: result.status } : {}), revoked: answer.revoked });
      const why = answer.revoked ? 'The provider refused the code (invalid_grant): it is single-use and short-lived.' : answer.outcome.message;
      return page(400, `${why} ${AGAIN}`);
    }
    const fetchedAtMs = this.deps.clock.now().getTime();
    const clientKey = codeClientKey(client);
    const grant: StoredGrant = {
      clientKey,
      accessToken: answer.accessToken,
      ...(answer.refreshToken ? { refreshToken: answer.refreshToken } : {}),
      expiresAtMs: fetchedAtMs + usableForMs(answer.expiresInSeconds),
      fetchedAtMs,
    };
    await this.deps.secrets.set(grantSecretKey(webhookId), grant);
    await this.deps.kvs.set<GrantStatus>(grantStatusKey(webhookId), { state: 'authorized', clientKey, authorizedAt: new Date(fetchedAtMs).toISOString(), authorizedBy: pending.accountId });
    this.deps.logger.info('oauth.code.authorized', { webhookId, refreshToken: answer.refreshToken !== undefined });
    return page(
      200,
      `The webhook is authorized${answer.refreshToken ? '' : ' (the provider gave no refresh token: authorize again when the access token expires)'}. You can close this tab; on the admin page, choose Verify to send a test.`,
      'Authorized',
    );
  }

  private refuse(reason: string, answer: CallbackPage): CallbackPage {
    this.deps.logger.warn('oauth.code.callback-refused', { reason });
    return answer;
  }

  private codeClient(webhook: CodeFlowWebhook): AuthCodeClient | undefined {
    const auth = destinationModule(webhook.kind).auth(webhook.settings);
    return auth.type === 'oauth-authorization-code' ? auth.client : undefined;
  }

  private async client(webhookId: string): Promise<{ client: AuthCodeClient; webhook: CodeFlowWebhook }> {
    const webhook = await this.deps.webhook(webhookId);
    if (!webhook) throw new ApiFailure('NOT_FOUND', 'No webhook has this id: reload the list.');
    const client = this.codeClient(webhook);
    if (!client) {
      throw new ApiFailure('VALIDATION', 'This webhook does not use the OAuth authorization-code grant: set OAuth grant to authorization code (with token URL, authorize URL, client ID and client secret) and save first.', {
        id: 'Not an authorization-code webhook.',
      });
    }
    return { client, webhook };
  }

  /** The HMAC key of states: 32 random bytes, created once per installation and kept encrypted. */
  private async stateKey(): Promise<Buffer> {
    const created = await this.deps.expiring.createOnce<{ key: string }>(STATE_KEY_SECRET, { key: this.deps.ids.randomBytes(32).toString('base64') });
    return Buffer.from(created.key, 'base64');
  }
}
