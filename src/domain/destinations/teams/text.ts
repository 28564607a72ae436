/**
 * Event text in a Teams card. Two rules, so that an issue title like `<!channel> *bold* [link](x) <script>`
 * shows exactly as typed and notifies no one:
 *
 * - Free text from an event (summaries, names, changed values) goes into RichTextBlock TextRuns, which
 *   Adaptive Cards render without Markdown (schema: TextRun.text "Markdown is not supported"). Adaptive
 *   Cards render no HTML anywhere ("HTML isn't supported in Adaptive Cards", Teams "Format cards in
 *   Teams"), and a Teams mention needs an `<at>` tag *and* a matching msteams.entities entry, which this
 *   app never sends; `<!channel>` is Slack syntax and means nothing to Teams.
 * - The few event values placed in Markdown fields (TextBlock, Fact.title / Fact.value: event types in a
 *   digest's counts) are escaped with CommonMark backslash escapes by escapeTeamsMarkdown.
 *
 * Text is cut before it is escaped, so a cut never falls inside an escape sequence, and by code points,
 * so no surrogate pair is split.
 */

const ELLIPSIS = '…';

/** Control characters (line breaks included) become spaces: a card line is one line, and JSON escapes of them cost 6 bytes each. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** One line of event text: control characters as spaces, runs of spaces collapsed, trimmed. */
export const oneLine = (text: string): string => text.replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();

/** The first maxChars code points of one line of text, ending with '…' when something was cut. */
export function cutText(text: string, maxChars: number): string {
  // A 1 MB text must not be split into code points whole to keep a few hundred of them; the head is
  // cut by UTF-16 units, so a high surrogate left alone at its end is dropped.
  const sliced = text.length > maxChars * 2 + 2;
  const head = sliced ? text.slice(0, maxChars * 2 + 2).replace(/[\uD800-\uDBFF]$/, '') : text;
  const chars = Array.from(oneLine(head));
  if (!sliced && chars.length <= maxChars) return chars.join('');
  return chars.slice(0, Math.max(0, maxChars - 1)).join('').trimEnd() + ELLIPSIS;
}

/** CommonMark's escapable punctuation that Teams' Markdown subset uses (emphasis, links, lists, headings, code, HTML-looking tags). */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-!<>|~]/g;

/** Backslash-escapes Markdown characters, for event text in TextBlock or Fact fields. */
export const escapeTeamsMarkdown = (text: string): string => text.replace(MARKDOWN_SPECIAL, (char) => `\\${char}`);

/** Cuts then escapes (never the other way round), for Markdown fields. */
export const markdownText = (text: string, maxChars: number): string => escapeTeamsMarkdown(cutText(text, maxChars));
