import { webTrigger } from '@forge/api';

/** Answers webTrigger.getUrl(payload.key), or the thrown message. */
export const resolver = async (event: { call: { payload?: { key?: string } } }) => {
  try {
    return { url: await webTrigger.getUrl(event.call.payload?.key ?? 'echo') };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

/** Echoes the request and context it got, and the variable FIXTURE_VARIABLE. */
export const echo = (request: unknown, context: unknown) => ({
  statusCode: 200,
  statusText: 'Echoed',
  headers: { 'Content-Type': ['application/json'], 'X-Echo': ['a', 'b'] },
  body: JSON.stringify({ request, context, variable: process.env.FIXTURE_VARIABLE ?? null }),
});

export const fixed = (request: { queryParameters?: Record<string, string[]> }) => ({ outputKey: request.queryParameters?.out?.[0] ?? 'ok' });

export const broken = (request: { queryParameters?: Record<string, string[]> }) => {
  if (request.queryParameters?.throw) throw new Error('secret-detail-in-error');
  return { body: 'no status code' };
};
