/**
 * The one normalised event model. Every Jira product event, every audit record and every change to the
 * app's own configuration becomes an AuditEvent before it is filtered, formatted, signed and delivered.
 * This schema is the payload contract documented in docs/events.md (its JSON Schema is generated from it).
 */
import { z } from 'zod';

/** Dot-delimited, lower case: `issue.created`, `audit.user_management`, `app.webhook.secret_added`. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export const EVENT_SOURCES = ['product-event', 'audit-log', 'app'] as const;
export const EventSourceSchema = z.enum(EVENT_SOURCES);
export type EventSource = z.infer<typeof EventSourceSchema>;

export const ActorSchema = z
  .object({
    accountId: z.string().min(1).optional().describe('Atlassian account id of whoever caused the change, when known'),
    displayName: z.string().min(1).optional(),
  })
  .describe('Who made the change. Empty when Jira does not say (e.g. user events, some audit records).');
export type Actor = z.infer<typeof ActorSchema>;

export const ObjectParentSchema = z.object({
  type: z.string().min(1),
  id: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
});
export type ObjectParent = z.infer<typeof ObjectParentSchema>;

export const ObjectRefSchema = z
  .object({
    type: z.string().min(1).describe('What changed: issue, project, user, USER/GROUP/SCHEME for audit records, webhook...'),
    id: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    parent: ObjectParentSchema.optional().describe('What contains it, e.g. the project of an issue'),
  })
  .describe('The object that changed');
export type ObjectRef = z.infer<typeof ObjectRefSchema>;

export const ChangeSchema = z.object({
  field: z.string().min(1),
  from: z.string().optional().describe('Previous value as Jira displays it; absent when it was empty'),
  to: z.string().optional().describe('New value as Jira displays it; absent when it was cleared'),
});
export type Change = z.infer<typeof ChangeSchema>;

export const AssociatedItemSchema = z.object({
  type: z.string().min(1),
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  parentId: z.string().min(1).optional(),
  parentName: z.string().min(1).optional(),
});
export type AssociatedItem = z.infer<typeof AssociatedItemSchema>;

export const OriginalSchema = z
  .object({
    eventType: z.string().min(1).optional().describe('The Forge product event name, e.g. avi:jira:updated:issue'),
    category: z.string().min(1).optional().describe('The audit record category as Jira wrote it'),
    summary: z.string().min(1).optional().describe('The audit record summary as Jira wrote it'),
    recordId: z.string().min(1).optional().describe('The audit record id'),
    eventSource: z.string().min(1).optional(),
    description: z.string().min(1).optional(),
  })
  .describe('What Jira called it, kept verbatim');
export type Original = z.infer<typeof OriginalSchema>;

export const EventDataSchema = z.object({
  source: EventSourceSchema,
  actor: ActorSchema,
  object: ObjectRefSchema,
  summary: z.string().min(1).describe('One human sentence, e.g. Issue SP-10 "A descriptive title" was updated'),
  changes: z.array(ChangeSchema).optional(),
  remoteAddress: z.string().min(1).optional().describe('Audit records only: where the change came from'),
  associatedItems: z.array(AssociatedItemSchema).optional(),
  original: OriginalSchema,
  details: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Product and app events: a trimmed copy of the useful fields (issue key, status, project...)'),
});
export type EventData = z.infer<typeof EventDataSchema>;

export const AuditEventSchema = z
  .object({
    id: z.string().min(1).max(200).describe('Stable id: a retry of the same Jira trigger or audit record gives the same id'),
    type: z.string().regex(EVENT_TYPE_PATTERN).describe('A type from the event catalogue'),
    timestamp: z.iso.datetime().describe('When it happened (UTC, ISO 8601)'),
    data: EventDataSchema,
  })
  .describe('Audit Webhooks for Jira: one audit event');
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** What every normaliser answers: a malformed input is a value, never a throw, so a pipeline records it and goes on. */
export type NormaliseResult = { ok: true; event: AuditEvent } | { ok: false; error: string };
