import { isIpLiteralHost, rawHostOf } from './ip-literal';
import { URL_MAX_CHARS } from './limits';
import type { WebhookKind } from './model';
import { isWebhookPort, webhookPortProblem } from './ports';
import { isSlackHost, slackUrlProblems } from './slack-url';

export type UrlCheck = { ok: true; url: URL; host: string } | { ok: false; problems: string[] };

/**
 * Host names that only mean something inside a network: a webhook to them would reach (or probe) the
 * machine or LAN of whoever resolves it. Forge's egress proxy would refuse most of them too, but an
 * admin should learn that when saving, not from a failed delivery.
 */
const INTERNAL_SUFFIXES = ['localhost', 'local', 'internal', 'localdomain', 'home.arpa', 'lan', 'intranet'];

/** The rules a URL must meet whatever the webhook kind: the admin page checks these as the user types. */
export function commonUrlProblems(raw: string): string[] {
  if (raw.length === 0) return ['Enter the receiver URL, e.g. https://siem.example.com/hooks/jira.'];
  if (raw.length > URL_MAX_CHARS) return [`Shorten the URL to at most ${URL_MAX_CHARS} characters (it has ${raw.length}).`];
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u00a0\u2028\u2029]/.test(raw)) {
    return ['Remove spaces, line breaks and control characters from the URL (percent-encode them, e.g. %20, if the receiver needs them).'];
  }
  if (raw.includes('\u2022') || /%e2%80%a2/i.test(raw)) {
    return [
      'This URL contains •••, which the app shows in place of hidden parts: paste the full URL from the receiver, or leave url out of an update to keep the saved one.',
    ];
  }
  const rawHost = rawHostOf(raw);
  if (rawHost !== undefined && rawHost !== '' && isIpLiteralHost(rawHost)) return [ipProblem()];

  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return /^https:\/\//i.test(raw)
      ? ['This is not a valid URL: check the host name (letters, digits, dots and hyphens) and the port (leave it out for 443).']
      : ['Enter a full URL that starts with https://, e.g. https://siem.example.com/hooks/jira.'];
  }

  const problems: string[] = [];
  if (url.protocol !== 'https:') {
    problems.push('Use https://: audit data must not travel unencrypted, and Forge only fetches https URLs.');
    return problems;
  }
  if (url.username !== '' || url.password !== '' || authorityOf(raw).includes('@')) {
    problems.push('Remove the user name and password (user:pass@) from the URL; put credentials in the Authorization field instead.');
  }
  if (isIpLiteralHost(url.hostname)) {
    problems.push(ipProblem());
    return problems;
  }
  problems.push(...hostNameProblems(url.hostname));
  // Forge's egress proxy connects to a few ports only (ports.ts); the allowlist entry for one is checked later.
  if (!isWebhookPort(url.port)) problems.push(webhookPortProblem(url.port));
  if (raw.includes('#')) problems.push('Remove the #fragment: it is never sent to the receiver.');
  return problems;
}

/**
 * Validates a webhook URL for its kind. Egress (manifest permissions.external.fetch.backend) is checked
 * separately by the use case, because it depends on the deployed app, not on the URL alone.
 */
export function validateWebhookUrl(raw: string, kind: WebhookKind): UrlCheck {
  const problems = commonUrlProblems(raw);
  if (problems.length > 0) return { ok: false, problems };
  const url = new URL(raw);
  const kindProblems =
    kind === 'slack'
      ? slackUrlProblems(url)
      : isSlackHost(url.hostname)
        ? ['This is a Slack URL: choose the Slack kind, so messages are formatted for Slack and the URL token is masked.']
        : [];
  if (kindProblems.length > 0) return { ok: false, problems: kindProblems };
  return { ok: true, url, host: url.hostname };
}

function ipProblem(): string {
  return "Use the receiver's DNS host name, not an IP address: Forge egress allows host names only, and IP hosts are how requests reach internal networks.";
}

function authorityOf(raw: string): string {
  const match = /^[a-z][a-z0-9+.-]*:[/\\]{2}([^/\\?#]*)/i.exec(raw);
  return match?.[1] ?? '';
}

function hostNameProblems(hostname: string): string[] {
  if (hostname.endsWith('.')) {
    return ['Remove the trailing dot after the host name: Forge egress entries never end with a dot, so it would never match.'];
  }
  const labels = hostname.split('.');
  if (labels.some((label) => label === '')) return ['Remove the empty label (two dots in a row) from the host name.'];
  const internal = INTERNAL_SUFFIXES.find((suffix) => hostname === suffix || hostname.endsWith(`.${suffix}`));
  if (internal !== undefined) {
    return [`Use a public host name: "${internal}" names only resolve inside a private network or on the machine itself.`];
  }
  if (labels.length < 2) {
    return [`Use the fully qualified host name (e.g. ${hostname}.example.com): single-label names only resolve inside a private network.`];
  }
  return [];
}
