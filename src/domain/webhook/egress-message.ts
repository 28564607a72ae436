/**
 * What to tell an admin whose URL's host is not in the app's egress allowlist. Forge refuses any fetch
 * to a host missing from manifest.yml, so the fix is a deploy, not a setting: the first sentence tells the
 * Jira admin whom to ask, the commands follow for whoever deploys the app.
 *
 * With an explicit port (one of those Forge's proxy connects to: ports.ts) the allowlist entry must carry
 * it: @forge/egress (what permissions.canFetchFrom and the platform check) compares "host:port" as one
 * name, so `siem.example.com` does not allow https://siem.example.com:8443/, and the entry must be written
 * with its scheme (`https://siem.example.com:8443`), or the part before the colon is read as the scheme.
 */
export function egressNotAllowedMessage(host: string, port = ''): string {
  const name = port === '' ? host : `${host}:${port}`;
  const ask =
    port === ''
      ? `Ask whoever installed the app to allow ${host} (it must be added to the app's allowed hosts and the app redeployed); until then the app may not send requests to it.`
      : `Ask whoever installed the app to allow ${name} (it must be added to the app's allowed hosts, port included, and the app redeployed), or use the URL on port 443 if the receiver has one; until then the app may not send requests to it.`;
  const deploy =
    port === ''
      ? `Run \`npm run egress:add -- ${host}\` (adds it to manifest.yml permissions.external.fetch.backend), then \`forge deploy\` and \`forge install --upgrade\`.`
      : `Forge's egress allowlist matches the port too: run \`npm run egress:add -- ${name}\` (adds \`https://${name}\` to manifest.yml permissions.external.fetch.backend), then \`forge deploy\` and \`forge install --upgrade\`.`;
  return `${ask} ${DEPLOYER_DETAIL} ${deploy}`;
}

/** Where the admin-facing part of the message ends and the deployer's commands begin (the page folds what follows). */
export const DEPLOYER_DETAIL = 'For the person who deploys the app:';
