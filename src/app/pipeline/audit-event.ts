import { z } from 'zod';

/** The normalised event as the pipeline stores and delivers it (see docs/events.md for the full data model). */
export const pipelineEventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  timestamp: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});
export type PipelineEvent = z.infer<typeof pipelineEventSchema>;

/** A webhook subscribed to ["*"] gets every type, including types added later. */
const isSubscribed = (events: readonly string[], type: string): boolean => events.includes('*') || events.includes(type);

/**
 * A webhook gets the events that happen once it exists: its own `app.webhook.created` is not one of them
 * (every other webhook subscribed to it gets it), so a new receiver's first message is real traffic.
 */
const isOwnCreation = (event: PipelineEvent, webhookId: string): boolean => {
  const object = event.data.object;
  return event.type === 'app.webhook.created' && typeof object === 'object' && object !== null && (object as { id?: unknown }).id === webhookId;
};

export const isDeliveredTo = (webhook: { id: string; events: readonly string[] }, event: PipelineEvent): boolean =>
  isSubscribed(webhook.events, event.type) && !isOwnCreation(event, webhook.id);
