/**
 * Slack mrkdwn treats `<...>` as a control sequence (`<!channel>`, `<@U123>`, `<https://x|label>`) and
 * `&` as the start of an entity. Escaping exactly these three, as Slack documents, makes event text
 * inert: no mention, no broadcast, no masked link can come from an issue title or an audit record.
 * (A bare URL in the text still shows its real target, and Slack may auto-link it.)
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const ELLIPSIS = '…';

/**
 * Escapes then truncates to maxChars (Slack limits count characters of the escaped text), never
 * cutting an entity such as `&amp;` in half, and ending with '…' when something was cut.
 */
export function escapeAndTruncate(text: string, maxChars: number): string {
  // Escaping only lengthens text, so a longer raw text is cut anyway: look at its head only
  // (a 1 MB description must not be escaped whole to keep 3,000 characters of it).
  const head = text.length > maxChars ? text.slice(0, maxChars + 1) : text;
  const escaped = escapeSlackText(head);
  if (head === text && escaped.length <= maxChars) return escaped;
  let out = '';
  for (const char of head) {
    const piece = escapeSlackText(char);
    if (out.length + piece.length + ELLIPSIS.length > maxChars) break;
    out += piece;
  }
  return out + ELLIPSIS;
}

/** For plain_text fields (header): no escaping needed, Slack renders them literally. */
export function truncatePlain(text: string, maxChars: number): string {
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : chars.slice(0, maxChars - 1).join('') + ELLIPSIS;
}
