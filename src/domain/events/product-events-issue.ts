/** Issue, comment, issue link, worklog, attachment and issue-property events -> the parts of an AuditEvent. */
import { z } from 'zod';
import { type ObjectRef } from './model';
import {
  IdSchema,
  UserRefSchema,
  compact,
  optional,
  toIsoTimestamp,
  type Parsed,
} from './parse';
import {
  ChangelogSchema,
  IssueSchema,
  type Built,
  phrase,
  quoted,
  toChange,
  issueObject,
  issueDetails,
  issueLabel,
  userRef,
  family,
} from './product-event-shared';

const IssueEventSchema = z.object({
  issue: IssueSchema,
  changelog: optional(ChangelogSchema),
  mentionedAccountIds: optional(z.array(z.string())),
  user: optional(UserRefSchema),
});

export const buildIssue = family(IssueEventSchema, (payload, ctx): Parsed<Built> => {
  const { issue, changelog, mentionedAccountIds, user } = payload;
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
});

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

export const buildComment = family(CommentEventSchema, (payload, ctx): Parsed<Built> => {
  const { issue, comment, mentionedAccountIds } = payload;
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
});

const IssueLinkEventSchema = z.object({
  id: IdSchema,
  sourceIssueId: IdSchema,
  destinationIssueId: IdSchema,
  issueLinkType: optional(z.object({ id: optional(IdSchema), name: optional(z.string()), outward: optional(z.string()), inward: optional(z.string()) })),
});

export const buildIssueLink = family(IssueLinkEventSchema, (payload, ctx): Parsed<Built> => {
  const link = payload;
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
});

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

export const buildWorklog = family(WorklogEventSchema, (payload, ctx): Parsed<Built> => {
  const { worklog } = payload;
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
});

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

export const buildAttachment = family(AttachmentEventSchema, (payload, ctx): Parsed<Built> => {
  const { attachment, issue } = payload;
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
});

const IssuePropertyEventSchema = z.object({
  property: optional(z.object({ key: z.string().min(1) })),
  propertyKey: optional(z.string().min(1)),
  issue: optional(z.object({ id: optional(IdSchema), key: optional(z.string()) })),
  issueId: optional(IdSchema),
  entityId: optional(IdSchema),
});

export const buildIssueProperty = family(IssuePropertyEventSchema, (payload, ctx): Parsed<Built> => {
  const value = payload;
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
});
