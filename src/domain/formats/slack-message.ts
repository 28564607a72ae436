import type { FormattableEvent, FormattableObject } from './formattable-event';
import { SLACK_LIMITS } from './slack-limits';
import { escapeAndTruncate, truncatePlain } from './slack-text';

/** The body of a Slack incoming-webhook POST. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
  unfurl_links: false;
  unfurl_media: false;
}

export type SlackTextObject = { type: 'plain_text'; text: string; emoji?: boolean } | { type: 'mrkdwn'; text: string };
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: boolean } }
  | { type: 'section'; text?: SlackTextObject; fields?: SlackTextObject[] }
  | { type: 'context'; elements: SlackTextObject[] };

const SOURCE_LABELS: Readonly<Record<string, string>> = {
  'product-event': 'Jira event',
  'audit-log': 'Jira audit log',
  app: 'Audit Webhooks configuration',
};

/**
 * One Slack message per event: a header with the event type, the summary, then who, what, when and
 * where from, the changed fields, and the event id for cross-checking against the delivery log.
 * Every piece of event content is escaped (see slack-text.ts) and cut to Slack's limits, so the
 * message is accepted whatever the event holds; link previews are off so no event URL unfurls.
 */
export function slackMessage(event: FormattableEvent): SlackMessage {
  const summary = event.data.summary ?? event.type;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncatePlain(event.type, SLACK_LIMITS.headerText), emoji: false } },
    { type: 'section', text: { type: 'mrkdwn', text: escapeAndTruncate(summary, SLACK_LIMITS.sectionText) } },
    { type: 'section', fields: factFields(event) },
  ];
  const changes = changesText(event.data.changes);
  if (changes) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: changes } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeAndTruncate(`Event ${event.id}`, 300) }] });
  return {
    text: escapeAndTruncate(`${event.type}: ${summary}`, SLACK_LIMITS.fallbackText),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
    unfurl_links: false,
    unfurl_media: false,
  };
}

function factFields(event: FormattableEvent): SlackTextObject[] {
  const actor = event.data.actor;
  const who = actor?.displayName ?? actor?.accountId ?? 'Not given by Jira';
  const facts: [string, string][] = [
    ['Actor', escapeAndTruncate(who, 500)],
    ['Object', escapeAndTruncate(describeObject(event.data.object), 1_000)],
    ['Time', slackDate(event.timestamp)],
  ];
  const source = event.data.source;
  if (source) facts.push(['Source', escapeAndTruncate(SOURCE_LABELS[source] ?? source, 200)]);
  return facts.map(([label, value]) => ({ type: 'mrkdwn', text: `*${label}*\n${value}` }));
}

function describeObject(object: FormattableObject | undefined): string {
  if (!object) return 'Not given by Jira';
  const reference = object.key ?? (object.name ? undefined : object.id);
  return [object.type, reference, object.name ? `“${object.name}”` : undefined].filter(Boolean).join(' ');
}

/**
 * Slack's date token shows the time in each reader's own time zone; the ISO fallback is used by
 * clients that cannot render it. Built only from a parsed timestamp, never from raw event text.
 */
function slackDate(timestamp: string): string {
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return escapeAndTruncate(timestamp, 100);
  const iso = new Date(ms).toISOString();
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time_secs}|${iso}>`;
}

const CHANGE_VALUE_CHARS = 200;

function changesText(changes: unknown): string | undefined {
  if (!Array.isArray(changes) || changes.length === 0) return undefined;
  const lines: string[] = [];
  let length = '*Changes*'.length;
  let listed = 0;
  for (const change of changes) {
    if (listed >= SLACK_LIMITS.changesListed) break;
    const line = changeLine(change);
    if (line === undefined) continue;
    // Leave room for the "and N more" line so the section never exceeds Slack's 3,000 characters.
    if (length + line.length + 1 > SLACK_LIMITS.sectionText - 40) break;
    lines.push(line);
    length += line.length + 1;
    listed += 1;
  }
  if (lines.length === 0) return undefined;
  const more = changes.length - listed;
  if (more > 0) lines.push(`_…and ${more} more ${more === 1 ? 'change' : 'changes'}_`);
  return ['*Changes*', ...lines].join('\n');
}

function changeLine(change: unknown): string | undefined {
  if (typeof change !== 'object' || change === null) return undefined;
  const { field, from, to } = change as { field?: unknown; from?: unknown; to?: unknown };
  if (typeof field !== 'string' || field.length === 0) return undefined;
  const show = (value: unknown): string => (typeof value === 'string' && value.length > 0 ? escapeAndTruncate(value, CHANGE_VALUE_CHARS) : '_empty_');
  return `• *${escapeAndTruncate(field, 100)}*: ${show(from)} → ${show(to)}`;
}

/** Exposed for tests and docs: the characters of text Slack counts towards msg_blocks_too_long. */
export function slackBlockTextLength(message: SlackMessage): number {
  let total = 0;
  for (const block of message.blocks) {
    if (block.type === 'header') total += block.text.text.length;
    if (block.type === 'section') total += (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((sum, field) => sum + field.text.length, 0);
    if (block.type === 'context') total += block.elements.reduce((sum, element) => sum + element.text.length, 0);
  }
  return total;
}
