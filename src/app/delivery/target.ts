import type { EndpointHealth } from '../../domain/delivery/health';
import type { SigningMode } from '../../domain/signing';

/** Everything the engine needs to sign and send to one webhook. Holds secrets: never log it. */
export interface DeliveryTarget {
  id: string;
  name: string;
  kind: 'custom' | 'slack';
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
  enabled: boolean;
  /** The endpoint's stored health, when read together with the config (saves the engine a second read). */
  health?: EndpointHealth;
}

export interface DeliveryTargets {
  get(webhookId: string): Promise<DeliveryTarget | undefined>;
  health(webhookId: string): Promise<EndpointHealth>;
  setHealth(webhookId: string, health: EndpointHealth): Promise<void>;
}
