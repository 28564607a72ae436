/**
 * A stand-in for Slack's OAuth v2 endpoints, the way the stub Jira stands in for Jira:
 * - `GET https://slack.com/oauth/v2/authorize` is served to the browser by the host at
 *   `/__forge/slack/oauth/v2/authorize` (the bridge's `router.open` maps it there): a page where the user
 *   picks a channel and allows or cancels; it then redirects to `redirect_uri` with `code` and `state`
 *   (or `error=access_denied` and `state`), as Slack does.
 * - `POST https://slack.com/api/oauth.v2.access` (the app's egress to slack.com) is answered in process:
 *   client id and secret (HTTP Basic or form fields), a code that is known, unused and at most 10 minutes
 *   old, and the same `redirect_uri` as the authorize request; otherwise HTTP 200 `{ok: false, error}` with
 *   Slack's error names (invalid_client_id, bad_client_secret, invalid_code, bad_redirect_uri).
 * Codes live in memory only: a restarted host forgets codes it handed out, which only fails a flow
 * that was half way through.
 */
import { randomBytes } from 'node:crypto';
import { jsonResponse } from './responses';

export interface SlackChannel { id: string; name: string }

export interface SlackStandInOptions {
  /** the Slack app's credentials the stand-in accepts */
  clientId: string;
  clientSecret: string;
  team: { id: string; name: string };
  channels: SlackChannel[];
}

export const SLACK_STANDIN_DEFAULTS: SlackStandInOptions = {
  clientId: 'local-slack-client-id',
  clientSecret: 'local-slack-client-secret',
  team: { id: 'T0ACME0001', name: 'Acme' },
  channels: [
    { id: 'C0SECURITY1', name: 'security-alerts' },
    { id: 'C0JIRAAUDIT', name: 'jira-audit' },
    { id: 'C0GENERAL01', name: 'general' },
  ],
};

/** The browser-facing path of Slack's authorize page on the host. */
export const SLACK_AUTHORIZE_URL = 'https://slack.com/oauth/v2/authorize';
export const SLACK_AUTHORIZE_LOCAL_PATH = '/__forge/slack/oauth/v2/authorize';
const CODE_LIFETIME_MS = 10 * 60 * 1000;

interface IssuedCode { clientId: string; redirectUri: string; channel: SlackChannel; issuedAt: number; used: boolean }

