/**
 * The payload template's part of the form's draft: which kinds take one and what create and update send.
 * The rule mirrors the backend's (src/domain/templates/kinds.ts), which refuses a template on other kinds.
 */
import { acceptsTemplate } from '../../../src/domain/templates/kinds';
import type { CreateWebhookInput, DestinationView, UpdateWebhookInput, WebhookView } from './types';

export const takesTemplate = (destination: Pick<DestinationView, 'kind'>): boolean => acceptsTemplate(destination);

/** An empty field means "no template": the default body. */
export const templateForCreate = (destination: DestinationView, text: string): Pick<CreateWebhookInput, 'template'> =>
  takesTemplate(destination) && text.trim() !== '' ? { template: text } : {};

/** Sent only when it changed: a new text, or null when the field was emptied. */
export const templateForUpdate = (webhook: WebhookView, destination: DestinationView, text: string): Pick<UpdateWebhookInput, 'template'> => {
  if (!takesTemplate(destination)) return {};
  const next = text.trim() === '' ? undefined : text;
  if (next === webhook.template) return {};
  return { template: next ?? null };
};
