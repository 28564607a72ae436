import { buildCodeExchange, buildRefresh, codeClientKey, readGrantAnswer, REVOKED_MESSAGE } from '../../../src/app/delivery/oauth-code-request';
import type { OutboundResult } from '../../../src/app/ports';
import type { AuthCodeClient } from '../../../src/domain/destinations/contract';

const client: AuthCodeClient = {
  tokenUrl: 'https://auth.example.com/token',
  authorizeUrl: 'https://auth.example.com/authorize',
  clientId: 'client-1',
  clientSecret: 'secret-abcdefghijklmnop',
  tokenFormat: 'form',
};
const now = new Date('2026-11-30T12:00:00Z');
const answer = (status: number, body: unknown): OutboundResult => ({ kind: 'response', status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), truncated: false, durationMs: 5 });

describe('authorization-code token requests', () => {
  it('exchanges the code with the PKCE verifier, form-encoded or as JSON', () => {
    const form = buildCodeExchange(client, 'the-code', 'https://app.test/x1/cb', 'v'.repeat(43));
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(form.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: 'https://app.test/x1/cb',
      code_verifier: 'v'.repeat(43),
      client_id: 'client-1',
      client_secret: client.clientSecret,
    });
    const json = buildRefresh({ ...client, tokenFormat: 'json' }, 'rt-1');
    expect(json.headers['content-type']).toBe('application/json');
    expect(JSON.parse(json.body ?? '')).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt-1', client_id: 'client-1', client_secret: client.clientSecret });
  });

  it('reads tokens, with or without a new refresh token', () => {
    expect(readGrantAnswer(answer(200, { access_token: 'at', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt' }), client, now)).toEqual({ ok: true, accessToken: 'at', refreshToken: 'rt', expiresInSeconds: 600 });
    expect(readGrantAnswer(answer(200, { access_token: 'at', token_type: 'bearer' }), client, now)).toEqual({ ok: true, accessToken: 'at' });
  });

  it('tells a revoked grant (invalid_grant) from a refused client, a busy endpoint and a non-bearer token', () => {
    expect(readGrantAnswer(answer(400, { error: 'invalid_grant' }), client, now)).toEqual({ ok: false, revoked: true, outcome: expect.objectContaining({ kind: 'permanent', failsEndpoint: true, message: REVOKED_MESSAGE }) });
    const refused = readGrantAnswer(answer(401, { error: 'invalid_client', error_description: `bad secret ${client.clientSecret}` }), client, now);
    expect(refused).toMatchObject({ ok: false, revoked: false, outcome: { kind: 'permanent', failsEndpoint: true } });
    expect(JSON.stringify(refused)).not.toContain(client.clientSecret);
    expect(readGrantAnswer(answer(400, { error: 'unauthorized_client' }), client, now)).toMatchObject({ outcome: { message: expect.stringContaining('the authorization-code grant (unauthorized_client)') } });
    expect(readGrantAnswer(answer(503, {}), client, now)).toMatchObject({ ok: false, revoked: false, outcome: { kind: 'retry' } });
    expect(readGrantAnswer(answer(200, { access_token: 'at', token_type: 'MAC' }), client, now)).toMatchObject({ ok: false, outcome: { kind: 'retry' } });
  });

  it('keys a grant by every setting that decides what was issued, never by the secret itself', () => {
    const key = codeClientKey(client);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(codeClientKey({ ...client, tokenFormat: 'json' })).toBe(key);
    for (const changed of [{ scope: 'more' }, { audience: 'api' }, { clientSecret: 'other-secret' }, { authorizeUrl: 'https://auth.example.com/other' }, { clientId: 'client-2' }]) {
      expect(codeClientKey({ ...client, ...changed })).not.toBe(key);
    }
  });
});
