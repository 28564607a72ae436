import type { HttpMethod, MaskMode, SigningMode, WebhookKind } from '../domain/webhook/model';
import type { WebhookFilters } from '../domain/webhook/event-filters';
import type { WebhookRetryPolicy } from '../domain/delivery/webhook-retry-policy';

/** What the admin page sees of a webhook: never a secret, a credential or a masked URL part. */
export interface WebhookView {
  id: string;
  /** Send it back with webhooks.update; a stale version answers CONFLICT. */
  version: number;
  kind: WebhookKind;
  name: string;
  /** Masked per maskUrl, e.g. 'https://hooks.slack.com/services/•••'. */
  url: string;
  /** Whether `url` hides part of the real URL (then leave url out of an update to keep it). */
  urlMasked: boolean;
  maskUrl: MaskMode;
  events: string[];
  enabled: boolean;
  method: HttpMethod;
  timeoutSeconds: number;
  signing: { mode: SigningMode; header?: string };
  secrets: SecretView[];
  /** The scheme only, e.g. { scheme: 'Basic' }. */
  authorization: { scheme: string } | null;
  headers: HeaderView[];
  /** The kind's non-secret settings (webhooks.list `destinations` says which fields a kind has). */
  settings: Record<string, string | number>;
  /** Keys of the kind's secret settings that are set: their values are write-only and never answered. */
  secretSettings: string[];
  /** Events per request, for kinds that batch (absent: the kind's default). */
  batchEvents?: number;
  /** The payload template (JSONata) of a custom webhook (absent: the default body). */
  template?: string;
  /** Projects, issue types and actors included or excluded (absent: every event of the subscribed types). */
  filters?: WebhookFilters;
  /** The filters in one line for the list, e.g. "Projects SEC, OPS · not actor 5b10ac8d…" (absent without filters). */
  filtersSummary?: string;
  /** How failed deliveries are retried (always answered by the app; { mode: 'default' } when the webhook has no policy of its own). */
  retryPolicy?: WebhookRetryPolicy;
  /** The policy in a few words, e.g. "Retries every 60 s, 3 times". */
  retryPolicySummary?: string;
  health: HealthView;
  createdAt: string;
  updatedAt: string;
}

export interface SecretView {
  id: string;
  /** The first 3 characters ('whs'): kept for compatibility; label and fingerprint tell secrets apart. */
  preview: string;
  /** The admin's name for the secret, or "Secret N" (its position) when it was given none. */
  label: string;
  /**
   * The first 8 hex characters of the secret's SHA-256: tells two secrets apart and matches the receiver's
   * copy, reveals nothing to sign with. Absent for a secret stored before fingerprints, until the webhook is next updated.
   */
  fingerprint?: string;
  createdAt: string;
  /** Set once the secret was removed with a grace period: it still signs until then. */
  expiresAt?: string;
}

export interface HeaderView {
  name: string;
  /** The value, or '•••' when sensitive. */
  value: string;
  sensitive: boolean;
}

/**
 * never-delivered: created or re-enabled, nothing delivered since. healthy, failing: see
 * docs/admin-api.md "Health". disabled: `disabledBy` says whether the app (410, 5 days of failure, the
 * receiver's `webhook-delivery: disable`) or an admin switched it off.
 */
export const HEALTH_VIEW_STATES = ['never-delivered', 'healthy', 'failing', 'disabled'] as const;
export type HealthViewState = (typeof HEALTH_VIEW_STATES)[number];

export interface HealthView {
  state: HealthViewState;
  /** When the state began (failing: the first failure of the run; disabled: when it was switched off). */
  since?: string;
  /** Why, in words an admin can act on (the latest error); never a secret. */
  reason?: string;
  /** For state 'disabled': who switched it off. */
  disabledBy?: 'app' | 'admin';
  /** For an admin's switch-off: their Atlassian account id (absent for webhooks switched off before it was kept). */
  disabledByAccountId?: string;
  /** The first failure of the current run of failures (disabled by the app: "recover since" this time). */
  failingSince?: string;
  /** Failed requests in a row (3 make a webhook failing). */
  consecutiveFailures?: number;
  /** The latest delivered attempt in the 8 days the aggregates keep. */
  lastSuccessAt?: string;
  /** Delivered attempts / all attempts over the last 24 hours, 0..1; absent when nothing was attempted. */
  successRate24h?: number;
}

export const EVENT_SOURCES = ['product-event', 'audit-log', 'app'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/** One entry of the event catalogue (src/domain/events), as webhooks.list returns it. */
export interface EventTypeInfo {
  type: string;
  category: string;
  description: string;
  source: EventSource;
}
