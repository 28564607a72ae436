import type { z } from 'zod';
import { commonUrlProblems } from '../../webhook/url-rules';
import type { AuthCodeClient, ClientCredentials, SettingField, Settings } from '../contract';
import { textSetting } from '../settings-schema';

/**
 * OAuth 2.0 for a custom webhook, two grants:
 * - client credentials (RFC 6749 section 4.4, the default): the engine asks the token endpoint for a
 *   bearer token with these, caches it until shortly before it expires, and sends it as
 *   `Authorization: Bearer <token>`. All optional; token URL, client id and client secret go together.
 * - authorization code with PKCE (RFC 6749 4.1, RFC 7636): an admin chooses "Authorize" and consents at
 *   the authorize URL; the app keeps the access and refresh tokens (src/app/oauth-code) and refreshes them.
 *   Token URL, client id, client secret and authorize URL are then all required.
 */
export const OAUTH_GRANTS = [
  { value: 'client-credentials', label: 'Client credentials' },
  { value: 'authorization-code', label: 'Authorization code (Authorize)' },
] as const;
export const OAUTH_TOKEN_FORMATS = [
  { value: 'form', label: 'Form-encoded (application/x-www-form-urlencoded)' },
  { value: 'json', label: 'JSON (application/json)' },
] as const;

export const OAUTH_FIELDS: readonly SettingField[] = [
  {
    key: 'oauthGrant',
    label: 'OAuth grant',
    type: 'select',
    required: false,
    help: 'Client credentials (the app gets tokens itself), or authorization code (an admin authorizes the app at the provider, then the app refreshes its tokens). Empty: client credentials.',
    options: OAUTH_GRANTS,
  },
  { key: 'oauthTokenUrl', label: 'OAuth token URL', type: 'text', required: false, help: "The authorization server's token endpoint (https), for OAuth 2.0 client credentials; leave empty for none.", placeholder: 'https://auth.example.com/oauth2/token' },
  { key: 'oauthClientId', label: 'OAuth client ID', type: 'text', required: false, help: 'The client ID the authorization server gave this app.' },
  { key: 'oauthClientSecret', label: 'OAuth client secret', type: 'secret', required: false, help: 'The client secret; stored encrypted and never shown again.' },
  { key: 'oauthScope', label: 'OAuth scope', type: 'text', required: false, help: 'Space-separated scopes to ask for, if the server needs them.' },
  { key: 'oauthAudience', label: 'OAuth audience', type: 'text', required: false, help: 'The audience (API identifier) to ask for, if the server needs one (Auth0, Okta).' },
  {
    key: 'oauthAuthorizeUrl',
    label: 'OAuth authorize URL',
    type: 'text',
    required: false,
    help: "The provider's authorization (consent) page (https), for the authorization-code grant. It opens in the admin's browser; the app never calls it.",
    placeholder: 'https://auth.example.com/oauth2/authorize',
  },
  {
    key: 'oauthTokenFormat',
    label: 'OAuth token request format',
    type: 'select',
    required: false,
    help: "How the token endpoint takes its parameters, for the authorization-code grant: form-encoded (the OAuth standard) or JSON. Empty: form-encoded.",
    options: OAUTH_TOKEN_FORMATS,
  },
];

/** Whether the settings choose the authorization-code grant. */
export const usesAuthorizationCode = (settings: Settings): boolean => textSetting(settings, 'oauthGrant') === 'authorization-code';

const TOGETHER = ['oauthTokenUrl', 'oauthClientId', 'oauthClientSecret'] as const;

