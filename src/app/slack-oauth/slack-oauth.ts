import { z } from 'zod';
import { ApiFailure } from '../../contract/envelope';
import type { AdminOutput, AdminParsedInput } from '../../contract/functions';
import { parseAdminInput } from '../../contract/parse-input';
import { checkEventSelection } from '../../domain/webhook/event-selection';
import type { CallbackPage } from './callback-page';
import { defaultSlackEvents } from './default-events';
import type { SlackOAuthDeps } from './ports';
import { parseState, signState, stateSignatureValid, type StateParts } from './state-token';
import { slackWebhookName } from './webhook-name';

export const SLACK_AUTHORIZE_URL = 'https://slack.com/oauth/v2/authorize';
export const SLACK_ACCESS_URL = 'https://slack.com/api/oauth.v2.access';
/** Only this scope: it lets the admin pick a channel and gives the app one incoming webhook, nothing else. */
export const SLACK_SCOPE = 'incoming-webhook';
/** How long the admin has to allow the app in Slack. */
export const STATE_LIFETIME_SECONDS = 600;
/** Slack's answer waits this long for the admin page to finish the flow. */
const RESULT_LIFETIME_SECONDS = STATE_LIFETIME_SECONDS + 300;
/** Used and completed markers outlive the state, so a replay is told apart from an unknown state. */
const MARKER_LIFETIME_SECONDS = 24 * 3600;

const STATE_KEY_SECRET = 'slack-oauth-state-key';
const pendingKey = (nonce: string) => `slack-oauth:pending:${nonce}`;
const usedKey = (nonce: string) => `slack-oauth:used:${nonce}`;
const resultKey = (nonce: string) => `slack-oauth:result:${nonce}`;
const doneKey = (nonce: string) => `slack-oauth:done:${nonce}`;
const urlSecretKey = (nonce: string) => `slack-oauth-url:${nonce}`;

interface Pending { accountId: string; expiresAt: string; events: string[] }
type Result = { status: 'ready'; channel: string; channelId: string; team: string; teamId: string } | { status: 'failed'; reason: string };

/** Slack's oauth.v2.access answer, as far as this app reads it (tokens are never read or kept). */
const accessAnswer = z.looseObject({
  ok: z.boolean(),
  error: z.string().optional(),
  team: z.looseObject({ id: z.string().optional(), name: z.string().optional() }).nullish(),
  incoming_webhook: z.looseObject({ channel: z.string().optional(), channel_id: z.string().optional(), url: z.string() }).optional(),
});

type Refusal = 'malformed' | 'expired' | 'unknown' | 'forged' | 'other-admin';

const NOT_CONFIGURED =
  'Add to Slack is not set up for this app: set the Forge variables SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (forge variables set --encrypt) and deploy again, or paste an incoming-webhook URL instead.';

const REFUSAL_PAGE: Record<Refusal, CallbackPage> = {
  malformed: { status: 400, title: 'Slack was not connected', message: 'This link is not one the app started. Start again with Add to Slack on the Audit Webhooks admin page.' },
  unknown: { status: 400, title: 'Slack was not connected', message: 'This link is not one the app started, or it expired. Start again with Add to Slack on the Audit Webhooks admin page.' },
  forged: { status: 400, title: 'Slack was not connected', message: 'This link is not one the app started. Start again with Add to Slack on the Audit Webhooks admin page.' },
  expired: { status: 400, title: 'Slack was not connected', message: 'This link expired (you have 10 minutes to allow the app in Slack). Start again with Add to Slack on the Audit Webhooks admin page.' },
  'other-admin': { status: 403, title: 'Slack was not connected', message: 'Another admin started this connection.' },
};

const refusalFailure = (refusal: Refusal): ApiFailure => {
  if (refusal === 'other-admin') return new ApiFailure('FORBIDDEN', 'Another admin started this Slack connection: only they can finish it. Start your own with Add to Slack.');
  if (refusal === 'expired') {
    return new ApiFailure('VALIDATION', 'This Slack connection expired (10 minutes to allow the app in Slack). Start again with Add to Slack.', { state: 'Expired: start again.' });
  }
  return new ApiFailure('VALIDATION', 'This is not a Slack connection the app started, or it expired. Start again with Add to Slack.', { state: 'Not a state this app issued, or expired.' });
};

