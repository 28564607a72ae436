/**
 * Removes the credentials a request carried from what its receiver answered, before that answer is
 * logged (the 14-day delivery log) or shown (webhooks.test, deliveries.list, deliveries.retry).
 * A receiver may echo what it got in any shape (httpbin-style JSON of the headers, a debug page, an
 * error that quotes the first characters of a token, base64 of the whole request), so exact copies
 * are not enough.
 *
 * The rule (docs/admin-api.md, "What is scrubbed", states it for operators):
 *
 * - A **secret** (Authorization value and its credentials part, a Basic password, sensitive header
 *   values, hidden URL parts, signing secrets) is taken as its UTF-8 bytes. Every run of
 *   MIN_SECRET_RUN (8) or more consecutive bytes of it is removed wherever it appears; a secret of
 *   MIN_SCRUB_BYTES..7 bytes is removed where it appears whole. Shorter values are not searched for.
 * - An **exact** value (a whole URL, a decoded `user:password`: texts that contain a secret next to
 *   parts that are not) is removed where it appears whole, never in part.
 * - "Appears" means in any of these readings of the text, each byte mapped back to the characters it
 *   came from (so for an encoded form the rule counts decoded bytes: 16 hex digits, about 11 base64
 *   characters, `%XX` escapes of 8 bytes):
 *   1. the text itself (its UTF-8 bytes);
 *   2. the text with every `%XX` escape decoded (either case; literal characters kept as they are);
 *   3. hex: every run of 8+ hex digits (upper, lower or mixed case), read from both nibble offsets;
 *   4. base64 and base64url (one alphabet: `+`/`-` and `/`/`_` alike, padding optional): every run of
 *      6+ alphabet characters, read with its first character at each of the 4 positions of a group.
 *      A secret inside a larger blob (base64 of all the request headers) starts at some byte offset
 *      mod 3 of that blob, which decides how its bits fall on characters; a run cut out of a blob or
 *      glued to other text may start anywhere in a group. One of the 4 readings puts every byte
 *      boundary where the encoder had it, from the run's first character on;
 *   5. hex and base64 runs of reading 2 (a percent-encoded base64 blob).
 *   So in base64 a secret's 8 bytes are found when every character holding one of their bits is
 *   there; the 10 characters that hold only their bits carry 7.5 bytes, under the floor.
 * - What is removed is every character that carries a bit of the matched bytes (in base64, the
 *   characters shared with neighbouring bytes too). Overlapping or adjacent removals merge; each
 *   maximal removed span becomes one REDACTED marker.
 * - A text cut short (truncated) also loses a tail, in any reading that reaches the cut, that is the first
 *   MIN_SCRUB_BYTES..7 bytes of a secret: a cut cannot leave the start of a secret behind.
 *
 * Not covered (stated so nobody relies on it): runs under 8 bytes of a longer secret (the first 7
 * characters of a token stay readable, as the first 3 already are everywhere in the app); other
 * encodings (base32, JSON `\u` escapes or `\"` inside a secret, `+` for space, base64 wrapped across
 * a line break, double encodings other than reading 5, compression); secrets under 4 bytes.
 *
 * Cost: linear in the text: at most 14 readings (plain and %-decoded, each also as hex from 2 and
 * base64 from 4 positions), each one pass in which a 2-byte prefix table stops most positions before
 * a set lookup of 8-byte grams; measured by npm run bench (CREDENTIAL SCRUB).
 */

/** What stands in a captured response for a span that carried a credential. */
export const REDACTED = '[redacted]';
/** A run of this many bytes of a secret is removed wherever it appears. */
export const MIN_SECRET_RUN = 8;
/** Values shorter than this are not searched for: replacing every "abc" would mangle answers for nothing. */
export const MIN_SCRUB_BYTES = 4;

