import { invisibleCharacterProblem } from './invisible-characters';

/**
 * Secrets of the admin's own (issue 14, part 5): seed 000's "Add" takes the text in the field as a shared
 * secret, so a receiver migrating from it keeps the secrets it already has. Only the base64-list and hub
 * modes can use them: both key the HMAC with the secret's UTF-8 bytes (utf8SecretKey), exactly as seed
 * 000's verifier does with crypto.createHmac('sha256', secret). Standard Webhooks needs whsec_ + base64.
 */
export const OWN_SECRET_MIN_CHARS = 24;
export const OWN_SECRET_MAX_CHARS = 256;

/** Signing modes whose key is the secret's text as typed. */
export const OWN_SECRET_MODES = ['base64-list', 'hub'] as const;
export const acceptsOwnSecrets = (mode: string): boolean => (OWN_SECRET_MODES as readonly string[]).includes(mode);

/**
 * Words people type when they mean "fill in later". Compared case-insensitively after dropping
 * everything but letters and digits, and also as the whole value repeated ("changemechangeme...").
 */
const PLACEHOLDERS = [
  'changeme',
  'changethis',
  'secret',
  'mysecret',
  'yoursecret',
  'yoursecrethere',
  'secrethere',
  'sharedsecret',
  'webhooksecret',
  'signingsecret',
  'password',
  'passw0rd',
  'letmein',
  'example',
  'test',
  'testing',
  'placeholder',
  'replaceme',
  'todo',
  'xxx',
  'x',
  '123456789',
  '1234567890',
  'abcdefghijklmnopqrstuvwxyz',
  'qwerty',
  'default',
];

/** The shortest block the text repeats, e.g. "abcabcabc" -> "abc"; the text itself when it repeats nothing. */
export function repeatedUnit(text: string): string {
  for (let size = 1; size <= text.length / 2; size += 1) {
    if (text.length % size === 0 && text.slice(0, size).repeat(text.length / size) === text) return text.slice(0, size);
  }
  return text;
}

/** A repeated block this short leaves too little to guess: "aaaa...", "abab...", "12341234...". */
const MAX_WEAK_UNIT_CHARS = 8;

/** Why a text is an obviously weak secret, or undefined. Never repeats the text. */
export function weakSecretProblem(text: string): string | undefined {
  const unit = repeatedUnit(text);
  if (unit.length === 1) return 'Use a secret that is not one character repeated.';
  if (unit !== text && unit.length <= MAX_WEAK_UNIT_CHARS) return `Use a secret that is not a short pattern repeated (it repeats ${unit.length} characters).`;
  const letters = text.toLowerCase().replace(/[^a-z0-9]/g, '');
  // The placeholder itself, repeated to length (a partial copy at the end too), or with a few characters added.
  const repeatsWord = (word: string): boolean => letters.length > 0 && word.repeat(Math.ceil(letters.length / word.length)).startsWith(letters);
  if (PLACEHOLDERS.some((word) => repeatsWord(word) || (word.length >= 6 && letters.includes(word) && letters.length - word.length < 8))) {
    return 'Use a real secret, not a placeholder such as "changeme" or "your-secret-here" (use "Generate" for a random one).';
  }
  return undefined;
}

/**
 * What is wrong with a secret of the admin's own, or undefined: 24 to 256 printable characters, no
 * spaces at the ends (a copy-paste slip the receiver would not share), not obviously weak.
 */
export function ownSecretProblem(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text)) return 'Remove line breaks, tabs and control characters from the secret.';
  if (text.trim() !== text) return 'Remove the spaces at the start or end of the secret.';
  const length = [...text].length;
  if (length < OWN_SECRET_MIN_CHARS || length > OWN_SECRET_MAX_CHARS) {
    return `Use ${OWN_SECRET_MIN_CHARS} to ${OWN_SECRET_MAX_CHARS} characters for a secret of your own (this one has ${length}).`;
  }
  const invisible = invisibleCharacterProblem(text, 'the secret', 'so the receiver would sign with a different key');
  if (invisible !== undefined) return invisible;
  return weakSecretProblem(text);
}
