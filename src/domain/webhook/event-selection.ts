import { ALL_EVENTS, type FieldProblem } from './model';

/**
 * A webhook subscribes to ["*"] (everything, including event types added later) or to a non-empty list
 * of types from the catalogue (src/domain/events). Duplicates are dropped rather than refused.
 */
export function checkEventSelection(
  events: readonly string[],
  catalogue: readonly string[],
): { ok: true; events: string[] } | { ok: false; problems: FieldProblem[] } {
  if (events.length === 0) return { ok: false, problems: [{ path: [], message: 'Choose at least one event type, or ["*"] for all of them.' }] };
  if (events.includes(ALL_EVENTS)) {
    return events.every((event) => event === ALL_EVENTS)
      ? { ok: true, events: [ALL_EVENTS] }
      : { ok: false, problems: [{ path: [], message: 'Send ["*"] alone to subscribe to everything, or list event types without "*".' }] };
  }
  const known = new Set(catalogue);
  const problems: FieldProblem[] = [];
  events.forEach((event, index) => {
    if (!known.has(event)) {
      problems.push({ path: [index], message: `Unknown event type "${event.slice(0, 80)}": choose one of the eventTypes that webhooks.list returns.` });
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, events: [...new Set(events)] };
}
