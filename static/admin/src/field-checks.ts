/**
 * Checks as you type in the create/edit form, with the contract's own zod rules (src/contract), so a
 * field says what is wrong before saving in the same words the API would answer with. Rules that need
 * stored state (unique names, egress allowed, the event catalogue) stay the API's: the save answers them.
 */
import type { z } from 'zod';
import { eventsSchema, timeoutSecondsSchema, webhookNameSchema, webhookUrlSchema } from '../../../src/contract/webhook-inputs';

function firstProblem(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}

export const nameProblem = (name: string): string | undefined => firstProblem(webhookNameSchema, name);

/** An empty URL on edit keeps the stored one, so only a typed URL is checked there. */
export const urlProblem = (url: string, required: boolean): string | undefined =>
  url.trim() === '' && !required ? undefined : firstProblem(webhookUrlSchema, url.trim());

export const timeoutProblem = (seconds: string): string | undefined =>
  firstProblem(timeoutSecondsSchema, seconds.trim() === '' ? Number.NaN : Number(seconds));

/** "All events" or at least one type; the API's message speaks JSON, so the form says it with its own words. */
export const eventsProblem = (allEvents: boolean, events: readonly string[]): string | undefined =>
  allEvents || firstProblem(eventsSchema, events) === undefined ? undefined : 'Choose at least one event type, or tick "All events".';
