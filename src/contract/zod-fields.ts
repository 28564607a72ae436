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

/** The common fields as the admin page labels them; a kind's own settings are named by their key. */
const FIELD_LABELS: Record<string, string> = {
  kind: 'Kind',
  name: 'Name',
  url: 'URL',
  maskUrl: 'Mask URL parts',
  events: 'Event types',
  enabled: 'Enabled',
  method: 'Method',
  timeoutSeconds: 'Timeout (seconds)',
  signing: 'Signature format',
  'signing.mode': 'Signature format',
  'signing.header': 'Signature header',
  secrets: 'Secrets',
  secretsAdd: 'Secrets',
  secretsRemove: 'Secrets',
  secretsLabel: 'Secret labels',
  authorization: 'Authorization',
  headers: 'Additional headers',
  settings: 'Settings',
  batchEvents: 'Events per request',
  template: 'Payload template',
  filters: 'Filters',
  retryPolicy: 'Retry policy',
  'retryPolicy.intervalSeconds': 'Seconds between retries',
  'retryPolicy.retries': 'Retries after the first try',
  'retryPolicy.mode': 'Retry policy',
  version: 'Version',
  id: 'Webhook',
};

const FILTER_NOUNS: Record<string, string> = { projects: 'Projects', issueTypes: 'Issue types', actors: 'Actors' };

/**
 * A field path ("headers.2.name") as the admin page names that field ("Header 3 name"), so a summary
 * reads like the form. `settingLabel` names a kind's setting when the caller knows the kind's labels.
 */
export function fieldLabel(path: string, settingLabel?: (key: string) => string | undefined): string {
  if (path === '') return 'Input';
  const [head = '', second, third] = path.split('.');
  const index = second !== undefined && /^\d+$/.test(second) ? Number(second) + 1 : undefined;
  if (head === 'headers' && index !== undefined) return third === 'value' ? `Header ${index} value` : `Header ${index} name`;
  if ((head === 'secrets' || head === 'secretsAdd') && index !== undefined) return third === 'label' ? `New secret ${index} label` : `New secret ${index}`;
  if (head === 'secretsLabel' && index !== undefined) return `Secret label ${index}`;
  if (head === 'settings' && second !== undefined) return settingLabel?.(second) ?? second;
  // As the Filters section labels its fields: "Projects to include".
  if (head === 'filters' && second !== undefined && third !== undefined) return `${FILTER_NOUNS[second] ?? second} to ${third}`;
  return FIELD_LABELS[path] ?? FIELD_LABELS[head] ?? path;
}

/**
 * One line for the envelope's message, naming the fields as the form shows them: "Fix URL: <problem>"
 * for one, "Fix 2 fields: URL, Name." for more (each field's problem is in `fields`).
 */
export function summariseFields(fields: Record<string, string>, settingLabel?: (key: string) => string | undefined): string {
  const entries = Object.entries(fields);
  const [first] = entries;
  if (!first) return 'The input is not valid.';
  const labels = [...new Set(entries.map(([path]) => fieldLabel(path, settingLabel)))];
  if (labels.length === 1) return `Fix ${labels[0] ?? 'input'}: ${entries.length === 1 ? first[1] : entries.map(([, message]) => message).join(' ')}`;
  return `Fix ${labels.length} fields: ${labels.join(', ')}.`;
}
