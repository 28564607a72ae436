import type { z } from 'zod';

/**
 * Turns zod issues into the envelope's `fields`: input path ("headers.2.name") to the first message
 * for it. Unknown keys get their own path, so the admin page can point at the stray field.
 */
export function fieldsFromZodError(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  const put = (path: readonly PropertyKey[], message: string): void => {
    const key = path.map(String).join('.');
    if (!(key in fields)) fields[key] = message;
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) put([...issue.path, key], `Remove "${key}": it is not part of this function's input (see docs/admin-api.md).`);
    } else {
      put(issue.path, issue.message);
    }
  }
  return fields;
}

/** One line for the envelope's message, naming the first problem so a log line alone is useful. */
export function summariseFields(fields: Record<string, string>): string {
  const entries = Object.entries(fields);
  const [first] = entries;
  if (!first) return 'The input is not valid.';
  const where = first[0] === '' ? 'input' : first[0];
  return entries.length === 1 ? `Fix ${where}: ${first[1]}` : `Fix ${entries.length} fields, first ${where}: ${first[1]}`;
}
