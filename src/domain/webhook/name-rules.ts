import { NAME_MAX_CHARS } from './limits';

/** Problem with a webhook name already trimmed, or undefined. Names appear in Slack, logs and the admin page. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Enter a name, e.g. "Splunk production".';
  if (name.length > NAME_MAX_CHARS) return `Shorten the name to at most ${NAME_MAX_CHARS} characters (it has ${name.length}).`;
  if (/[<>]/.test(name)) return 'Remove < and > from the name: names are shown in chat messages and must not carry markup.';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return 'Remove line breaks, tabs and control characters from the name.';
  if (INVISIBLE.test(name)) {
    return 'Remove invisible and text-direction characters (zero-width spaces, right-to-left overrides) from the name: they make one name look like another.';
  }
  return undefined;
}

/**
 * Format characters that render as nothing or reorder text ("Trojan Source"): soft hyphen, Arabic
 * letter mark, Mongolian vowel separator, zero-width space, LRM/RLM, bidi embeddings, overrides and
 * isolates, word joiner and invisible operators, BOM, interlinear annotation. ZWNJ and ZWJ are kept:
 * scripts (Persian, Indic) and emoji sequences need them.
 */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/;

/** Names are unique ignoring case and Unicode compatibility forms ("Ｓplunk" equals "splunk"). */
export const nameKey = (name: string): string => name.trim().normalize('NFKC').toLowerCase();