export interface ScrubCredentials {
  /** Secret values: removed whole and as any run of MIN_SECRET_RUN bytes. */
  secrets: readonly string[];
  /** Values removed only where they appear whole (they hold secrets next to parts that are not). */
  exact?: readonly string[];
}

/** Credentials prepared once per request, then used for its response body and every header value. */
export interface CompiledCredentials {
  /** Every MIN_SECRET_RUN-byte window of every secret, as latin1 strings (one char per byte). */
  grams: Set<string>;
  /** 1 where some gram starts with these two bytes: most text positions stop at this table. */
  gramStarts: Uint8Array;
  /** Values removed where they appear whole (latin1), longest first. */
  wholes: string[];
  /** The first 4..7 bytes of each secret (latin1), by length: a truncated text must not end with one. */
  prefixes: Map<number, Set<string>>;
  empty: boolean;
}

const latin1 = (value: string): string => Buffer.from(value, 'utf8').toString('latin1');
/** Bytes as a latin1 string (one char per byte): gram lookups and indexOf work on strings. */
const fromBytes = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');

export function compileCredentials(credentials: ScrubCredentials): CompiledCredentials {
  const grams = new Set<string>();
  const gramStarts = new Uint8Array(65536);
  const wholes = new Set<string>();
  const prefixes = new Map<number, Set<string>>();
  for (const secret of credentials.secrets) {
    const bytes = latin1(secret);
    if (bytes.length < MIN_SCRUB_BYTES) continue;
    if (bytes.length < MIN_SECRET_RUN) wholes.add(bytes);
    for (let i = 0; i + MIN_SECRET_RUN <= bytes.length; i += 1) {
      grams.add(bytes.slice(i, i + MIN_SECRET_RUN));
      gramStarts[(bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1)] = 1;
    }
    for (let length = MIN_SCRUB_BYTES; length < Math.min(MIN_SECRET_RUN, bytes.length); length += 1) {
      const set = prefixes.get(length) ?? new Set<string>();
      set.add(bytes.slice(0, length));
      prefixes.set(length, set);
    }
  }
  for (const value of credentials.exact ?? []) {
    const bytes = latin1(value);
    if (bytes.length >= MIN_SCRUB_BYTES) wholes.add(bytes);
  }
  return {
    grams,
    gramStarts,
    wholes: [...wholes].sort((a, b) => b.length - a.length),
    prefixes,
    empty: grams.size === 0 && wholes.size === 0,
  };
}

/** A byte sequence read out of the text, each byte mapped to the characters [start, end) it came from. */
interface ByteView {
  bytes: string;
  start: Int32Array;
  end: Int32Array;
}

/** The text's own UTF-8 bytes (a lone surrogate is U+FFFD, as Buffer encodes it). */
const plainView = (text: string): ByteView => {
  if (!/[^\p{ASCII}]/u.test(text)) {
    // ASCII (most answers): byte i is character i.
    const start = new Int32Array(text.length);
    for (let i = 0; i < text.length; i += 1) start[i] = i;
    return { bytes: text, start, end: start.map((i) => i + 1) };
  }
  const bytes = new Uint8Array(text.length * 3);
  const start = new Int32Array(text.length * 3);
  const end = new Int32Array(text.length * 3);
  let n = 0;
  const push = (byte: number, from: number, to: number): void => {
    bytes[n] = byte;
    start[n] = from;
    end[n] = to;
    n += 1;
  };
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) push(code, i, i + 1);
    else if (code < 0x800) {
      push(0xc0 | (code >> 6), i, i + 1);
      push(0x80 | (code & 0x3f), i, i + 1);
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      const point = 0x10000 + ((code - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00);
      push(0xf0 | (point >> 18), i, i + 2);
      push(0x80 | ((point >> 12) & 0x3f), i, i + 2);
      push(0x80 | ((point >> 6) & 0x3f), i, i + 2);
      push(0x80 | (point & 0x3f), i, i + 2);
      i += 1;
    } else {
      const point = code >= 0xd800 && code <= 0xdfff ? 0xfffd : code;
      push(0xe0 | (point >> 12), i, i + 1);
      push(0x80 | ((point >> 6) & 0x3f), i, i + 1);
      push(0x80 | (point & 0x3f), i, i + 1);
    }
  }
  return { bytes: fromBytes(bytes.subarray(0, n)), start: start.subarray(0, n), end: end.subarray(0, n) };
};

