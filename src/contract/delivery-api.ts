import { z } from 'zod';
import type { HttpMethod } from '../domain/webhook/model';
import { flag, idOf, inputObject, oneOf, text, wholeNumber } from './fields';
import { webhookIdInputSchema, webhookIdSchema } from './webhook-inputs';

/** deliveries.* and webhooks.test: inputs as zod schemas, answers as types. */

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const ATTEMPT_OUTCOMES = ['delivered', 'retry', 'failed'] as const;
export const ERROR_CLASSES = ['dns', 'refused', 'reset', 'timeout', 'tls', 'redirect', 'http', 'blocked-egress', 'other'] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

export const DELIVERIES_PAGE_DEFAULT = 25;
export const DELIVERIES_PAGE_MAX = 100;
/** Svix's recovery window; the delivery log keeps batches 14 days, so older events cannot be re-sent. */
export const RECOVER_MAX_DAYS = 14;

const isoDateTime = (name: string) =>
  z.iso.datetime({ offset: true, error: `Enter ${name} as an ISO date-time, e.g. 2026-11-02T08:00:00Z.` });

/** A time range of the log: `from` and `to` both optional, inclusive, and in order. */
const rangeInOrder = (input: { from?: string; to?: string }, ctx: z.RefinementCtx) => {
  if (input.from && input.to && Date.parse(input.from) > Date.parse(input.to)) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'Choose a "to" time after the "from" time.' });
  }
};

export const listDeliveriesInputSchema = inputObject({
  webhookId: webhookIdSchema.optional(),
  outcome: oneOf('the delivery status', DELIVERY_STATUSES).optional(),
  test: flag('to list only test deliveries').optional(),
  /** Deliveries created at or after this time. */
  from: isoDateTime('from').optional(),
  /** Deliveries created at or before this time. */
  to: isoDateTime('to').optional(),
  /** An event type exactly as listed by webhooks.list (e.g. issue.deleted). */
  eventType: text('the event type').max(200, { error: 'An event type has at most 200 characters.' }).optional(),
  /** An event id exactly as shown in a delivery (the webhook-id header names the message, not the event). */
  eventId: text('the event id').max(200, { error: 'An event id has at most 200 characters.' }).optional(),
  cursor: text('the cursor from the previous page (nextCursor)').max(1000, { error: 'Pass nextCursor exactly as the previous page returned it.' }).optional(),
  limit: wholeNumber('the page size', 1, DELIVERIES_PAGE_MAX).optional(),
}).superRefine(rangeInOrder);

export const retryDeliveryInputSchema = inputObject({ id: idOf('delivery') });
export const getDeliveryInputSchema = inputObject({ id: idOf('delivery') });

/** The 14-day bound needs the clock, so the use case checks it with recoverSinceProblem. */
export const recoverDeliveriesInputSchema = inputObject({
  webhookId: webhookIdSchema,
  since: isoDateTime('since'),
  /** The range's newest end ("Retry all failed" for a time range); without it, up to now. */
  to: isoDateTime('to').optional(),
  /** Only failed deliveries ("Retry all failed"); without it, failed and skipped ones (recovery after an outage). */
  onlyFailed: flag('to re-send only failed deliveries, not skipped ones').optional(),
  /** A long recovery goes on in further calls: pass the nextCursor of the previous answer. */
  cursor: text('the cursor from the previous answer (nextCursor)').max(1000, { error: 'Pass nextCursor exactly as the previous answer returned it.' }).optional(),
}).superRefine((input, ctx) => rangeInOrder({ from: input.since, ...(input.to ? { to: input.to } : {}) }, ctx));

export function recoverSinceProblem(since: string, now: Date): string | undefined {
  const sinceMs = Date.parse(since);
  if (sinceMs > now.getTime()) return 'Choose a time in the past.';
  if (now.getTime() - sinceMs > RECOVER_MAX_DAYS * 24 * 3600 * 1000) {
    return `Choose a time at most ${RECOVER_MAX_DAYS} days back: older deliveries are no longer kept.`;
  }
  return undefined;
}

export const testWebhookInputSchema = webhookIdInputSchema;

/** deliveries.stats: the last 24 hours or 7 days (168 hours), hour by hour. */
export const STATS_HOURS = [24, 168] as const;
export const deliveryStatsInputSchema = inputObject({
  /** One webhook's series; absent: summed over every webhook. */
  webhookId: webhookIdSchema.optional(),
  hours: z.union([z.literal(24), z.literal(168)], { error: 'Choose hours 24 (a day) or 168 (7 days).' }),
});
export type DeliveryStatsInput = z.input<typeof deliveryStatsInputSchema>;

/** One hour of attempts: counts by outcome (an event of a batch counts once) and request durations. */
export interface StatsBucketView {
  /** The hour's start, ISO date-time (UTC). */
  hour: string;
  delivered: number;
  /** Failed for good: permanent answers, the last retry, the endpoint gone. */
  failed: number;
  /** Failed and retried later. */
  retried: number;
  /** Sum and count of request durations: mean latency = durationMsSum / durationCount. */
  durationMsSum: number;
  durationCount: number;
}

export interface DeliveryStatsView {
  webhookId?: string;
  hours: number;
  /** Oldest first, one per hour, the current hour last; zeros where nothing was attempted. */
  buckets: StatsBucketView[];
}

export type ListDeliveriesInput = z.input<typeof listDeliveriesInputSchema>;
export type RetryDeliveryInput = z.input<typeof retryDeliveryInputSchema>;
export type GetDeliveryInput = z.input<typeof getDeliveryInputSchema>;

/** deliveries.get: one delivery for the inspector, with the request body rebuilt (the log keeps headers only). */
export interface DeliveryDetailView {
  delivery: DeliveryView;
  /** The body the message was sent with, scrubbed of credentials; absent when it can no longer be rebuilt. */
  requestBody?: string;
}
export type RecoverDeliveriesInput = z.input<typeof recoverDeliveriesInputSchema>;
export type TestWebhookInput = z.input<typeof testWebhookInputSchema>;

export interface RequestView {
  method: HttpMethod;
  /** Masked like WebhookView.url. */
  url: string;
  /** Secret values (Authorization, sensitive headers) shown as their first 3 characters + '•••'. */
  headers: Record<string, string>;
}

export interface ResponseView {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
}

export interface AttemptView {
  number: number;
  at: string;
  outcome: (typeof ATTEMPT_OUTCOMES)[number];
  httpStatus?: number;
  durationMs: number;
  errorClass?: ErrorClass;
  errorMessage?: string;
  request: RequestView;
  response?: ResponseView;
}

export interface DeliveryView {
  /** The message id, sent as webhook-id. */
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

export interface TestWebhookResult {
  deliveryId: string;
  request: RequestView & { body: string };
  response?: ResponseView & { durationMs: number };
  error?: { class: ErrorClass; message: string };
}
