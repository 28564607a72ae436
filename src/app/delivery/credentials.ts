import type { ScrubCredentials } from '../../domain/delivery/scrub-credentials';
import { ALWAYS_SENSITIVE_HEADERS } from '../../domain/signing';
import { destinationModule } from '../../domain/destinations/registry';
import type { DeliveryTarget } from './target';

const ALWAYS_SENSITIVE = new Set<string>(ALWAYS_SENSITIVE_HEADERS);

/**
 * Every credential a webhook's request carries, for scrubbing its receiver's answer
 * (domain/delivery/scrub-credentials.ts: secrets are removed whole and as any run of 8 bytes, in plain,
 * percent-encoded, hex and base64 forms; exact values only whole).
 *
 * Secrets: `extra` (an OAuth access token in use), the kind's secret settings, signing secrets (with and without `whsec_`; never sent, scrubbed all the same), the
 * Authorization value and its credentials part (and a Basic password decoded), sensitive header values
 * (and those of headers named like credentials), and the URL parts the admin chose to hide (query values,
 * masked path segments: a Slack URL's team, channel and token), raw and percent-decoded.
 * Exact only: the whole URL and its path and query, and a Basic `user:password`, which hold secrets next
 * to parts that are not (a host name, a user name) and so must not be cut out of other text 8 bytes at a time.
 */
export const credentialValues = (target: DeliveryTarget, extra: readonly string[] = []): ScrubCredentials => {
  const secrets = new Set<string>();
  const exact = new Set<string>();
  for (const secret of target.secrets) {
    secrets.add(secret);
    if (secret.startsWith('whsec_')) secrets.add(secret.slice('whsec_'.length));
  }
  if (target.authorization) {
    secrets.add(target.authorization);
    const space = target.authorization.indexOf(' ');
    const credentials = space > 0 ? target.authorization.slice(space + 1).trim() : undefined;
    if (credentials) secrets.add(credentials);
    if (credentials && /^basic$/i.test(target.authorization.slice(0, space))) {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      exact.add(decoded);
      secrets.add(decoded.slice(decoded.indexOf(':') + 1));
    }
  }
  // The kind's credential settings: a HEC token, an API key, a client secret.
  const kind = destinationModule(target.kind);
  for (const field of kind.fields) {
    const value = target.settings[field.key];
    if (field.type === 'secret' && typeof value === 'string' && value !== '') secrets.add(value);
  }
  for (const token of extra) secrets.add(token);
  for (const header of target.headers) {
    if (header.sensitive || ALWAYS_SENSITIVE.has(header.name.toLowerCase())) secrets.add(header.value);
  }
  const url = hiddenUrlParts(target.url, target.displayUrl);
  for (const value of url.exact) exact.add(value);
  for (const value of url.secrets) secrets.add(value);
  return { secrets: [...secrets], exact: [...exact] };
};

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** Query values and path segments of the real URL that the masked URL does not show. */
const hiddenUrlParts = (url: string, displayUrl: string): { secrets: string[]; exact: string[] } => {
  if (url === displayUrl) return { secrets: [], exact: [] };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { secrets: [url], exact: [] };
  }
  const secrets: string[] = [];
  for (const segment of parsed.pathname.split('/')) if (segment && !displayUrl.includes(segment)) secrets.push(segment, decode(segment));
  for (const pair of parsed.search.slice(1).split('&')) {
    const value = pair.includes('=') ? pair.slice(pair.indexOf('=') + 1) : pair;
    if (value) secrets.push(value, decode(value), decode(value.replace(/\+/g, ' ')));
  }
  return { secrets, exact: [url, `${parsed.pathname}${parsed.search}`] };
};
