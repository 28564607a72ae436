/**
 * Characters that render as nothing or reorder the text around them ("Trojan Source", CVE-2021-42574):
 * every Unicode Default_Ignorable_Code_Point (soft hyphen, zero-width space and joiners, word joiner,
 * BOM, Hangul fillers, combining grapheme joiner, variation selectors, tag characters...) and every bidi
 * control (ALM U+061C, LRM/RLM U+200E/F, embeddings and overrides U+202A-U+202E, isolates U+2066-U+2069;
 * all Default_Ignorable too, listed so the rule reads as meant), plus the interlinear annotation
 * characters U+FFF9-U+FFFB. A name, header or URL with one of them shows one thing and means another.
 *
 * Zero-width joiners (emoji sequences, Indic scripts) and variation selectors are refused as well: a
 * webhook name is a label for admins, and a lookalike name costs more than a missing emoji sequence.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]/u;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

const NAMES: Record<number, string> = {
  0x00ad: 'soft hyphen',
  0x034f: 'combining grapheme joiner',
  0x061c: 'Arabic letter mark',
  0x115f: 'Hangul choseong filler',
  0x1160: 'Hangul jungseong filler',
  0x180e: 'Mongolian vowel separator',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2060: 'word joiner',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0x3164: 'Hangul filler',
  0xfeff: 'byte order mark',
  0xffa0: 'halfwidth Hangul filler',
};

/** The first invisible or text-direction character of text, or undefined. */
export function firstInvisibleCharacter(text: string): string | undefined {
  return INVISIBLE.exec(text)?.[0];
}

/** "U+202E (right-to-left override)", or "U+E0041" for a character without a common name. */
export function describeCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const label = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = NAMES[code] ?? (code >= 0xfe00 && code <= 0xfe0f ? 'variation selector' : code >= 0xe0000 && code <= 0xe007f ? 'tag character' : undefined);
  return name === undefined ? label : `${label} (${name})`;
}

/**
 * "Remove the invisible character U+200B (zero-width space) from <where>: it does not show on screen,
 * <consequence>.", or undefined when text has none. The character is named by code point, since it
 * cannot be seen in the message either.
 */
export function invisibleCharacterProblem(text: string, where: string, consequence: string): string | undefined {
  const char = firstInvisibleCharacter(text);
  if (char === undefined) return undefined;
  const bidi = BIDI.test(char);
  const kind = bidi ? 'text-direction character' : 'invisible character';
  const effect = bidi ? 'it reorders the text around it on screen' : 'it does not show on screen';
  return `Remove the ${kind} ${describeCharacter(char)} from ${where}: ${effect}, ${consequence}.`;
}
