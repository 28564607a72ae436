import { fetch, permissions } from '@forge/api';
import type { EgressPolicy, HttpSender } from '../app/ports';

export const MAX_STORED_RESPONSE_BYTES = 20_000;

/** The length of `bytes` without a UTF-8 character cut off at its end, so a cap never splits one. */
const completeUtf8Length = (bytes: Buffer): number => {
  let start = bytes.length - 1;
  while (start > 0 && bytes.length - start < 4 && ((bytes[start] as number) & 0xc0) === 0x80) start -= 1;
  const lead = bytes[start] ?? 0;
  const expected = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - start >= expected ? bytes.length : start;
};

/** Reads at most `limit` bytes of a body and drops the rest, so a huge answer cannot exhaust memory. */
const readLimited = async (response: Response, limit: number): Promise<{ body: string; truncated: boolean }> => {
  if (!response.body) return { body: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = limit - size;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      size = limit;
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const bytes = Buffer.concat(chunks);
  return { body: (truncated ? bytes.subarray(0, completeUtf8Length(bytes)) : bytes).toString('utf8'), truncated };
};

/** POSTs through Forge's fetch (egress-checked by the platform); never follows redirects. */
export const forgeHttpSender: HttpSender = {
  async send(request) {
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('The receiver did not answer in time', 'TimeoutError')), request.timeoutMs);
    try {
      const response = (await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: controller.signal,
      })) as unknown as Response;
      const { body, truncated } = await readLimited(response, MAX_STORED_RESPONSE_BYTES);
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { kind: 'response', status: response.status, headers, body, truncated, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { kind: 'error', error, durationMs: Math.round(performance.now() - started) };
    } finally {
      clearTimeout(timer);
    }
  },
};

/** The manifest's backend egress allowlist, as the Forge runtime reports it. */
export const forgeEgressPolicy: EgressPolicy = {
  canFetch(url: string) {
    try {
      return permissions.canFetchFrom('backend', url);
    } catch {
      return false;
    }
  },
};
