import { envelopeBody } from '../formats/envelope';
import { evaluateTemplate, type TemplateResult } from './evaluate';
import type { TemplateLimits } from './limits';
import { TEMPLATE_LIMITS } from './limits';
import { sampleEvent, subscribedSampleTypes } from './sample-event';

export interface SampleBody {
  eventType: string;
  result: TemplateResult;
}

/**
 * Runs a template (or, with none, the default body) over the sample of each type, in order. A template
 * shapes events of types the admin subscribed to, so it is checked against each of them before it is
 * saved: a path that exists only for issues fails here for `audit.permissions`, not at 3 a.m.
 */
export const renderSamples = async (template: string | undefined, types: readonly string[], limits: TemplateLimits = TEMPLATE_LIMITS): Promise<SampleBody[]> => {
  const bodies: SampleBody[] = [];
  for (const type of types) {
    const event = sampleEvent(type);
    if (!event) continue;
    bodies.push({
      eventType: type,
      result: template === undefined ? { ok: true, body: envelopeBody(event) } : await evaluateTemplate(template, event, limits),
    });
  }
  return bodies;
};

/** The first problem of a template over the samples of a subscription, naming the event type; undefined when every sample renders. */
export const templateProblemFor = async (template: string, events: readonly string[], limits: TemplateLimits = TEMPLATE_LIMITS): Promise<string | undefined> => {
  for (const type of subscribedSampleTypes(events)) {
    const [sample] = await renderSamples(template, [type], limits);
    if (sample && !sample.result.ok) return `For ${type} events: ${sample.result.problem.message}`;
  }
  return undefined;
};
