/** Deterministic event ids: the same input always gives the same id, so a retried trigger is deduplicated. */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth, so key order never changes a hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) sorted[key] = sortKeys(child);
    }
    return sorted;
  }
  return value;
}

/** `<prefix>-` + 32 hex chars of SHA-256 over the canonical JSON of the parts. Key-safe for KVS. */
export function stableId(prefix: string, ...parts: unknown[]): string {
  const digest = createHash('sha256').update(canonicalJson(parts)).digest('hex');
  return `${prefix}-${digest.slice(0, 32)}`;
}