/** Slack's error names an admin can act on; anything else is reported by name only. */
const SLACK_ERROR_HELP: Record<string, string> = {
  invalid_client_id: 'Slack does not know SLACK_CLIENT_ID: copy the Client ID from the Slack app (Basic Information) into the Forge variable and deploy again.',
  bad_client_secret: 'Slack refused SLACK_CLIENT_SECRET: copy the Client Secret from the Slack app (Basic Information) with forge variables set --encrypt and deploy again.',
  bad_redirect_uri: "Slack refused the redirect URL: add the app's web trigger URL (forge webtrigger create) under OAuth & Permissions > Redirect URLs of the Slack app.",
  invalid_code: 'Slack refused the one-time code (it is single-use and short-lived). Start again with Add to Slack.',
  access_denied: 'You cancelled in Slack, so no webhook was created.',
};

const ALREADY_COMPLETED = new ApiFailure('CONFLICT', 'This Slack connection was already completed: its webhook is in the list. Reload the page.');

export interface WebTriggerQuery {
  state?: string;
  code?: string;
  error?: string;
}

/**
 * "Add to Slack": Slack OAuth v2 with the incoming-webhook scope only. start() (admin) issues a signed,
 * expiring state bound to the admin; callback() (the web trigger Slack redirects to, no user) checks the
 * state, uses it up, exchanges the code and keeps Slack's webhook URL encrypted for a few minutes;
 * complete() (the same admin) creates the webhook. A forged, reused, expired or another admin's state
 * creates nothing. The client secret, the code and the webhook URL never reach an answer or a log line.
 */
export class SlackOAuth {
  constructor(private readonly deps: SlackOAuthDeps) {}

  status(): AdminOutput<'slack.oauthStatus'> {
    return { configured: this.deps.credentials() !== undefined };
  }

  async start(actor: string, input: AdminParsedInput<'slack.oauthStart'>): Promise<AdminOutput<'slack.oauthStart'>> {
    const credentials = this.deps.credentials();
    if (!credentials) throw new ApiFailure('UNAVAILABLE', NOT_CONFIGURED);
    const events = this.events(input.events);
    const redirectUri = await this.deps.redirectUrl();
    const nonce = this.deps.ids.randomBytes(16).toString('hex');
    const expiresAtMs = this.deps.clock.now().getTime() + STATE_LIFETIME_SECONDS * 1000;
    const expiresAt = new Date(expiresAtMs).toISOString();
    const state = signState(await this.stateKey(), nonce, expiresAtMs, actor);
    const pending: Pending = { accountId: actor, expiresAt, events };
    await this.deps.kvs.set(pendingKey(nonce), pending, { ttlSeconds: RESULT_LIFETIME_SECONDS });
    const params = new URLSearchParams({ client_id: credentials.clientId, scope: SLACK_SCOPE, redirect_uri: redirectUri, state });
    return { authorizeUrl: `${SLACK_AUTHORIZE_URL}?${params}`, state, expiresAt };
  }

  /** The web trigger: never throws; answers the page to show in the admin's browser tab. */
  async callback(query: WebTriggerQuery): Promise<CallbackPage> {
    try {
      return await this.handleCallback(query);
    } catch (error) {
      this.deps.logger.error('slack oauth callback failed', { error: error instanceof Error ? error.name : typeof error });
      return { status: 503, title: 'Slack was not connected', message: 'The app could not finish connecting Slack. Start again with Add to Slack in a minute.' };
    }
  }

