import { constantTimeEqual } from '../../../src/domain/webhook/constant-time';
import { base64DecodedLength, encodeBase64 } from '../../../src/domain/webhook/base64';
import { generateSecret, previewSecret, secretProblem } from '../../../src/domain/webhook/secret-rules';

const bytes = (n: number, fill = 1): Uint8Array => new Uint8Array(n).fill(fill);
const secretOf = (n: number): string => `whsec_${encodeBase64(bytes(n, 7))}`;

describe('secretProblem', () => {
  it.each([
    ['Standard Webhooks vector (24 bytes)', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ['24 x 0x01', 'whsec_AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB'],
    ['32 bytes', secretOf(32)],
    ['64 bytes', secretOf(64)],
    ['25 bytes (padded)', secretOf(25)],
  ])('accepts %s', (_label, secret) => {
    expect(secretProblem(secret)).toBeUndefined();
  });

  it.each<[string, string, RegExp]>([
    ['no prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', /Start the secret with whsec_/],
    ['other prefix', 'whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', /Start the secret with whsec_/],
    ['empty body', 'whsec_', /24 to 64/],
    ['23 bytes', secretOf(23), /decodes to 23/],
    ['65 bytes', secretOf(65), /decodes to 65/],
    ['url-safe alphabet', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa-_', /standard base64/],
    ['missing padding', secretOf(25).replace(/=+$/, ''), /padded with =/],
    ['spaces', 'whsec_MfKQ9r8GKYqr TwjUPD8ILPZIo2LaLaSw', /standard base64/],
  ])('refuses %s', (_label, secret, message) => {
    expect(secretProblem(secret)).toMatch(message);
  });

  it('never repeats the secret in its message', () => {
    const secret = secretOf(23);
    expect(secretProblem(secret)).not.toContain(secret.slice(6, 20));
  });
});

describe('generateSecret', () => {
  it('is whsec_ + base64 of 32 bytes from the given source', () => {
    const secret = generateSecret((n) => bytes(n, 0xff));
    expect(secret).toBe(`whsec_${'/'.repeat(42)}8=`);
    expect(secretProblem(secret)).toBeUndefined();
    expect(base64DecodedLength(secret.slice(6))).toBe(32);
  });
  it('agrees with Buffer base64', () => {
    const random = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
    expect(generateSecret(() => random)).toBe(`whsec_${Buffer.from(random).toString('base64')}`);
  });
  it('refuses a short random source', () => {
    expect(() => generateSecret(() => bytes(16))).toThrow(/expected 32/);
  });
});

describe('encodeBase64', () => {
  it.each([0, 1, 2, 3, 4, 5, 31, 64])('matches Buffer for %i bytes', (n) => {
    const data = Uint8Array.from({ length: n }, (_, i) => (i * 53 + 200) & 0xff);
    expect(encodeBase64(data)).toBe(Buffer.from(data).toString('base64'));
  });
});

describe('previewSecret and constantTimeEqual', () => {
  it('shows 3 characters', () => {
    expect(previewSecret('whsec_abcdef')).toBe('whs');
    expect(previewSecret('ab')).toBe('ab');
  });
  it.each([
    ['a', 'a', true],
    ['whsec_abc', 'whsec_abc', true],
    ['whsec_abc', 'whsec_abd', false],
    ['whsec_abc', 'whsec_ab', false],
    ['', '', true],
    ['', 'x', false],
    ['é', 'e', false],
  ])('%s vs %s', (a, b, equal) => {
    expect(constantTimeEqual(a, b)).toBe(equal);
  });
});
