/**
 * Jira (and Jira Software, JSM, app lifecycle) Forge product events -> AuditEvent.
 * Payload shapes follow Atlassian's "Jira events" and "Jira Software events" references
 * (developer.atlassian.com/platform/forge/events-reference/jira, .../jira-software); fixtures in
 * test/fixtures/jira/product-events/ say where each came from.
 */
import { z } from 'zod';
import { PRODUCT_EVENT_TYPES, type ProductEventFamily } from './catalogue';
import { stableId } from './ids';
import { MAX_CHANGES } from './limits';
import { AuditEventSchema, type Actor, type AuditEvent, type Change, type NormaliseResult, type ObjectRef } from './model';
import {
  IdSchema,
  UserRefSchema,
  compact,
  describeIssues,
  describeType,
  displayValue,
  isPlainObject,
  optional,
  parseWith,
  toIsoTimestamp,
  truncate,
  type Parsed,
  type UserRef,
} from './parse';

export interface ProductEventOptions {
  /** When the trigger received it; the event's timestamp when the payload carries none. */
  receivedAt: Date | string;
  /**
   * Leave out to get the deterministic id (recommended): a hash of the event name and the payload, so a
   * platform retry of the same trigger yields the same id. Give one only to impose an id of your own.
   */
  id?: string;
  /** The Forge event name, for payloads that do not carry `eventType` (app lifecycle events). */
  eventType?: string;
}

/** Fields Forge adds per invocation or per retry: they must not change the event id. */
const VOLATILE_FIELDS = new Set(['retryContext', 'contextToken', 'context']);

const ChangelogItemSchema = z.object({
  field: z.string().min(1),
  fieldId: optional(z.string()),
  from: optional(z.union([z.string(), z.number()]).nullable()),
  fromString: optional(z.string().nullable()),
  to: optional(z.union([z.string(), z.number()]).nullable()),
  toString: optional(z.string().nullable()),
});
type ChangelogItem = z.infer<typeof ChangelogItemSchema>;

/** Documented as `{ id, items }`; some integrations forward the bare items array. Either is accepted. */
const ChangelogSchema = z.union([
  z.object({ id: optional(IdSchema), items: z.array(ChangelogItemSchema) }),
  z.array(ChangelogItemSchema).transform((items) => ({ id: undefined, items })),
]);

const NamedSchema = z.object({ id: optional(IdSchema), name: optional(z.string()) });

