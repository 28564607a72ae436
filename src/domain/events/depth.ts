/**
 * Depth bound of the event model. KVS refuses a value nested deeper than 32 levels, and an event is stored
 * inside wrappers (a fan-out batch adds two levels: the batch object and its events array). Rich text in
 * Atlassian Document Format nests four levels per bulleted-list level, so one issue description with a
 * list six levels deep already passes 32 once wrapped. Every event is therefore bounded before it is
 * stored: whatever would sit deeper than MAX_EVENT_DEPTH is flattened to plain text behind a marker.
 */
import { MAX_EVENT_DEPTH } from './limits';

export interface FlattenedField {
  /** Where in the event, e.g. `data.details.description.content[0].content[0]`. */
  path: string;
  /** JSON bytes of the value that was flattened. */
  originalBytes: number;
  /** The depth the event was cut to (MAX_EVENT_DEPTH). */
  nestedDeeperThan: number;
}

const MARKER_PREFIX = '[flattened by Audit Webhooks: ';
export const flattenMarker = (maxDepth: number = MAX_EVENT_DEPTH): string => `${MARKER_PREFIX}nested deeper than ${maxDepth} levels]`;

/** Levels of objects and arrays, counted as KVS counts them: a scalar is 0, `{}` or `[]` is 1. */
export function jsonDepth(value: unknown): number {
  // Iterative: a hostile payload may be nested thousands of levels deep.
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, level] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (level > max) max = level;
    for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, level + 1]);
  }
  return max;
}

/** The text of a subtree: ADF `text` nodes when there are any, else every string in it, in order. */
export function flattenedText(value: unknown): string {
  const texts: string[] = [];
  const strings: string[] = [];
  const stack: [unknown, string | undefined][] = [[value, undefined]];
  while (stack.length > 0) {
    const [node, key] = stack.pop() as [unknown, string | undefined];
    if (typeof node === 'string') {
      // Text flattened once already (a payload bounded on input) stays text, without its older marker.
      if (node.startsWith(MARKER_PREFIX)) texts.push(node.slice(node.indexOf(']') + 1));
      else if (key === 'text') texts.push(node);
      else if (key !== 'type') strings.push(node);
    } else if (typeof node === 'object' && node !== null) {
      const entries = Array.isArray(node) ? node.map((child, index) => [String(index), child] as const) : Object.entries(node);
      // Reverse so the stack pops them in document order.
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [childKey, child] = entries[i] as readonly [string, unknown];
        stack.push([child, Array.isArray(node) ? key : childKey]);
      }
    }
  }
  const words = texts.length > 0 ? texts : strings;
  return words.map((word) => word.trim()).filter((word) => word.length > 0).join(' ');
}

const formatPath = (parts: readonly (string | number)[]): string =>
  parts.reduce<string>((path, part) => (typeof part === 'number' ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');

const safeBytes = (value: unknown): number => {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    return 0;
  }
};

/**
 * A copy of `value` no deeper than `maxDepth`: an object or array that would sit at level maxDepth + 1 is
 * replaced by the marker followed by its flattened text, and listed in the answer. The value is returned
 * as is (same reference) when it is within the bound. `rootLevel` is the level `value` itself sits at
 * (2 for an event's data: the event object is level 1).
 */
export function boundDepth<T>(
  value: T,
  maxDepth: number = MAX_EVENT_DEPTH,
  rootPath: readonly (string | number)[] = [],
  rootLevel = 1,
): { value: T; flattened: FlattenedField[] } {
  if (jsonDepth(value) + rootLevel - 1 <= maxDepth) return { value, flattened: [] };
  const flattened: FlattenedField[] = [];
  const marker = flattenMarker(maxDepth);
  const copy = (node: unknown, level: number, parts: (string | number)[]): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    if (level > maxDepth) {
      flattened.push({ path: formatPath(parts), originalBytes: safeBytes(node), nestedDeeperThan: maxDepth });
      const text = flattenedText(node);
      return text.length > 0 ? `${marker} ${text}` : marker;
    }
    if (Array.isArray(node)) return node.map((child, index) => copy(child, level + 1, [...parts, index]));
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) out[key] = copy(child, level + 1, [...parts, key]);
    return out;
  };
  return { value: copy(value, rootLevel, [...rootPath]) as T, flattened };
}

/**
 * Bounds an event (`{ id, type, timestamp, data }`) to MAX_EVENT_DEPTH. What was flattened is listed in
 * `data.trimmed` next to what fitPayload cuts for size, with `nestedDeeperThan` saying why.
 */
export function boundEventDepth<E extends { data: Record<string, unknown> }>(event: E, maxDepth: number = MAX_EVENT_DEPTH): E {
  // The event object itself is level 1, its data level 2.
  const { value: data, flattened } = boundDepth(event.data, maxDepth, ['data'], 2);
  if (flattened.length === 0) return event;
  const earlier = Array.isArray(data.trimmed) ? (data.trimmed as unknown[]) : [];
  return { ...event, data: { ...data, trimmed: [...earlier, ...flattened] } };
}
