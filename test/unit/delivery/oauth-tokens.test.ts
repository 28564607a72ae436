import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpSender, OutboundResult } from '../../../src/app/ports';
import { LEASE_POLL_MS, OAuthTokens, TokenMemory, tokenLeaseKey, tokenSecretKey, type BearerTokenResult, type OAuthTokensDeps } from '../../../src/app/delivery/oauth-tokens';
import { MAX_REMEMBERED_TOKENS } from '../../../src/app/delivery/oauth-token-memory';
import { tokenCacheKey } from '../../../src/app/delivery/oauth-token-request';
import type { ClientCredentials } from '../../../src/domain/destinations/contract';
import { ManualClock, MemoryKvs, MemorySecrets, RecordingLogger } from '../admin/helpers/memory-ports';

/**
 * OAuthTokens against a real token endpoint on 127.0.0.1 (node:http), reached through an HttpSender
 * that maps answers as src/platform/forge-http.ts does (no redirects followed, body as text, a timeout).
 * The stores and the clock are in memory; "two runtimes" are two OAuthTokens with their own memory over
 * the same stores.
 */

interface TokenRequest {
  contentType: string | undefined;
  body: string;
  form: URLSearchParams;
}

type Reply = { status: number; headers?: Record<string, string>; body: string; delayMs?: number };

