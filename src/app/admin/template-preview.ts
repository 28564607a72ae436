import { ApiFailure } from '../../contract/envelope';
import type { AdminOutput, AdminParsedInput } from '../../contract/functions';
import type { TemplatePreview } from '../../contract/template-api';
import { destinationModule } from '../../domain/destinations/registry';
import { renderSamples } from '../../domain/templates/check';
import { acceptsTemplate } from '../../domain/templates/kinds';
import { sampleEvent } from '../../domain/templates/sample-event';
import { renderBody } from '../pipeline/render-body';

/** Indented for reading when the body is JSON (Elastic's bulk lines are not one JSON value: shown as sent). */
const prettyOf = (body: string): string => {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
};

const shown = (eventType: string, body: string): TemplatePreview => ({ eventType, ok: true, body, pretty: prettyOf(body), bytes: Buffer.byteLength(body) });

/**
 * webhooks.previewTemplate: the body a sample of each event type would be sent with, under the given
 * template (the same limits as delivery), or under the kind's own format without one: the form's
 * "Content sample". Stores nothing and sends nothing, so it needs no lock.
 */
export const previewTemplate = async (input: AdminParsedInput<'webhooks.previewTemplate'>): Promise<AdminOutput<'webhooks.previewTemplate'>> => {
  const kindName = input.kind ?? 'custom';
  const kind = destinationModule(kindName);
  const types = input.eventTypes ?? ['issue.created'];
  const unknown = types.flatMap((type, index) => (sampleEvent(type) ? [] : [[`eventTypes.${index}`, `${type} is not an event type of the catalogue (webhooks.list answers eventTypes).`] as const]));
  const template = input.template !== undefined && input.template.trim() !== '' ? input.template : undefined;
  const fields: Record<string, string> = Object.fromEntries(unknown);
  if (template !== undefined && !acceptsTemplate(kind)) fields.template = `Remove the template: ${kind.label} messages have the format the vendor reads; templates reshape custom webhooks only.`;
  if (Object.keys(fields).length > 0) throw new ApiFailure('VALIDATION', Object.values(fields).join(' '), fields);

  if (template === undefined) {
    return {
      previews: types.map((type): TemplatePreview => {
        const sample = sampleEvent(type);
        try {
          if (!sample) throw new Error('checked above');
          return shown(type, renderBody(kindName, sample));
        } catch {
          return { eventType: type, ok: false, problem: { message: `${kind.label} could not format a sample of ${type}: its real events are formatted the same way, so check docs/destinations.md for this kind.` } };
        }
      }),
    };
  }
  const samples = await renderSamples(template, types);
  return { previews: samples.map(({ eventType, result }) => (result.ok ? shown(eventType, result.body) : { eventType, ok: false, problem: result.problem })) };
};
