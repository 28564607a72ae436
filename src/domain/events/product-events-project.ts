/** Project, version and component events -> the parts of an AuditEvent. */
import { z } from 'zod';
import { type ObjectRef } from './model';
import {
  IdSchema,
  UserRefSchema,
  compact,
  optional,
  parseWith,
  type Parsed,
} from './parse';
import {
  NamedSchema,
  type Built,
  type Ctx,
  phrase,
  quoted,
  userRef,
  family,
} from './product-event-shared';

const ProjectSchema = z.object({
  id: IdSchema,
  key: optional(z.string().min(1)),
  name: optional(z.string().min(1)),
  projectTypeKey: optional(z.string()),
  lead: optional(UserRefSchema),
  projectCategory: optional(NamedSchema),
});

export function buildProject(raw: unknown, ctx: Ctx): Parsed<Built> {
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

export const buildVersion = family(VersionEventSchema, (payload, ctx): Parsed<Built> => {
  const { version, mergedVersion, newFixVersion, newAffectsVersion } = payload;
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
});

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

export const buildComponent = family(ComponentEventSchema, (payload, ctx): Parsed<Built> => {
  const { component } = payload;
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
});
