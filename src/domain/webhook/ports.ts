import { FORGE_EGRESS, listPorts } from '../../../forge-limits';

/**
 * The ports a webhook URL may use: the ones Forge's egress proxy connects to (forge-limits: Forge docs,
 * Node.js runtime, "HTTPS only"), 443 first as the default, the others ascending. Any other port fails
 * on every attempt whatever manifest.yml allows, so an admin learns it when saving.
 *
 * Port 80 is on Forge's list but left out here: the app sends https only (Forge too: "All external
 * connections must be done through HTTPS"), and a receiver on port 80 answers plain HTTP, so a TLS request
 * to it can never succeed.
 */
export const WEBHOOK_PORTS: readonly number[] = Object.freeze([
  443,
  ...FORGE_EGRESS.allowedPorts.filter((port) => port !== 80 && port !== 443).sort((a, b) => a - b),
]);

/** Whether a URL's port (as `URL.port` gives it: '' means 443) is one a webhook may use. */
export const isWebhookPort = (port: string | number): boolean => WEBHOOK_PORTS.includes(port === '' ? 443 : Number(port));

const OTHER_PORTS = listPorts(WEBHOOK_PORTS.filter((port) => port !== 443));

const BEHIND_A_PROXY =
  'If the receiver listens on another port (Splunk HEC on 8088, QRadar on 12469), put a reverse proxy or load balancer on port 443 or 8443 in front of it and use its URL.';

/** What to tell an admin whose URL (or egress entry) has a port Forge cannot reach; shared by the admin API and `npm run egress:add`. */
export function webhookPortProblem(port: string | number): string {
  if (Number(port) === 80) {
    return `Leave out port 80: receivers answer plain HTTP there, and the app sends audit data over https only. Use port 443 (leave the port out) or ${OTHER_PORTS}, the other ports Forge's egress proxy connects to. ${BEHIND_A_PROXY}`;
  }
  return `Forge cannot reach port ${port}: its egress proxy connects only to port 443 (leave the port out) and ${OTHER_PORTS}. ${BEHIND_A_PROXY}`;
}
