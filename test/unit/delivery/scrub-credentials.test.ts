import { MAX_CAPTURED_RESPONSE_BYTES, captureResponse } from '../../../src/domain/delivery';
import { REDACTED, compileCredentials, scrubCredentials, type ScrubCredentials } from '../../../src/domain/delivery/scrub-credentials';

const TOKEN = 'tok-9fA2xQ7mZp4LkW3vB8nRc1';
const OTHER = 'hdr-Zq81Lp0Wm3Nx7Rv5Ty2Ub9';
const SHORT = 'k9Zq7L';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const b64url = (text: string): string => Buffer.from(text).toString('base64url');
const hex = (text: string): string => Buffer.from(text).toString('hex');
const percentAll = (text: string, upper = true): string =>
  [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, '0')[upper ? 'toUpperCase' : 'toLowerCase']()}`).join('');

const scrub = (text: string, credentials: ScrubCredentials = { secrets: [TOKEN, OTHER, SHORT] }, truncated = false): string =>
  scrubCredentials(text, compileCredentials(credentials), { truncated });

/**
 * An oracle written from the encodings, not from the scrubber: every string that carries 8 consecutive
 * bytes of a secret in plain, hex (both cases), %XX, or base64/base64url at each of the 3 byte
 * alignments. In base64 that is every character holding a bit of those 8 bytes (the first and last
 * share bits with the neighbours, zero bytes here): the characters holding only their bits carry 7.5
 * bytes, under the documented floor of 8.
 */
const betrayals = (secret: string): string[] => {
  const out = new Set<string>();
  for (let i = 0; i + 8 <= secret.length; i += 1) {
    const run = secret.slice(i, i + 8);
    out.add(run);
    out.add(hex(run)).add(hex(run).toUpperCase()).add(percentAll(run)).add(percentAll(run, false));
    for (let k = 0; k < 3; k += 1) {
      for (const encoded of [b64(`${'\0'.repeat(k)}${run}`), b64url(`${'\0'.repeat(k)}${run}`)]) {
        out.add(encoded.slice(Math.floor((k * 4) / 3), Math.ceil(((k + 8) * 4) / 3)));
      }
    }
  }
  return [...out];
};
const leaks = (text: string, secrets = [TOKEN, OTHER]): string[] => secrets.flatMap((s) => betrayals(s).filter((b) => text.includes(b)));

describe('scrubCredentials: what is removed', () => {
  const echoedHeaders = (k: number): string => `${'x'.repeat(k)}{"authorization":"Bearer ${TOKEN}","x-env":"prod"}`;
  const cases: [string, string, string][] = [
    ['whole, in JSON', `{"auth":"${TOKEN}"}`, `{"auth":"${REDACTED}"}`],
    ['first 12 characters', `token starts ${TOKEN.slice(0, 12)}…`, `token starts ${REDACTED}…`],
    ['8 characters from the middle', `a ${TOKEN.slice(7, 15)} b`, `a ${REDACTED} b`],
    ['last 8 characters', `ends:${TOKEN.slice(-8)}.`, `ends:${REDACTED}.`],
    ['base64 of the credential alone', `{"b":"${b64(TOKEN)}"}`, `{"b":"${REDACTED}="}`],
    ['base64url of the credential alone', `b=${b64url(TOKEN)}&c=1`, `b=${REDACTED}&c=1`],
    ['base64 of its first 12 characters', `p ${b64(TOKEN.slice(0, 12))} q`, `p ${REDACTED} q`],
    ['hex, lower case', `h=${hex(TOKEN)};`, `h=${REDACTED};`],
    ['hex, upper case', `h=${hex(TOKEN).toUpperCase()};`, `h=${REDACTED};`],
    ['hex of 8 characters, odd nibble offset', `0x1${hex(TOKEN.slice(3, 11))}!`, `0x1${REDACTED}!`],
    ['percent-encoded, every byte, upper case', `q=${percentAll(TOKEN)}&`, `q=${REDACTED}&`],
    ['percent-encoded, every byte, lower case', `q=${percentAll(TOKEN, false)}&`, `q=${REDACTED}&`],
    ['percent-encoded as encodeURIComponent', `q=${encodeURIComponent(`a b/${TOKEN}`)}&`, `q=a%20b%2F${REDACTED}&`],
    ['mixed: plain, then base64 of the other (its padding stays)', `${TOKEN} and ${b64(OTHER)}`, `${REDACTED} and ${REDACTED}=`],
    ['short credential, whole', `key ${SHORT}, again ${SHORT}`, `key ${REDACTED}, again ${REDACTED}`],
    ['short credential, part of it stays (under 8 bytes, not whole)', `key ${SHORT.slice(0, 5)}`, `key ${SHORT.slice(0, 5)}`],
    ['7 characters of a long one stay (the documented floor)', `p ${TOKEN.slice(0, 7)} q`, `p ${TOKEN.slice(0, 7)} q`],
    ['two credentials overlapping in the text merge into one marker', `[${TOKEN.slice(0, 20)}${OTHER.slice(0, 10)}]`, `[${REDACTED}]`],
    ['non-credential text untouched', '{"received":true,"id":"msg_2Kx9","note":"tok-9f is not 8"}', '{"received":true,"id":"msg_2Kx9","note":"tok-9f is not 8"}'],
    ['unrelated base64 and hex untouched', `${b64('hello world, nothing secret here')} ${hex('nothing secret')}`, `${b64('hello world, nothing secret here')} ${hex('nothing secret')}`],
    ['non-ASCII around a credential', `é😀${TOKEN}😀é`, `é😀${REDACTED}😀é`],
  ];
  it.each(cases)('%s', (_label, text, expected) => {
    const out = scrub(text);
    expect(out).toBe(expected);
    expect(scrub(out)).toBe(out); // nothing left for a second pass
  });

  it.each([0, 1, 2, 3, 4, 5])('a credential inside base64 of a larger text (echoed headers), %i bytes in: every alignment', (k) => {
    const blob = b64(echoedHeaders(k));
    const out = scrub(`{"echo":"${blob}"}`);
    expect(out).toContain(REDACTED);
    expect(leaks(out)).toEqual([]);
    // Only the characters that carry the credential's bits go: the blob's start survives.
    expect(out.startsWith(`{"echo":"${blob.slice(0, 8)}`)).toBe(true);
    // And decoding what is left finds no 8 bytes of it either.
    const left = Buffer.from(out.slice(9).replace(/\[redacted\]/g, 'AAAA'), 'base64').toString('latin1');
    expect(leaks(left)).toEqual([]);
  });

  it.each([0, 1, 2])('a credential inside base64url of a larger text, %i bytes in', (k) => {
    const out = scrub(`x=${b64url(`${'y'.repeat(k)}Authorization: Bearer ${TOKEN}\r\nX-Splunk: ${OTHER}`)}`);
    expect(leaks(out)).toEqual([]);
  });

  it('a credential inside hex and percent-encoded base64 of a larger text', () => {
    const headers = `Authorization: Bearer ${TOKEN}\r\nX-Key: ${OTHER}\r\n`;
    for (const text of [hex(headers), hex(headers).toUpperCase(), encodeURIComponent(b64(`zz${headers}`)), percentAll(headers)]) {
      expect(leaks(scrub(text))).toEqual([]);
    }
  });

  it('catches what the oracle lists, at every offset of every 8-byte run', () => {
    for (const b of betrayals(TOKEN)) expect(scrub(`<${b}>`)).not.toContain(b);
  });

  it('a cut text loses a tail that starts a credential (4..7 bytes), plain or hex; an uncut one keeps it', () => {
    expect(scrub(`abc ${TOKEN.slice(0, 5)}`, undefined, true)).toBe(`abc ${REDACTED}`);
    expect(scrub(`abc ${hex(TOKEN.slice(0, 5))}`, undefined, true)).toBe(`abc ${REDACTED}`);
    expect(scrub(`abc ${TOKEN.slice(0, 5)}`, undefined, false)).toBe(`abc ${TOKEN.slice(0, 5)}`);
    expect(scrub(`abc ${TOKEN.slice(0, 3)}`, undefined, true)).toBe(`abc ${TOKEN.slice(0, 3)}`);
  });

  it('exact values go only whole: a URL goes, its host alone stays', () => {
    const url = 'https://siem.example.test/services/collector?token=qtok-3344';
    const credentials = { secrets: ['qtok-3344'], exact: [url] };
    expect(scrub(`sent to ${url}`, credentials)).toBe(`sent to ${REDACTED}`);
    expect(scrub('host https://siem.example.test/other', credentials)).toBe('host https://siem.example.test/other');
  });

  it('values under 4 bytes are not searched for; no credentials leaves the text as it is', () => {
    expect(scrub('abc abc', { secrets: ['abc'] })).toBe('abc abc');
    expect(scrub(`x ${TOKEN}`, { secrets: [] })).toBe(`x ${TOKEN}`);
  });
});

