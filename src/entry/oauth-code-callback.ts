import { renderCallbackPage } from '../app/slack-oauth';
import { oauthCodeFlow } from './oauth-code-service';

/** The web trigger request as Forge documents it (only what this handler reads). */
interface WebTriggerRequest {
  method?: string;
  queryParameters?: Record<string, string[] | undefined>;
}

const first = (request: WebTriggerRequest, name: string): string | undefined => {
  const value = request.queryParameters?.[name]?.[0];
  return typeof value === 'string' && value.length <= 4000 ? value : undefined;
};

/**
 * The redirect URL of authorization-code webhooks (manifest webtrigger `oauth-callback`). The provider
 * sends the admin's browser here with `code` and `state` (or `error`); the page says what happened and
 * echoes nothing of the request. No caching, no referrer: the URL carries a one-time code.
 */
export const oauthCodeCallback = async (request: WebTriggerRequest): Promise<{ statusCode: number; headers: Record<string, string[]>; body: string }> => {
  const headers = {
    'Content-Type': ['text/html; charset=utf-8'],
    'Cache-Control': ['no-store'],
    'Referrer-Policy': ['no-referrer'],
    'X-Content-Type-Options': ['nosniff'],
    'Content-Security-Policy': ["default-src 'none'; style-src 'unsafe-inline'"],
  };
  if (request.method !== 'GET') {
    return { statusCode: 405, headers: { ...headers, Allow: ['GET'] }, body: renderCallbackPage({ status: 405, title: 'Not here', message: 'The OAuth provider sends the browser here with a GET request.' }) };
  }
  const page = await oauthCodeFlow().callback({ state: first(request, 'state'), code: first(request, 'code'), error: first(request, 'error') });
  return { statusCode: page.status, headers, body: renderCallbackPage(page) };
};
