/** Backend egress as Forge enforces it: https only, to the ports Forge's egress proxy connects to,
 * hostname matched against the manifest's `permissions.external.fetch.backend` (using @forge/egress,
 * the matcher @forge/api itself uses), plus the hosts of FORGE_LOCAL_ROUTES, which are forwarded to
 * local targets. Forge's numbers come from forge-limits/, a table of Forge facts that imports no app code. */
import { EgressFilteringService } from '@forge/egress';
import { FORGE_EGRESS, isForgeEgressPort, listPorts } from '../forge-limits';
import { egressAddress, type EgressEntry } from './manifest';
import { jsonResponse } from './responses';

export const EGRESS_LIMIT_PER_RUNTIME_MINUTE = FORGE_EGRESS.requestsPerRuntimeMinutePerInvocation;

/** A DNS host name as FORGE_LOCAL_ROUTES takes it: no scheme, port, path or wildcard. */
const ROUTE_HOST = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** `host=http://127.0.0.1:port,...` → `{ host: 'http://127.0.0.1:port' }`. Throws, naming the
 * variable, on anything it cannot route: a silently ignored route would only show up later as a
 * blocked or lost delivery. */
export function parseRoutes(spec: string | undefined): Record<string, string> {
  const routes: Record<string, string> = {};
  for (const part of (spec ?? '').split(',')) {
    const item = part.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`FORGE_LOCAL_ROUTES: "${item}" is not host=http://127.0.0.1:port`);
    const host = item.slice(0, eq).trim().toLowerCase();
    const target = item.slice(eq + 1).trim().replace(/\/+$/, '');
    if (!ROUTE_HOST.test(host)) {
      throw new Error(`FORGE_LOCAL_ROUTES: "${host}" is not a host name; write the host alone (siem.example.com), without scheme, port, path or wildcard`);
    }
    if (host in routes) throw new Error(`FORGE_LOCAL_ROUTES: ${host} is listed twice`);
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new Error(`FORGE_LOCAL_ROUTES: target "${target}" for ${host} is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`FORGE_LOCAL_ROUTES: target "${target}" for ${host} must start with http:// or https://`);
    }
    if (url.search || url.hash || target.includes('?') || target.includes('#')) {
      throw new Error(`FORGE_LOCAL_ROUTES: target "${target}" for ${host} must not have a query or fragment: the request's path and query are appended to it`);
    }
    routes[host] = target;
  }
  return routes;
}

export type EgressDecision =
  | { allowed: true; url: string; routedTo?: string }
  | { allowed: false; reason: string };

export class EgressPolicy {
  private readonly filter: EgressFilteringService;
  readonly backendEntries: EgressEntry[];

  constructor(
    manifestEntries: EgressEntry[],
    readonly routes: Record<string, string>,
  ) {
    this.backendEntries = [...manifestEntries, ...Object.keys(routes).filter((h) => !manifestEntries.some((e) => egressAddress(e) === h))];
    this.filter = new EgressFilteringService(this.backendEntries.map(egressAddress));
  }

  decide(rawUrl: string): EgressDecision {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return { allowed: false, reason: `"${rawUrl}" is not an absolute URL` };
    }
    if (url.protocol !== 'https:') {
      return { allowed: false, reason: `only https URLs can be fetched from a Forge backend; got ${url.protocol}//${url.host}` };
    }
    // Before routes: a routed host stands in for a real one, which Forge could only reach on these ports.
    if (!isForgeEgressPort(url.port)) {
      return {
        allowed: false,
        reason: `port ${url.port} is not one Forge's egress proxy connects to (only ${listPorts(FORGE_EGRESS.allowedPorts)}), whatever permissions.external.fetch.backend lists; serve the receiver on one of those ports`,
      };
    }
    const host = url.hostname.toLowerCase();
    const target = this.routes[host];
    if (target !== undefined) return { allowed: true, url: url.href, routedTo: `${target}${url.pathname}${url.search}` };
    if (!this.filter.isValidUrl(url.href)) {
      // @forge/egress compares host:port as one name: an entry for another port is written with its scheme.
      const entry = url.port === '' ? host : `https://${url.host}`;
      return { allowed: false, reason: `${url.host} is not in the app's egress permissions: add ${entry} to permissions.external.fetch.backend in manifest.yml` };
    }
    return { allowed: true, url: url.href };
  }
}

/** Every refusal gets the answer Forge reportedly gives a host outside the allowlist (dev/README.md); the
 * reason says what to change. */
export function blockedResponse(url: string, reason: string): Response {
  return jsonResponse(
    403,
    { code: 'EGRESS_NOT_ALLOWED', message: `URL not included in the external fetch backend permissions of the app: ${url} (${reason}).` },
    { 'forge-proxy-error': 'EGRESS_NOT_ALLOWED' },
  );
}

export function egressRateLimitedResponse(url: string): Response {
  return jsonResponse(
    429,
    { code: 'EGRESS_RATE_LIMITED', message: `Too many external requests: at most ${EGRESS_LIMIT_PER_RUNTIME_MINUTE} per runtime-minute per invocation (request to ${url} refused).` },
    { 'forge-proxy-error': 'EGRESS_RATE_LIMITED', 'retry-after': '60' },
  );
}

export function requestUrl(input: unknown): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  if (typeof input === 'object' && input !== null && 'url' in input && typeof (input as { url: unknown }).url === 'string') {
    return (input as { url: string }).url;
  }
  return String(input);
}