  private async handleCallback(query: WebTriggerQuery): Promise<CallbackPage> {
    const checked = await this.check(query.state ?? '');
    if ('refusal' in checked) {
      this.deps.logger.warn('slack oauth callback refused', { reason: checked.refusal });
      return REFUSAL_PAGE[checked.refusal];
    }
    const { nonce } = checked.parts;
    if (!(await this.deps.kvs.setIfAbsent(usedKey(nonce), { at: this.deps.clock.now().toISOString() }, { ttlSeconds: MARKER_LIFETIME_SECONDS }))) {
      this.deps.logger.warn('slack oauth callback refused', { reason: 'reused' });
      return { status: 409, title: 'Slack was not connected', message: 'This link was already used. Look for the webhook on the Audit Webhooks admin page, or start again with Add to Slack.' };
    }
    const failed = async (reason: string, title = 'Slack was not connected'): Promise<CallbackPage> => {
      await this.saveResult(nonce, { status: 'failed', reason });
      return { status: 400, title, message: `${reason} Return to the Audit Webhooks admin page.` };
    };
    if (query.error !== undefined) {
      const known = /^[a-z_]{1,40}$/.test(query.error) ? query.error : 'unknown_error';
      this.deps.logger.info('slack oauth not allowed', { slackError: known });
      return failed(SLACK_ERROR_HELP[known] ?? `Slack answered ${known}, so no webhook was created.`);
    }
    if (!query.code) return failed('Slack sent no code, so no webhook was created. Start again with Add to Slack.');
    const credentials = this.deps.credentials();
    if (!credentials) return failed(NOT_CONFIGURED);
    const exchanged = await this.exchange(query.code, credentials);
    if (!exchanged.ok) return failed(exchanged.reason);
    await this.deps.secrets.set(urlSecretKey(nonce), { url: exchanged.url, expiresAt: this.expiry(RESULT_LIFETIME_SECONDS) }, { ttlSeconds: RESULT_LIFETIME_SECONDS });
    await this.saveResult(nonce, { status: 'ready', channel: exchanged.channel, channelId: exchanged.channelId, team: exchanged.team, teamId: exchanged.teamId });
    this.deps.logger.info('slack oauth connected', { channelId: exchanged.channelId, teamId: exchanged.teamId });
    return {
      status: 200,
      title: 'Slack connected',
      message: `Slack connected: ${exchanged.channel}${exchanged.team ? ` (${exchanged.team})` : ''}. You can close this tab; the webhook appears on the Audit Webhooks admin page.`,
    };
  }

  async complete(actor: string, input: AdminParsedInput<'slack.oauthComplete'>): Promise<AdminOutput<'slack.oauthComplete'>> {
    const checked = await this.check(input.state, actor);
    if ('refusal' in checked) throw refusalFailure(checked.refusal);
    const { nonce } = checked.parts;
    if (await this.deps.kvs.get(doneKey(nonce))) throw ALREADY_COMPLETED;
    const result = await this.deps.kvs.get<Result>(resultKey(nonce));
    if (!result) return { status: 'pending', expiresAt: checked.pending.expiresAt };
    if (result.status === 'failed') throw new ApiFailure('VALIDATION', result.reason, { state: 'Slack was not connected: start again.' });
    if (!(await this.deps.kvs.setIfAbsent(doneKey(nonce), { at: this.deps.clock.now().toISOString() }, { ttlSeconds: MARKER_LIFETIME_SECONDS }))) {
      throw ALREADY_COMPLETED;
    }
    try {
      const stored = await this.deps.secrets.get<{ url: string; expiresAt: string }>(urlSecretKey(nonce));
      if (!stored || Date.parse(stored.expiresAt) <= this.deps.clock.now().getTime()) {
        throw new ApiFailure('VALIDATION', "Slack's answer expired before the admin page finished. Start again with Add to Slack.", { state: 'Expired: start again.' });
      }
      const name = slackWebhookName(result.channel, result.team, await this.deps.webhooks.names());
      const parsed = parseAdminInput('webhooks.create', { kind: 'slack', name, url: stored.url, events: checked.pending.events });
      if (!parsed.ok) throw new ApiFailure(parsed.error.code, `Slack's webhook could not be saved: ${parsed.error.message}`);
      const created = await this.deps.webhooks.create(actor, parsed.data);
      // The pending record stays until it expires, so a replayed link is told "already used", not "unknown".
      await Promise.all([this.deps.secrets.delete(urlSecretKey(nonce)), this.deps.kvs.delete(resultKey(nonce))]).catch(() => undefined);
      return { status: 'created', webhook: created.webhook };
    } catch (error) {
      // Nothing was created: let the admin retry the completion (e.g. after the config lock was busy).
      await this.deps.kvs.delete(doneKey(nonce)).catch(() => undefined);
      throw error;
    }
  }

  private events(requested: string[] | undefined): string[] {
    const catalogue = this.deps.eventTypes.map((info) => info.type);
    if (requested === undefined) return defaultSlackEvents(this.deps.eventTypes);
    const checked = checkEventSelection(requested, catalogue);
    if (!checked.ok) {
      throw new ApiFailure('VALIDATION', checked.problems.map((p) => p.message).join(' '), Object.fromEntries(checked.problems.map((p) => [['events', ...p.path].join('.'), p.message])));
    }
    return checked.events;
  }

