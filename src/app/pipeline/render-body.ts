import { boundEventDepth } from '../../domain/events/depth';
import { fitPayload } from '../../domain/formats/fit-payload';
import { destinationModule } from '../../domain/destinations/registry';
import type { WebhookKind } from '../../domain/webhook/model';
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
