import { boundEventDepth } from '../../domain/events/depth';
import { envelopeBody } from '../../domain/formats/envelope';
import { fitPayload } from '../../domain/formats/fit-payload';
import { slackMessage } from '../../domain/formats/slack-message';
import type { PipelineEvent } from './audit-event';

/** Events are trimmed field by field (never dropped) before they are stored, so a body stays small. */
export const MAX_EVENT_BYTES = 64 * 1024;

/**
 * What is stored: bounded in depth (normalisation already did; this holds for any event handed to the
 * outbox) and fitted to MAX_EVENT_BYTES. Idempotent.
 */
export const trimEvent = (event: PipelineEvent): PipelineEvent => fitPayload(boundEventDepth(event), MAX_EVENT_BYTES).event;

/** The body a destination gets: the JSON envelope for custom webhooks, a Block Kit message for Slack. */
export const renderBody = (kind: 'custom' | 'slack', event: PipelineEvent): string =>
  kind === 'slack' ? JSON.stringify(slackMessage(event)) : envelopeBody(event);