  /**
   * A state is good when it is well formed, not expired, its pending record exists and its signature
   * matches the admin recorded there; `actor` (the resolver's caller) must then be that admin.
   */
  private async check(state: string, actor?: string): Promise<{ parts: StateParts; pending: Pending } | { refusal: Refusal }> {
    const parts = parseState(state);
    if (!parts) return { refusal: 'malformed' };
    if (parts.expiresAtMs <= this.deps.clock.now().getTime()) return { refusal: 'expired' };
    const pending = await this.deps.kvs.get<Pending>(pendingKey(parts.nonce));
    if (!pending) return { refusal: 'unknown' };
    if (!stateSignatureValid(await this.stateKey(), parts, pending.accountId)) return { refusal: 'forged' };
    if (Date.parse(pending.expiresAt) <= this.deps.clock.now().getTime()) return { refusal: 'expired' };
    if (actor !== undefined && actor !== pending.accountId) return { refusal: 'other-admin' };
    return { parts, pending };
  }

  /** The HMAC key of states: 32 random bytes, created once per installation and kept encrypted. */
  private async stateKey(): Promise<Buffer> {
    const created = await this.deps.secrets.createOnce<{ key: string }>(STATE_KEY_SECRET, { key: this.deps.ids.randomBytes(32).toString('base64') });
    return Buffer.from(created.key, 'base64');
  }

  private async saveResult(nonce: string, result: Result): Promise<void> {
    await this.deps.kvs.set(resultKey(nonce), result, { ttlSeconds: RESULT_LIFETIME_SECONDS });
  }

  private expiry(seconds: number): string {
    return new Date(this.deps.clock.now().getTime() + seconds * 1000).toISOString();
  }

  /** oauth.v2.access: client credentials by HTTP Basic (as Slack recommends), code and redirect_uri in the form. */
  private async exchange(
    code: string,
    credentials: { clientId: string; clientSecret: string },
  ): Promise<{ ok: true; url: string; channel: string; channelId: string; team: string; teamId: string } | { ok: false; reason: string }> {
    const redirectUri = await this.deps.redirectUrl();
    const sent = await this.deps.http.send({
      url: SLACK_ACCESS_URL,
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`, 'utf8').toString('base64')}`,
        Accept: 'application/json',
      },
      body: new URLSearchParams({ code, redirect_uri: redirectUri }).toString(),
      timeoutMs: 10_000,
    });
    if (sent.kind === 'error') {
      this.deps.logger.warn('slack oauth exchange failed', { error: sent.error instanceof Error ? sent.error.name : 'unknown' });
      return { ok: false, reason: 'Slack did not answer. Start again with Add to Slack in a minute.' };
    }
    if (sent.status === 403 && sent.headers['forge-proxy-error'] === 'EGRESS_NOT_ALLOWED') {
      return { ok: false, reason: "The app may not call slack.com: add slack.com to permissions.external.fetch.backend in manifest.yml and deploy again." };
    }
    let parsed: z.infer<typeof accessAnswer> | undefined;
    try {
      const answer = accessAnswer.safeParse(JSON.parse(sent.body));
      parsed = answer.success ? answer.data : undefined;
    } catch {
      parsed = undefined;
    }
    if (!parsed) {
      this.deps.logger.warn('slack oauth exchange failed', { httpStatus: sent.status, slackError: 'unreadable answer' });
      return { ok: false, reason: `Slack answered HTTP ${sent.status} in a form the app does not read. Start again with Add to Slack.` };
    }
    if (!parsed.ok || !parsed.incoming_webhook) {
      const error = parsed.error && /^[a-z_]{1,40}$/.test(parsed.error) ? parsed.error : 'no_incoming_webhook';
      this.deps.logger.warn('slack oauth exchange failed', { httpStatus: sent.status, slackError: error });
      return { ok: false, reason: SLACK_ERROR_HELP[error] ?? `Slack refused the connection (${error}). Start again with Add to Slack.` };
    }
    const hook = parsed.incoming_webhook;
    return { ok: true, url: hook.url, channel: hook.channel ?? 'slack', channelId: hook.channel_id ?? '', team: parsed.team?.name ?? '', teamId: parsed.team?.id ?? '' };
  }
}
