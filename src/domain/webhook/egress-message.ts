/**
 * What to tell an admin whose URL's host is not in the app's egress allowlist. Forge refuses any fetch
 * to a host missing from manifest.yml, so the fix is a deploy, not a setting.
 *
 * With an explicit port (one of those Forge's proxy connects to: ports.ts) the allowlist entry must carry
 * it: @forge/egress (what permissions.canFetchFrom and the platform check) compares "host:port" as one
 * name, so `siem.example.com` does not allow https://siem.example.com:8443/, and the entry must be written
 * with its scheme (`https://siem.example.com:8443`), or the part before the colon is read as the scheme.
 */
export function egressNotAllowedMessage(host: string, port = ''): string {
  if (port !== '') {
    return (
      `The app may not send requests to ${host}:${port} yet: Forge's egress allowlist matches the port too. ` +
      `Add \`https://${host}:${port}\` to manifest.yml permissions.external.fetch.backend (\`npm run egress:add -- ${host}:${port}\` does that), ` +
      'then `forge deploy` and `forge install --upgrade`; or use the URL on port 443 if the receiver has one.'
    );
  }
  return (
    `The app may not send requests to ${host} yet. Add it with \`npm run egress:add -- ${host}\` ` +
    '(adds it to manifest.yml permissions.external.fetch.backend), then `forge deploy` and `forge install --upgrade`.'
  );
}