export class SlackInputError extends Error {
  override name = 'SlackInputError';
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomText = (size: number, alphabet = ALNUM): string => [...randomBytes(size)].map((b) => alphabet[b % alphabet.length]).join('');

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export class SlackStandIn {
  private readonly codes = new Map<string, IssuedCode>();

  constructor(
    readonly options: SlackStandInOptions,
    private readonly now: () => number,
  ) {}

  /** Checks an authorize request as Slack would before showing its consent page. */
  private checkAuthorize(query: URLSearchParams): { clientId: string; redirectUri: string; state: string } {
    const clientId = query.get('client_id') ?? '';
    if (clientId !== this.options.clientId) throw new SlackInputError('invalid_client_id: the client_id is not one of a Slack app this stand-in knows');
    const scopes = (query.get('scope') ?? '').split(/[,\s]+/).filter(Boolean);
    if (scopes.length === 0) throw new SlackInputError('invalid_scope: ask for at least one scope (scope=incoming-webhook)');
    const redirectUri = query.get('redirect_uri') ?? '';
    let parsed: URL;
    try {
      parsed = new URL(redirectUri);
    } catch {
      throw new SlackInputError('bad_redirect_uri: redirect_uri must be an absolute URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new SlackInputError('bad_redirect_uri: redirect_uri must be http(s)');
    return { clientId, redirectUri, state: query.get('state') ?? '' };
  }

  /** The consent page: pick a channel, Allow or Cancel. */
  authorizePage(query: URLSearchParams): { status: number; html: string } {
    let request: { redirectUri: string };
    try {
      request = this.checkAuthorize(query);
    } catch (e) {
      return { status: 400, html: `<!doctype html><title>Slack (local stand-in)</title><h1>Slack refused the request</h1><p>${esc((e as Error).message)}</p>` };
    }
    const hidden = [...query.entries()].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
    const channels = this.options.channels
      .map((c, i) => `<label><input type="radio" name="channel" value="${esc(c.id)}"${i === 0 ? ' checked' : ''}> #${esc(c.name)}</label><br>`)
      .join('');
    return {
      status: 200,
      html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Slack (local stand-in): allow access</title>
<style>body{font:15px/1.5 -apple-system,'Segoe UI',Roboto,sans-serif;max-width:520px;margin:40px auto;color:#1d1c1d}button{padding:8px 16px;margin-right:8px;border-radius:4px;border:1px solid #bbb;cursor:pointer}button.allow{background:#007a5a;color:#fff;border-color:#007a5a}</style></head>
<body><p><small>Local stand-in for slack.com</small></p>
<h1>An app is requesting permission to access the ${esc(this.options.team.name)} Slack workspace</h1>
<p>It will post to a channel you choose (scope <code>incoming-webhook</code>); it returns to <code>${esc(new URL(request.redirectUri).origin)}</code>.</p>
<form method="get" action="${SLACK_AUTHORIZE_LOCAL_PATH}/decide">${hidden}
<fieldset><legend>Where should it post?</legend>${channels}</fieldset><p>
<button type="submit" name="decision" value="deny">Cancel</button>
<button type="submit" class="allow" name="decision" value="allow">Allow</button></p></form></body></html>`,
    };
  }

  /** The user's answer: the URL Slack redirects the browser to (code and state, or error and state). */
  decide(query: URLSearchParams, decision: { channel?: string; allow: boolean }): string {
    const request = this.checkAuthorize(query);
    const target = new URL(request.redirectUri);
    if (!decision.allow) {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('state', request.state);
      return target.href;
    }
    const wanted = decision.channel;
    const channel = wanted === undefined ? this.options.channels[0] : this.options.channels.find((c) => c.id === wanted || c.name === wanted.replace(/^#/, ''));
    if (!channel) throw new SlackInputError(`unknown channel "${wanted ?? ''}": pick one of ${this.options.channels.map((c) => `#${c.name}`).join(', ')}`);
    const code = `${randomText(10, '0123456789')}.${randomText(12, '0123456789')}.${randomText(32, '0123456789abcdef')}`;
    this.codes.set(code, { clientId: request.clientId, redirectUri: request.redirectUri, channel, issuedAt: this.now(), used: false });
    target.searchParams.set('code', code);
    target.searchParams.set('state', request.state);
    return target.href;
  }

  /** Same as clicking through the page: takes the whole authorize URL the app built. */
  authorize(authorizeUrl: string, decision: { channel?: string; allow?: boolean } = {}): string {
    const url = new URL(authorizeUrl);
    if (`${url.origin}${url.pathname}` !== SLACK_AUTHORIZE_URL) throw new SlackInputError(`not a Slack authorize URL (${SLACK_AUTHORIZE_URL}?...)`);
    return this.decide(url.searchParams, { channel: decision.channel, allow: decision.allow ?? true });
  }

  /** `POST https://slack.com/api/oauth.v2.access`. */
  access(method: string, headers: Headers, bodyText: string): Response {
    const answer = (body: Record<string, unknown>) => jsonResponse(200, body);
    if (method !== 'POST' && method !== 'GET') return jsonResponse(405, { ok: false, error: 'method_not_allowed' });
    const form = new URLSearchParams(bodyText);
    let clientId = form.get('client_id') ?? '';
    let clientSecret = form.get('client_secret') ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(headers.get('authorization') ?? '');
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      clientId = decoded.slice(0, colon);
      clientSecret = decoded.slice(colon + 1);
    }
    if (clientId !== this.options.clientId) return answer({ ok: false, error: 'invalid_client_id' });
    if (clientSecret !== this.options.clientSecret) return answer({ ok: false, error: 'bad_client_secret' });
    const code = form.get('code') ?? '';
    const issued = this.codes.get(code);
    if (!issued || issued.used || issued.clientId !== clientId || this.now() - issued.issuedAt > CODE_LIFETIME_MS) return answer({ ok: false, error: 'invalid_code' });
    if ((form.get('redirect_uri') ?? issued.redirectUri) !== issued.redirectUri) return answer({ ok: false, error: 'bad_redirect_uri' });
    issued.used = true;
    const { team } = this.options;
    const bot = `B${randomText(9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`;
    return answer({
      ok: true,
      app_id: 'A0LOCALAPP1',
      authed_user: { id: 'U0LOCALUSER' },
      scope: 'incoming-webhook',
      token_type: 'bot',
      access_token: `xoxb-${randomText(12, '0123456789')}-${randomText(24)}`,
      bot_user_id: 'U0LOCALBOT1',
      team: { name: team.name, id: team.id },
      enterprise: null,
      is_enterprise_install: false,
      incoming_webhook: {
        channel: `#${issued.channel.name}`,
        channel_id: issued.channel.id,
        configuration_url: `https://${team.name.toLowerCase().replace(/[^a-z0-9]/g, '') || 'local'}.slack.com/services/${bot}`,
        url: `https://hooks.slack.com/services/${team.id}/${bot}/${randomText(24)}`,
      },
    });
  }
}
