import { NAME_MAX_CHARS } from '../../domain/webhook/limits';
import { nameKey } from '../../domain/webhook/name-rules';

/** Text from Slack made safe for a webhook name: no markup, control or invisible characters, one line. */
const clean = (value: string): string =>
  value
    // eslint-disable-next-line no-control-regex
    .replace(/[<>\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * "#security-alerts (Acme)": the channel and workspace Slack reported. A name another webhook already
 * has gets " 2", " 3"... (names are unique ignoring case).
 */
export function slackWebhookName(channel: string, team: string, taken: readonly string[]): string {
  const channelName = clean(channel).replace(/^#+/, '') || 'slack';
  const teamName = clean(team);
  const base = `#${channelName}${teamName ? ` (${teamName})` : ''}`;
  const used = new Set(taken.map(nameKey));
  for (let n = 1; n < 1000; n++) {
    const suffix = n === 1 ? '' : ` ${n}`;
    const name = `${base.slice(0, NAME_MAX_CHARS - suffix.length).trim()}${suffix}`;
    if (!used.has(nameKey(name))) return name;
  }
  return `${base.slice(0, NAME_MAX_CHARS - 14)} ${Date.now()}`;
}
