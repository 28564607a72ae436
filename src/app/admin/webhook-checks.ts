import { egressNotAllowedMessage } from '../../domain/webhook/egress-message';
import { checkEventSelection } from '../../domain/webhook/event-selection';
import { ownedHeaderReason } from '../../domain/webhook/header-rules';
import type { DestinationModule, Settings } from '../../domain/destinations/contract';
import { validateWebhookUrl } from '../../domain/destinations/url-check';
import { nameKey } from '../../domain/webhook/name-rules';
import type { SigningConfig } from '../../domain/webhook/signing-rules';
import type { EgressPolicy } from '../ports';
import type { Problems } from './problems';
import type { WebhookRecord } from './webhook-record';

/** The checks that need more than the input: kind, stored webhooks, the catalogue, the egress allowlist. */

/** The URL's own rules and the kind's, then every URL the kind's requests go to against the egress allowlist. */
export function checkUrl(problems: Problems, url: string, kind: DestinationModule, settings: Settings, egress: EgressPolicy, path: (string | number)[] = ['url']): void {
  const check = validateWebhookUrl(url, kind.kind, settings);
  if (!check.ok) {
    problems.add(path, check.problems.join(' '));
    return;
  }
  kind.egressUrls(url, settings).forEach((target, index) => {
    // Checked as the URL standard reads it (host in lower case), as Forge's fetch sends it.
    const parsed = new URL(target);
    if (egress.canFetch(parsed.href)) return;
    // The first is where the requests go; the others (a token endpoint) belong to the settings that name them.
    problems.add(index === 0 ? path : ['settings'], egressNotAllowedMessage(parsed.hostname, parsed.port));
  });
}

export function checkUniqueName(problems: Problems, name: string, others: readonly WebhookRecord[]): void {
  const key = nameKey(name);
  if (others.some((other) => nameKey(other.name) === key)) {
    problems.add(['name'], `Another webhook is already named "${name}" (names ignore case); choose a different name.`);
  }
}

/** Returns the events as stored (duplicates dropped). */
export function checkEvents(problems: Problems, events: readonly string[], catalogue: readonly string[]): string[] {
  const check = checkEventSelection(events, catalogue);
  if (!check.ok) {
    problems.addAll(['events'], check.problems);
    return [...events];
  }
  return check.events;
}

/**
 * Slack incoming webhooks authenticate by the token in their URL and ignore headers, so signing
 * secrets, Authorization and custom headers would give a false sense of protection.
 */
/** Common fields a kind does not take (its `common` flags) are refused by name, with the kind's reason. */
export function checkKindUsesOnly(
  problems: Problems,
  kind: DestinationModule,
  given: { secrets?: boolean; authorization?: boolean; headers?: boolean; signing?: boolean; method?: string },
  paths: { secrets: string },
): void {
  const why = kind.commonNotUsed;
  if (given.secrets && !kind.common.signing) problems.add([paths.secrets], `Remove the secrets: ${why}.`);
  if (given.authorization && !kind.common.authorization) problems.add(['authorization'], `Remove authorization: ${why}.`);
  if (given.headers && !kind.common.headers) problems.add(['headers'], `Remove the headers: ${why}.`);
  if (given.signing && !kind.common.signing) problems.add(['signing'], `Remove signing: ${why}.`);
  if (given.method !== undefined && given.method !== 'POST' && !kind.common.method) problems.add(['method'], `Use POST: ${kind.label} accepts only POST.`);
}

/** A custom header may not take the name the signing mode writes. */
export function checkHeadersAgainstSigning(problems: Problems, headers: readonly { name: string }[], signing: SigningConfig): void {
  headers.forEach((header, index) => {
    const reason = ownedHeaderReason(header.name, signing.header);
    if (reason !== undefined) problems.add(['headers', index, 'name'], `The app sets ${header.name} itself (${reason}); remove this header.`);
  });
}

/**
 * Credentials belong to the URL's origin (scheme, host, port): the saved Authorization and sensitive
 * header values were given for the saved URL's receiver, and the app never shows them, so letting them
 * follow a new host would hand them to whoever runs it. An update that moves the URL to another origin
 * must restate or remove each of them. (The hidden parts of a masked URL cannot follow: a new URL is
 * always sent whole, and ••• is refused in it. Signing secrets may stay: they are never sent.)
 */
export function checkCredentialsFollowOrigin(
  problems: Problems,
  move: { from: string | undefined; to: string },
  kept: { authorization: boolean; headers: { path: (string | number)[]; name: string }[] },
): void {
  const from = move.from ?? 'the saved URL';
  const why = `the URL moves from ${from} to ${move.to}, and the app sends a saved credential only to the origin (scheme, host and port) it was given for`;
  if (kept.authorization) {
    problems.add(['authorization'], `Enter the Authorization again for ${move.to}, or clear it: ${why}.`);
  }
  for (const header of kept.headers) {
    problems.add(header.path, `Enter the value of ${header.name} again for ${move.to}, or remove the header: ${why}.`);
  }
}
