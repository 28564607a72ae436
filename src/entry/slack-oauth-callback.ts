import { renderCallbackPage } from '../app/slack-oauth';
import { slackOAuthService } from './slack-oauth-service';

/** The web trigger request as Forge documents it (only what this handler reads). */
interface WebTriggerRequest {
  method?: string;
  queryParameters?: Record<string, string[] | undefined>;
}

const first = (request: WebTriggerRequest, name: string): string | undefined => {
  const value = request.queryParameters?.[name]?.[0];
  return typeof value === 'string' && value.length <= 2000 ? value : undefined;
};

const refuseCreate = () => Promise.reject(new Error('the Slack OAuth web trigger never creates webhooks'));

/**
 * The Slack app's redirect URL (manifest webtrigger `slack-oauth-callback`). Slack sends the admin's
 * browser here with `code` and `state` (or `error`); the page says what happened and echoes nothing of
 * the request. No caching, no referrer: the URL carries a one-time code.
 */
export const slackOauthCallback = async (request: WebTriggerRequest): Promise<{ statusCode: number; headers: Record<string, string[]>; body: string }> => {
  const headers = {
    'Content-Type': ['text/html; charset=utf-8'],
    'Cache-Control': ['no-store'],
    'Referrer-Policy': ['no-referrer'],
    'X-Content-Type-Options': ['nosniff'],
    'Content-Security-Policy': ["default-src 'none'; style-src 'unsafe-inline'"],
  };
  if (request.method !== 'GET') {
    return { statusCode: 405, headers: { ...headers, Allow: ['GET'] }, body: renderCallbackPage({ status: 405, title: 'Not here', message: 'Slack sends the browser here with a GET request.' }) };
  }
  const slack = slackOAuthService({ create: refuseCreate, names: refuseCreate });
  const page = await slack.callback({ state: first(request, 'state'), code: first(request, 'code'), error: first(request, 'error') });
  return { statusCode: page.status, headers, body: renderCallbackPage(page) };
};
