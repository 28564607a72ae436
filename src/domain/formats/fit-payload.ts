import { envelopeBody } from './envelope';
import type { FormattableEvent } from './formattable-event';
import { truncateUtf8, utf8Bytes } from './utf8';

/**
 * Oversized events are trimmed, never dropped: an audit trail with a hole is worse than one with a
 * shortened description. Receivers see exactly what was cut in `data.trimmed`.
 */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Strings this short are never cut: ids, keys, names and types stay whole. */
export const MIN_KEPT_BYTES = 256;

export interface TrimmedField {
  /** Where in the body, e.g. `data.details.description`, `data.changes[3].to`. */
  path: string;
  /** UTF-8 bytes (strings) or JSON bytes (arrays) before trimming. */
  originalBytes: number;
  /** Arrays only: how many items were removed from the end. */
  removedItems?: number;
  /** Set by normalisation (src/domain/events/depth.ts): a value nested deeper than this was flattened to text. */
  nestedDeeperThan?: number;
}

export type TrimmedEvent<E extends FormattableEvent> = Omit<E, 'data'> & { data: E['data'] & { trimmed?: TrimmedField[] } };

export interface FitResult<E extends FormattableEvent> {
  event: TrimmedEvent<E>;
  /** The body to send (envelopeBody of event), and its size. */
  body: string;
  bodyBytes: number;
  trimmed: TrimmedField[];
  /** false only when even full trimming could not reach maxBytes; the event is still returned whole-ish. */
  fits: boolean;
}

export function trimMarker(originalBytes: number, keptBytes: number): string {
  return `… [trimmed by Audit Webhooks: ${originalBytes} → ${keptBytes} bytes]`;
}

type PathPart = string | number;
type JsonContainer = Record<string, unknown> | unknown[];

interface StringLeaf {
  parts: PathPart[];
  original: string;
  originalBytes: number;
}

/**
 * Step 1: cut the largest string fields first, one at a time, each just enough (and to no less than
 * MIN_KEPT_BYTES), with a marker saying how much was kept. Step 2, when strings alone cannot do it
 * (say 5,000 associated items): drop items from the end of the largest arrays. id, type and
 * timestamp are never touched. Pass the event as normalised (untrimmed): a data.trimmed already
 * present is replaced, not extended.
 */
export function fitPayload<E extends FormattableEvent>(event: E, maxBytes: number = DEFAULT_MAX_BODY_BYTES): FitResult<E> {
  const untouchedBody = envelopeBody(event);
  if (utf8Bytes(untouchedBody) <= maxBytes) {
    return { event, body: untouchedBody, bodyBytes: utf8Bytes(untouchedBody), trimmed: [], fits: true };
  }
  // A deep copy: the caller's event (maybe stored and retried) must keep its full content.
  const data = structuredClone(event.data) as Record<string, unknown>;
  // Entries of an earlier fit are replaced; what normalisation flattened for depth (nestedDeeperThan) is kept.
  const flattened = Array.isArray(data.trimmed) ? (data.trimmed as TrimmedField[]).filter((entry) => entry.nestedDeeperThan !== undefined) : [];
  delete data.trimmed;
  const leaves = collectStringLeaves(data, ['data']).sort((a, b) => b.originalBytes - a.originalBytes);
  const trimmed: TrimmedField[] = [...flattened];
  data.trimmed = trimmed;
  const copy = { ...event, data } as TrimmedEvent<E>;
  const measure = (): number => utf8Bytes(envelopeBody(copy));

  // Sizes are tracked exactly without re-serialising: a string contributes JSON.stringify(value)
  // bytes, a trimmed entry its JSON plus a comma. Removing n raw bytes removes at least n JSON bytes
  // (JSON never encodes a character shorter than UTF-8 does), so one cut per field is enough.
  let size = measure();
  for (const leaf of leaves) {
    if (size <= maxBytes) break;
    const markerBytes = utf8Bytes(trimMarker(leaf.originalBytes, leaf.originalBytes));
    if (leaf.originalBytes <= MIN_KEPT_BYTES + markerBytes) break; // sorted: no later leaf can save bytes
    const path = formatPath(leaf.parts);
    const entry: TrimmedField = { path, originalBytes: leaf.originalBytes };
    const entryBytes = jsonBytes(entry) + (trimmed.length > 0 ? 1 : 0);
    const target = Math.max(MIN_KEPT_BYTES, leaf.originalBytes - (size - maxBytes) - markerBytes - entryBytes);
    const kept = truncateUtf8(leaf.original, target);
    const value = kept + trimMarker(leaf.originalBytes, utf8Bytes(kept));
    setAt(data, leaf.parts.slice(1), value);
    trimmed.push(entry);
    size += jsonBytes(value) - jsonBytes(leaf.original) + entryBytes;
  }

  for (const array of arraysBySize(data, ['data'])) {
    if (measure() <= maxBytes) break;
    if (getAt(data, array.parts.slice(1)) !== array.value) continue; // inside an item already removed
    shortenArray(array.value, array.parts, trimmed, measure, maxBytes);
  }

  const body = envelopeBody(copy);
  const bodyBytes = utf8Bytes(body);
  return { event: copy, body, bodyBytes, trimmed, fits: bodyBytes <= maxBytes };
}

