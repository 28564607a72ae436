import type { z } from 'zod';
import { commonUrlProblems } from '../../webhook/url-rules';
import type { ClientCredentials, SettingField, Settings } from '../contract';
import { textSetting } from '../settings-schema';

/**
 * OAuth 2.0 client credentials (RFC 6749 section 4.4) for a custom webhook: the engine asks the token
 * endpoint for a bearer token with these, caches it until shortly before it expires, and sends it as
 * `Authorization: Bearer <token>`. All optional; token URL, client id and client secret go together.
 */
export const OAUTH_FIELDS: readonly SettingField[] = [
  { key: 'oauthTokenUrl', label: 'OAuth token URL', type: 'text', required: false, help: "The authorization server's token endpoint (https), for OAuth 2.0 client credentials; leave empty for none.", placeholder: 'https://auth.example.com/oauth2/token' },
  { key: 'oauthClientId', label: 'OAuth client ID', type: 'text', required: false, help: 'The client ID the authorization server gave this app.' },
  { key: 'oauthClientSecret', label: 'OAuth client secret', type: 'secret', required: false, help: 'The client secret; stored encrypted and never shown again.' },
  { key: 'oauthScope', label: 'OAuth scope', type: 'text', required: false, help: 'Space-separated scopes to ask for, if the server needs them.' },
  { key: 'oauthAudience', label: 'OAuth audience', type: 'text', required: false, help: 'The audience (API identifier) to ask for, if the server needs one (Auth0, Okta).' },
];

const TOGETHER = ['oauthTokenUrl', 'oauthClientId', 'oauthClientSecret'] as const;

/** Token URL, client id and secret all or none; the token URL is an https URL under the webhook URL rules. */
export const refineOAuth = (settings: Settings, ctx: z.RefinementCtx): void => {
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

/** The client credentials a custom webhook's settings hold, if it uses OAuth. */
export const oauthClientOf = (settings: Settings): ClientCredentials | undefined => {
  const tokenUrl = textSetting(settings, 'oauthTokenUrl');
  const clientId = textSetting(settings, 'oauthClientId');
  const clientSecret = textSetting(settings, 'oauthClientSecret');
  if (!tokenUrl || !clientId || !clientSecret) return undefined;
  const scope = textSetting(settings, 'oauthScope');
  const audience = textSetting(settings, 'oauthAudience');
  return { tokenUrl, clientId, clientSecret, ...(scope ? { scope } : {}), ...(audience ? { audience } : {}) };
};
