import { renderCallbackPage, type CallbackPage } from '../app/slack-oauth';

/** The web trigger request as Forge documents it (only what an OAuth redirect reads). */
export interface WebTriggerRequest {
  method?: string;
  queryParameters?: Record<string, string[] | undefined>;
}

export interface WebTriggerResponse {
  statusCode: number;
  headers: Record<string, string[]>;
  body: string;
}

/** What an OAuth redirect brings back (RFC 6749 4.1.2): the one-time code and state, or the provider's error. */
export interface RedirectQuery {
  state?: string;
  code?: string;
  error?: string;
}

/** A query value as text, or undefined when absent or longer than any code or state we accept. */
const first = (request: WebTriggerRequest, name: string, maxChars: number): string | undefined => {
  const value = request.queryParameters?.[name]?.[0];
  return typeof value === 'string' && value.length <= maxChars ? value : undefined;
};

/** No caching and no referrer (the URL carries a one-time code), nothing sniffed, no script. */
const PAGE_HEADERS: Record<string, string[]> = {
  'Content-Type': ['text/html; charset=utf-8'],
  'Cache-Control': ['no-store'],
  'Referrer-Policy': ['no-referrer'],
  'X-Content-Type-Options': ['nosniff'],
  'Content-Security-Policy': ["default-src 'none'; style-src 'unsafe-inline'"],
};

/**
 * The answer of an OAuth redirect web trigger (Add to Slack, authorization-code webhooks): a GET with
 * code and state (or error) goes to `handle`, whose page is shown in the admin's tab; anything else is
 * 405. The page echoes nothing of the request.
 */
export async function oauthRedirectResponse(
  request: WebTriggerRequest,
  options: { provider: string; maxQueryChars: number; handle: (query: RedirectQuery) => Promise<CallbackPage> },
): Promise<WebTriggerResponse> {
  if (request.method !== 'GET') {
    const page = { status: 405, title: 'Not here', message: `${options.provider} sends the browser here with a GET request.` };
    return { statusCode: 405, headers: { ...PAGE_HEADERS, Allow: ['GET'] }, body: renderCallbackPage(page) };
  }
  const query = (name: string): string | undefined => first(request, name, options.maxQueryChars);
  const page = await options.handle({ state: query('state'), code: query('code'), error: query('error') });
  return { statusCode: page.status, headers: { ...PAGE_HEADERS }, body: renderCallbackPage(page) };
}
