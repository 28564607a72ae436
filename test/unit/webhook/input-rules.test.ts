import { headerNameProblem, headerValueProblem } from '../../../src/domain/webhook/header-rules';
import { describeCharacter, firstInvisibleCharacter } from '../../../src/domain/webhook/invisible-characters';
import { nameProblem } from '../../../src/domain/webhook/name-rules';
import { originOf, sameOrigin } from '../../../src/domain/webhook/origin';
import { signatureHeaderProblem } from '../../../src/domain/webhook/signing-rules';
import { commonUrlProblems } from '../../../src/domain/webhook/url-rules';

/**
 * Issue 9, "Input rules": nothing an admin types may read one way and mean another. Invisible and
 * text-direction characters (the whole Default_Ignorable_Code_Point set and the bidi controls) are
 * refused in names, header names and values and URLs; a backslash is refused anywhere in a URL; a host
 * the URL standard would rewrite is refused, except for ASCII case.
 */

/** Every bidi control, and a spread of Default_Ignorable_Code_Point characters from each block. */
const BIDI = ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
const IGNORABLE = [
  '\u00ad', '\u034f', '\u115f', '\u1160', '\u17b4', '\u17b5', '\u180b', '\u180e', '\u200b', '\u200c', '\u200d',
  '\u2060', '\u2061', '\u2064', '\u2065', '\u206a', '\u206f', '\u3164', '\ufe00', '\ufe0f', '\ufeff', '\uffa0',
  '\u{1bca0}', '\u{1d173}', '\u{e0001}', '\u{e0041}', '\u{e007f}', '\u{e0100}', '\u{e0fff}',
];
const INVISIBLE = [...BIDI, ...IGNORABLE];
const label = (char: string): string => describeCharacter(char);

describe('invisible and text-direction characters', () => {
  it('matches every Default_Ignorable_Code_Point and bidi control, and nothing visible', () => {
    for (const char of INVISIBLE) expect(firstInvisibleCharacter(`a${char}b`)).toBe(char);
    for (const text of ['Splunk production', 'Sécurité – SOC', '日本語', 'ﬁ', 'Ｓplunk', '🔥 alerts', 'a\u00a0b']) expect(firstInvisibleCharacter(text)).toBeUndefined();
  });

  it('names the character by code point, and by name when it has a common one', () => {
    expect(describeCharacter('\u202e')).toBe('U+202E (right-to-left override)');
    expect(describeCharacter('\u200b')).toBe('U+200B (zero-width space)');
    expect(describeCharacter('\u{e0041}')).toBe('U+E0041 (tag character)');
    expect(describeCharacter('\ufe0f')).toBe('U+FE0F (variation selector)');
    expect(describeCharacter('\u2065')).toBe('U+2065');
  });

  it.each(INVISIBLE.map((char) => [label(char), char]))('refuses %s in names, header names, header values, signature headers and URLs', (_label, char) => {
    const code = describeCharacter(char).split(' ')[0] ?? '';
    const says = new RegExp(`Remove the (invisible|text-direction) character ${code.replace('+', '\\+')}`);
    expect(nameProblem(`Splunk${char} production`)).toMatch(says);
    expect(nameProblem(`${char}Splunk`)).toMatch(/one name could look like another/);
    expect(headerNameProblem(`X-Env${char}`)).toMatch(says);
    expect(headerValueProblem(`prod${char}`)).toMatch(says);
    expect(signatureHeaderProblem(`X-Sig${char}`)).toMatch(says);
    expect(commonUrlProblems(`https://siem.example.test/hook?q=a${char}b`).join(' ')).toMatch(says);
    expect(commonUrlProblems(`https://siem.example.test/ho${char}ok`).join(' ')).toMatch(says);
    expect(commonUrlProblems(`https://siem.ex${char}ample.test/hook`).join(' ')).toMatch(says);
    // Percent-encoded: the same character, written as the receiver would see it.
    const encoded = encodeURIComponent(char);
    expect(commonUrlProblems(`https://siem.example.test/hook?q=${encoded}`).join(' ')).toMatch(new RegExp(`${says.source}.*percent-encoded, as ${encoded}`));
    expect(commonUrlProblems(`https://siem.ex${encoded}ample.test/hook`).join(' ')).toMatch(says);
  });

  it('says why: hidden characters hide, direction characters reorder', () => {
    expect(nameProblem('a\u200bb')).toBe('Remove the invisible character U+200B (zero-width space) from the name: it does not show on screen, so one name could look like another.');
    expect(nameProblem('a\u202eb')).toBe(
      'Remove the text-direction character U+202E (right-to-left override) from the name: it reorders the text around it on screen, so one name could look like another.',
    );
  });

  it('sees an encoded character next to an invalid escape, and lower-case escapes', () => {
    expect(commonUrlProblems('https://siem.example.test/?q=%E2%80%AE%FF').join(' ')).toMatch(/U\+202E/);
    expect(commonUrlProblems('https://siem.example.test/?q=%ff%e2%80%8b').join(' ')).toMatch(/U\+200B/);
    expect(commonUrlProblems('https://siem.example.test/?q=%f3%a0%81%81').join(' ')).toMatch(/U\+E0041/);
  });

  it('keeps ordinary percent-escapes and Unicode text', () => {
    expect(commonUrlProblems('https://siem.example.test/hook?q=%20%2F%C3%A9%5C')).toEqual([]);
    expect(nameProblem('Sécurité – SOC 日本')).toBeUndefined();
  });
});

