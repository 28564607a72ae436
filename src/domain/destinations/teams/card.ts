import type { FormattableEvent, FormattableObject } from '../../formats/formattable-event';
import { utf8Bytes } from '../../formats/utf8';
import type { BatchItem, RenderContext } from '../contract';
import { cutText, markdownText } from './text';

/**
 * The Teams message: an Adaptive Card in the envelope a Workflow's "Send webhook alerts to a channel"
 * template reads (`attachments[].content` is posted as the card). Version 1.4: what Teams renders for
 * cards posted by Workflows, and every element used here (RichTextBlock, TextRun, FactSet, Action.OpenUrl)
 * exists since 1.2 or earlier.
 */
export interface TeamsMessage {
  type: 'message';
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: AdaptiveCard }];
}

export interface AdaptiveCard {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  type: 'AdaptiveCard';
  version: '1.4';
  body: CardElement[];
  actions?: OpenUrlAction[];
}

export interface TextRun {
  type: 'TextRun';
  text: string;
  weight?: 'Bolder';
  size?: 'Medium' | 'Large';
  isSubtle?: true;
}
export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}
export type CardElement =
  | { type: 'TextBlock'; text: string; wrap: true; size?: 'Small' | 'Medium' | 'Large'; weight?: 'Bolder'; isSubtle?: true; spacing?: 'Medium' }
  | { type: 'RichTextBlock'; inlines: TextRun[]; spacing?: 'Small' | 'Medium' }
  | { type: 'FactSet'; facts: { title: string; value: string }[] };

/** Teams refuses a message over about 28 KB ("Request Entity too large"; Teams connector "Known issues and limitations"). */
export const TEAMS_LIMIT_BYTES = 28_000;
/**
 * The body this app sends stays under 20,000 bytes of UTF-8: the stricter reading of "28 KB" is 28,000 bytes,
 * Teams counts the message it builds from the card (the Workflow adds its own wrapping), and a service that
 * reads a body as UTF-16 doubles non-ASCII text; the request says charset=utf-8, and the margin covers the rest.
 */
export const TEAMS_MAX_BODY_BYTES = 20_000;
/** Items a digest lists one by one; the rest are counted in "and N more". */
export const TEAMS_DIGEST_LISTED = 5;
/** Event types a digest's counts show; further types are added up in one "Other types" line. */
export const TEAMS_DIGEST_TYPES = 10;
/** Changes a single-event card lists. */
export const TEAMS_CHANGES_LISTED = 5;

/** Text budgets in characters, halved until the body fits TEAMS_MAX_BODY_BYTES. */
interface Budget {
  summary: number;
  name: number;
  value: number;
  itemLine: number;
}
const FULL_BUDGET: Budget = { summary: 1_000, name: 200, value: 200, itemLine: 300 };
const SMALLEST_BUDGET: Budget = { summary: 40, name: 20, value: 10, itemLine: 30 };

const SOURCE_LABELS: Readonly<Record<string, string>> = {
  'product-event': 'Jira event',
  'audit-log': 'Jira audit log',
  app: 'Audit Webhooks configuration',
};

const ISSUE_KEY = /^[A-Z][A-Z0-9_]{0,254}-[1-9][0-9]{0,17}$/;
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;