function jsonBytes(value: unknown): number {
  return utf8Bytes(JSON.stringify(value));
}

/**
 * Keeps the longest prefix of the array that fits (binary search: one measure per halving). The
 * array's own trimmed entry is in place during the search, so the final body cannot outgrow it.
 */
function shortenArray(array: unknown[], parts: PathPart[], trimmed: TrimmedField[], measure: () => number, maxBytes: number): void {
  const all = array.slice();
  const path = formatPath(parts);
  const entry: TrimmedField = { path, originalBytes: jsonBytes(all), removedItems: all.length };
  trimmed.push(entry);
  const keepFirst = (count: number): void => {
    array.length = 0;
    for (let index = 0; index < count; index += 1) array.push(all[index]);
  };
  let low = 0;
  let high = all.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    keepFirst(mid);
    if (measure() <= maxBytes) low = mid;
    else high = mid - 1;
  }
  keepFirst(low);
  entry.removedItems = all.length - low;
  // Entries for strings inside the removed items no longer describe anything in the body.
  const inside = new RegExp(`^${escapeRegExp(path)}\\[(\\d+)\\]`);
  for (let index = trimmed.length - 1; index >= 0; index -= 1) {
    const match = inside.exec(trimmed[index]?.path ?? '');
    if (match && Number(match[1]) >= low) trimmed.splice(index, 1);
  }
}

function collectStringLeaves(value: unknown, parts: PathPart[], out: StringLeaf[] = []): StringLeaf[] {
  if (typeof value === 'string') {
    const bytes = utf8Bytes(value);
    out.push({ parts, original: value, originalBytes: bytes });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collectStringLeaves(item, [...parts, index], out));
  } else if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) collectStringLeaves(child, [...parts, key], out);
  }
  return out;
}

function arraysBySize(value: unknown, parts: PathPart[]): { parts: PathPart[]; value: unknown[] }[] {
  const found: { parts: PathPart[]; value: unknown[]; bytes: number }[] = [];
  const visit = (node: unknown, at: PathPart[]): void => {
    if (Array.isArray(node)) {
      if (!(at.length === 2 && at[1] === 'trimmed')) found.push({ parts: at, value: node, bytes: utf8Bytes(JSON.stringify(node)) });
      node.forEach((item, index) => visit(item, [...at, index]));
    } else if (isRecord(node)) {
      for (const [key, child] of Object.entries(node)) visit(child, [...at, key]);
    }
  };
  visit(value, parts);
  // Largest first; an outer array before the arrays nested in it, since cutting it may be enough.
  return found.sort((a, b) => b.bytes - a.bytes);
}

function getAt(root: unknown, parts: PathPart[]): unknown {
  let node: unknown = root;
  for (const part of parts) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PathPart, unknown>)[part];
  }
  return node;
}

function setAt(root: JsonContainer, parts: PathPart[], value: string): void {
  let node: unknown = root;
  for (const part of parts.slice(0, -1)) node = (node as Record<PathPart, unknown>)[part];
  const last = parts[parts.length - 1];
  if (last !== undefined) (node as Record<PathPart, unknown>)[last] = value;
}

function formatPath(parts: PathPart[]): string {
  return parts.reduce<string>((path, part) => (typeof part === 'number' ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
