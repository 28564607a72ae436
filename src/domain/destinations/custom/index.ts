import { classifyResponse } from '../../delivery/outcome';
import { envelopeBody } from '../../formats/envelope';
import { isSlackHost } from '../../webhook/slack-url';
import type { DestinationModule } from '../contract';
import { settingsSchemaOf } from '../settings-schema';
import { singleEvent } from '../single-event';
import { OAUTH_FIELDS, oauthClientOf, oauthCodeClientOf, refineOAuth } from './oauth-fields';

/**
 * Any HTTPS receiver: the JSON envelope of one event per request, signed (Standard Webhooks, base64
 * list or GitHub style), with the admin's method, Authorization, extra headers and URL mask, and
 * optionally an OAuth 2.0 client-credentials token. Up to 4 sends overlap once a receiver answers slowly.
 */
export const customDestination: DestinationModule = {
  kind: 'custom',
  label: 'Custom HTTPS webhook',
  summary: 'A signed JSON envelope per event to any HTTPS receiver.',
  common: {
    url: 'entered',
    urlLabel: 'URL',
    urlHelp: 'The HTTPS address of your receiver. Its host must be on the app\'s egress allowlist.',
    urlPlaceholder: 'https://siem.example.com/hooks/jira',
    method: true,
    signing: true,
    authorization: true,
    headers: true,
  },
  commonNotUsed: 'a custom webhook takes every common field',
  fields: OAUTH_FIELDS,
  settingsSchema: settingsSchemaOf('custom webhook', OAUTH_FIELDS, refineOAuth),
  urlProblems: (url) =>
    isSlackHost(url.hostname) ? ['This is a Slack URL: choose the Slack kind, so messages are formatted for Slack and the URL token is masked.'] : [],
  egressUrls: (url, settings) => {
    // The token URL is fetched by the app (either grant); an authorize URL only opens in the admin's browser.
    const client = oauthClientOf(settings) ?? oauthCodeClientOf(settings);
    return client ? [url, client.tokenUrl] : [url];
  },
  pacing: { parallel: 4, spacingMs: 0 },
  contentType: 'application/json',
  requestUrl: (url) => url,
  render: (items) => envelopeBody(singleEvent(items, 'custom webhook')),
  auth: (settings) => {
    const code = oauthCodeClientOf(settings);
    if (code) return { type: 'oauth-authorization-code', client: code };
    const client = oauthClientOf(settings);
    return client ? { type: 'oauth-client-credentials', client } : { type: 'none' };
  },
  classify: (response) => ({ whole: classifyResponse(response) }),
};
