/**
 * The admin API shapes as the page uses them, from src/contract/CONTRACT.md.
 * TODO(contract): once src/contract exports these types, re-export them from there instead.
 */
export type { ApiError, ApiResult, ErrorCode } from '../../../src/contract/envelope';

export type WebhookKind = 'custom' | 'slack';
export type HttpMethod = 'POST' | 'PUT';
export type SigningMode = 'standard' | 'base64-list' | 'hub';
export type MaskUrl = 'none' | 'query' | 'path-and-query';
export type HealthState = 'healthy' | 'failing' | 'disabled';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped';
export type AttemptOutcome = 'delivered' | 'retry' | 'failed';
export type ErrorClass =
  | 'dns'
  | 'refused'
  | 'reset'
  | 'timeout'
  | 'tls'
  | 'redirect'
  | 'http'
  | 'blocked-egress'
  | 'other';

export interface EventTypeInfo {
  type: string;
  category: string;
  description: string;
  source: 'product-event' | 'audit-log' | 'app';
}

export type AuthorizationInput =
  | { type: 'raw'; value: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string };

export interface HeaderInput {
  name: string;
  value?: string;
  sensitive?: boolean;
}

export interface SigningConfig {
  mode: SigningMode;
  header?: string;
}

export interface CreateWebhookInput {
  kind: WebhookKind;
  name: string;
  url: string;
  events: string[];
  enabled?: boolean;
  method?: HttpMethod;
  timeoutSeconds?: number;
  signing?: SigningConfig;
  secrets?: string[];
  authorization?: AuthorizationInput;
  headers?: HeaderInput[];
  maskUrl?: MaskUrl;
}

export interface UpdateWebhookInput {
  id: string;
  version: number;
  name?: string;
  url?: string;
  events?: string[];
  enabled?: boolean;
  method?: HttpMethod;
  timeoutSeconds?: number;
  signing?: SigningConfig;
  maskUrl?: MaskUrl;
  authorization?: AuthorizationInput | null;
  headers?: HeaderInput[];
  secretsAdd?: string[];
  secretsRemove?: { id: string; graceHours?: number }[];
}

export interface SecretView {
  id: string;
  preview: string;
  createdAt: string;
  expiresAt?: string;
}

export interface WebhookView {
  id: string;
  version: number;
  kind: WebhookKind;
  name: string;
  url: string;
  urlMasked: boolean;
  events: string[];
  enabled: boolean;
  method: HttpMethod;
  timeoutSeconds: number;
  signing: SigningConfig;
  secrets: SecretView[];
  authorization: { scheme: string } | null;
  headers: { name: string; value: string; sensitive: boolean }[];
  health: { state: HealthState; since?: string; reason?: string };
  createdAt: string;
  updatedAt: string;
}

export interface HttpRequestView {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponseView {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
  durationMs?: number;
}

export interface TestResult {
  deliveryId: string;
  request: HttpRequestView;
  response?: HttpResponseView;
  error?: { class: ErrorClass | string; message: string };
}

export interface AttemptView {
  number: number;
  at: string;
  outcome: AttemptOutcome;
  httpStatus?: number;
  durationMs: number;
  errorClass?: ErrorClass;
  errorMessage?: string;
  request: HttpRequestView;
  response?: HttpResponseView;
}

export interface DeliveryView {
  id: string;
  webhookId: string;
  webhookName: string;
  eventId: string;
  eventType: string;
  test: boolean;
  status: DeliveryStatus;
  createdAt: string;
  updatedAt: string;
  nextAttemptAt?: string;
  attempts: AttemptView[];
}

export interface DeliveryQuery {
  webhookId?: string;
  outcome?: DeliveryStatus;
  test?: boolean;
  cursor?: string;
  limit?: number;
}

export interface SettingsView {
  version: number;
  auditPoll: { enabled: boolean; lastPolledAt?: string; cursor?: string; lastError?: string };
  installedAt: string;
}

export interface SettingsUpdate {
  version: number;
  auditPoll?: { enabled: boolean };
  backfillDays?: number;
}
