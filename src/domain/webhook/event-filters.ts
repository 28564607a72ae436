/**
 * Per-webhook filters beyond event types: projects, issue types and actors, each with include and/or
 * exclude lists. Pure: the drain asks `passesFilters` before it turns an event into a job, so an event a
 * webhook filters out costs no job, no delivery log entry and no delivery stats.
 *
 * Semantics (docs/admin-api.md "Filters"), the same for each dimension:
 * - include: the event must carry one of the listed values. An event that carries none (a configuration
 *   change has no project, a user event has no issue type, Jira often names no actor) does not pass:
 *   "only SEC" means only what is known to be SEC.
 * - exclude: the event must not carry a listed value. An event that carries none passes.
 * - both: include first, then exclude. Dimensions combine with AND.
 * Project keys and issue types compare without case; account ids exactly (Atlassian ids are case-sensitive).
 */
import type { FieldProblem } from './model';

export const FILTER_DIMENSIONS = ['projects', 'issueTypes', 'actors'] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];

export interface FilterList {
  include?: string[];
  exclude?: string[];
}

export type WebhookFilters = Partial<Record<FilterDimension, FilterList>>;

/** Values per list: a security team names a handful of projects, not a catalogue. */
export const FILTER_VALUES_MAX = 50;
export const FILTER_VALUE_MAX_LENGTH = 128;
/** Jira's project key rule: a letter, then letters, digits or underscores (at most 255; ours 128). */
export const PROJECT_KEY_PATTERN = /^[A-Z][A-Z0-9_]+$/;
/** Atlassian account ids ("5b10ac8d82e05b22cc7d4ef5", "557058:f58131cb-...", "qm:...") or `app` for the app's own events. */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:_-]*$/;
/** The actor name of events the app itself causes (auto-disable, failure alerts), which carry no account id. */
export const APP_ACTOR = 'app';

