import type { FormattableEvent } from './formattable-event';

/**
 * The generic JSON body for custom webhooks: Standard Webhooks' recommended envelope
 * `{ type, timestamp, data }` plus our stable event `id`, so a receiver can deduplicate on the
 * event even across different webhooks (webhook-id identifies the delivery, not the event).
 */
export interface Envelope<E extends FormattableEvent = FormattableEvent> {
  id: string;
  type: string;
  timestamp: string;
  data: E['data'];
}

export function envelopeOf<E extends FormattableEvent>(event: E): Envelope<E> {
  // Built key by key so the body's field order is fixed whatever order the event object has.
  return { id: event.id, type: event.type, timestamp: event.timestamp, data: event.data };
}

/** The exact body to sign and send. */
export function envelopeBody(event: FormattableEvent): string {
  return JSON.stringify(envelopeOf(event));
}
