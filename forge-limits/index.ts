/**
 * Forge platform limits: facts about Forge, not about this app. One table that the app (src/), the local
 * Forge host (dev/), the benchmark (bench/) and the scripts can all import, which is why it lives outside
 * them: dev/ must not import app code (it hosts any Forge app), and src/domain/ must not import dev/.
 * It imports nothing and runs anywhere, the browser included (the admin page names the ports).
 *
 * Sources: the Forge documentation (mirror: the public repository minhhai2209/forge-docs-snapshot,
 * mirror/<path>/index.md, snapshot 2026-08-22, commit 39ba7b91b38ce4ea5acc063d575fc1faa39cd794) and the
 * project's shared reference forge-platform.md.
 */
export const FORGE_EGRESS = {
  /**
   * The only ports Forge's egress proxy connects to, whatever permissions.external.fetch.backend lists.
   * Forge docs, Node.js runtime (function-reference/nodejs-runtime), "HTTPS only": the proxy allows the
   * `port` option "Only 80, 8080, 443, 8443, 8444, 7990, 8089, 8090, 8085 and 8060." Same order as there.
   */
  allowedPorts: [80, 8080, 443, 8443, 8444, 7990, 8089, 8090, 8085, 8060],
  /** External requests per runtime-minute per invocation, requestJira excluded (forge-platform.md, limits). */
  requestsPerRuntimeMinutePerInvocation: 100,
} as const;

export type ForgeEgressPort = (typeof FORGE_EGRESS.allowedPorts)[number];

/** Whether Forge's egress proxy connects to this port of an https URL (a URL's `port`: '' is 443). */
export function isForgeEgressPort(port: number | string): boolean {
  return (FORGE_EGRESS.allowedPorts as readonly number[]).includes(port === '' ? 443 : Number(port));
}

/** "80, 8080, 443, ... and 8060", as the Forge docs write the list. */
export function listPorts(ports: readonly number[]): string {
  return ports.length < 2 ? ports.join('') : `${ports.slice(0, -1).join(', ')} and ${ports[ports.length - 1]}`;
}
