import { inputObject, text, wholeNumber } from './fields';
import type { z } from 'zod';

/** Where the pipeline set an event aside (docs/events.md, "Poison isolation"). */
export const SET_ASIDE_STAGES_VIEW = ['trigger', 'outbox', 'batch', 'render'] as const;
export type SetAsideStageView = (typeof SET_ASIDE_STAGES_VIEW)[number];

export const SET_ASIDE_PAGE_MAX = 100;

/** events.setAside: read-only, newest first, 14 days kept. */
export const listSetAsideInputSchema = inputObject({
  cursor: text('the cursor from the previous page (nextCursor)').max(1000, { error: 'Pass nextCursor exactly as the previous page returned it.' }).optional(),
  limit: wholeNumber('the page size', 1, SET_ASIDE_PAGE_MAX).optional(),
});
export type ListSetAsideInput = z.input<typeof listSetAsideInputSchema>;

/** One event the pipeline could not accept, store, batch or render: it was not delivered, and nothing waited for it. */
export interface SetAsideView {
  id: string;
  /** When it was set aside (ISO 8601 UTC). */
  at: string;
  stage: SetAsideStageView;
  /** Why, in words an admin can act on. */
  reason: string;
  /** The event's id and catalogue type, when it got that far. */
  eventId?: string;
  eventType?: string;
  /** The Forge event name, e.g. avi:jira:updated:issue. */
  jiraEventType?: string;
  /** The event's summary or what is known of its object (e.g. an issue key). */
  subject?: string;
}