/** What a filter reads of an event: its data as the pipeline stores it (see docs/events.md). */
export interface FilterableEvent {
  data: Record<string, unknown>;
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * The project key of an event: the project itself (project.*), the project of an issue, version or
 * component (object.parent), or what details say (product events keep `project.key` or `projectKey`).
 */
export function projectKeyOf(event: FilterableEvent): string | undefined {
  const object = record(event.data.object);
  const parent = record(object?.parent);
  const details = record(event.data.details);
  const key =
    (object?.type === 'project' ? nonEmpty(object.key) : undefined) ??
    (parent?.type === 'project' ? nonEmpty(parent.key) : undefined) ??
    nonEmpty(record(details?.project)?.key) ??
    nonEmpty(details?.projectKey);
  return key?.toUpperCase();
}

export function issueTypeOf(event: FilterableEvent): string | undefined {
  return nonEmpty(record(event.data.details)?.issueType)?.toLowerCase();
}

/** The actor's account id, or APP_ACTOR for an app event without one (the app acted on its own). */
export function actorOf(event: FilterableEvent): string | undefined {
  const accountId = nonEmpty(record(event.data.actor)?.accountId);
  if (accountId !== undefined) return accountId;
  return event.data.source === 'app' ? APP_ACTOR : undefined;
}

const valueOf: Record<FilterDimension, (event: FilterableEvent) => string | undefined> = {
  projects: projectKeyOf,
  issueTypes: issueTypeOf,
  actors: actorOf,
};

/** How stored values compare with what valueOf answers (projects upper case, issue types lower case). */
const comparable: Record<FilterDimension, (value: string) => string> = {
  projects: (value) => value.toUpperCase(),
  issueTypes: (value) => value.toLowerCase(),
  actors: (value) => value,
};

const passesList = (dimension: FilterDimension, list: FilterList | undefined, event: FilterableEvent): boolean => {
  if (!list) return true;
  const value = valueOf[dimension](event);
  const has = (values: readonly string[]): boolean => value !== undefined && values.some((v) => comparable[dimension](v) === value);
  if (list.include && list.include.length > 0 && !has(list.include)) return false;
  if (list.exclude && list.exclude.length > 0 && has(list.exclude)) return false;
  return true;
};

/** Whether a webhook with these filters gets the event (no filters: every event of its subscribed types). */
export function passesFilters(filters: WebhookFilters | undefined, event: FilterableEvent): boolean {
  if (!filters) return true;
  return FILTER_DIMENSIONS.every((dimension) => passesList(dimension, filters[dimension], event));
}

const LABELS: Record<FilterDimension, { field: string; one: string }> = {
  projects: { field: 'Projects', one: 'a project key such as SEC' },
  issueTypes: { field: 'Issue types', one: 'an issue type name such as Bug' },
  actors: { field: 'Actors', one: `an Atlassian account id, or "${APP_ACTOR}" for the app's own events` },
};

const valueProblem = (dimension: FilterDimension, value: string): string | undefined => {
  if (value.length === 0) return `Remove the empty entry, or enter ${LABELS[dimension].one}.`;
  if (value.length > FILTER_VALUE_MAX_LENGTH) return `Use at most ${FILTER_VALUE_MAX_LENGTH} characters.`;
  if (dimension === 'projects' && !PROJECT_KEY_PATTERN.test(value.toUpperCase())) {
    return `"${value}" is not a Jira project key: a letter, then letters, digits or underscores (e.g. SEC).`;
  }
  if (dimension === 'actors' && !ACCOUNT_ID_PATTERN.test(value)) {
    return `"${value}" is not an Atlassian account id: copy it from the user's profile URL, or use "${APP_ACTOR}".`;
  }
  if (dimension === 'issueTypes' && [...value].some((c) => c.charCodeAt(0) < 0x20)) return 'Remove the control characters from the issue type.';
  return undefined;
};

/**
 * Problems of a filters value, each with its path (filters.projects.include.2), and the value as stored:
 * trimmed, project keys upper case, duplicates and empty lists dropped. Problems empty: store `normalised`
 * (undefined when nothing is left to filter on).
 */
export function checkFilters(filters: WebhookFilters): { problems: FieldProblem[]; normalised?: WebhookFilters } {
  const problems: FieldProblem[] = [];
  const normalised: WebhookFilters = {};
  for (const dimension of FILTER_DIMENSIONS) {
    const list = filters[dimension];
    if (!list) continue;
    const kept: FilterList = {};
    for (const side of ['include', 'exclude'] as const) {
      const values = list[side];
      if (!values) continue;
      const path = ['filters', dimension, side];
      if (values.length > FILTER_VALUES_MAX) {
        problems.push({ path, message: `${LABELS[dimension].field}: list at most ${FILTER_VALUES_MAX} values to ${side}.` });
        continue;
      }
      const cleaned: string[] = [];
      values.forEach((raw, index) => {
        const value = raw.trim();
        const problem = valueProblem(dimension, value);
        if (problem !== undefined) problems.push({ path: [...path, index], message: `${LABELS[dimension].field}: ${problem}` });
        const stored = dimension === 'projects' ? value.toUpperCase() : value;
        if (!cleaned.some((c) => comparable[dimension](c) === comparable[dimension](stored))) cleaned.push(stored);
      });
      if (cleaned.length > 0) kept[side] = cleaned;
    }
    const overlap = (kept.include ?? []).filter((value) => (kept.exclude ?? []).some((other) => comparable[dimension](other) === comparable[dimension](value)));
    if (overlap.length > 0) {
      problems.push({ path: ['filters', dimension], message: `${LABELS[dimension].field}: ${overlap.join(', ')} is both included and excluded; keep it in one list.` });
    }
    if (kept.include || kept.exclude) normalised[dimension] = kept;
  }
  return Object.keys(normalised).length > 0 ? { problems, normalised } : { problems };
}

const SUMMARY_NOUNS: Record<FilterDimension, [string, string]> = {
  projects: ['Projects', 'not project'],
  issueTypes: ['Issue types', 'not issue type'],
  actors: ['Actors', 'not actor'],
};

/** One line for the webhooks list, e.g. "Projects SEC, OPS · not actor 5b10…". Empty when nothing filters. */
export function filtersSummary(filters: WebhookFilters | undefined): string {
  if (!filters) return '';
  const shorten = (dimension: FilterDimension, value: string): string => (dimension === 'actors' && value.length > 12 ? `${value.slice(0, 8)}…` : value);
  const parts: string[] = [];
  for (const dimension of FILTER_DIMENSIONS) {
    const list = filters[dimension];
    const [including, excluding] = SUMMARY_NOUNS[dimension];
    if (list?.include?.length) parts.push(`${including} ${list.include.map((v) => shorten(dimension, v)).join(', ')}`);
    if (list?.exclude?.length) parts.push(`${excluding} ${list.exclude.map((v) => shorten(dimension, v)).join(', ')}`);
  }
  return parts.join(' · ');
}
