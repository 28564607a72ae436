/**
 * An event the pipeline could not store, batch or render, or a Jira event the trigger could not accept,
 * becomes `app.event.set_aside`: delivered like any event, so the admin's receivers see it with its reason.
 */
import { stableId } from './ids';
import { AuditEventSchema, type AuditEvent, type NormaliseResult } from './model';
import { compact, describeIssues, toIsoTimestamp, truncate } from './parse';

export const SET_ASIDE_EVENT_TYPE = 'app.event.set_aside';

/** Where it was set aside: the trigger (not accepted), the outbox write, the fan-out batch, or the render check. */
export const SET_ASIDE_STAGES = ['trigger', 'outbox', 'batch', 'render'] as const;
export type SetAsideStage = (typeof SET_ASIDE_STAGES)[number];

export interface SetAside {
  /** The id of the admin-visible record (KVS), so event and record name each other. */
  recordId: string;
  at: Date | string;
  stage: SetAsideStage;
  /** Why, in words an admin can act on. */
  reason: string;
  /** The event's own id and type, when it got that far. */
  eventId?: string;
  eventType?: string;
  /** The Forge event name, e.g. avi:jira:updated:issue. */
  jiraEventType?: string;
  /** The event's summary, or what is known of the object (e.g. an issue key). */
  subject?: string;
}

const MAX_REASON_LENGTH = 500;

export function fromSetAside(input: SetAside): NormaliseResult {
  const timestamp = toIsoTimestamp(input.at);
  if (!timestamp) return { ok: false, error: `Set-aside record is malformed: at: "${String(input.at)}" is not a date` };
  const reason = truncate(input.reason, MAX_REASON_LENGTH);
  const what = input.eventType ?? input.jiraEventType ?? 'event';
  const subject = input.subject ? ` (${truncate(input.subject, 200)})` : '';
  const candidate: AuditEvent = {
    id: stableId('app', SET_ASIDE_EVENT_TYPE, input.recordId),
    type: SET_ASIDE_EVENT_TYPE,
    timestamp,
    data: {
      source: 'app',
      actor: {},
      object: compact({ type: 'event', id: input.eventId, name: input.eventType ?? input.jiraEventType }) as AuditEvent['data']['object'],
      summary: truncate(`A ${what}${subject} was set aside at the ${input.stage} stage and not delivered: ${reason}`, 500),
      original: compact({ eventType: input.jiraEventType }),
      details: compact({ setAsideId: input.recordId, stage: input.stage, reason, eventId: input.eventId, eventType: input.eventType, subject: input.subject ? truncate(input.subject, 200) : undefined }),
    },
  };
  const checked = AuditEventSchema.safeParse(candidate);
  if (!checked.success) return { ok: false, error: `Set-aside record normalised to an invalid event: ${describeIssues(checked.error)}` };
  return { ok: true, event: checked.data };
}