const HEX_DIGIT = /^[0-9A-Fa-f]$/;
const hexValue = (char: number): number => (char <= 0x39 ? char - 0x30 : (char | 0x20) - 0x57);

/** Reading 2: `%XX` escapes decoded; undefined when there are none. Built over the plain view's bytes. */
const percentView = (plain: ByteView): ByteView | undefined => {
  const source = plain.bytes;
  if (!/%[0-9A-Fa-f]{2}/.test(source)) return undefined;
  const bytes = new Uint8Array(source.length);
  const start = new Int32Array(source.length);
  const end = new Int32Array(source.length);
  let n = 0;
  for (let i = 0; i < source.length; n += 1) {
    if (source[i] === '%' && i + 2 < source.length && HEX_DIGIT.test(source[i + 1] ?? '') && HEX_DIGIT.test(source[i + 2] ?? '')) {
      bytes[n] = (hexValue(source.charCodeAt(i + 1)) << 4) | hexValue(source.charCodeAt(i + 2));
      start[n] = plain.start[i] as number;
      end[n] = plain.end[i + 2] as number;
      i += 3;
    } else {
      bytes[n] = source.charCodeAt(i);
      start[n] = plain.start[i] as number;
      end[n] = plain.end[i] as number;
      i += 1;
    }
  }
  return { bytes: fromBytes(bytes.subarray(0, n)), start: start.subarray(0, n), end: end.subarray(0, n) };
};

/** Reading 3: each run of 8+ hex digits, decoded from nibble offset 0 and 1. */
function* hexViews(source: ByteView): Generator<ByteView> {
  for (const match of source.bytes.matchAll(/[0-9A-Fa-f]{8,}/g)) {
    const at = match.index;
    const run = match[0];
    for (let offset = 0; offset < 2; offset += 1) {
      const n = Math.floor((run.length - offset) / 2);
      if (n < MIN_SCRUB_BYTES) continue;
      const bytes = new Uint8Array(n);
      const start = new Int32Array(n);
      const end = new Int32Array(n);
      for (let j = 0; j < n; j += 1) {
        const i = offset + 2 * j;
        bytes[j] = (hexValue(run.charCodeAt(i)) << 4) | hexValue(run.charCodeAt(i + 1));
        start[j] = source.start[at + i] as number;
        end[j] = source.end[at + i + 1] as number;
      }
      yield { bytes: fromBytes(bytes), start, end };
    }
  }
}

const base64Value = (char: number): number => {
  if (char >= 0x41 && char <= 0x5a) return char - 0x41;
  if (char >= 0x61 && char <= 0x7a) return char - 0x61 + 26;
  if (char >= 0x30 && char <= 0x39) return char - 0x30 + 52;
  return char === 0x2b || char === 0x2d ? 62 : 63; // '+' or '-'; '/' or '_'
};

/**
 * Reading 4: each run of 6+ base64/base64url characters, decoded as if its first character stood at each
 * of the 4 positions of a 4-character group (0 to 3 unknown characters before it, taken as zero bits).
 * A run cut out of a larger blob, or glued to other text, rarely starts at a group boundary; one of the
 * 4 readings puts every byte boundary where the encoder had it, so every whole byte in the run is read
 * right, from the very first character (skipping characters instead would lose the first bytes).
 */
