/**
 * What to tell an admin whose URL's host is not in the app's egress allowlist. Forge refuses any fetch
 * to a host missing from manifest.yml, so the fix is a deploy, not a setting.
 */
export function egressNotAllowedMessage(host: string): string {
  return (
    `The app may not send requests to ${host} yet. Add it with \`npm run egress:add -- ${host}\` ` +
    '(adds it to manifest.yml permissions.external.fetch.backend), then `forge deploy` and `forge install --upgrade`.'
  );
}