/** Token URL, client id and secret all or none; the token URL is an https URL under the webhook URL rules. */
export const refineOAuth = (settings: Settings, ctx: z.RefinementCtx): void => {
  if (usesAuthorizationCode(settings)) {
    refineAuthorizationCode(settings, ctx);
    return;
  }
  for (const key of ['oauthAuthorizeUrl', 'oauthTokenFormat'] as const) {
    if (textSetting(settings, key) !== undefined) {
      const label = OAUTH_FIELDS.find((field) => field.key === key)?.label ?? key;
      ctx.addIssue({ code: 'custom', path: [key], message: `Remove ${label}, or set OAuth grant to authorization code: client credentials use neither.` });
    }
  }
  const given = TOGETHER.filter((key) => textSetting(settings, key) !== undefined);
  const anyOther = textSetting(settings, 'oauthScope') !== undefined || textSetting(settings, 'oauthAudience') !== undefined;
  if (given.length > 0 || anyOther) {
    for (const key of TOGETHER) {
      if (!given.includes(key)) {
        const label = OAUTH_FIELDS.find((field) => field.key === key)?.label ?? key;
        ctx.addIssue({ code: 'custom', path: [key], message: `Enter ${label}: OAuth 2.0 client credentials need the token URL, client ID and client secret together.` });
      }
    }
  }
  const tokenUrl = textSetting(settings, 'oauthTokenUrl');
  if (tokenUrl !== undefined) {
    const problems = commonUrlProblems(tokenUrl);
    if (problems.length > 0) ctx.addIssue({ code: 'custom', path: ['oauthTokenUrl'], message: `Fix the OAuth token URL: ${problems.join(' ')}` });
  }
};

const CODE_REQUIRED = ['oauthTokenUrl', 'oauthClientId', 'oauthClientSecret', 'oauthAuthorizeUrl'] as const;

/**
 * The authorization-code grant: token URL, client id, client secret and authorize URL all required, both
 * URLs under the webhook URL rules (https, no IP literal...). The token URL is called by the app, so its
 * host must be on the egress allowlist (egressUrls); the authorize URL is only opened in the admin's
 * browser, so it is not an egress host.
 */
const refineAuthorizationCode = (settings: Settings, ctx: z.RefinementCtx): void => {
  for (const key of CODE_REQUIRED) {
    if (textSetting(settings, key) === undefined) {
      const label = OAUTH_FIELDS.find((field) => field.key === key)?.label ?? key;
      ctx.addIssue({ code: 'custom', path: [key], message: `Enter ${label}: the authorization-code grant needs the token URL, authorize URL, client ID and client secret.` });
    }
  }
  for (const [key, label] of [['oauthTokenUrl', 'OAuth token URL'], ['oauthAuthorizeUrl', 'OAuth authorize URL']] as const) {
    const url = textSetting(settings, key);
    if (url === undefined) continue;
    const problems = commonUrlProblems(url);
    if (problems.length > 0) ctx.addIssue({ code: 'custom', path: [key], message: `Fix the ${label}: ${problems.join(' ')}` });
  }
};

/** The authorization-code client a custom webhook's settings hold, if it uses that grant. */
export const oauthCodeClientOf = (settings: Settings): AuthCodeClient | undefined => {
  if (!usesAuthorizationCode(settings)) return undefined;
  const base = clientCredentialsOf(settings);
  const authorizeUrl = textSetting(settings, 'oauthAuthorizeUrl');
  if (!base || !authorizeUrl) return undefined;
  return { ...base, authorizeUrl, tokenFormat: textSetting(settings, 'oauthTokenFormat') === 'json' ? 'json' : 'form' };
};

/** The client credentials a custom webhook's settings hold, if it uses OAuth client credentials. */
export const oauthClientOf = (settings: Settings): ClientCredentials | undefined => (usesAuthorizationCode(settings) ? undefined : clientCredentialsOf(settings));

const clientCredentialsOf = (settings: Settings): ClientCredentials | undefined => {
  const tokenUrl = textSetting(settings, 'oauthTokenUrl');
  const clientId = textSetting(settings, 'oauthClientId');
  const clientSecret = textSetting(settings, 'oauthClientSecret');
  if (!tokenUrl || !clientId || !clientSecret) return undefined;
  const scope = textSetting(settings, 'oauthScope');
  const audience = textSetting(settings, 'oauthAudience');
  return { tokenUrl, clientId, clientSecret, ...(scope ? { scope } : {}), ...(audience ? { audience } : {}) };
};
