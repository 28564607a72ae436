import { z } from 'zod';
import { inputObject, oneOf, text } from './fields';
import { TEMPLATE_LIMITS } from '../domain/templates/limits';
import { WEBHOOK_KINDS } from '../domain/webhook/model';

/** Event types one preview renders: the form asks for one at a time; a few keep an API call well inside the resolver's 25 s. */
export const PREVIEW_EVENT_TYPES_MAX = 10;

/** webhooks.previewTemplate: what a template (or, without one, the kind's own format) makes of a sample of each event type. Stores nothing. */
export const previewTemplateInputSchema = inputObject({
  /** Absent or empty: the body the kind sends without a template. */
  template: text('the template')
    .max(TEMPLATE_LIMITS.maxTemplateChars, { error: `Shorten the template to at most ${TEMPLATE_LIMITS.maxTemplateChars} characters.` })
    .optional(),
  /** Catalogue types to render a sample of (absent: issue.created). */
  eventTypes: z
    .array(text('an event type'), { error: 'Send eventTypes as a list of event types, e.g. ["issue.created"].' })
    .min(1, { error: 'Name at least one event type, e.g. ["issue.created"].' })
    .max(PREVIEW_EVENT_TYPES_MAX, { error: `Preview at most ${PREVIEW_EVENT_TYPES_MAX} event types at once.` })
    .optional(),
  /** The webhook's kind (absent: custom): a kind without templates shows its own format. */
  kind: oneOf('the kind', WEBHOOK_KINDS).optional(),
});
export type PreviewTemplateInput = z.input<typeof previewTemplateInputSchema>;

/** The body one sample event would be sent with, or why the template fails for it. */
export type TemplatePreview =
  | {
      eventType: string;
      ok: true;
      /** Exactly the bytes that would be sent (and signed). */
      body: string;
      /** The same body indented for reading (a JSON body; other formats as sent). */
      pretty: string;
      bytes: number;
    }
  | { eventType: string; ok: false; problem: { message: string; position?: number } };

export interface TemplatePreviewResult {
  previews: TemplatePreview[];
}