describe('captureResponse with credentials', () => {
  const credentials = { secrets: [TOKEN, SHORT] };

  it('scrubs header values too, and redacts credential-bearing header names', () => {
    const captured = captureResponse({ status: 200, headers: { 'x-echo': b64(`Bearer ${TOKEN}`), 'set-cookie': `s=${TOKEN}`, 'x-ok': 'fine' }, body: TOKEN }, credentials);
    expect(captured).toEqual({ status: 200, headers: { 'x-echo': `${b64('Bearer ').slice(0, 9)}${REDACTED}`, 'set-cookie': 's=t…', 'x-ok': 'fine' }, body: REDACTED, truncated: false });
  });

  it('keeps the 20 KB cap when markers are longer than what they replace, cutting on a UTF-8 boundary', () => {
    const body = `é${SHORT}`.repeat(Math.floor(MAX_CAPTURED_RESPONSE_BYTES / 8));
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_CAPTURED_RESPONSE_BYTES);
    const captured = captureResponse({ status: 500, headers: {}, body }, credentials);
    expect(Buffer.byteLength(captured.body)).toBeLessThanOrEqual(MAX_CAPTURED_RESPONSE_BYTES);
    expect(Buffer.byteLength(captured.body)).toBeGreaterThan(MAX_CAPTURED_RESPONSE_BYTES - 2);
    expect(captured.body).not.toContain('\uFFFD');
    expect(captured.body).not.toContain(SHORT);
    expect(captured.truncated).toBe(true);
  });

  it('cuts an over-long body first, then scrubs the start of a credential left at the cut', () => {
    const body = `${'x'.repeat(MAX_CAPTURED_RESPONSE_BYTES - 5)}${TOKEN}`;
    const captured = captureResponse({ status: 500, headers: {}, body }, credentials);
    expect(captured.body).toBe(`${'x'.repeat(MAX_CAPTURED_RESPONSE_BYTES - 5)}${REDACTED}`.slice(0, MAX_CAPTURED_RESPONSE_BYTES));
    expect(captured.truncated).toBe(true);
  });

  it('keeps the upstream truncated flag (the HTTP sender already cut the body)', () => {
    const captured = captureResponse({ status: 200, headers: {}, body: `ok ${TOKEN.slice(0, 6)}`, truncated: true }, credentials);
    expect(captured).toMatchObject({ body: `ok ${REDACTED}`, truncated: true });
  });
});
