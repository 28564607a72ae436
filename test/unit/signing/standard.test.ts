import { Webhook } from 'standardwebhooks';
import { SigningError, buildSignatureHeaders, standardSignature, verifyStandard } from '../../../src/domain/signing';

// Known-answer vector, verbatim from standard-webhooks/standard-webhooks libraries/*/webhook_test (spec v1.0.0).
const KEY = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const MSG_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1614265330;
const BODY = '{"test": 2432232314}';
const EXPECTED = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
// Derived vector (computed for webhook-anchors.md 1.5, not from the spec repo): 24 bytes of 0x01.
const SECOND_KEY = 'whsec_AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB';
const SECOND_EXPECTED = 'v1,FBLAo+HK5p2knCUgA8qP2rAcQBKsRjSyHR9ZWinL1ZE=';

describe('Standard Webhooks signing', () => {
  it('matches the spec repository known-answer vector', () => {
    expect(standardSignature(KEY, MSG_ID, TIMESTAMP, BODY)).toBe(EXPECTED);
  });

  it('uses the derived rotation key of exactly 24 bytes of 0x01', () => {
    expect(Buffer.from(SECOND_KEY.slice('whsec_'.length), 'base64')).toEqual(Buffer.alloc(24, 1));
  });

  it('accepts unpadded base64 after the prefix', () => {
    const padded = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    expect(padded.endsWith('=')).toBe(true);
    expect(standardSignature(padded.replace(/=+$/, ''), MSG_ID, TIMESTAMP, BODY)).toBe(standardSignature(padded, MSG_ID, TIMESTAMP, BODY));
  });

  it('accepts the secret without the whsec_ prefix, as the reference libraries do', () => {
    expect(standardSignature('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', MSG_ID, TIMESTAMP, BODY)).toBe(EXPECTED);
  });

  it('builds the three headers with one space-separated v1 entry per secret (rotation vector)', () => {
    const headers = buildSignatureHeaders({ mode: 'standard', msgId: MSG_ID, timestamp: TIMESTAMP, body: BODY, secrets: [KEY, SECOND_KEY] });
    expect(headers).toEqual({
      'webhook-id': MSG_ID,
      'webhook-timestamp': '1614265330',
      'webhook-signature': `${EXPECTED} ${SECOND_EXPECTED}`,
    });
  });

  describe('verified by the standardwebhooks library (independent oracle)', () => {
    beforeEach(() => {
      jest.useFakeTimers({ now: TIMESTAMP * 1000 + 10_000 });
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    it.each([
      ['the current key', KEY],
      ['the previous key', SECOND_KEY],
    ])('a receiver holding only %s accepts a rotation header', (_label, receiverKey) => {
      const headers = buildSignatureHeaders({ mode: 'standard', msgId: MSG_ID, timestamp: TIMESTAMP, body: BODY, secrets: [KEY, SECOND_KEY] });
      expect(new Webhook(receiverKey).verify(BODY, headers)).toEqual({ test: 2432232314 });
    });

    it('rejects when the body changed by one byte', () => {
      const headers = buildSignatureHeaders({ mode: 'standard', msgId: MSG_ID, timestamp: TIMESTAMP, body: BODY, secrets: [KEY] });
      expect(() => new Webhook(KEY).verify('{"test": 2432232315}', headers)).toThrow();
    });

    it('agrees with the oracle on a non-ASCII body and a fresh random key', () => {
      const key = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
      const body = JSON.stringify({ summary: 'Groupe modifié — ✓ 日本', n: 1 });
      const headers = buildSignatureHeaders({ mode: 'standard', msgId: 'msg_x', timestamp: TIMESTAMP, body, secrets: [key] });
      expect(headers['webhook-signature']).toBe(new Webhook(key).sign('msg_x', new Date(TIMESTAMP * 1000), body));
      expect(new Webhook(key).verify(body, headers)).toEqual(JSON.parse(body));
    });
  });

  describe('verifyStandard', () => {
    const headers = { 'Webhook-Id': MSG_ID, 'Webhook-Timestamp': String(TIMESTAMP), 'Webhook-Signature': EXPECTED };

    it('accepts the vector and names the matching secret', () => {
      expect(verifyStandard({ headers, body: BODY, secrets: [SECOND_KEY, KEY], nowSeconds: TIMESTAMP })).toEqual({ valid: true, matchedSecretIndex: 1 });
    });

    it('skips decoys and unknown versions (spec multi-signature fixture)', () => {
      const signature = `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ${EXPECTED} v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=`;
      expect(verifyStandard({ headers: { ...headers, 'Webhook-Signature': signature }, body: BODY, secrets: [KEY], nowSeconds: TIMESTAMP }).valid).toBe(true);
    });

    it.each([
      ['the known-bad signature', { 'Webhook-Signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=' }, TIMESTAMP],
      ['a missing id', { 'Webhook-Id': undefined }, TIMESTAMP],
      ['an id with a dot', { 'Webhook-Id': 'msg.1' }, TIMESTAMP],
      ['a non-numeric timestamp', { 'Webhook-Timestamp': '16142653a0' }, TIMESTAMP],
      ['a timestamp older than the tolerance', {}, TIMESTAMP + 301],
      ['a timestamp newer than the tolerance', {}, TIMESTAMP - 301],
    ])('rejects %s', (_label, override, nowSeconds) => {
      const result = verifyStandard({ headers: { ...headers, ...override }, body: BODY, secrets: [KEY], nowSeconds });
      expect(result.valid).toBe(false);
    });
  });

  describe('refuses to sign what it cannot sign correctly', () => {
    it.each([
      ['an empty secret', 'whsec_'],
      ['a secret that is not base64', 'whsec_not base64!'],
    ])('%s, without echoing the secret', (_label, secret) => {
      const sign = (): string => standardSignature(secret, MSG_ID, TIMESTAMP, BODY);
      expect(sign).toThrow(SigningError);
      try {
        sign();
      } catch (error) {
        expect((error as Error).message).not.toContain('base64!');
      }
    });

    it.each([
      ['an id with a dot', 'msg.1', TIMESTAMP],
      ['an empty id', '', TIMESTAMP],
      ['a fractional timestamp', MSG_ID, 1614265330.5],
      ['a negative timestamp', MSG_ID, -1],
    ])('%s', (_label, msgId, timestamp) => {
      expect(() => standardSignature(KEY, msgId, timestamp, BODY)).toThrow(SigningError);
    });
  });
});
