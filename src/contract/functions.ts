import type { z } from 'zod';
import type { ApiResult } from './envelope';
import { emptyInputSchema } from './fields';
import {
  deliveryStatsInputSchema,
  getDeliveryInputSchema,
  listDeliveriesInputSchema,
  recoverDeliveriesInputSchema,
  retryDeliveryInputSchema,
  testWebhookInputSchema,
  type DeliveryStatsView,
  type DeliveryDetailView,
  type DeliveryView,
  type TestWebhookResult,
} from './delivery-api';
import { listSetAsideInputSchema, type SetAsideView } from './pipeline-api';
import { oauthAuthorizeInputSchema, oauthStatusInputSchema, type OAuthAuthorizeStarted, type OAuthCodeStatus } from './oauth-code';
import { slackOAuthCompleteInputSchema, slackOAuthStartInputSchema, type SlackOAuthCompleted, type SlackOAuthStarted, type SlackOAuthStatus } from './slack-oauth';
import { updateSettingsInputSchema, type SettingsView } from './settings-api';
import { previewTemplateInputSchema, type TemplatePreviewResult } from './template-api';
import { createWebhookInputSchema, updateWebhookInputSchema, webhookIdInputSchema } from './webhook-inputs';
import type { DestinationView } from './destination-view';
import type { EventTypeInfo, WebhookView } from './webhook-view';

/**
 * The admin API in one place: resolver key -> input schema, and resolver key -> answer. The resolver
 * registers handlers for exactly these keys and the admin page calls them through these types, so a
 * renamed field fails to compile on both sides.
 */
export const adminInputSchemas = {
  'webhooks.list': emptyInputSchema,
  'webhooks.get': webhookIdInputSchema,
  'webhooks.create': createWebhookInputSchema,
  'webhooks.update': updateWebhookInputSchema,
  'webhooks.delete': webhookIdInputSchema,
  'webhooks.test': testWebhookInputSchema,
  'webhooks.previewTemplate': previewTemplateInputSchema,
  'secrets.random': emptyInputSchema,
  'deliveries.list': listDeliveriesInputSchema,
  'deliveries.get': getDeliveryInputSchema,
  'deliveries.retry': retryDeliveryInputSchema,
  'deliveries.recover': recoverDeliveriesInputSchema,
  'deliveries.stats': deliveryStatsInputSchema,
  'settings.get': emptyInputSchema,
  'settings.update': updateSettingsInputSchema,
  'events.setAside': listSetAsideInputSchema,
  'slack.oauthStatus': emptyInputSchema,
  'slack.oauthStart': slackOAuthStartInputSchema,
  'slack.oauthComplete': slackOAuthCompleteInputSchema,
  'webhooks.oauthAuthorize': oauthAuthorizeInputSchema,
  'webhooks.oauthStatus': oauthStatusInputSchema,
} as const;

export interface AdminOutputs {
  'webhooks.list': { webhooks: WebhookView[]; eventTypes: EventTypeInfo[]; destinations: DestinationView[] };
  'webhooks.get': { webhook: WebhookView };
  'webhooks.create': { webhook: WebhookView };
  'webhooks.update': { webhook: WebhookView };
  'webhooks.delete': { id: string };
  'webhooks.test': TestWebhookResult;
  /** The body a sample of each event type would be sent with, under a payload template or the kind's own format (docs/admin-api.md). */
  'webhooks.previewTemplate': TemplatePreviewResult;
  /** A fresh secret, not stored: the one answer that carries a whole secret, by design. */
  'secrets.random': { secret: string };
  'deliveries.list': { deliveries: DeliveryView[]; nextCursor?: string };
  'deliveries.get': DeliveryDetailView;
  'deliveries.retry': { delivery: DeliveryView };
  'deliveries.recover': { recovered: number; nextCursor?: string };
  /** Hourly attempt counts and latency from the aggregates (kept 8 days). */
  'deliveries.stats': DeliveryStatsView;
  'settings.get': { settings: SettingsView };
  'settings.update': { settings: SettingsView };
  /** Read-only: the events the pipeline set aside (docs/events.md, "Poison isolation"), newest first, 14 days kept. */
  'events.setAside': { entries: SetAsideView[]; nextCursor?: string };
  /** "Add to Slack" (docs/destinations/slack.md): whether it is set up, its start and its completion. */
  'slack.oauthStatus': SlackOAuthStatus;
  'slack.oauthStart': SlackOAuthStarted;
  'slack.oauthComplete': SlackOAuthCompleted;
  /** "Authorize" for authorization-code custom webhooks (docs/destinations.md, OAuth 2.0): the consent URL, and whether it is authorized. */
  'webhooks.oauthAuthorize': OAuthAuthorizeStarted;
  'webhooks.oauthStatus': OAuthCodeStatus;
}

export type AdminFunctionKey = keyof typeof adminInputSchemas;
export const ADMIN_FUNCTION_KEYS = Object.keys(adminInputSchemas) as AdminFunctionKey[];

/**
 * Whether a resolver call names one of the admin functions. An own-property check: "constructor",
 * "toString" or "__proto__" are keys of every object's prototype, never of this list.
 */
export const isAdminFunctionKey = (key: unknown): key is AdminFunctionKey => typeof key === 'string' && Object.hasOwn(adminInputSchemas, key);

/** The NOT_FOUND answer to any other function key; it echoes nothing of the call. */
export const UNKNOWN_FUNCTION_MESSAGE =
  'The app has no admin function by this name. Reload the admin page (it may be older than the installed app); docs/admin-api.md lists the functions.';

/** What the admin page sends. */
export type AdminInput<K extends AdminFunctionKey> = z.input<(typeof adminInputSchemas)[K]>;
/** What a handler receives after parsing (names trimmed). */
export type AdminParsedInput<K extends AdminFunctionKey> = z.output<(typeof adminInputSchemas)[K]>;
export type AdminOutput<K extends AdminFunctionKey> = AdminOutputs[K];
export type AdminResult<K extends AdminFunctionKey> = ApiResult<AdminOutput<K>>;

/** The shape of a typed client: the admin page implements it over @forge/bridge invoke. */
export type AdminClient = <K extends AdminFunctionKey>(key: K, input: AdminInput<K>) => Promise<AdminResult<K>>;
