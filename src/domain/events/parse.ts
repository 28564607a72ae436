/** Small zod helpers shared by the normalisers: lenient about extras, strict about what we need. */
import { z } from 'zod';
import { trimMarker } from '../formats/fit-payload';
import { utf8Bytes } from '../formats/utf8';
import { MAX_CHANGE_VALUE_LENGTH } from './limits';

/** Jira sends ids as strings in one payload and numbers in another: accept both, keep a string. */
export const IdSchema = z.union([z.string().min(1), z.number().int()]).transform((value) => String(value));

/** A nice-to-have field: when missing or malformed it is dropped rather than failing the event. */
export function optional<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

export const UserRefSchema = z.object({
  accountId: z.string().min(1),
  displayName: optional(z.string().min(1)),
});
export type UserRef = z.infer<typeof UserRefSchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): Parsed<z.output<T>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: `${what} is malformed: ${describeIssues(result.error)}` };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * A Jira date to ISO 8601 UTC. Accepts epoch milliseconds (number or digit string), ISO strings, and Jira's
 * `2014-03-19T18:45:42.967+0000` offsets without a colon. Undefined when it is not a date.
 */
export function toIsoTimestamp(value: unknown): string | undefined {
  let millis: number;
  if (typeof value === 'number') {
    millis = value;
  } else if (typeof value === 'string' && /^\d{10,16}$/.test(value.trim())) {
    millis = Number(value.trim());
  } else if (typeof value === 'string') {
    millis = Date.parse(value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  } else if (value instanceof Date) {
    millis = value.getTime();
  } else {
    return undefined;
  }
  if (!Number.isFinite(millis)) return undefined;
  const date = new Date(millis);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Drops undefined, null and empty-string values (and empty objects): Jira writes `""` for "none" (e.g. eventSource). */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined || child === null || child === '') continue;
    if (isPlainObject(child)) {
      const inner = compact(child);
      if (Object.keys(inner).length > 0) out[key] = inner;
      continue;
    }
    out[key] = child;
  }
  return out as Partial<T>;
}

/**
 * A value as a display string, or undefined for null/undefined/empty. A longer value (a description edit
 * carries the whole text) is cut to MAX_CHANGE_VALUE_LENGTH characters ending with the same marker that
 * fitPayload puts on trimmed fields, so a receiver can tell a cut value from a short one.
 */
export function displayValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text.length === 0) return undefined;
  if (text.length <= MAX_CHANGE_VALUE_LENGTH) return text;
  const originalBytes = utf8Bytes(text);
  // The marker's own length depends on the kept size: reserve room for its longest form.
  const room = MAX_CHANGE_VALUE_LENGTH - trimMarker(originalBytes, originalBytes).length;
  let kept = text.slice(0, room);
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}${trimMarker(originalBytes, utf8Bytes(kept))}`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
