import type { FormattableEvent } from './formattable-event';
import { SLACK_LIMITS } from './slack-limits';
import type { SlackBlock, SlackMessage } from './slack-message';
import { escapeAndTruncate, truncatePlain } from './slack-text';

/** Events listed by their summary before "and N more". */
export const DIGEST_ITEMS_LISTED = 5;
/** Event types counted one per line before "and N more types". */
const DIGEST_TYPES_LISTED = 15;

/**
 * One Slack message for a burst of events (a bulk edit, a backfill): how many, counts per type, the
 * first few summaries, and a link to the delivery log, where every event of the digest is listed as
 * delivered. Event text goes in plain_text only, so it shows as typed: no mention, link or bold can come
 * from an issue title. Cut to Slack's block limits whatever the events hold.
 */
export function slackDigest(events: readonly FormattableEvent[], links: { adminPageUrl?: string } = {}): SlackMessage {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
  const byCount = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const typeLines = byCount.slice(0, DIGEST_TYPES_LISTED).map(([type, count]) => `• ${type}: ${count}`);
  if (byCount.length > DIGEST_TYPES_LISTED) typeLines.push(`…and ${byCount.length - DIGEST_TYPES_LISTED} more types`);
  const listed = events.slice(0, DIGEST_ITEMS_LISTED).map((event) => `• ${event.data.summary ?? event.type}`);
  const more = events.length - listed.length;
  if (more > 0) listed.push(`…and ${more} more`);
  const title = `${events.length} Jira audit ${events.length === 1 ? 'event' : 'events'}`;
  const times = events.map((event) => Date.parse(event.timestamp)).filter((ms) => !Number.isNaN(ms));
  const span = times.length > 0 ? `From ${new Date(Math.min(...times)).toISOString()} to ${new Date(Math.max(...times)).toISOString()}.` : '';
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncatePlain(title, SLACK_LIMITS.headerText), emoji: false } },
    { type: 'section', text: { type: 'plain_text', text: truncatePlain(typeLines.join('\n'), SLACK_LIMITS.sectionText), emoji: false } },
    { type: 'section', text: { type: 'plain_text', text: truncatePlain(listed.map((line) => truncatePlain(line, 300)).join('\n'), SLACK_LIMITS.sectionText), emoji: false } },
  ];
  const log = links.adminPageUrl ? `<${links.adminPageUrl}|Open the delivery log> to see every event.` : 'Every event is listed in the app\'s delivery log.';
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${escapeAndTruncate(span, 200)} ${log}`.trim() }] });
  return { text: escapeAndTruncate(title, SLACK_LIMITS.fallbackText), blocks, unfurl_links: false, unfurl_media: false };
}