function* base64Views(source: ByteView): Generator<ByteView> {
  for (const match of source.bytes.matchAll(/[A-Za-z0-9+/_-]{6,}/g)) {
    const at = match.index;
    const run = match[0];
    for (let phantom = 0; phantom < 4; phantom += 1) {
      const total = Math.floor(((phantom + run.length) * 6) / 8);
      // Bytes made only of the unknown bits before the run are not read.
      const skipped = Math.floor((phantom * 6) / 8);
      const n = total - skipped;
      if (n < MIN_SCRUB_BYTES) continue;
      const bytes = new Uint8Array(n);
      const start = new Int32Array(n);
      const end = new Int32Array(n);
      let acc = 0;
      let bits = phantom * 6;
      let k = 0; // bytes of the stream read so far, skipped ones included
      for (let i = 0; i < run.length; i += 1) {
        acc = ((acc << 6) | base64Value(run.charCodeAt(i))) & 0xffffff;
        bits += 6;
        while (bits >= 8) {
          bits -= 8;
          const j = k - skipped;
          if (j >= 0) {
            bytes[j] = (acc >> bits) & 0xff;
            // Stream byte k is bits [8k, 8k + 8); its first character is stream character floor(8k / 6).
            start[j] = source.start[at + Math.max(0, Math.floor((8 * k) / 6) - phantom)] as number;
            end[j] = source.end[at + i] as number;
          }
          k += 1;
        }
      }
      yield { bytes: fromBytes(bytes), start, end };
    }
  }
}

/** Marks, in `removed`, the characters of every match of the credentials in one reading. */
const markView = (view: ByteView, credentials: CompiledCredentials, removed: Uint8Array, truncated: boolean, textLength: number): void => {
  const { bytes, start, end } = view;
  const mark = (from: number, to: number): void => void removed.fill(1, start[from] as number, end[to - 1] as number);
  if (credentials.grams.size > 0) {
    for (let i = 0; i + MIN_SECRET_RUN <= bytes.length; i += 1) {
      if (credentials.gramStarts[(bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1)] === 0) continue;
      if (credentials.grams.has(bytes.slice(i, i + MIN_SECRET_RUN))) mark(i, i + MIN_SECRET_RUN);
    }
  }
  for (const whole of credentials.wholes) {
    for (let i = bytes.indexOf(whole); i >= 0; i = bytes.indexOf(whole, i + 1)) mark(i, i + whole.length);
  }
  // A cut at the end: only a reading whose last byte ends at most one encoded character before the cut.
  if (truncated && bytes.length > 0 && (end[bytes.length - 1] as number) >= textLength - 3) {
    for (let length = MIN_SECRET_RUN - 1; length >= MIN_SCRUB_BYTES; length -= 1) {
      if (length <= bytes.length && credentials.prefixes.get(length)?.has(bytes.slice(bytes.length - length))) {
        removed.fill(1, start[bytes.length - length] as number, textLength);
        break;
      }
    }
  }
};

/**
 * The text with every credential removed by the rule above. Pure; never longer than the text by more
 * than one REDACTED per removed span (callers cap it: captureResponse).
 */
export function scrubCredentials(text: string, credentials: CompiledCredentials, options: { truncated?: boolean } = {}): string {
  if (credentials.empty || text.length === 0) return text;
  const truncated = options.truncated ?? false;
  const removed = new Uint8Array(text.length);
  const plain = plainView(text);
  const percent = percentView(plain);
  for (const source of percent ? [plain, percent] : [plain]) {
    markView(source, credentials, removed, truncated, text.length);
    for (const view of hexViews(source)) markView(view, credentials, removed, truncated, text.length);
    for (const view of base64Views(source)) markView(view, credentials, removed, truncated, text.length);
  }
  if (!removed.includes(1)) return text;
  let out = '';
  for (let i = 0; i < text.length; ) {
    let j = i;
    const state = removed[i];
    while (j < text.length && removed[j] === state) j += 1;
    out += state === 1 ? REDACTED : text.slice(i, j);
    i = j;
  }
  return out;
}
