/**
 * Jira audit records (GET /rest/api/3/auditing/record, AuditRecordBean) -> AuditEvent.
 * Many admin changes (groups, permission schemes, workflows, screens, notification schemes, global
 * permissions) exist only here: the scheduled poll feeds these records through fromAuditRecord.
 */
import { z } from 'zod';
import { auditTypeForCategory } from './catalogue';
import { boundEventDepth } from './depth';
import { MAX_ASSOCIATED_ITEMS, MAX_CHANGES } from './limits';
import { AuditEventSchema, type AssociatedItem, type AuditEvent, type Change, type NormaliseResult, type ObjectRef } from './model';
import { IdSchema, compact, describeIssues, describeType, displayValue, isPlainObject, optional, parseWith, toIsoTimestamp, truncate } from './parse';

const AssociatedItemBeanSchema = z.object({
  id: optional(IdSchema),
  name: optional(z.string()),
  typeName: optional(z.string()),
  parentId: optional(IdSchema),
  parentName: optional(z.string()),
});
type AssociatedItemBean = z.infer<typeof AssociatedItemBeanSchema>;

const ChangedValueBeanSchema = z.object({
  fieldName: z.string().min(1),
  changedFrom: optional(z.union([z.string(), z.number(), z.boolean()]).nullable()),
  changedTo: optional(z.union([z.string(), z.number(), z.boolean()]).nullable()),
});

/** `authorAccountId` is in Atlassian's example but not in the schema's properties: optional. */
export const AuditRecordSchema = z.object({
  id: IdSchema,
  created: z.string().min(1),
  summary: optional(z.string()),
  category: optional(z.string()),
  eventSource: optional(z.string()),
  description: optional(z.string()),
  remoteAddress: optional(z.string()),
  authorAccountId: optional(z.string().min(1)),
  objectItem: optional(AssociatedItemBeanSchema),
  // One malformed entry drops that entry, not the record.
  changedValues: optional(z.array(z.unknown())),
  associatedItems: optional(z.array(z.unknown())),
});

export const AuditRecordsPageSchema = z.object({
  offset: optional(z.number().int()),
  limit: optional(z.number().int()),
  total: optional(z.number().int()),
  records: z.array(z.unknown()),
});

export type AuditRecordsPage = { offset?: number; limit?: number; total?: number; records: unknown[] };

/** Checks the envelope of one page of GET /rest/api/3/auditing/record; each record is normalised on its own. */
export function parseAuditRecordsPage(body: unknown): { ok: true; page: AuditRecordsPage } | { ok: false; error: string } {
  const parsed = parseWith(AuditRecordsPageSchema, body, 'Jira audit records response');
  return parsed.ok ? { ok: true, page: parsed.value } : parsed;
}

/** The id an audit record always gets, so a record seen by two polls is delivered once. */
export function auditEventId(recordId: string | number): string {
  return `audit-${String(recordId)}`;
}

function lowerType(typeName: string | undefined): string {
  return typeName ? typeName.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_') || 'unknown' : 'unknown';
}

function toAssociatedItem(bean: AssociatedItemBean): AssociatedItem {
  return compact({ type: bean.typeName ?? 'unknown', id: bean.id, name: bean.name, parentId: bean.parentId, parentName: bean.parentName }) as AssociatedItem;
}

function toObject(bean: AssociatedItemBean | undefined, category: string | undefined): ObjectRef {
  if (!bean) return { type: category ? lowerType(category) : 'unknown' };
  const parent = bean.parentId || bean.parentName ? compact({ type: 'unknown', id: bean.parentId, name: bean.parentName }) : undefined;
  return compact({ type: lowerType(bean.typeName), id: bean.id, name: bean.name, parent }) as ObjectRef;
}

function parseList<T extends z.ZodType>(schema: T, values: unknown[] | undefined): z.output<T>[] {
  if (!values) return [];
  return values.flatMap((value) => {
    const result = schema.safeParse(value);
    return result.success ? [result.data] : [];
  });
}

/**
 * Normalises one audit record. The id is `audit-<record id>`; the type `audit.<category slug>`, or
 * `audit.other` for a category outside AUDIT_CATEGORIES (the category Jira wrote stays in data.original).
 */
export function fromAuditRecord(record: unknown): NormaliseResult {
  if (!isPlainObject(record)) {
    return { ok: false, error: `Jira audit record must be a JSON object, got ${describeType(record)}` };
  }
  const parsed = parseWith(AuditRecordSchema, record, `Jira audit record${record.id !== undefined ? ` ${String(record.id)}` : ''}`);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  const timestamp = toIsoTimestamp(value.created);
  if (!timestamp) {
    return { ok: false, error: `Jira audit record ${value.id} is malformed: created: "${value.created}" is not a date` };
  }
  const changes: Change[] = parseList(ChangedValueBeanSchema, value.changedValues).map((changed) => {
    const from = displayValue(changed.changedFrom === null || changed.changedFrom === undefined ? undefined : String(changed.changedFrom));
    const to = displayValue(changed.changedTo === null || changed.changedTo === undefined ? undefined : String(changed.changedTo));
    return { field: changed.fieldName, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
  });
  const allItems = parseList(AssociatedItemBeanSchema, value.associatedItems).map(toAssociatedItem);
  const associatedItems = allItems.slice(0, MAX_ASSOCIATED_ITEMS);
  const changesOmitted = changes.length - Math.min(changes.length, MAX_CHANGES);
  changes.splice(MAX_CHANGES);
  const omitted = compact({ changesOmitted: changesOmitted || undefined, associatedItemsOmitted: allItems.length - associatedItems.length || undefined });
  const recordSummary = value.summary?.trim() || undefined;
  const objectName = value.objectItem?.name;
  const headline = recordSummary ?? (value.category ? `Audit record (${value.category})` : 'Audit record');
  const summary = truncate(objectName && !headline.includes(objectName) ? `${headline}: ${objectName}` : headline, 500);
  const candidate: AuditEvent = {
    id: auditEventId(value.id),
    type: auditTypeForCategory(value.category),
    timestamp,
    data: {
      source: 'audit-log',
      actor: value.authorAccountId ? { accountId: value.authorAccountId } : {},
      object: toObject(value.objectItem, value.category),
      summary,
      ...(changes.length > 0 ? { changes } : {}),
      ...(value.remoteAddress ? { remoteAddress: value.remoteAddress } : {}),
      ...(associatedItems.length > 0 ? { associatedItems } : {}),
      original: compact({
        category: value.category,
        summary: recordSummary,
        recordId: value.id,
        eventSource: value.eventSource,
        description: value.description ? truncate(value.description, 2000) : undefined,
      }),
      ...(Object.keys(omitted).length > 0 ? { details: omitted } : {}),
    },
  };
  const checked = AuditEventSchema.safeParse(candidate);
  if (!checked.success) {
    return { ok: false, error: `Jira audit record ${value.id} normalised to an invalid event: ${describeIssues(checked.error)}` };
  }
  return { ok: true, event: boundEventDepth(checked.data) };
}
