import { oauthRedirectResponse, type WebTriggerRequest, type WebTriggerResponse } from './oauth-redirect-response';
import { slackOAuthService } from './slack-oauth-service';

const refuseCreate = () => Promise.reject(new Error('the Slack OAuth web trigger never creates webhooks'));

/**
 * The Slack app's redirect URL (manifest webtrigger `slack-oauth-callback`). Slack sends the admin's
 * browser here with `code` and `state` (or `error`); the page says what happened.
 */
export const slackOauthCallback = (request: WebTriggerRequest): Promise<WebTriggerResponse> =>
  oauthRedirectResponse(request, {
    provider: 'Slack',
    maxQueryChars: 2000,
    handle: (query) => slackOAuthService({ create: refuseCreate, names: refuseCreate }).callback(query),
  });
