import { oauthRedirectResponse, type WebTriggerRequest, type WebTriggerResponse } from './oauth-redirect-response';
import { oauthCodeFlow } from './oauth-code-service';

/**
 * The redirect URL of authorization-code webhooks (manifest webtrigger `oauth-callback`). The provider
 * sends the admin's browser here with `code` and `state` (or `error`); the page says what happened.
 */
export const oauthCodeCallback = (request: WebTriggerRequest): Promise<WebTriggerResponse> =>
  oauthRedirectResponse(request, {
    provider: 'The OAuth provider',
    maxQueryChars: 4000,
    handle: (query) => oauthCodeFlow().callback(query),
  });