class TokenEndpoint {
  readonly requests: TokenRequest[] = [];
  /** What the endpoint answers; by default a new bearer token each time. */
  reply: (request: TokenRequest, n: number) => Reply = (_request, n) => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ access_token: `token-${n}`, token_type: 'Bearer', expires_in: 3600 }),
  });
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/oauth2/v2.0/token`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const request = { contentType: req.headers['content-type'], body, form: new URLSearchParams(body) };
    this.requests.push(request);
    const reply = this.reply(request, this.requests.length);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    res.writeHead(reply.status, reply.headers ?? {});
    res.end(reply.body);
  }
}

/** fetch to the local endpoint, answers mapped like forgeHttpSender's. */
const fetchSender: HttpSender = {
  async send(request): Promise<OutboundResult> {
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('timeout', 'TimeoutError')), request.timeoutMs);
    try {
      const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual', signal: controller.signal });
      const body = await response.text();
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { kind: 'response', status: response.status, headers, body, truncated: false, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { kind: 'error', error, durationMs: Math.round(performance.now() - started) };
    } finally {
      clearTimeout(timer);
    }
  },
};

const SECRET = 'Zq8~kR2pXv7.LmN4sT9-wB1yHc6_DfG3jK5';

let endpoint: TokenEndpoint;

beforeEach(async () => {
  endpoint = new TokenEndpoint();
  await endpoint.start();
});

afterEach(async () => {
  await endpoint.stop();
});

const client = (overrides: Partial<ClientCredentials> = {}): ClientCredentials => ({
  tokenUrl: endpoint.url,
  clientId: '11111111-2222-3333-4444-555555555555',
  clientSecret: SECRET,
  scope: 'https://monitor.azure.com//.default',
  ...overrides,
});

/** Shared stores and clock, and a way to start runtimes over them. */
const world = () => {
  const clock = new ManualClock();
  const kvs = new MemoryKvs(clock);
  const secrets = new MemorySecrets();
  const logger = new RecordingLogger();
  const slept: number[] = [];
  /** A real pause (the lease holder's request is really in flight), recorded. */
  const realSleep = (ms: number) => {
    slept.push(ms);
    return new Promise<void>((resolve) => setTimeout(resolve, ms));
  };
  const runtime = (overrides: Partial<OAuthTokensDeps> = {}) =>
    new OAuthTokens({ secrets, kvs, http: fetchSender, clock, logger, sleep: realSleep, memory: new TokenMemory<BearerTokenResult>(), memoryKey: () => 'ari:installation-1', ...overrides });
  return { clock, kvs, secrets, logger, slept, runtime };
};

const tokenOf = (result: BearerTokenResult): string => {
  if (!result.ok) throw new Error(`expected a token, got ${result.outcome.kind}: ${result.outcome.message}`);
  return result.token;
};

/** Every run of 8 characters of the secret. */
const runsOf = (secret: string): string[] => Array.from({ length: secret.length - 7 }, (_, i) => secret.slice(i, i + 8));

describe('OAuthTokens: one token request for many callers', () => {
  it('fetches once for many sequential calls, and sends the client-credentials form', async () => {
    const { runtime } = world();
    const tokens = runtime();
    const results = [];
    for (let i = 0; i < 10; i += 1) results.push(tokenOf(await tokens.token(client())));
    expect(new Set(results)).toEqual(new Set(['token-1']));
    expect(endpoint.requests).toHaveLength(1);
    const [request] = endpoint.requests;
    expect(request?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      grant_type: 'client_credentials',
      client_id: '11111111-2222-3333-4444-555555555555',
      client_secret: SECRET,
      scope: 'https://monitor.azure.com//.default',
    });
  });

  it('fetches once for 20 concurrent calls spread over two runtimes sharing the stores', async () => {
    const { runtime, kvs, slept } = world();
    endpoint.reply = (_request, n) => ({ status: 200, body: JSON.stringify({ access_token: `token-${n}`, token_type: 'bearer', expires_in: '3599' }), delayMs: 150 });
    const a = runtime();
    const b = runtime();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).token(client())));
    expect(results.map(tokenOf)).toEqual(Array.from({ length: 20 }, () => 'token-1'));
    expect(endpoint.requests).toHaveLength(1);
    // One runtime waited for the other's token, and the holder gave its lease back.
    expect(slept.length).toBeGreaterThan(0);
    expect(await kvs.get(tokenLeaseKey(tokenCacheKey(client())))).toBeUndefined();
  });

  it('a second runtime reads the first one\'s token from the SecretStore without a request', async () => {
    const { runtime, secrets } = world();
    expect(tokenOf(await runtime().token(client()))).toBe('token-1');
    expect(tokenOf(await runtime().token(client()))).toBe('token-1');
    expect(endpoint.requests).toHaveLength(1);
    const stored = await secrets.get<{ token: string; expiresAtMs: number }>(tokenSecretKey(tokenCacheKey(client())));
    expect(stored?.token).toBe('token-1');
  });

  it('keeps one installation\'s tokens from another in the same runtime memory', async () => {
    const { runtime } = world();
    const memory = new TokenMemory<BearerTokenResult>();
    let installation = 'ari:installation-1';
    const tokens = runtime({ memory, memoryKey: () => installation, secrets: new MemorySecrets() });
    expect(tokenOf(await tokens.token(client()))).toBe('token-1');
    installation = 'ari:installation-2';
    // Same credentials, another installation with its own (empty) SecretStore: not served from memory.
    const other = runtime({ memory, memoryKey: () => installation, secrets: new MemorySecrets() });
    expect(tokenOf(await other.token(client()))).toBe('token-2');
    expect(endpoint.requests).toHaveLength(2);
  });
});

describe('OAuthTokens: expiry and refresh', () => {
  it('uses a token until the margin before it expires, then fetches a new one', async () => {
    const { runtime, clock } = world();
    const tokens = runtime();
    expect(tokenOf(await tokens.token(client()))).toBe('token-1');
    clock.advance(3600 - 60 - 1);
    expect(tokenOf(await tokens.token(client()))).toBe('token-1');
    clock.advance(2);
    expect(tokenOf(await tokens.token(client()))).toBe('token-2');
    expect(endpoint.requests).toHaveLength(2);
  });

  it('ignores an expired SecretStore entry (stored secrets have no TTL; Forge keys outlive theirs)', async () => {
    const { runtime, secrets, clock } = world();
    await secrets.set(tokenSecretKey(tokenCacheKey(client())), { token: 'old', expiresAtMs: clock.now().getTime() - 1, fetchedAtMs: 0 });
    expect(tokenOf(await runtime().token(client()))).toBe('token-1');
    expect(endpoint.requests).toHaveLength(1);
  });

  it('uses 300 s when expires_in is missing, and at most 24 h however long the endpoint says', async () => {
    const { runtime, clock } = world();
    endpoint.reply = (_request, n) => ({ status: 200, body: JSON.stringify(n === 1 ? { access_token: 'short', token_type: 'Bearer' } : { access_token: `long-${n}`, token_type: 'Bearer', expires_in: 10 * 365 * 86400 }) });
    const tokens = runtime();
    expect(tokenOf(await tokens.token(client()))).toBe('short');
    clock.advance(300 - 30 - 1); // 10 % of 300 s is less than 60 s
    expect(tokenOf(await tokens.token(client()))).toBe('short');
    clock.advance(2);
    expect(tokenOf(await tokens.token(client()))).toBe('long-2');
    clock.advance(24 * 3600 - 60 - 1);
    expect(tokenOf(await tokens.token(client()))).toBe('long-2');
    clock.advance(2);
    expect(tokenOf(await tokens.token(client()))).toBe('long-3');
  });

  it('refreshes exactly once when 5 concurrent callers report the same rejected token', async () => {
    const { runtime } = world();
    const tokens = runtime();
    const first = tokenOf(await tokens.token(client()));
    const results = await Promise.all(Array.from({ length: 5 }, () => tokens.token(client(), { rejected: first })));
    expect(results.map(tokenOf)).toEqual(Array.from({ length: 5 }, () => 'token-2'));
    // A late report of the same rejected token finds the newer one in the cache.
    expect(tokenOf(await tokens.token(client(), { rejected: first }))).toBe('token-2');
    expect(endpoint.requests).toHaveLength(2);
  });

  it('another runtime that still remembers the rejected token takes the newer one from the SecretStore', async () => {
    const { runtime } = world();
    const a = runtime();
    const b = runtime();
    expect(tokenOf(await a.token(client()))).toBe('token-1');
    expect(tokenOf(await b.token(client()))).toBe('token-1');
    expect(tokenOf(await a.token(client(), { rejected: 'token-1' }))).toBe('token-2');
    expect(tokenOf(await b.token(client(), { rejected: 'token-1' }))).toBe('token-2');
    expect(endpoint.requests).toHaveLength(2);
  });

  it('does not take an older token from the SecretStore in place of a rejected one', async () => {
    const { runtime, secrets, clock } = world();
    const tokens = runtime();
    const fetchedAt = clock.now().getTime();
    expect(tokenOf(await tokens.token(client()))).toBe('token-1');
    clock.advance(10);
    // A slower runtime stored the token it fetched before token-1 (last writer wins).
    await secrets.set(tokenSecretKey(tokenCacheKey(client())), { token: 'older', expiresAtMs: fetchedAt + 3_000_000, fetchedAtMs: fetchedAt - 1_000 });
    expect(tokenOf(await tokens.token(client(), { rejected: 'token-1' }))).toBe('token-2');
    expect(endpoint.requests).toHaveLength(2);
  });

  it('refreshes once when rejected tokens are reported on two runtimes at the same time', async () => {
    const { runtime } = world();
    endpoint.reply = (_request, n) => ({ status: 200, body: JSON.stringify({ access_token: `token-${n}`, token_type: 'Bearer', expires_in: 3600 }), delayMs: 100 });
    const a = runtime();
    const b = runtime();
    await a.token(client());
    await b.token(client());
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).token(client(), { rejected: 'token-1' })));
    expect(new Set(results.map(tokenOf))).toEqual(new Set(['token-2']));
    expect(endpoint.requests).toHaveLength(2);
  });

  it('fetches again when the client secret changes, under a key that does not reveal it', async () => {
    const { runtime, secrets, kvs } = world();
    const tokens = runtime();
    expect(tokenOf(await tokens.token(client()))).toBe('token-1');
    const rotated = client({ clientSecret: 'another-secret-value-1234567890' });
    expect(tokenOf(await tokens.token(rotated))).toBe('token-2');
    expect(endpoint.requests[1]?.form.get('client_secret')).toBe('another-secret-value-1234567890');
    expect(tokenOf(await tokens.token(client()))).toBe('token-1');
    expect(endpoint.requests).toHaveLength(2);
    const keys = [...secrets.entries.keys(), ...kvs.entries.keys()].join('\n');
    for (const run of runsOf(SECRET)) expect(keys).not.toContain(run);
    expect([...secrets.entries.keys()].every((key) => /^oauth-token:[0-9a-f]{64}$/.test(key))).toBe(true);
  });

  it('remembers a bounded number of tokens per runtime', async () => {
    const memory = new TokenMemory(3);
    for (let i = 0; i < 10; i += 1) memory.remember(`k${i}`, { token: `t${i}`, expiresAtMs: Number.MAX_SAFE_INTEGER, fetchedAtMs: i });
    expect(memory.size).toBe(3);
    expect(memory.get('k9')?.token).toBe('t9');
    expect(memory.get('k0')).toBeUndefined();
    expect(MAX_REMEMBERED_TOKENS).toBeGreaterThan(0);
  });
});

describe('OAuthTokens: the lease', () => {
  it('a waiter whose lease holder died fetches itself after the bounded wait', async () => {
    const { runtime, kvs, clock } = world();
    const cacheKey = tokenCacheKey(client());
    await kvs.setIfAbsent(tokenLeaseKey(cacheKey), { holder: 'a-runtime-that-died', at: clock.now().toISOString() }, { ttlSeconds: 30 });
    const slept: number[] = [];
    const tokens = runtime({
      sleep: async (ms) => {
        slept.push(ms);
        clock.advance(ms / 1000);
      },
    });
    expect(tokenOf(await tokens.token(client()))).toBe('token-1');
    expect(endpoint.requests).toHaveLength(1);
    const waited = slept.reduce((sum, ms) => sum + ms, 0);
    expect(waited).toBe(LEASE_POLL_MS.reduce((sum, ms) => sum + ms, 0));
    expect(waited).toBeLessThanOrEqual(5_000);
    // The dead holder's lease is not ours to delete.
    expect((await kvs.get<{ holder: string }>(tokenLeaseKey(cacheKey)))?.holder).toBe('a-runtime-that-died');
  });

  it('a waiter takes the holder\'s token as soon as it is stored', async () => {
    const { runtime, kvs, secrets, clock } = world();
    const cacheKey = tokenCacheKey(client());
    await kvs.setIfAbsent(tokenLeaseKey(cacheKey), { holder: 'busy' }, { ttlSeconds: 30 });
    const slept: number[] = [];
    const tokens = runtime({
      sleep: async (ms) => {
        slept.push(ms);
        if (slept.length === 2) await secrets.set(tokenSecretKey(cacheKey), { token: 'from-holder', expiresAtMs: clock.now().getTime() + 60_000, fetchedAtMs: clock.now().getTime() });
      },
    });
    expect(tokenOf(await tokens.token(client()))).toBe('from-holder');
    expect(slept).toHaveLength(2);
    expect(endpoint.requests).toHaveLength(0);
  });

  it('fetches without the lease when KVS refuses it', async () => {
    const { runtime, kvs, logger } = world();
    kvs.setIfAbsent = async () => {
      throw Object.assign(new Error('rate limited'), { code: 'RATE_LIMIT_EXCEEDED' });
    };
    expect(tokenOf(await runtime().token(client()))).toBe('token-1');
    expect(logger.lines.some((line) => line.message === 'oauth.token.lease-failed' && line.fields?.code === 'RATE_LIMIT_EXCEEDED')).toBe(true);
  });
});

describe('OAuthTokens: what the token endpoint answers', () => {
  const failure = (result: BearerTokenResult) => {
    if (result.ok) throw new Error('expected a failure');
    return result.outcome;
  };

  it('invalid_client is permanent, fails the endpoint, and never quotes the secret', async () => {
    const { runtime, logger } = world();
    endpoint.reply = () => ({
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        error: 'invalid_client',
        error_description: `AADSTS7000215: Invalid client secret provided. Received '${SECRET}' (base64 ${Buffer.from(SECRET).toString('base64')}, prefix ${SECRET.slice(3, 12)}). Trace ID: 0f1e`,
      }),
    });
    const outcome = failure(await runtime().token(client()));
    expect(outcome).toMatchObject({ kind: 'permanent', errorClass: 'http', httpStatus: 401, failsEndpoint: true });
    expect(outcome.message).toContain('The token endpoint refused the client credentials (invalid_client): check the client ID and client secret.');
    expect(outcome.message).toContain('AADSTS7000215');
    expect(outcome.message).not.toContain(SECRET);
    for (const run of runsOf(SECRET)) expect(outcome.message).not.toContain(run);
    const logged = JSON.stringify(logger.lines);
    for (const run of runsOf(SECRET)) expect(logged).not.toContain(run);
    expect(logged).toContain('invalid_client');
  });

  it.each(['unauthorized_client', 'invalid_grant', 'invalid_scope', 'invalid_request', 'unsupported_grant_type'])('%s on 400 is permanent and fails the endpoint', async (code) => {
    const { runtime } = world();
    endpoint.reply = () => ({ status: 400, body: JSON.stringify({ error: code }) });
    const outcome = failure(await runtime().token(client()));
    expect(outcome).toMatchObject({ kind: 'permanent', errorClass: 'http', httpStatus: 400, failsEndpoint: true });
    expect(outcome.message).toContain(`(${code})`);
  });

  it('503 is retried, with Retry-After', async () => {
    const { runtime } = world();
    endpoint.reply = () => ({ status: 503, headers: { 'retry-after': '7' }, body: 'upstream down' });
    expect(failure(await runtime().token(client()))).toEqual({ kind: 'retry', errorClass: 'http', httpStatus: 503, retryAfterSeconds: 7, message: 'HTTP 503 from the token endpoint.' });
  });

  it('429 is retried as rate limited', async () => {
    const { runtime } = world();
    endpoint.reply = () => ({ status: 429, body: '' });
    expect(failure(await runtime().token(client()))).toMatchObject({ kind: 'retry', httpStatus: 429 });
  });

  it('an answer that is not a bearer token is retried with a clear message, and caches nothing', async () => {
    const { runtime, secrets } = world();
    endpoint.reply = () => ({ status: 200, body: '<html>Sign in</html>' });
    const outcome = failure(await runtime().token(client()));
    expect(outcome).toMatchObject({ kind: 'retry', errorClass: 'http', httpStatus: 200 });
    expect(outcome.message).toContain('without a bearer token');
    endpoint.reply = () => ({ status: 200, body: JSON.stringify({ access_token: 'x', token_type: 'mac', expires_in: 60 }) });
    expect(failure(await runtime().token(client())).kind).toBe('retry');
    expect(secrets.entries.size).toBe(0);
  });

  it('a redirect is not followed and is retried', async () => {
    const { runtime } = world();
    endpoint.reply = () => ({ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' }, body: '' });
    expect(failure(await runtime().token(client()))).toMatchObject({ kind: 'retry', errorClass: 'redirect', httpStatus: 302 });
    expect(endpoint.requests).toHaveLength(1);
  });

  it('Forge\'s egress proxy refusal is permanent blocked-egress naming the host to add', async () => {
    const { runtime } = world();
    endpoint.reply = () => ({ status: 403, headers: { 'forge-proxy-error': 'BLOCKED_EGRESS' }, body: '' });
    const outcome = failure(await runtime().token(client()));
    expect(outcome).toMatchObject({ kind: 'permanent', errorClass: 'blocked-egress', failsEndpoint: true });
    expect(outcome.message).toContain('127.0.0.1');
    expect(outcome.message).toContain('permissions.external.fetch.backend');
  });

  it('a network error is classified and retried', async () => {
    const { runtime } = world();
    const url = endpoint.url;
    await endpoint.stop();
    const outcome = failure(await runtime().token(client({ tokenUrl: url })));
    expect(outcome).toMatchObject({ kind: 'retry', errorClass: 'refused' });
    expect(outcome.message).toBe('Connection refused by the token endpoint (ECONNREFUSED).');
    endpoint = new TokenEndpoint();
    await endpoint.start();
  });

  it('sends scope and audience form-encoded, and leaves out what is not set', async () => {
    const { runtime } = world();
    await runtime().token(client({ scope: 'api://audit/.default read:logs', audience: 'https://siem.example.com/api?x=1&y=2', clientSecret: 'p&ss=word+/%' }));
    const [request] = endpoint.requests;
    expect(request?.contentType).toBe('application/x-www-form-urlencoded');
    expect(request?.body).toContain('scope=api%3A%2F%2Faudit%2F.default+read%3Alogs');
    expect(request?.body).toContain('audience=https%3A%2F%2Fsiem.example.com%2Fapi%3Fx%3D1%26y%3D2');
    expect(request?.form.get('client_secret')).toBe('p&ss=word+/%');
    expect(request?.form.get('audience')).toBe('https://siem.example.com/api?x=1&y=2');
    await runtime().token(client({ scope: undefined, clientId: 'other' }));
    expect([...(endpoint.requests[1]?.form.keys() ?? [])].sort()).toEqual(['client_id', 'client_secret', 'grant_type']);
  });

  it('never logs the token or the secret', async () => {
    const { runtime, logger } = world();
    const token = tokenOf(await runtime().token(client()));
    const logged = JSON.stringify(logger.lines);
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(SECRET.slice(0, 8));
    expect(logger.lines.some((line) => line.message === 'oauth.token.fetched')).toBe(true);
  });
});