/** An https base URL without a trailing slash, or undefined: only such URLs become links. */
function httpsBase(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return undefined;
    return url.href.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/** The Jira page of an issue or project, when the site URL is known and the key has Jira's shape. */
export function jiraLink(object: FormattableObject | undefined, siteUrl: string | undefined): string | undefined {
  const base = httpsBase(siteUrl);
  const key = object?.key;
  if (!base || !object || !key) return undefined;
  if (object.type === 'issue' && ISSUE_KEY.test(key)) return `${base}/browse/${key}`;
  if (object.type === 'project' && PROJECT_KEY.test(key)) return `${base}/browse/${key}`;
  return undefined;
}

const run = (text: string, style: Omit<TextRun, 'type' | 'text'> = {}): TextRun => ({ type: 'TextRun', text, ...style });

/** A "Label: value" line: the label is this app's text, the value event text shown as typed. */
const labelled = (label: string, value: string): CardElement => ({ type: 'RichTextBlock', inlines: [run(`${label}: `, { weight: 'Bolder' }), run(value)] });

function who(event: FormattableEvent, budget: Budget): string {
  const actor = event.data.actor;
  if (actor?.displayName) return cutText(actor.displayName, budget.name);
  if (actor?.accountId) return `Account ${cutText(actor.accountId, budget.name)}`;
  return 'Not given by Jira';
}

function what(object: FormattableObject | undefined, budget: Budget): string {
  if (!object) return 'Not given by Jira';
  const reference = object.key ?? (object.name ? undefined : object.id);
  const parts = [cutText(object.type, 50), reference ? cutText(reference, 100) : undefined, object.name ? `“${cutText(object.name, budget.name)}”` : undefined];
  return parts.filter(Boolean).join(' ');
}

/** The ISO time with seconds, in UTC (Adaptive Cards' DATE/TIME functions take yyyy-mm-ddThh:mm:ssZ). */
function isoSeconds(timestamp: string): string | undefined {
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** When: in the reader's time zone through Adaptive Cards' DATE/TIME functions (built only from a parsed time), then UTC. */
function whenBlock(timestamp: string): CardElement {
  const iso = isoSeconds(timestamp);
  if (iso === undefined) return labelled('When', cutText(timestamp, 60));
  return { type: 'TextBlock', text: `**When:** {{DATE(${iso}, SHORT)}} {{TIME(${iso})}} (${iso.replace('T', ' ').replace('Z', ' UTC')})`, wrap: true };
}

function changeBlocks(changes: unknown, budget: Budget): CardElement[] {
  if (!Array.isArray(changes) || changes.length === 0) return [];
  const lines: CardElement[] = [];
  let usable = 0;
  for (const change of changes) {
    if (typeof change !== 'object' || change === null) continue;
    const { field, from, to } = change as { field?: unknown; from?: unknown; to?: unknown };
    if (typeof field !== 'string' || field === '') continue;
    usable += 1;
    if (lines.length >= TEAMS_CHANGES_LISTED) continue;
    const show = (value: unknown): string => (typeof value === 'string' && value !== '' ? cutText(value, budget.value) : '(empty)');
    lines.push({ type: 'RichTextBlock', inlines: [run(`${cutText(field, 100)}: `, { weight: 'Bolder' }), run(`${show(from)} → ${show(to)}`)] });
  }
  if (lines.length === 0) return [];
  const more = usable - lines.length;
  const heading: CardElement = { type: 'TextBlock', text: 'Changes', weight: 'Bolder', wrap: true, spacing: 'Medium' };
  const tail: CardElement[] = more > 0 ? [{ type: 'TextBlock', text: `…and ${more} more ${more === 1 ? 'change' : 'changes'}`, isSubtle: true, wrap: true }] : [];
  return [heading, ...lines, ...tail];
}

function singleCard(event: FormattableEvent, context: RenderContext, budget: Budget): AdaptiveCard {
  const summary = typeof event.data.summary === 'string' && event.data.summary !== '' ? event.data.summary : event.type;
  const object = event.data.object;
  const link = jiraLink(object, context.siteUrl);
  const source = event.data.source;
  const footer = [`Event ${cutText(event.id, 200)}`, source ? (SOURCE_LABELS[source] ?? cutText(source, 50)) : undefined].filter(Boolean).join(' · ');
  const body: CardElement[] = [
    { type: 'RichTextBlock', inlines: [run(cutText(event.type, 100), { isSubtle: true })] },
    { type: 'RichTextBlock', inlines: [run(cutText(summary, budget.summary), { weight: 'Bolder', size: 'Medium' })] },
    labelled('Who', who(event, budget)),
    labelled('What', what(object, budget)),
    whenBlock(event.timestamp),
    ...changeBlocks(event.data.changes, budget),
    { type: 'RichTextBlock', inlines: [run(footer, { isSubtle: true })], spacing: 'Medium' },
  ];
  const card = cardOf(body);
  if (link && object?.key) card.actions = [{ type: 'Action.OpenUrl', title: `Open ${object.key} in Jira`, url: link }];
  return card;
}

function digestCard(items: readonly BatchItem[], settings: { threshold?: number }, context: RenderContext, budget: Budget, listed: number): AdaptiveCard {
  const counts = new Map<string, number>();
  for (const { event } of items) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shownTypes = ranked.slice(0, TEAMS_DIGEST_TYPES);
  const otherTypes = ranked.slice(TEAMS_DIGEST_TYPES);
  const facts = shownTypes.map(([type, count]) => ({ title: markdownText(type, 100), value: String(count) }));
  if (otherTypes.length > 0) {
    facts.push({ title: `${otherTypes.length} other types`, value: String(otherTypes.reduce((sum, [, count]) => sum + count, 0)) });
  }
  const times = items.map(({ event }) => isoSeconds(event.timestamp)).filter((iso): iso is string => iso !== undefined).sort();
  const utc = (iso: string | undefined): string => (iso ?? '').replace('T', ' ').replace('Z', ' UTC');
  const [earliest, latest] = [times[0], times[times.length - 1]];
  const span = earliest === undefined ? '' : earliest === latest ? `At ${utc(earliest)}.` : `From ${utc(earliest)} to ${utc(latest)}.`;
  const why = settings.threshold !== undefined ? ` More than ${settings.threshold} events were due at once, so they are summarised in one message.` : '';
  const body: CardElement[] = [
    { type: 'TextBlock', text: `${items.length} Jira audit events`, size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: `${span}${why}`.trim() || 'Several events were due at once.', isSubtle: true, wrap: true },
    { type: 'FactSet', facts },
  ];
  const first = items.slice(0, listed);
  if (first.length > 0) body.push({ type: 'TextBlock', text: `First ${first.length}`, weight: 'Bolder', wrap: true, spacing: 'Medium' });
  for (const { event } of first) {
    const summary = typeof event.data.summary === 'string' && event.data.summary !== '' ? event.data.summary : event.type;
    const iso = isoSeconds(event.timestamp);
    body.push({
      type: 'RichTextBlock',
      inlines: [
        run(`${cutText(event.type, 100)} `, { weight: 'Bolder' }),
        run(cutText(summary, budget.itemLine)),
        run(` — ${who(event, budget)}${iso ? `, ${iso.replace('T', ' ').replace('Z', ' UTC')}` : ''}`, { isSubtle: true }),
      ],
    });
  }
  const more = items.length - first.length;
  if (more > 0) body.push({ type: 'TextBlock', text: `…and ${more} more`, isSubtle: true, wrap: true });
  const card = cardOf(body);
  const log = httpsBase(context.adminPageUrl);
  if (log) card.actions = [{ type: 'Action.OpenUrl', title: 'Open the delivery log', url: log }];
  return card;
}

const cardOf = (body: CardElement[]): AdaptiveCard => ({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body });

export const messageOf = (card: AdaptiveCard): TeamsMessage => ({
  type: 'message',
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
});

const halve = (budget: Budget): Budget => ({
  summary: Math.max(SMALLEST_BUDGET.summary, Math.floor(budget.summary / 2)),
  name: Math.max(SMALLEST_BUDGET.name, Math.floor(budget.name / 2)),
  value: Math.max(SMALLEST_BUDGET.value, Math.floor(budget.value / 2)),
  itemLine: Math.max(SMALLEST_BUDGET.itemLine, Math.floor(budget.itemLine / 2)),
});

/**
 * The request body for one event (a card about it) or several (a digest). Texts are cut to budgets that
 * halve until the body is under TEAMS_MAX_BODY_BYTES; at the smallest budget a digest lists fewer items.
 * Whatever the events hold (a 1 MB description, a summary of markup), the body fits.
 */
export function renderTeams(items: readonly BatchItem[], threshold: number | undefined, context: RenderContext): string {
  const [only] = items;
  if (!only) throw new Error('A Teams request carries at least one event (0 given)');
  let budget = FULL_BUDGET;
  let listed = TEAMS_DIGEST_LISTED;
  for (;;) {
    const card = items.length === 1 ? singleCard(only.event, context, budget) : digestCard(items, threshold === undefined ? {} : { threshold }, context, budget, listed);
    const body = JSON.stringify(messageOf(card));
    if (utf8Bytes(body) <= TEAMS_MAX_BODY_BYTES) return body;
    const smaller = halve(budget);
    if (JSON.stringify(smaller) !== JSON.stringify(budget)) budget = smaller;
    else if (listed > 0) listed -= 1;
    else throw new Error(`A Teams message does not fit in ${TEAMS_MAX_BODY_BYTES} bytes even at its smallest`);
  }
}
