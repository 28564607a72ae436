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

/** Where the message may link: the Jira site (for issues and projects), when the app knows it. */
export interface SlackLinks {
  siteUrl?: string;
}

/**
 * One Slack message per event: a header with the event type, the summary, then who, what, when and
 * where from, the changed fields, a link to the object in Jira when the site is known, and the event id
 * for cross-checking against the delivery log. Event content (summary, names, keys, changes) goes in
 * plain_text only, so it shows exactly as typed: `*bold*`, `_it_`, `<!channel>` or a link in an issue title
 * formats nothing and notifies no one. The only mrkdwn holds text the app builds itself (the date token,
 * the Jira link on a URL built from the site and an encoded key, the event id). Cut to Slack's limits
 * whatever the event holds; link previews are off so no URL unfurls.
 */
export function slackMessage(event: FormattableEvent, links: SlackLinks = {}): SlackMessage {
  const summary = event.data.summary ?? event.type;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncatePlain(event.type, SLACK_LIMITS.headerText), emoji: false } },
    { type: 'section', text: plain(truncatePlain(summary, SLACK_LIMITS.sectionText)) },
    { type: 'section', fields: factFields(event) },
  ];
  const changes = changesText(event.data.changes);
  if (changes) blocks.push({ type: 'section', text: plain(changes) });
  const link = jiraLink(event.data.object, links.siteUrl);
  const context: SlackTextObject[] = [{ type: 'mrkdwn', text: `*When* ${slackDate(event.timestamp)}` }];
  if (link) context.push({ type: 'mrkdwn', text: `<${link.url}|${escapeAndTruncate(link.label, 200)}>` });
  context.push({ type: 'mrkdwn', text: escapeAndTruncate(`Event ${event.id}`, 300) });
  blocks.push({ type: 'context', elements: context });
  return {
    text: escapeAndTruncate(`${event.type}: ${summary}`, SLACK_LIMITS.fallbackText),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
    unfurl_links: false,
    unfurl_media: false,
  };
}

const plain = (text: string): SlackTextObject => ({ type: 'plain_text', text, emoji: false });

function factFields(event: FormattableEvent): SlackTextObject[] {
  const actor = event.data.actor;
  const who = actor?.displayName ?? actor?.accountId ?? 'Not given by Jira';
  const facts: [string, string][] = [
    ['Actor', truncatePlain(who, 500)],
    ['Object', truncatePlain(describeObject(event.data.object), 1_000)],
  ];
  const source = event.data.source;
  if (source) facts.push(['Source', truncatePlain(SOURCE_LABELS[source] ?? source, 200)]);
  return facts.map(([label, value]) => plain(`${label}\n${value}`));
}

/** Jira's own pages for what the event is about: /browse/<KEY> for issues and projects. */
function jiraLink(object: FormattableObject | undefined, siteUrl: string | undefined): { url: string; label: string } | undefined {
  if (!siteUrl || !object?.key || !/^[A-Za-z][A-Za-z0-9_]*(-[0-9]+)?$/.test(object.key)) return undefined;
  if (object.type !== 'issue' && object.type !== 'project') return undefined;
  return { url: `${siteUrl}/browse/${encodeURIComponent(object.key)}`, label: `Open ${object.key} in Jira` };
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
  let length = 'Changes'.length;
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
  if (more > 0) lines.push(`…and ${more} more ${more === 1 ? 'change' : 'changes'}`);
  return ['Changes', ...lines].join('\n');
}

function changeLine(change: unknown): string | undefined {
  if (typeof change !== 'object' || change === null) return undefined;
  const { field, from, to } = change as { field?: unknown; from?: unknown; to?: unknown };
  if (typeof field !== 'string' || field.length === 0) return undefined;
  const show = (value: unknown): string => (typeof value === 'string' && value.length > 0 ? truncatePlain(value, CHANGE_VALUE_CHARS) : '(empty)');
  return `• ${truncatePlain(field, 100)}: ${show(from)} → ${show(to)}`;
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