describe('backslashes in URLs', () => {
  it.each([
    'https://evil.com\\@siem.example.test/',
    'https://evil.com\\\\@siem.example.test/',
    'https:\\\\evil.com/hook',
    'https:/\\evil.com/hook',
    'https://siem.example.test\\.evil.com/hook',
    'https://siem.example.test/hook\\..\\admin',
    'https://siem.example.test/hook?next=\\evil',
    'https://siem.example.test:8443\\@evil.com/',
  ])('refuses %s, saying what to do', (url) => {
    expect(commonUrlProblems(url)).toEqual([expect.stringMatching(/^Remove the backslash \(\\\) from the URL: URL parsers read it as \/.*write it as %5C\.$/)]);
  });
});

describe('hosts must be typed as they are sent', () => {
  it.each([
    ['ASCII upper case', 'https://SIEM.Example.TEST/hook'],
    ['ASCII mixed case with port', 'https://Siem.example.test:8443/hook'],
    ['punycode typed as punycode', 'https://xn--bcher-kva.example/hook'],
  ])('accepts %s (case folding alone changes nothing DNS or Forge egress sees)', (_label, url) => {
    expect(commonUrlProblems(url)).toEqual([]);
  });

  it.each([
    ['full-width letters', 'https://ｓｉｅｍ.example.test/hook', 'siem.example.test'],
    ['full-width capitals', 'https://ＳＩＥＭ.example.test/hook', 'siem.example.test'],
    ['ideographic full stop', 'https://siem\u3002example.test/hook', 'siem.example.test'],
    ['full-width full stop', 'https://siem\uff0eexample.test/hook', 'siem.example.test'],
    ['ligature', 'https://\ufb01le.example.test/hook', 'file.example.test'],
    ['circled letters', 'https://\u24e2iem.example.test/hook', 'siem.example.test'],
    ['Kelvin sign (lower-cases to k)', 'https://\u212aey.example.test/hook', 'key.example.test'],
    ['percent-encoded dot', 'https://siem%2eexample.test/hook', 'siem.example.test'],
    ['percent-encoded letters', 'https://%73iem.example.test/hook', 'siem.example.test'],
    ['international name', 'https://bücher.example/hook', 'xn--bcher-kva.example'],
    ['Cyrillic look-alike', 'https://siem.ex\u0430mple.test/hook', 'siem.xn--exmple-4nf.test'],
    ['no slashes after https:', 'https:ｓｉｅｍ.example.test/hook', 'siem.example.test'],
  ])('refuses %s, naming the host requests would go to', (_label, url, sentTo) => {
    const message = commonUrlProblems(url).join(' ');
    expect(message).toContain(`Type the host name exactly as ${sentTo}:`);
    expect(message).toMatch(/letters a-z, digits, hyphens and dots; write an international name in its xn-- form/);
  });

  it('reports an address or private name before the spelling', () => {
    expect(commonUrlProblems('https://１２７．０．０．１/hook').join(' ')).toMatch(/not an IP address/);
    expect(commonUrlProblems('https://ｌｏｃａｌｈｏｓｔ/hook').join(' ')).toMatch(/public host name/);
  });
});

describe('origins', () => {
  it('compares scheme, host and port as WHATWG writes them', () => {
    expect(originOf('https://Siem.Example.test:443/a?b')).toBe('https://siem.example.test');
    expect(sameOrigin('https://siem.example.test/a', 'https://SIEM.example.test:443/b?c=d')).toBe(true);
    expect(sameOrigin('https://siem.example.test/a', 'https://siem.example.test:8443/a')).toBe(false);
    expect(sameOrigin('https://siem.example.test/a', 'https://other.example.test/a')).toBe(false);
    expect(sameOrigin('https://siem.example.test/a', 'http://siem.example.test/a')).toBe(false);
    expect(sameOrigin('', '')).toBe(false);
    expect(originOf('not a url')).toBeUndefined();
  });
});

describe('admin function keys', () => {
  it('are the contract own keys only, never an Object.prototype member', async () => {
    const { ADMIN_FUNCTION_KEYS, isAdminFunctionKey } = await import('../../../src/contract/functions');
    expect(ADMIN_FUNCTION_KEYS).toEqual(expect.arrayContaining(['webhooks.list', 'webhooks.update', 'settings.update']));
    for (const key of ADMIN_FUNCTION_KEYS) expect(isAdminFunctionKey(key)).toBe(true);
    for (const key of [...Object.getOwnPropertyNames(Object.prototype), 'webhooks.nope', 'WEBHOOKS.LIST', '', 42, null, undefined, {}]) {
      expect(isAdminFunctionKey(key)).toBe(false);
    }
  });
});
