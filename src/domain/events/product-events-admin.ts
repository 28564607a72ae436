/** User, field, field context, issue type, filter, configuration, expression, JSM and app lifecycle events -> the parts of an AuditEvent. */
import { z } from 'zod';
import { type ObjectRef } from './model';
import {
  IdSchema,
  UserRefSchema,
  compact,
  displayValue,
  isPlainObject,
  optional,
  parseWith,
  truncate,
  type Parsed,
} from './parse';
import {
  type Built,
  type Ctx,
  phrase,
  quoted,
  userRef,
  family,
} from './product-event-shared';

const UserEventSchema = z.object({
  user: z.object({
    accountId: z.string().min(1),
    displayName: optional(z.string()),
    emailAddress: optional(z.string()),
    active: optional(z.boolean()),
    accountType: optional(z.string()),
  }),
});

export const buildUser = family(UserEventSchema, (payload, ctx): Parsed<Built> => {
  const { user } = payload;
  return {
    ok: true,
    value: {
      object: compact({ type: 'user', id: user.accountId, name: user.displayName }) as ObjectRef,
      summary: `User${quoted(user.displayName) || ` ${user.accountId}`} ${phrase(ctx.action)}`,
      details: compact({ accountId: user.accountId, displayName: user.displayName, emailAddress: user.emailAddress, active: user.active, accountType: user.accountType }),
    },
  };
});

const FieldEventSchema = z.object({
  id: z.string().min(1),
  key: optional(z.string()),
  type: optional(z.string()),
  typeName: optional(z.string()),
  name: optional(z.string()),
  description: optional(z.string()),
});

export const buildField = family(FieldEventSchema, (payload, ctx): Parsed<Built> => {
  const field = payload;
  return {
    ok: true,
    value: {
      object: compact({ type: 'field', id: field.id, key: field.key, name: field.name }) as ObjectRef,
      summary: `Custom field${quoted(field.name) || ` ${field.id}`} ${phrase(ctx.action)}`,
      details: compact({ fieldId: field.id, fieldKey: field.key, fieldName: field.name, fieldType: field.type, fieldTypeName: field.typeName, description: field.description }),
    },
  };
});

const FieldContextEventSchema = z.object({
  id: IdSchema,
  fieldId: z.string().min(1),
  fieldKey: optional(z.string()),
  name: optional(z.string()),
  description: optional(z.string()),
  projectIds: optional(z.array(IdSchema)),
  issueTypeIds: optional(z.array(IdSchema)),
});

export const buildFieldContext = family(FieldContextEventSchema, (payload, ctx): Parsed<Built> => {
  const context = payload;
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
});

const FieldContextConfigurationEventSchema = z.object({
  customFieldId: z.string().min(1),
  customFieldKey: optional(z.string()),
  configurationId: IdSchema,
  fieldContextId: optional(IdSchema),
  configuration: optional(z.union([z.string(), z.record(z.string(), z.unknown())])),
});

export const buildFieldContextConfiguration = family(FieldContextConfigurationEventSchema, (payload): Parsed<Built> => {
  const value = payload;
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
});

const IssueTypeEventSchema = z.object({
  issueType: z.object({
    id: IdSchema,
    name: optional(z.string()),
    description: optional(z.string()),
    subtask: optional(z.boolean()),
    hierarchyLevel: optional(z.number()),
  }),
});

export const buildIssueType = family(IssueTypeEventSchema, (payload, ctx): Parsed<Built> => {
  const { issueType } = payload;
  return {
    ok: true,
    value: {
      object: compact({ type: 'issuetype', id: issueType.id, name: issueType.name }) as ObjectRef,
      summary: `Issue type${quoted(issueType.name) || ` ${issueType.id}`} ${phrase(ctx.action)}`,
      details: compact({ issueTypeId: issueType.id, issueTypeName: issueType.name, description: issueType.description, subtask: issueType.subtask, hierarchyLevel: issueType.hierarchyLevel }),
    },
  };
});

const FilterEventSchema = z.object({
  filter: z.object({
    id: IdSchema,
    name: optional(z.string()),
    description: optional(z.string()),
    jql: optional(z.string()),
    owner: optional(UserRefSchema),
  }),
});

export const buildFilter = family(FilterEventSchema, (payload, ctx): Parsed<Built> => {
  const { filter } = payload;
  return {
    ok: true,
    value: {
      object: compact({ type: 'filter', id: filter.id, name: filter.name }) as ObjectRef,
      summary: `Filter${quoted(filter.name) || ` ${filter.id}`} ${phrase(ctx.action)}`,
      details: compact({ filterId: filter.id, filterName: filter.name, jql: filter.jql ? truncate(filter.jql, 2000) : undefined, owner: userRef(filter.owner) }),
    },
  };
});

const PropertyEventSchema = z.object({
  property: z.object({ key: z.string().min(1), value: optional(z.union([z.string(), z.boolean(), z.number()]).nullable()) }),
});

export const buildProperty = family(PropertyEventSchema, (payload, ctx): Parsed<Built> => {
  const { property } = payload;
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
});

const ExpressionEventSchema = z.object({
  workflowId: optional(IdSchema),
  workflowName: optional(z.string()),
  expression: optional(z.string()),
  errorMessages: optional(z.array(z.string())),
  conditionId: optional(z.string()),
  validatorId: optional(z.string()),
});

export const buildExpression = family(ExpressionEventSchema, (payload): Parsed<Built> => {
  const value = payload;
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
});

/** JSM entity events: the docs give no payload reference, so the entity is looked for by name, then at the top. */
const JSM_ENTITY_KEYS: Record<string, string> = {
  request_type: 'requestType',
  portal: 'portal',
  request_type_group: 'requestTypeGroup',
  service_desk: 'serviceDesk',
};

const JsmEntitySchema = z.object({ id: optional(IdSchema), name: optional(z.string()), projectId: optional(IdSchema), serviceDeskId: optional(IdSchema) });

export function buildJsm(raw: unknown, ctx: Ctx): Parsed<Built> {
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

export function buildAppLifecycle(raw: unknown, ctx: Ctx): Parsed<Built> {
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
