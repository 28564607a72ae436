/**
 * OAuthCodeTokens against the stand-in provider's token endpoint on a real 127.0.0.1 server (node:http,
 * reached with fetch as forgeHttpSender does). Stores and clock in memory; "two runtimes" are two
 * OAuthCodeTokens over the same stores.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuthStandIn } from '../../../dev/oauth-standin';
import { codeClientKey, REVOKED_MESSAGE } from '../../../src/app/delivery/oauth-code-request';
import { grantSecretKey, grantStatusKey, type StoredGrant } from '../../../src/app/delivery/oauth-code-grant';
import { OAuthCodeTokens, type CodeTokenResult } from '../../../src/app/delivery/oauth-code-tokens';
import type { HttpSender, OutboundResult } from '../../../src/app/ports';
import { pkceChallenge, pkceVerifier } from '../../../src/domain/oauth/pkce';
import type { AuthCodeClient } from '../../../src/domain/destinations/contract';
import { ManualClock, MemoryKvs, MemorySecrets, RecordingLogger } from '../admin/helpers/memory-ports';

const fetchSender: HttpSender = {
  async send(request): Promise<OutboundResult> {
    try {
      const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual' });
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { kind: 'response', status: response.status, headers, body: await response.text(), truncated: false, durationMs: 1 };
    } catch (error) {
      return { kind: 'error', error, durationMs: 1 };
    }
  },
};

let server: Server;
let provider: OAuthStandIn;
let clock: ManualClock;
let tokenUrl: string;
/** What the token endpoint received, in order. */
let received: { contentType: string; body: string }[];
/** How long the endpoint takes to answer: long enough that side-by-side callers overlap. */
const DELAY_MS = 400;

beforeEach(async () => {
  clock = new ManualClock();
  provider = new OAuthStandIn({ accessTokenSeconds: 3600 }, () => clock.now().getTime());
  received = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ contentType: String(req.headers['content-type']), body });
      const answer = provider.token(req.headers['content-type'], body);
      setTimeout(() => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      }, DELAY_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const clientOf = (tokenFormat: 'form' | 'json' = 'form'): AuthCodeClient => ({
  tokenUrl,
  authorizeUrl: 'https://auth.example.test/authorize',
  clientId: provider.options.clientId,
  clientSecret: provider.options.clientSecret,
  tokenFormat,
});

/** A grant as the web trigger stores it, from a real consent and code exchange at the stand-in. */
const authorized = async (secrets: MemorySecrets, kvs: MemoryKvs, client: AuthCodeClient): Promise<void> => {
  const verifier = pkceVerifier(Buffer.alloc(32, 9));
  const authorize = new URL(client.authorizeUrl);
  for (const [name, value] of Object.entries({ response_type: 'code', client_id: client.clientId, redirect_uri: 'https://x.test/cb', state: 's', code_challenge: pkceChallenge(verifier), code_challenge_method: 'S256' })) {
    authorize.searchParams.set(name, value);
  }
  const code = new URL(provider.authorize(authorize.toString())).searchParams.get('code') as string;
  const answer = JSON.parse(provider.token('application/x-www-form-urlencoded', new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'https://x.test/cb', code_verifier: verifier, client_id: client.clientId, client_secret: client.clientSecret }).toString()).body) as { access_token: string; refresh_token: string };
  const now = clock.now().getTime();
  const clientKey = codeClientKey(client);
  await secrets.set<StoredGrant>(grantSecretKey('wh_1'), { clientKey, accessToken: answer.access_token, refreshToken: answer.refresh_token, expiresAtMs: now + 3_540_000, fetchedAtMs: now });
  await kvs.set(grantStatusKey('wh_1'), { state: 'authorized', clientKey, authorizedAt: clock.now().toISOString(), authorizedBy: 'admin-1' });
};

const world = () => {
  const kvs = new MemoryKvs(clock);
  const secrets = new MemorySecrets();
  const logger = new RecordingLogger();
  const runtime = () => new OAuthCodeTokens({ secrets, kvs, http: fetchSender, clock, logger, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) });
  return { kvs, secrets, logger, runtime };
};

const tokenOf = (result: CodeTokenResult): string => {
  if (!result.ok) throw new Error(`expected a token: ${result.outcome.message}`);
  return result.token;
};

describe('OAuthCodeTokens', () => {
  it('uses the stored access token until 60 s before expiry, then refreshes once for runtimes side by side, and the rotated refresh token keeps working', async () => {
    const { kvs, secrets, runtime } = world();
    const client = clientOf();
    await authorized(secrets, kvs, client);
    const [a, b, c] = [runtime(), runtime(), runtime()];
    expect(tokenOf(await a.token('wh_1', client))).toBe(provider.issued[0]);
    expect(received).toHaveLength(0);

    clock.advance(3_541);
    const side = await Promise.all([a.token('wh_1', client), b.token('wh_1', client), c.token('wh_1', client), a.token('wh_1', client)]);
    expect(provider.calls.refresh_token).toBe(1);
    expect(new Set(side.map(tokenOf))).toEqual(new Set([provider.issued[1]]));

    clock.advance(3_600);
    expect(tokenOf(await b.token('wh_1', client))).toBe(provider.issued[2]);
    expect(provider.calls).toMatchObject({ refresh_token: 2, refused: 0 });
    expect(Object.fromEntries(new URLSearchParams(received[0]?.body))).toMatchObject({ grant_type: 'refresh_token', client_id: client.clientId });
  });

  it('refreshes once when the receiver refused the current token (401), and sends JSON when the format says so', async () => {
    const { kvs, secrets, runtime } = world();
    const client = clientOf('json');
    await authorized(secrets, kvs, client);
    const tokens = runtime();
    const first = tokenOf(await tokens.token('wh_1', client));
    const second = tokenOf(await tokens.token('wh_1', client, { rejected: first }));
    expect(second).not.toBe(first);
    expect(provider.calls.refresh_token).toBe(1);
    expect(received[0]?.contentType).toBe('application/json');
    expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({ grant_type: 'refresh_token', client_id: client.clientId });
  });

  it('a revoked refresh token fails the endpoint with the clear reason, deletes the tokens and asks the provider no more', async () => {
    const { kvs, secrets, logger, runtime } = world();
    const client = clientOf();
    await authorized(secrets, kvs, client);
    const refreshToken = provider.issuedRefresh[0] as string;
    provider.revoke();
    clock.advance(3_600);
    const tokens = runtime();
    const result = await tokens.token('wh_1', client);
    expect(result).toEqual({ ok: false, outcome: expect.objectContaining({ kind: 'permanent', failsEndpoint: true, message: REVOKED_MESSAGE }) });
    expect(await secrets.get(grantSecretKey('wh_1'))).toBeUndefined();
    expect(await kvs.get(grantStatusKey('wh_1'))).toMatchObject({ state: 'revoked', reason: REVOKED_MESSAGE });
    const again = await runtime().token('wh_1', client);
    expect(again.ok ? 'ok' : again.outcome.message).toBe(REVOKED_MESSAGE);
    expect(provider.calls.refresh_token).toBe(1);
    expect(JSON.stringify(logger.lines)).not.toContain(refreshToken);
  });

  it('tokens of other client settings are not used: the admin authorizes again', async () => {
    const { kvs, secrets, runtime } = world();
    await authorized(secrets, kvs, clientOf());
    const result = await runtime().token('wh_1', { ...clientOf(), scope: 'more' });
    expect(result.ok ? 'ok' : result.outcome.message).toMatch(/OAuth settings changed since the webhook was authorized/);
    expect(received).toHaveLength(0);
  });
});
