import { boundEventDepth } from '../../domain/events/depth';
import { fitPayload } from '../../domain/formats/fit-payload';
import { destinationModule } from '../../domain/destinations/registry';
import type { WebhookKind } from '../../domain/webhook/model';
import type { BatchItem, DestinationModule } from '../../domain/destinations/contract';
import { evaluateTemplate, type TemplateResult } from '../../domain/templates/evaluate';
import { acceptsTemplate } from '../../domain/templates/kinds';
import type { PipelineEvent } from './audit-event';

/** Events are trimmed field by field (never dropped) before they are stored, so a body stays small. */
export const MAX_EVENT_BYTES = 64 * 1024;

/**
 * What is stored: bounded in depth (normalisation already did; this holds for any event handed to the
 * outbox) and fitted to MAX_EVENT_BYTES. Idempotent.
 */
export const trimEvent = (event: PipelineEvent): PipelineEvent => fitPayload(boundEventDepth(event), MAX_EVENT_BYTES).event;

/**
 * The body one event renders to for a kind with default settings, as its registry module renders it. The
 * drain renders each event as custom (the JSON envelope every other kind builds on) and Slack (the one
 * format that reads the event's fields to lay out a message) before fanning it out, so an event no format
 * can take is set aside once instead of failing in every job.
 */
export const renderBody = (kind: WebhookKind, event: PipelineEvent): string => destinationModule(kind).render([{ msgId: 'render-check', event }], {}, {});

/**
 * The body of one request as the webhook's payload template shapes it, or undefined when no template
 * applies (none set, or a kind with a vendor format). Evaluated at each attempt from the stored event,
 * so a retry sends the same bytes (templates read only the event). Never throws: a template that fails
 * on a real event (it passed the samples when saved) answers its problem for the delivery log.
 */
export const templatedBody = async (kind: DestinationModule, template: string | undefined, items: readonly BatchItem[]): Promise<TemplateResult | undefined> => {
  if (template === undefined || !acceptsTemplate(kind)) return undefined;
  const [first] = items;
  if (!first || items.length !== 1) return { ok: false, problem: { message: `A templated body shapes one event per request (${items.length} given).` } };
  return evaluateTemplate(template, first.event);
};
