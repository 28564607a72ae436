import { firstInvisibleCharacter, invisibleCharacterProblem } from './invisible-characters';
import { isIpLiteralHost, rawHostOf } from './ip-literal';
import { URL_MAX_CHARS } from './limits';
import { isWebhookPort, webhookPortProblem } from './ports';

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
  if (raw.includes('\\')) {
    // WHATWG URL reads a backslash as "/" in https URLs, so what looks like userinfo ends the host.
    return [
      'Remove the backslash (\\) from the URL: URL parsers read it as /, so the request could go to another host than the one shown (https://a.example\\@b.example/ goes to a.example). If the receiver needs one in its path or query, write it as %5C.',
    ];
  }
  const invisible = invisibleUrlProblem(raw);
  if (invisible !== undefined) return [invisible];
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
  const hostProblems = hostNameProblems(url.hostname);
  problems.push(...hostProblems);
  if (hostProblems.length === 0) {
    const spelling = hostSpellingProblem(typedHostOf(raw), url.hostname);
    if (spelling !== undefined) problems.push(spelling);
  }
  // Forge's egress proxy connects to a few ports only (ports.ts); the allowlist entry for one is checked later.
  if (!isWebhookPort(url.port)) problems.push(webhookPortProblem(url.port));
  if (raw.includes('#')) problems.push('Remove the #fragment: it is never sent to the receiver.');
  return problems;
}

const INVISIBLE_IN_URL = 'so the URL would read differently from where requests go';

/** An invisible or text-direction character anywhere in the URL, typed or percent-encoded (query included). */
function invisibleUrlProblem(raw: string): string | undefined {
  const typed = invisibleCharacterProblem(raw, 'the URL', INVISIBLE_IN_URL);
  if (typed !== undefined) return typed;
  const char = firstInvisibleCharacter(decodePercentRuns(raw));
  if (char === undefined) return undefined;
  return invisibleCharacterProblem(char, `the URL (it is there percent-encoded, as ${encodeURIComponent(char)})`, INVISIBLE_IN_URL);
}

/**
 * Decodes each run of %XX escapes as UTF-8, an invalid byte becoming U+FFFD, so a valid sequence next to
 * an invalid one ("%E2%80%AE%FF") is still seen.
 */
function decodePercentRuns(raw: string): string {
  return raw.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    const bytes = Uint8Array.from(run.slice(1).split('%'), (hex) => Number.parseInt(hex, 16));
    // ignoreBOM keeps a leading U+FEFF in the output instead of eating it.
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  });
}

/**
 * The host as typed must be the host requests go to. WHATWG URL (and IDNA behind it) drops ignorable
 * characters, folds full-width and compatibility letters ("ｓｉｅｍ", "ﬁ"), decodes percent-escapes and
 * converts non-ASCII names to punycode, so a host shown one way could be sent another way. Only ASCII
 * case folding is accepted as harmless: DNS and Forge's egress allowlist ignore ASCII case. Unicode case
 * mappings that land on ASCII (the Kelvin sign U+212A lower-cases to "k") are not.
 */
/**
 * The host as typed, for the spelling check: WHATWG reads "https:" followed by any number of slashes
 * ("https:siem.example.com", "https:///siem.example.com") as the same host, so this does too.
 * Userinfo and port are dropped; undefined when there is no host.
 */
function typedHostOf(raw: string): string | undefined {
  const match = /^https:\/*([^/?#]*)/i.exec(raw);
  if (!match) return undefined;
  const authority = match[1] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1).replace(/:[0-9]*$/, '');
}

function hostSpellingProblem(typed: string | undefined, hostname: string): string | undefined {
  if (typed === undefined) return undefined;
  const asciiLower = typed.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  if (asciiLower === hostname) return undefined;
  return `Type the host name exactly as ${hostname}: the URL standard turns the host you typed into ${hostname} (full-width or look-alike letters, percent-escapes and international letters are converted), so the admin page would show one host and requests go to another. Use only letters a-z, digits, hyphens and dots; write an international name in its xn-- form.`;
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
