import { createHmac } from 'node:crypto';
import { base64ListSignatureHeader, hubSignatureHeader } from '../../../src/domain/signing';
import { ownSecretProblem, repeatedUnit, weakSecretProblem } from '../../../src/domain/webhook/own-secret-rules';
import { anySecretProblem, secretFormat, secretProblemFor } from '../../../src/domain/webhook/secret-rules';

const OWN = 'Kx7#pQ2v!Lm9@Rt4$Wn6&Yb8'; // 24 characters

describe('secrets of your own: rules', () => {
  it.each([
    ['24 printable characters', OWN],
    ['256 characters', 'aB3$'.repeat(10) + 'x9Q!w2E#r4T%y6U&i8O*p0A(s1D)f3G-h5J+k7L=z9X[c1V]b3N{m5}'.repeat(4).slice(0, 216)],
    ['spaces inside', 'correct horse battery staple 42'],
    ['non-ASCII letters', 'geheimnis-für-die-prüfung-Ω-2026'],
    ['base64 of random bytes without whsec_', 'lb+PrQunzcHAzWPY0/vYhUi0040DGrpOLiwH4M8XQYM='],
  ])('accepts %s', (_label, text) => {
    expect(ownSecretProblem(text)).toBeUndefined();
  });

  it.each<[string, string, RegExp]>([
    ['23 characters', OWN.slice(0, 23), /24 to 256 characters .*has 23/],
    ['257 characters', 'Kx7#pQ2v!Lm9@Rt4$Wn6&Yb8'.repeat(11).slice(0, 257), /24 to 256 characters .*has 257/],
    ['one character repeated', 'a'.repeat(32), /not one character repeated/],
    ['a short pattern repeated', 'abc'.repeat(10), /short pattern repeated \(it repeats 3/],
    ['8 characters repeated', 'Ab3$Ef7!'.repeat(4), /short pattern repeated/],
    ['changeme', 'changeme-changeme-changeme', /placeholder/],
    ['CHANGEME in capitals, padded', 'CHANGEME_CHANGEME_CHANGEME_CHA', /placeholder/],
    ['your-secret-here', 'your-secret-here-your-secret-here', /placeholder/],
    ['<secret> padded', '<secret><secret><secret><secret>', /placeholder|short pattern/],
    ['password with a few digits', 'password-password-1234', /24 to 256/],
    ['password plus a little', '##password##password##!!', /placeholder/],
    ['a UUID placeholder', 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', /placeholder/],
    ['a trailing space', `${OWN} `, /spaces at the start or end/],
    ['a leading tab', `\t${OWN}`, /control characters/],
    ['a line break', `${OWN}\nmore`, /control characters/],
    ['a zero-width space', `${OWN}\u200babc`, /zero-width space/],
  ])('refuses %s', (_label, text, message) => {
    const problem = ownSecretProblem(text);
    expect(problem).toMatch(message);
    expect(problem).not.toContain(text.trim());
  });

  it('finds the shortest repeated block', () => {
    expect(repeatedUnit('abcabcabc')).toBe('abc');
    expect(repeatedUnit('aaaa')).toBe('a');
    expect(repeatedUnit('abcd')).toBe('abcd');
    expect(weakSecretProblem('0123456789abcdefghijklmn')).toBeUndefined();
  });
});

describe('secrets of your own: per signing mode', () => {
  const whsec = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  it('base64-list and hub take text or whsec_; standard only whsec_', () => {
    for (const mode of ['base64-list', 'hub']) {
      expect(secretProblemFor(OWN, mode)).toBeUndefined();
      expect(secretProblemFor(whsec, mode)).toBeUndefined();
      // A value that starts with whsec_ is held to the whsec_ rule even here.
      expect(secretProblemFor('whsec_this-is-not-base64-at-all!!', mode)).toMatch(/standard base64/);
    }
    expect(secretProblemFor(OWN, 'standard')).toMatch(/Start the secret with whsec_/);
    expect(secretProblemFor(whsec, 'standard')).toBeUndefined();
  });

  it('before the mode is known: a valid text passes, a bad one hears both rules', () => {
    expect(anySecretProblem(OWN)).toBeUndefined();
    expect(anySecretProblem('abc')).toMatch(/^Start the secret with whsec_.* In base64-list or hub signing a text of your own also works: Use 24 to 256 characters/);
    expect(secretFormat(OWN)).toBe('text');
    expect(secretFormat(whsec)).toBe('whsec');
  });

  it('signs with the text as typed (UTF-8), as crypto.createHmac does with a string key', () => {
    const body = '{"type":"issue.created","data":{"summary":"Grüße"}}';
    expect(base64ListSignatureHeader([OWN], body)).toBe(createHmac('sha256', OWN).update(Buffer.from(body, 'utf8')).digest('base64'));
    const umlaut = 'geheimnis-für-die-prüfung-Ω-2026';
    expect(base64ListSignatureHeader([umlaut], body)).toBe(createHmac('sha256', Buffer.from(umlaut, 'utf8')).update(body).digest('base64'));
    expect(hubSignatureHeader([OWN], body)).toBe(`sha256=${createHmac('sha256', OWN).update(body, 'utf8').digest('hex')}`);
  });
});
