import type { z } from 'zod';

/**
 * Turns zod issues into the envelope's `fields`: input path ("headers.2.name") to the first message
 * for it. Unknown keys get their own path, so the admin page can point at the stray field.
 */
export function fieldsFromZodError(error: z.ZodError): Record<string, string> {
  // A Map, not an object: an input key such as "__proto__", "constructor" or "toString" must become a
  // field of its own, not collide with Object.prototype (fromEntries defines own properties).
  const fields = new Map<string, string>();
  const put = (path: readonly PropertyKey[], message: string): void => {
    const key = path.map(String).join('.');
    if (!fields.has(key)) fields.set(key, message);
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const shown = shortKey(key);
        put([...issue.path, shown], `Remove "${shown}": it is not part of this function's input (see docs/admin-api.md).`);
      }
    } else {
      put(issue.path, issue.message);
    }
  }
  return Object.fromEntries(fields);
}

/** Unknown keys are echoed so the admin can find them, but never a huge one whole. */
const SHOWN_KEY_MAX_CHARS = 64;
const shortKey = (key: string): string => (key.length > SHOWN_KEY_MAX_CHARS ? `${key.slice(0, SHOWN_KEY_MAX_CHARS)}…` : key);

/** One line for the envelope's message, naming the first problem so a log line alone is useful. */
export function summariseFields(fields: Record<string, string>): string {
  const entries = Object.entries(fields);
  const [first] = entries;
  if (!first) return 'The input is not valid.';
  const where = first[0] === '' ? 'input' : first[0];
  return entries.length === 1 ? `Fix ${where}: ${first[1]}` : `Fix ${entries.length} fields, first ${where}: ${first[1]}`;
}
