import type { SettingValue } from '../../domain/destinations/contract';
import type { HttpMethod, MaskMode, WebhookKind } from '../../domain/webhook/model';
import type { SigningConfig } from '../../domain/webhook/signing-rules';
import type { WebhookFilters } from '../../domain/webhook/event-filters';
import type { WebhookRetryPolicy } from '../../domain/delivery/webhook-retry-policy';

/**
 * What is stored per webhook, split by sensitivity (layout: webhook-repository.ts). The record is
 * readable config; the material holds everything that could let someone send as us or read the
 * receiver's token, and lives only in the encrypted SecretStore.
 */
export interface WebhookRecord {
  /** Bumped when the stored shape changes, so a later version can migrate old records. */
  schema: 1;
  id: string;
  version: number;
  kind: WebhookKind;
  name: string;
  events: string[];
  /** The admin's switch. The delivery engine's auto-disable is in health, not here. */
  enabled: boolean;
  disabledAt?: string;
  /**
   * The account id of the admin who switched it off, set with disabledAt by WebhookAdmin.update and dropped
   * on re-enable, for the health view's "Disabled by an admin" (who, when). Edits keep it: planUpdate copies
   * the record's fields.
   */
  disabledBy?: string;
  method: HttpMethod;
  timeoutSeconds: number;
  signing: SigningConfig;
  maskUrl: MaskMode;
  /** The URL as it may be shown (maskUrl applied when saved). */
  displayUrl: string;
  urlMasked: boolean;
  secrets: SecretMetadata[];
  authorization: { scheme: string } | null;
  headers: StoredHeader[];
  /** The kind's non-secret settings (src/domain/destinations); absent on records written before kinds had settings. */
  settings?: Record<string, SettingValue>;
  /** Keys of the kind's secret settings that are set (their values are in the material's `credentials`). */
  secretSettings?: string[];
  /** Events per request for kinds that batch; absent means the kind's default. */
  batchEvents?: number;
  /** A payload template (JSONata) that reshapes the body of a custom webhook; absent: the default envelope. */
  template?: string;
  /** Projects, issue types and actors to include or exclude, applied before fan-out; absent: none. */
  filters?: WebhookFilters;
  /** How failed deliveries are retried; absent: the default schedule (never stored as { mode: 'default' }). */
  retryPolicy?: WebhookRetryPolicy;
  createdAt: string;
  updatedAt: string;
}

export interface SecretMetadata {
  id: string;
  preview: string;
  /** The admin's name for it ("Rotation Nov 2026"), or "Secret N"; absent on secrets stored before labels. */
  label?: string;
  /** First 8 hex characters of the secret's SHA-256 (secretFingerprint), computed where the value is known: on write. */
  fingerprint?: string;
  createdAt: string;
  /** Removed with a grace period: still signs until this time, then is dropped. */
  expiresAt?: string;
}

/** Non-sensitive headers keep their value here; sensitive ones only their name (value in the material). */
export interface StoredHeader {
  name: string;
  sensitive: boolean;
  value?: string;
}

export interface WebhookSecretMaterial {
  url: string;
  secrets: { id: string; value: string }[];
  authorization?: string;
  /** Header name (as configured) -> value. */
  sensitiveHeaders: Record<string, string>;
  /** The kind's secret settings, key -> value (Splunk's HEC token, an OAuth client secret). */
  credentials?: Record<string, string>;
}

/** A secret is active (signs) until its expiresAt, if it has one. */
export const isActiveSecret = (secret: SecretMetadata, now: Date): boolean =>
  secret.expiresAt === undefined || Date.parse(secret.expiresAt) > now.getTime();
