/** What every product-event family normaliser shares: payload schemas, the Built shape, phrasing and issue helpers. */
import { z } from 'zod';
import { type Actor, type Change, type ObjectRef } from './model';
import {
  IdSchema,
  UserRefSchema,
  compact,
  displayValue,
  optional,
  parseWith,
  truncate,
  type Parsed,
  type UserRef,
} from './parse';

export const ChangelogItemSchema = z.object({
  field: z.string().min(1),
  fieldId: optional(z.string()),
  from: optional(z.union([z.string(), z.number()]).nullable()),
  fromString: optional(z.string().nullable()),
  to: optional(z.union([z.string(), z.number()]).nullable()),
  toString: optional(z.string().nullable()),
});
export type ChangelogItem = z.infer<typeof ChangelogItemSchema>;

/** Documented as `{ id, items }`; some integrations forward the bare items array. Either is accepted. */
export const ChangelogSchema = z.union([
  z.object({ id: optional(IdSchema), items: z.array(ChangelogItemSchema) }),
  z.array(ChangelogItemSchema).transform((items) => ({ id: undefined, items })),
]);

export const NamedSchema = z.object({ id: optional(IdSchema), name: optional(z.string()) });

export const IssueSchema = z.object({
  id: IdSchema,
  key: z.string().min(1),
  fields: optional(
    z.object({
      summary: optional(z.string()),
      status: optional(NamedSchema),
      issuetype: optional(NamedSchema),
      priority: optional(NamedSchema),
      project: optional(z.object({ id: optional(IdSchema), key: optional(z.string()), name: optional(z.string()) })),
      assignee: optional(UserRefSchema.nullable()),
      reporter: optional(UserRefSchema.nullable()),
      parent: optional(z.object({ id: optional(IdSchema), key: optional(z.string()) })),
      // Plain text, or Atlassian Document Format (an object) in REST v3 shapes; kept as given. A huge one
      // is trimmed field by field before delivery (src/domain/formats/fit-payload), never dropped.
      description: optional(z.union([z.string(), z.record(z.string(), z.unknown())]).nullable()),
    }),
  ),
});
export type Issue = z.infer<typeof IssueSchema>;

/** The docs show `{ associatedUsers: User[] }`; payloads seen in the wild use `{ users: User[] }`. */
export const AssociatedUsersSchema = optional(
  z.union([
    z.object({ associatedUsers: z.array(UserRefSchema) }).transform((value) => value.associatedUsers),
    z.object({ users: z.array(UserRefSchema) }).transform((value) => value.users),
    z.array(UserRefSchema),
  ]),
);

export const BaseSchema = z.object({
  atlassianId: optional(z.string().min(1)),
  timestamp: optional(z.union([z.string(), z.number()])),
  associatedUsers: AssociatedUsersSchema,
});

/** What a family normaliser produces; the wrapper adds id, type, timestamp, source and original. */
export interface Built {
  object: ObjectRef;
  summary: string;
  actor?: Actor;
  changes?: Change[];
  details?: Record<string, unknown>;
  /** Overrides the mapped type (comment edits arrive as `avi:jira:commented:issue`). */
  type?: string;
}

export type Ctx = { eventType: string; type: string; action: string };

export const ACTION_PHRASES: Record<string, string> = {
  created: 'was created',
  updated: 'was updated',
  deleted: 'was deleted',
  assigned: 'was assigned',
  viewed: 'was viewed',
  mentioned: 'mentioned users',
  archived: 'was archived',
  unarchived: 'was unarchived',
  softdeleted: 'was moved to the trash',
  trashed: 'was moved to the trash',
  restored: 'was restored',
  released: 'was released',
  unreleased: 'was unreleased',
  merged: 'was merged',
  moved: 'was moved',
  started: 'was started',
  closed: 'was completed',
  set: 'was set',
  configuration_changed: 'configuration was changed',
  configuration_updated: 'configuration was updated',
  installed: 'was installed',
  upgraded: 'was upgraded',
};

export function phrase(action: string): string {
  return ACTION_PHRASES[action] ?? `: ${action.replace(/_/g, ' ')}`;
}

export function quoted(text: string | undefined): string {
  return text ? ` "${truncate(text, 120)}"` : '';
}

export function toChange(item: ChangelogItem): Change {
  const from = displayValue(item.fromString ?? item.from);
  const to = displayValue(item.toString ?? item.to);
  return { field: item.field, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

export function projectParent(issue: Issue): ObjectRef['parent'] {
  const project = issue.fields?.project;
  if (!project || (!project.id && !project.key)) return undefined;
  return compact({ type: 'project', id: project.id, key: project.key, name: project.name }) as ObjectRef['parent'];
}

export function issueObject(issue: Issue): ObjectRef {
  return compact({ type: 'issue', id: issue.id, key: issue.key, name: issue.fields?.summary, parent: projectParent(issue) }) as ObjectRef;
}

export function issueDetails(issue: Issue): Record<string, unknown> {
  const fields = issue.fields;
  return compact({
    issueId: issue.id,
    issueKey: issue.key,
    summary: fields?.summary,
    status: fields?.status?.name,
    issueType: fields?.issuetype?.name,
    priority: fields?.priority?.name,
    project: fields?.project ? { id: fields.project.id, key: fields.project.key, name: fields.project.name } : undefined,
    assignee: fields?.assignee ? { accountId: fields.assignee.accountId, displayName: fields.assignee.displayName } : undefined,
    parentKey: fields?.parent?.key,
    description: fields?.description ?? undefined,
  });
}

export function issueLabel(issue: Issue): string {
  return `Issue ${issue.key}${quoted(issue.fields?.summary)}`;
}

export function userRef(user: UserRef | null | undefined): Actor | undefined {
  if (!user) return undefined;
  return compact({ accountId: user.accountId, displayName: user.displayName }) as Actor;
}

/**
 * A family normaliser: the payload is parsed with the family's schema first (the error names the event),
 * then built. Every family shares that first step; `build` only sees a payload of the right shape.
 */
export const family =
  <S extends z.ZodType>(schema: S, build: (payload: z.infer<S>, ctx: Ctx) => Parsed<Built>) =>
  (raw: unknown, ctx: Ctx): Parsed<Built> => {
    const parsed = parseWith(schema, raw, `Jira product event ${ctx.eventType}`);
    return parsed.ok ? build(parsed.value, ctx) : parsed;
  };
