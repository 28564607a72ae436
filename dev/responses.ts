/** Builds the fetch `Response`s the Forge SDKs parse. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const text = body === undefined ? null : JSON.stringify(body);
  return new Response(status === 204 ? null : text, {
    status,
    headers: { ...(text !== null ? { 'content-type': 'application/json' } : {}), ...headers },
  });
}

export function emptyResponse(status = 204): Response {
  return new Response(null, { status });
}

export async function readBodyText(init: RequestInit | undefined): Promise<string> {
  const body = init?.body;
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  return new Response(body as BodyInit).text();
}

export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
