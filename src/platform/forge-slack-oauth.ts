import { webTrigger } from '@forge/api';
import { kvs, ForgeKvsAPIError } from '@forge/kvs';
import type { ExpiringSecretStore, SlackAppCredentials } from '../app/slack-oauth/ports';

/** The manifest's webtrigger module that Slack redirects to (its URL is the Slack app's redirect URL). */
export const SLACK_OAUTH_WEBTRIGGER = 'slack-oauth-callback';

/** The web trigger's URL for this installation (stable per module, site and environment). */
export const slackRedirectUrl = (): Promise<string> => webTrigger.getUrl(SLACK_OAUTH_WEBTRIGGER);

/**
 * The Slack app's credentials, from Forge environment variables (`forge variables set --encrypt
 * SLACK_CLIENT_SECRET ...`, then deploy). Undefined unless both are set.
 */
export const slackAppCredentials = (): SlackAppCredentials | undefined => {
  const clientId = process.env.SLACK_CLIENT_ID?.trim();
  const clientSecret = process.env.SLACK_CLIENT_SECRET?.trim();
  return clientId && clientSecret ? { clientId, clientSecret } : undefined;
};

const isKeyExists = (error: unknown): boolean =>
  error instanceof ForgeKvsAPIError && (error.responseDetails.status === 409 || /EXIST|CONFLICT|PRECONDITION/i.test(error.code));

/**
 * KVS secrets with a TTL. Expired data may still be read for a while on Forge: callers store their own
 * expiry in the value and check it.
 */
export const forgeExpiringSecretStore: ExpiringSecretStore = {
  get: <T>(key: string) => kvs.getSecret<T>(key),
  set: async <T>(key: string, value: T, options: { ttlSeconds: number }) => {
    await kvs.setSecret(key, value, { ttl: { value: Math.max(1, Math.ceil(options.ttlSeconds)), unit: 'SECONDS' } });
  },
  delete: (key: string) => kvs.deleteSecret(key),
  createOnce: async <T>(key: string, value: T) => {
    try {
      await kvs.setSecret(key, value, { keyPolicy: 'FAIL_IF_EXISTS' });
      return value;
    } catch (error) {
      if (!isKeyExists(error)) throw error;
    }
    const existing = await kvs.getSecret<T>(key);
    if (existing === undefined) throw new Error(`secret ${key} exists but could not be read`);
    return existing;
  },
};
