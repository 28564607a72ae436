import { codeStateSignatureValid, parseCodeState, signCodeState } from '../../../src/app/oauth-code/state-token';
import { parseState, signState } from '../../../src/app/slack-oauth/state-token';
import { pkceChallenge, pkceVerifier } from '../../../src/domain/oauth/pkce';

describe('PKCE (RFC 7636, S256)', () => {
  it('matches the RFC 7636 Appendix B vector', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes a 43-character verifier from 32 random bytes and refuses fewer, or a malformed verifier', () => {
    const verifier = pkceVerifier(Buffer.alloc(32, 7));
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pkceChallenge(verifier)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(() => pkceVerifier(Buffer.alloc(16))).toThrow(RangeError);
    expect(() => pkceChallenge('short')).toThrow(RangeError);
    expect(() => pkceChallenge(`${'a'.repeat(42)} `)).toThrow(RangeError);
  });
});

describe('authorization-code state', () => {
  const key = Buffer.alloc(32, 1);
  const binding = { webhookId: 'wh_1', version: 3, accountId: 'admin-1' };
  const state = signCodeState(key, 'a'.repeat(32), 1_700_000_000_000, binding);

  it('verifies for the webhook, version and admin it was issued for only', () => {
    const parts = parseCodeState(state);
    expect(parts).toBeDefined();
    if (!parts) return;
    expect(codeStateSignatureValid(key, parts, binding)).toBe(true);
    expect(codeStateSignatureValid(key, parts, { ...binding, webhookId: 'wh_2' })).toBe(false);
    expect(codeStateSignatureValid(key, parts, { ...binding, version: 4 })).toBe(false);
    expect(codeStateSignatureValid(key, parts, { ...binding, accountId: 'admin-2' })).toBe(false);
    expect(codeStateSignatureValid(Buffer.alloc(32, 2), parts, binding)).toBe(false);
  });

  it('refuses a changed expiry or nonce, and never accepts an Add to Slack state (another signed text)', () => {
    const parts = parseCodeState(state);
    if (!parts) throw new Error('unparsed');
    expect(codeStateSignatureValid(key, { ...parts, expiresAtMs: parts.expiresAtMs + 1 }, binding)).toBe(false);
    expect(codeStateSignatureValid(key, { ...parts, nonce: 'b'.repeat(32) }, binding)).toBe(false);
    const slack = parseState(signState(key, 'a'.repeat(32), 1_700_000_000_000, 'admin-1'));
    if (!slack) throw new Error('unparsed');
    expect(codeStateSignatureValid(key, slack, binding)).toBe(false);
    expect(parseCodeState('not.a.state')).toBeUndefined();
  });
});
