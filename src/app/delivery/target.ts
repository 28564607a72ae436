import type { EndpointHealth } from '../../domain/delivery/health';
import type { Settings } from '../../domain/destinations/contract';
import type { SigningMode } from '../../domain/signing';
import type { WebhookKind } from '../../domain/webhook/model';
import type { WebhookRetryPolicy } from '../../domain/delivery/webhook-retry-policy';

/** Everything the engine needs to sign and send to one webhook. Holds secrets: never log it. */
export interface DeliveryTarget {
  id: string;
  name: string;
  kind: WebhookKind;
  url: string;
  /** The URL as the admin page shows it (masked parts hidden): the only form written to logs. */
  displayUrl: string;
  method: 'POST' | 'PUT';
  timeoutSeconds: number;
  signing: { mode: SigningMode; header?: string };
  /** Active secrets, newest first, including removed ones still inside their grace period. */
  secrets: string[];
  /** The whole Authorization header value, if set. */
  authorization?: string;
  headers: { name: string; value: string; sensitive: boolean }[];
  /** The kind's settings, its secret ones (credentials) included. */
  settings: Settings;
  /** Events per request for kinds that batch; absent means the kind's default. */
  batchEvents?: number;
  /** A payload template (JSONata) that reshapes a custom webhook's body; absent: the kind's own body. */
  template?: string;
  /** How failed deliveries are retried (webhook-retry-policy.ts); absent: the default schedule. */
  retryPolicy?: WebhookRetryPolicy;
  enabled: boolean;
  /** The endpoint's stored health, when read together with the config (saves the engine a second read). */
  health?: EndpointHealth;
}

export interface DeliveryTargets {
  get(webhookId: string): Promise<DeliveryTarget | undefined>;
  health(webhookId: string): Promise<EndpointHealth>;
  setHealth(webhookId: string, health: EndpointHealth): Promise<void>;
}