const IssueSchema = z.object({
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
type Issue = z.infer<typeof IssueSchema>;

/** The docs show `{ associatedUsers: User[] }`; payloads seen in the wild use `{ users: User[] }`. */
const AssociatedUsersSchema = optional(
  z.union([
    z.object({ associatedUsers: z.array(UserRefSchema) }).transform((value) => value.associatedUsers),
    z.object({ users: z.array(UserRefSchema) }).transform((value) => value.users),
    z.array(UserRefSchema),
  ]),
);

const BaseSchema = z.object({
  atlassianId: optional(z.string().min(1)),
  timestamp: optional(z.union([z.string(), z.number()])),
  associatedUsers: AssociatedUsersSchema,
});

/** What a family normaliser produces; the wrapper adds id, type, timestamp, source and original. */
interface Built {
  object: ObjectRef;
  summary: string;
  actor?: Actor;
  changes?: Change[];
  details?: Record<string, unknown>;
  /** Overrides the mapped type (comment edits arrive as `avi:jira:commented:issue`). */
  type?: string;
}

type Ctx = { eventType: string; type: string; action: string };

const ACTION_PHRASES: Record<string, string> = {
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

function phrase(action: string): string {
  return ACTION_PHRASES[action] ?? `: ${action.replace(/_/g, ' ')}`;
}

function quoted(text: string | undefined): string {
  return text ? ` "${truncate(text, 120)}"` : '';
}

function toChange(item: ChangelogItem): Change {
  const from = displayValue(item.fromString ?? item.from);
  const to = displayValue(item.toString ?? item.to);
  return { field: item.field, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

function projectParent(issue: Issue): ObjectRef['parent'] {
  const project = issue.fields?.project;
  if (!project || (!project.id && !project.key)) return undefined;
  return compact({ type: 'project', id: project.id, key: project.key, name: project.name }) as ObjectRef['parent'];
}

function issueObject(issue: Issue): ObjectRef {
  return compact({ type: 'issue', id: issue.id, key: issue.key, name: issue.fields?.summary, parent: projectParent(issue) }) as ObjectRef;
}

function issueDetails(issue: Issue): Record<string, unknown> {
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

function issueLabel(issue: Issue): string {
  return `Issue ${issue.key}${quoted(issue.fields?.summary)}`;
}

function userRef(user: UserRef | null | undefined): Actor | undefined {
  if (!user) return undefined;
  return compact({ accountId: user.accountId, displayName: user.displayName }) as Actor;
}

// ---------------------------------------------------------------------------------------------------------
// Families
// ---------------------------------------------------------------------------------------------------------

const IssueEventSchema = z.object({
  issue: IssueSchema,
  changelog: optional(ChangelogSchema),
  mentionedAccountIds: optional(z.array(z.string())),
  user: optional(UserRefSchema),
});

function buildIssue(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(IssueEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const { issue, changelog, mentionedAccountIds, user } = parsed.value;
  const changes = changelog?.items.map(toChange);
  let summary = `${issueLabel(issue)} ${phrase(ctx.action)}`;
  if (ctx.action === 'updated' && changes && changes.length > 0) {
    summary += `: ${changes.map((change) => change.field).join(', ')} changed`;
  } else if (ctx.action === 'assigned') {
    const assignee = changes?.find((change) => change.field === 'assignee');
    summary = assignee?.to ? `${issueLabel(issue)} was assigned to ${assignee.to}` : `${issueLabel(issue)} was unassigned`;
  } else if (ctx.action === 'mentioned') {
    const count = mentionedAccountIds?.length ?? 0;
    summary = `${count} user${count === 1 ? ' was' : 's were'} mentioned in ${issueLabel(issue)}`;
  }
  return {
    ok: true,
    value: {
      object: issueObject(issue),
      summary,
      changes: changes && changes.length > 0 ? changes : undefined,
      actor: ctx.action === 'viewed' ? userRef(user) : undefined,
      details: compact({ ...issueDetails(issue), changelogId: changelog?.id, mentionedAccountIds }),
    },
  };
}

const CommentEventSchema = z.object({
  issue: IssueSchema,
  comment: z.object({
    id: IdSchema,
    author: optional(UserRefSchema),
    updateAuthor: optional(UserRefSchema),
    created: optional(z.string()),
    updated: optional(z.string()),
    visibility: optional(z.object({ type: optional(z.string()), value: optional(z.string()) })),
    jsdPublic: optional(z.boolean()),
  }),
  mentionedAccountIds: optional(z.array(z.string())),
});

function buildComment(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(CommentEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const { issue, comment, mentionedAccountIds } = parsed.value;
  // Forge sends avi:jira:commented:issue for both new and edited comments; an edit has a later `updated`.
  const created = toIsoTimestamp(comment.created);
  const updated = toIsoTimestamp(comment.updated);
  const edited = ctx.type === 'comment.created' && created !== undefined && updated !== undefined && created !== updated;
  const type = edited ? 'comment.updated' : ctx.type;
  const verb = { 'comment.created': 'was added to', 'comment.updated': 'was edited on', 'comment.deleted': 'was deleted from' }[type];
  const label = `issue ${issue.key}${quoted(issue.fields?.summary)}`;
  const summary = ctx.action === 'mentioned'
    ? `${mentionedAccountIds?.length ?? 0} user(s) were mentioned in comment ${comment.id} on ${label}`
    : `Comment ${comment.id} ${verb ?? phrase(ctx.action)} ${label}`;
  const parentIssue = issueObject(issue);
  return {
    ok: true,
    value: {
      type,
      object: { type: 'comment', id: comment.id, parent: compact({ type: 'issue', id: issue.id, key: issue.key, name: issue.fields?.summary }) as ObjectRef['parent'] },
      summary,
      actor: userRef(edited ? comment.updateAuthor ?? comment.author : comment.author),
      details: compact({
        commentId: comment.id,
        ...issueDetails(issue),
        project: parentIssue.parent ? { id: parentIssue.parent.id, key: parentIssue.parent.key, name: parentIssue.parent.name } : undefined,
        visibility: comment.visibility,
        jsdPublic: comment.jsdPublic,
        created: comment.created,
        updated: comment.updated,
        mentionedAccountIds,
      }),
    },
  };
}

const IssueLinkEventSchema = z.object({
  id: IdSchema,
  sourceIssueId: IdSchema,
  destinationIssueId: IdSchema,
  issueLinkType: optional(z.object({ id: optional(IdSchema), name: optional(z.string()), outward: optional(z.string()), inward: optional(z.string()) })),
});

function buildIssueLink(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(IssueLinkEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const link = parsed.value;
  const relation = link.issueLinkType?.outward ?? link.issueLinkType?.name ?? 'is linked to';
  const verb = ctx.action === 'created' ? 'created' : 'removed';
  return {
    ok: true,
    value: {
      object: compact({ type: 'issuelink', id: link.id, name: link.issueLinkType?.name }) as ObjectRef,
      summary: `Issue link ${verb}: issue ${link.sourceIssueId} ${relation} issue ${link.destinationIssueId}`,
      details: compact({
        linkId: link.id,
        sourceIssueId: link.sourceIssueId,
        destinationIssueId: link.destinationIssueId,
        linkType: link.issueLinkType,
      }),
    },
  };
}

const WorklogEventSchema = z.object({
  worklog: z.object({
    id: IdSchema,
    issueId: IdSchema,
    author: optional(UserRefSchema),
    updateAuthor: optional(UserRefSchema),
    timeSpent: optional(z.string()),
    timeSpentSeconds: optional(z.number()),
    started: optional(z.string()),
  }),
});

function buildWorklog(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(WorklogEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const { worklog } = parsed.value;
  const spent = worklog.timeSpent ? ` (${worklog.timeSpent})` : '';
  const verb = { created: 'was logged on', updated: 'was updated on', deleted: 'was deleted from' }[ctx.action] ?? phrase(ctx.action);
  return {
    ok: true,
    value: {
      object: { type: 'worklog', id: worklog.id, parent: { type: 'issue', id: worklog.issueId } },
      summary: `Worklog ${worklog.id}${spent} ${verb} issue ${worklog.issueId}`,
      actor: userRef(ctx.action === 'created' ? worklog.author : worklog.updateAuthor ?? worklog.author),
      details: compact({
        worklogId: worklog.id,
        issueId: worklog.issueId,
        timeSpent: worklog.timeSpent,
        timeSpentSeconds: worklog.timeSpentSeconds,
        started: worklog.started,
        author: userRef(worklog.author),
      }),
    },
  };
}

const AttachmentEventSchema = z.object({
  attachment: z.object({
    id: IdSchema,
    filename: optional(z.string()),
    author: optional(UserRefSchema),
    size: optional(z.number()),
    mimeType: optional(z.string()),
    issueId: optional(IdSchema),
  }),
  issue: optional(z.object({ id: optional(IdSchema), key: optional(z.string()) })),
});

function buildAttachment(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(AttachmentEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const { attachment, issue } = parsed.value;
  const issueId = attachment.issueId ?? issue?.id;
  const parent = issueId || issue?.key ? (compact({ type: 'issue', id: issueId, key: issue?.key }) as ObjectRef['parent']) : undefined;
  const name = attachment.filename ? `"${attachment.filename}"` : attachment.id;
  const where = parent ? ` ${ctx.action === 'created' ? 'to' : 'from'} issue ${parent.key ?? parent.id}` : '';
  return {
    ok: true,
    value: {
      object: compact({ type: 'attachment', id: attachment.id, name: attachment.filename, parent }) as ObjectRef,
      summary: `Attachment ${name} was ${ctx.action === 'created' ? 'added' : 'deleted'}${where}`,
      actor: userRef(attachment.author),
      details: compact({ attachmentId: attachment.id, filename: attachment.filename, size: attachment.size, mimeType: attachment.mimeType, issueId, issueKey: issue?.key }),
    },
  };
}

const IssuePropertyEventSchema = z.object({
  property: optional(z.object({ key: z.string().min(1) })),
  propertyKey: optional(z.string().min(1)),
  issue: optional(z.object({ id: optional(IdSchema), key: optional(z.string()) })),
  issueId: optional(IdSchema),
  entityId: optional(IdSchema),
});

function buildIssueProperty(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(IssuePropertyEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  const key = value.property?.key ?? value.propertyKey;
  const issueId = value.issue?.id ?? value.issueId ?? value.entityId;
  const parent = issueId || value.issue?.key ? (compact({ type: 'issue', id: issueId, key: value.issue?.key }) as ObjectRef['parent']) : undefined;
  return {
    ok: true,
    value: {
      object: compact({ type: 'issue_property', key, name: key, parent }) as ObjectRef,
      summary: `Issue property${key ? ` ${key}` : ''} ${ctx.action === 'set' ? 'was set' : 'was deleted'}${parent ? ` on issue ${parent.key ?? parent.id}` : ''}`,
      details: compact({ propertyKey: key, issueId, issueKey: value.issue?.key }),
    },
  };
}

const ProjectSchema = z.object({
  id: IdSchema,
  key: optional(z.string().min(1)),
  name: optional(z.string().min(1)),
  projectTypeKey: optional(z.string()),
  lead: optional(UserRefSchema),
  projectCategory: optional(NamedSchema),
});

function buildProject(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(z.object({ project: ProjectSchema }), raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const { project } = parsed.value;
  return {
    ok: true,
    value: {
      object: compact({ type: 'project', id: project.id, key: project.key, name: project.name }) as ObjectRef,
      summary: `Project ${project.key ?? project.id}${quoted(project.name)} ${phrase(ctx.action)}`,
      details: compact({
        projectId: project.id,
        projectKey: project.key,
        projectName: project.name,
        projectTypeKey: project.projectTypeKey,
        lead: userRef(project.lead),
        category: project.projectCategory?.name,
      }),
    },
  };
}

const VersionSchema = z.object({
  id: IdSchema,
  name: optional(z.string()),
  projectId: optional(IdSchema),
  description: optional(z.string()),
  released: optional(z.boolean()),
  archived: optional(z.boolean()),
  releaseDate: optional(z.string()),
  startDate: optional(z.string()),
});
type Version = z.infer<typeof VersionSchema>;

const VersionEventSchema = z.object({
  version: VersionSchema,
  mergedVersion: optional(VersionSchema),
  newFixVersion: optional(VersionSchema),
  newAffectsVersion: optional(VersionSchema),
});

function versionRef(version: Version | undefined): Record<string, unknown> | undefined {
  return version ? compact({ id: version.id, name: version.name }) : undefined;
}

function buildVersion(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(VersionEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const { version, mergedVersion, newFixVersion, newAffectsVersion } = parsed.value;
  let summary = `Version${quoted(version.name) || ` ${version.id}`} ${phrase(ctx.action)}`;
  if (ctx.action === 'merged' && mergedVersion) summary += ` with version${quoted(mergedVersion.name) || ` ${mergedVersion.id}`}`;
  return {
    ok: true,
    value: {
      object: compact({
        type: 'version',
        id: version.id,
        name: version.name,
        parent: version.projectId ? { type: 'project', id: version.projectId } : undefined,
      }) as ObjectRef,
      summary,
      details: compact({
        versionId: version.id,
        versionName: version.name,
        projectId: version.projectId,
        released: version.released,
        archived: version.archived,
        releaseDate: version.releaseDate,
        mergedVersion: versionRef(mergedVersion),
        newFixVersion: versionRef(newFixVersion),
        newAffectsVersion: versionRef(newAffectsVersion),
      }),
    },
  };
}

const ComponentEventSchema = z.object({
  component: z.object({
    id: IdSchema,
    name: optional(z.string()),
    description: optional(z.string()),
    project: optional(z.string()),
    projectId: optional(IdSchema),
    lead: optional(UserRefSchema),
    leadAccountId: optional(z.string()),
    assigneeType: optional(z.string()),
  }),
});

function buildComponent(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(ComponentEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const { component } = parsed.value;
  const parent = component.projectId || component.project ? (compact({ type: 'project', id: component.projectId, key: component.project }) as ObjectRef['parent']) : undefined;
  return {
    ok: true,
    value: {
      object: compact({ type: 'component', id: component.id, name: component.name, parent }) as ObjectRef,
      summary: `Component${quoted(component.name) || ` ${component.id}`}${component.project ? ` of project ${component.project}` : ''} ${phrase(ctx.action)}`,
      details: compact({
        componentId: component.id,
        componentName: component.name,
        projectKey: component.project,
        projectId: component.projectId,
        leadAccountId: component.leadAccountId ?? component.lead?.accountId,
        assigneeType: component.assigneeType,
      }),
    },
  };
}

const SprintEventSchema = z.object({
  sprint: z.object({
    id: IdSchema,
    name: optional(z.string()),
    state: optional(z.string()),
    goal: optional(z.string()),
    originBoardId: optional(IdSchema),
    startDate: optional(z.string()),
    endDate: optional(z.string()),
    completeDate: optional(z.string()),
  }),
  oldValue: optional(z.record(z.string(), z.unknown())),
});

function buildSprint(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(SprintEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const { sprint, oldValue } = parsed.value;
  const current = sprint as Record<string, unknown>;
  const changes: Change[] | undefined = oldValue
    ? Object.entries(oldValue).map(([field, before]) => {
        const from = displayValue(before);
        const to = displayValue(current[field]);
        return { field, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
      })
    : undefined;
  return {
    ok: true,
    value: {
      object: compact({
        type: 'sprint',
        id: sprint.id,
        name: sprint.name,
        parent: sprint.originBoardId ? { type: 'board', id: sprint.originBoardId } : undefined,
      }) as ObjectRef,
      summary: `Sprint${quoted(sprint.name) || ` ${sprint.id}`} ${phrase(ctx.action)}${changes && changes.length > 0 ? `: ${changes.map((c) => c.field).join(', ')} changed` : ''}`,
      changes: changes && changes.length > 0 ? changes : undefined,
      details: compact({
        sprintId: sprint.id,
        sprintName: sprint.name,
        state: sprint.state,
        goal: sprint.goal,
        boardId: sprint.originBoardId,
        startDate: sprint.startDate,
        endDate: sprint.endDate,
        completeDate: sprint.completeDate,
      }),
    },
  };
}

const BoardEventSchema = z.object({
  board: z.object({ id: IdSchema, name: optional(z.string()), type: optional(z.string()) }),
});

function buildBoard(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(BoardEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const { board } = parsed.value;
  return {
    ok: true,
    value: {
      object: compact({ type: 'board', id: board.id, name: board.name }) as ObjectRef,
      summary: `Board${quoted(board.name) || ` ${board.id}`} ${phrase(ctx.action)}`,
      details: compact({ boardId: board.id, boardName: board.name, boardType: board.type }),
    },
  };
}

const BoardConfigurationEventSchema = z.object({
  configuration: z.object({
    id: IdSchema,
    name: optional(z.string()),
    type: optional(z.string()),
    location: optional(z.object({ type: optional(z.string()), id: optional(IdSchema), key: optional(z.string()), name: optional(z.string()) })),
    filter: optional(z.object({ id: optional(IdSchema) })),
    estimation: optional(z.object({ type: optional(z.string()), field: optional(z.object({ fieldId: optional(z.string()), displayName: optional(z.string()) })) })),
  }),
});

function buildBoardConfiguration(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(BoardConfigurationEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const { configuration } = parsed.value;
  const location = configuration.location;
  const parent = location && (location.id || location.key)
    ? (compact({ type: location.type ?? 'project', id: location.id, key: location.key, name: location.name }) as ObjectRef['parent'])
    : undefined;
  return {
    ok: true,
    value: {
      object: compact({ type: 'board', id: configuration.id, name: configuration.name, parent }) as ObjectRef,
      summary: `Board${quoted(configuration.name) || ` ${configuration.id}`} configuration was changed`,
      details: compact({
        boardId: configuration.id,
        boardName: configuration.name,
        boardType: configuration.type,
        filterId: configuration.filter?.id,
        estimationField: configuration.estimation?.field?.displayName,
      }),
    },
  };
}

const UserEventSchema = z.object({
  user: z.object({
    accountId: z.string().min(1),
    displayName: optional(z.string()),
    emailAddress: optional(z.string()),
    active: optional(z.boolean()),
    accountType: optional(z.string()),
  }),
});

function buildUser(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(UserEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const { user } = parsed.value;
  return {
    ok: true,
    value: {
      object: compact({ type: 'user', id: user.accountId, name: user.displayName }) as ObjectRef,
      summary: `User${quoted(user.displayName) || ` ${user.accountId}`} ${phrase(ctx.action)}`,
      details: compact({ accountId: user.accountId, displayName: user.displayName, emailAddress: user.emailAddress, active: user.active, accountType: user.accountType }),
    },
  };
}

const FieldEventSchema = z.object({
  id: z.string().min(1),
  key: optional(z.string()),
  type: optional(z.string()),
  typeName: optional(z.string()),
  name: optional(z.string()),
  description: optional(z.string()),
});

function buildField(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(FieldEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const field = parsed.value;
  return {
    ok: true,
    value: {
      object: compact({ type: 'field', id: field.id, key: field.key, name: field.name }) as ObjectRef,
      summary: `Custom field${quoted(field.name) || ` ${field.id}`} ${phrase(ctx.action)}`,
      details: compact({ fieldId: field.id, fieldKey: field.key, fieldName: field.name, fieldType: field.type, fieldTypeName: field.typeName, description: field.description }),
    },
  };
}

const FieldContextEventSchema = z.object({
  id: IdSchema,
  fieldId: z.string().min(1),
  fieldKey: optional(z.string()),
  name: optional(z.string()),
  description: optional(z.string()),
  projectIds: optional(z.array(IdSchema)),
  issueTypeIds: optional(z.array(IdSchema)),
});

function buildFieldContext(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(FieldContextEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const context = parsed.value;
  return {
    ok: true,
    value: {
      object: compact({ type: 'field_context', id: context.id, name: context.name, parent: { type: 'field', id: context.fieldId, key: context.fieldKey } }) as ObjectRef,
      summary: `Context${quoted(context.name) || ` ${context.id}`} of custom field ${context.fieldId} ${phrase(ctx.action)}`,
      details: compact({
        contextId: context.id,
        contextName: context.name,
        fieldId: context.fieldId,
        fieldKey: context.fieldKey,
        // Empty lists mean global (all projects) / all issue types.
        projectIds: context.projectIds,
        issueTypeIds: context.issueTypeIds,
      }),
    },
  };
}

const FieldContextConfigurationEventSchema = z.object({
  customFieldId: z.string().min(1),
  customFieldKey: optional(z.string()),
  configurationId: IdSchema,
  fieldContextId: optional(IdSchema),
  configuration: optional(z.union([z.string(), z.record(z.string(), z.unknown())])),
});

function buildFieldContextConfiguration(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(FieldContextConfigurationEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  const configuration = value.configuration === undefined ? undefined : truncate(displayValue(value.configuration) ?? '', 2000);
  return {
    ok: true,
    value: {
      object: compact({
        type: 'field_context_configuration',
        id: value.configurationId,
        parent: value.fieldContextId ? { type: 'field_context', id: value.fieldContextId } : { type: 'field', id: value.customFieldId },
      }) as ObjectRef,
      summary: `Configuration of custom field ${value.customFieldId}${value.fieldContextId ? ` (context ${value.fieldContextId})` : ''} was updated`,
      details: compact({
        configurationId: value.configurationId,
        fieldContextId: value.fieldContextId,
        customFieldId: value.customFieldId,
        customFieldKey: value.customFieldKey,
        configuration: configuration || undefined,
      }),
    },
  };
}

const IssueTypeEventSchema = z.object({
  issueType: z.object({
    id: IdSchema,
    name: optional(z.string()),
    description: optional(z.string()),
    subtask: optional(z.boolean()),
    hierarchyLevel: optional(z.number()),
  }),
});

function buildIssueType(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(IssueTypeEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const { issueType } = parsed.value;
  return {
    ok: true,
    value: {
      object: compact({ type: 'issuetype', id: issueType.id, name: issueType.name }) as ObjectRef,
      summary: `Issue type${quoted(issueType.name) || ` ${issueType.id}`} ${phrase(ctx.action)}`,
      details: compact({ issueTypeId: issueType.id, issueTypeName: issueType.name, description: issueType.description, subtask: issueType.subtask, hierarchyLevel: issueType.hierarchyLevel }),
    },
  };
}

const FilterEventSchema = z.object({
  filter: z.object({
    id: IdSchema,
    name: optional(z.string()),
    description: optional(z.string()),
    jql: optional(z.string()),
    owner: optional(UserRefSchema),
  }),
});

function buildFilter(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(FilterEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const { filter } = parsed.value;
  return {
    ok: true,
    value: {
      object: compact({ type: 'filter', id: filter.id, name: filter.name }) as ObjectRef,
      summary: `Filter${quoted(filter.name) || ` ${filter.id}`} ${phrase(ctx.action)}`,
      details: compact({ filterId: filter.id, filterName: filter.name, jql: filter.jql ? truncate(filter.jql, 2000) : undefined, owner: userRef(filter.owner) }),
    },
  };
}

const PropertyEventSchema = z.object({
  property: z.object({ key: z.string().min(1), value: optional(z.union([z.string(), z.boolean(), z.number()]).nullable()) }),
});

function buildProperty(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(PropertyEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const { property } = parsed.value;
  const to = displayValue(property.value);
  const timetracking = ctx.type === 'timetracking.provider_changed';
  return {
    ok: true,
    value: {
      object: { type: timetracking ? 'timetracking_provider' : 'global_setting', id: property.key, name: property.key },
      summary: timetracking
        ? `Time tracking provider was changed${to ? ` to ${to}` : ''}`
        : `Global setting ${property.key} was set${to ? ` to ${to}` : ''}`,
      changes: [{ field: property.key, ...(to !== undefined ? { to } : {}) }],
      details: compact({ key: property.key, value: to }),
    },
  };
}

const ExpressionEventSchema = z.object({
  workflowId: optional(IdSchema),
  workflowName: optional(z.string()),
  expression: optional(z.string()),
  errorMessages: optional(z.array(z.string())),
  conditionId: optional(z.string()),
  validatorId: optional(z.string()),
});

function buildExpression(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(ExpressionEventSchema, raw, `Jira product event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  return {
    ok: true,
    value: {
      object: compact({ type: 'workflow', id: value.workflowId, name: value.workflowName }) as ObjectRef,
      summary: `A workflow expression failed${value.workflowName ? ` in workflow "${value.workflowName}"` : ''}`,
      details: compact({
        workflowId: value.workflowId,
        workflowName: value.workflowName,
        conditionId: value.conditionId,
        validatorId: value.validatorId,
        expression: value.expression ? truncate(value.expression, 1000) : undefined,
        errorMessages: value.errorMessages?.slice(0, 10),
      }),
    },
  };
}

/** JSM entity events: the docs give no payload reference, so the entity is looked for by name, then at the top. */
const JSM_ENTITY_KEYS: Record<string, string> = {
  request_type: 'requestType',
  portal: 'portal',
  request_type_group: 'requestTypeGroup',
  service_desk: 'serviceDesk',
};

const JsmEntitySchema = z.object({ id: optional(IdSchema), name: optional(z.string()), projectId: optional(IdSchema), serviceDeskId: optional(IdSchema) });

function buildJsm(raw: unknown, ctx: Ctx): Parsed<Built> {
  const entity = ctx.type.slice(0, ctx.type.lastIndexOf('.'));
  const record = raw as Record<string, unknown>;
  const candidate = record[JSM_ENTITY_KEYS[entity] ?? entity];
  const value = JsmEntitySchema.parse(isPlainObject(candidate) ? candidate : record);
  const noun = entity.replace(/_/g, ' ');
  return {
    ok: true,
    value: {
      object: compact({ type: entity, id: value.id, name: value.name }) as ObjectRef,
      summary: `${noun[0]?.toUpperCase() ?? ''}${noun.slice(1)}${quoted(value.name) || (value.id ? ` ${value.id}` : '')} ${phrase(ctx.action)}`,
      details: compact({ id: value.id, name: value.name, projectId: value.projectId, serviceDeskId: value.serviceDeskId }),
    },
  };
}

const AppLifecycleEventSchema = z.object({
  id: optional(IdSchema),
  installerAccountId: optional(z.string()),
  upgraderAccountId: optional(z.string()),
  app: optional(z.object({ id: optional(z.string()), version: optional(z.string()), name: optional(z.string()) })),
  environment: optional(z.object({ id: optional(z.string()) })),
});

function buildAppLifecycle(raw: unknown, ctx: Ctx): Parsed<Built> {
  const parsed = parseWith(AppLifecycleEventSchema, raw, `Forge lifecycle event ${ctx.eventType}`);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  const accountId = value.installerAccountId ?? value.upgraderAccountId;
  return {
    ok: true,
    value: {
      object: compact({ type: 'app', id: value.app?.id, name: value.app?.name ?? 'Audit Webhooks for Jira' }) as ObjectRef,
      summary: `The app${value.app?.version ? ` (version ${value.app.version})` : ''} ${phrase(ctx.action)}`,
      actor: accountId ? { accountId } : undefined,
      details: compact({ installationId: value.id, appVersion: value.app?.version, environmentId: value.environment?.id }),
    },
  };
}

const BUILDERS: Record<ProductEventFamily, (raw: unknown, ctx: Ctx) => Parsed<Built>> = {
  issue: buildIssue,
  comment: buildComment,
  issuelink: buildIssueLink,
  worklog: buildWorklog,
  attachment: buildAttachment,
  issue_property: buildIssueProperty,
  project: buildProject,
  version: buildVersion,
  component: buildComponent,
  sprint: buildSprint,
  board: buildBoard,
  board_configuration: buildBoardConfiguration,
  user: buildUser,
  field: buildField,
  field_context: buildFieldContext,
  field_context_configuration: buildFieldContextConfiguration,
  issuetype: buildIssueType,
  filter: buildFilter,
  configuration: buildProperty,
  timetracking: buildProperty,
  expression: buildExpression,
  jsm: buildJsm,
  app_lifecycle: buildAppLifecycle,
};

// ---------------------------------------------------------------------------------------------------------

function stablePayload(payload: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([key]) => !VOLATILE_FIELDS.has(key)));
}

function resolveActor(base: z.infer<typeof BaseSchema>, built: Built): Actor {
  const accountId = base.atlassianId ?? built.actor?.accountId;
  let displayName = built.actor?.accountId === accountId ? built.actor?.displayName : undefined;
  if (!displayName && accountId) displayName = base.associatedUsers?.find((user) => user.accountId === accountId)?.displayName;
  return compact({ accountId, displayName }) as Actor;
}

/** Lifecycle payloads carry no eventType; they are the only ones with an installation id, an app and an installer/upgrader. */
function inferLifecycleEvent(event: Record<string, unknown>): string | undefined {
  if (typeof event.id !== 'string' || !isPlainObject(event.app)) return undefined;
  if (typeof event.upgraderAccountId === 'string') return 'avi:forge:upgraded:app';
  if (typeof event.installerAccountId === 'string') return 'avi:forge:installed:app';
  return undefined;
}

/**
 * Normalises one Forge product event (the trigger's `event` argument). Never throws: an unknown event name
 * or a payload without what we need gives `{ ok: false, error }` with a message naming the field.
 */
export function fromProductEvent(event: unknown, options: ProductEventOptions): NormaliseResult {
  if (!isPlainObject(event)) {
    return { ok: false, error: `Jira product event must be a JSON object, got ${describeType(event)}` };
  }
  const eventType = typeof event.eventType === 'string' && event.eventType.length > 0 ? event.eventType : options.eventType ?? inferLifecycleEvent(event);
  if (!eventType) {
    return { ok: false, error: 'Jira product event has no eventType: pass options.eventType for payloads that carry none (app lifecycle events)' };
  }
  const mapping = Object.prototype.hasOwnProperty.call(PRODUCT_EVENT_TYPES, eventType) ? PRODUCT_EVENT_TYPES[eventType] : undefined;
  if (!mapping) {
    return { ok: false, error: `Jira product event ${eventType} is not supported: add it to PRODUCT_EVENT_TYPES (src/domain/events/catalogue.ts)` };
  }
  const receivedAt = toIsoTimestamp(options.receivedAt);
  if (!receivedAt) {
    return { ok: false, error: `receivedAt is not a valid date: ${String(options.receivedAt)}` };
  }
  const base = BaseSchema.parse(event);
  const ctx: Ctx = { eventType, type: mapping.type, action: mapping.type.slice(mapping.type.indexOf('.') + 1) };
  let built: Parsed<Built>;
  try {
    built = BUILDERS[mapping.family](event, ctx);
  } catch (error) {
    // The builders parse with safeParse; this only guards against a bug turning into a lost event.
    const message = error instanceof z.ZodError ? describeIssues(error) : error instanceof Error ? error.message : String(error);
    return { ok: false, error: `Jira product event ${eventType} could not be normalised: ${message}` };
  }
  if (!built.ok) return built;
  const value = built.value;
  const type = value.type ?? mapping.type;
  const changes = value.changes?.slice(0, MAX_CHANGES);
  const changesOmitted = (value.changes?.length ?? 0) - (changes?.length ?? 0);
  const details = { ...value.details, ...(changesOmitted > 0 ? { changesOmitted } : {}) };
  const candidate: AuditEvent = {
    id: options.id ?? stableId('pe', eventType, stablePayload(event)),
    type,
    timestamp: toIsoTimestamp(base.timestamp) ?? receivedAt,
    data: {
      source: 'product-event',
      actor: resolveActor(base, value),
      object: value.object,
      summary: truncate(value.summary, 500),
      ...(changes ? { changes } : {}),
      original: { eventType },
      ...(Object.keys(details).length > 0 ? { details } : {}),
    },
  };
  const checked = AuditEventSchema.safeParse(candidate);
  if (!checked.success) {
    return { ok: false, error: `Jira product event ${eventType} normalised to an invalid event: ${describeIssues(checked.error)}` };
  }
  return { ok: true, event: checked.data };
}
