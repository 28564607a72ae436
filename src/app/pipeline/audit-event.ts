import { z } from 'zod';
import { passesFilters, type WebhookFilters } from '../../domain/webhook/event-filters';
import { HEALTH_ALERT_TYPES, OPT_IN_ALERT_TYPES } from '../../domain/events/health-alerts';

/** The normalised event as the pipeline stores and delivers it (see docs/events.md for the full data model). */
export const pipelineEventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  timestamp: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});
export type PipelineEvent = z.infer<typeof pipelineEventSchema>;

/** A webhook subscribed to ["*"] gets every type, including types added later, except the failure alerts it must list (OPT_IN_ALERT_TYPES says why). */
const isSubscribed = (events: readonly string[], type: string): boolean => events.includes(type) || (events.includes('*') && !OPT_IN_ALERT_TYPES.includes(type));

const aboutWebhook = (event: PipelineEvent, webhookId: string): boolean => {
  const object = event.data.object;
  return typeof object === 'object' && object !== null && (object as { id?: unknown }).id === webhookId;
};

/**
 * A webhook gets the events that happen once it exists: its own `app.webhook.created` is not one of them
 * (every other webhook subscribed to it gets it), so a new receiver's first message is real traffic.
 */
const isOwnCreation = (event: PipelineEvent, webhookId: string): boolean => event.type === 'app.webhook.created' && aboutWebhook(event, webhookId);

/**
 * A webhook never hears about its own health (failing, recovered, disabled by the app): an endpoint that
 * is down cannot take the news, and each failed alert to it would be one more failure of its own. Alerts
 * go to the other webhooks subscribed to them.
 */
const isOwnHealthAlert = (event: PipelineEvent, webhookId: string): boolean =>
  (HEALTH_ALERT_TYPES as readonly string[]).includes(event.type) && aboutWebhook(event, webhookId);

export const isDeliveredTo = (webhook: { id: string; events: readonly string[]; filters?: WebhookFilters }, event: PipelineEvent): boolean =>
  isSubscribed(webhook.events, event.type) && !isOwnCreation(event, webhook.id) && !isOwnHealthAlert(event, webhook.id) && passesFilters(webhook.filters, event);
