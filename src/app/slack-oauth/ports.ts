import type { AdminOutput, AdminParsedInput } from '../../contract/functions';
import type { EventTypeInfo } from '../../contract/webhook-view';
import type { Clock, HttpSender, IdSource, KeyValueStore, Logger } from '../ports';

/** The Slack app's OAuth credentials (Forge variables SLACK_CLIENT_ID and SLACK_CLIENT_SECRET). */
export interface SlackAppCredentials {
  clientId: string;
  clientSecret: string;
}

/** Encrypted storage with expiry (Forge KVS secrets with a TTL), and a value created once. */
export interface ExpiringSecretStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, options: { ttlSeconds: number }): Promise<void>;
  delete(key: string): Promise<void>;
  /** Stores `value` unless the key exists; answers what is stored after (the first writer's value). */
  createOnce<T>(key: string, value: T): Promise<T>;
}

/** What "Add to Slack" needs of the webhook use cases: a create as the admin, with its audit event. */
export interface SlackWebhookCreator {
  create(actor: string, input: AdminParsedInput<'webhooks.create'>): Promise<AdminOutput<'webhooks.create'>>;
  names(): Promise<string[]>;
}

export interface SlackOAuthDeps {
  kvs: KeyValueStore;
  secrets: ExpiringSecretStore;
  clock: Clock;
  ids: IdSource;
  http: HttpSender;
  logger: Logger;
  /** undefined when the app has no Slack app configured */
  credentials: () => SlackAppCredentials | undefined;
  /** The redirect URI: the web trigger's URL (Forge webTrigger.getUrl). */
  redirectUrl: () => Promise<string>;
  webhooks: SlackWebhookCreator;
  eventTypes: readonly EventTypeInfo[];
}
