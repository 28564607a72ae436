/** Reads a Forge app's manifest.yml into the small model the host needs. Unknown fields are ignored:
 * the host only needs to know which functions exist and which modules call them. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const egressEntry = z.union([z.string(), z.looseObject({ address: z.string() }), z.looseObject({ remote: z.string() })]);

const manifestSchema = z.looseObject({
  app: z.looseObject({ id: z.string().default('ari:cloud:ecosystem::app/00000000-0000-0000-0000-000000000000') }),
  permissions: z
    .looseObject({
      scopes: z.array(z.string()).default([]),
      external: z
        .looseObject({ fetch: z.looseObject({ backend: z.array(egressEntry).optional(), client: z.array(egressEntry).optional() }).optional() })
        .optional(),
    })
    .default({ scopes: [] }),
  modules: z
    .looseObject({
      function: z.array(z.looseObject({ key: z.string(), handler: z.string(), timeoutSeconds: z.number().int().min(1).max(900).optional() })).default([]),
      trigger: z
        .array(
          z.looseObject({
            key: z.string(),
            function: z.string().optional(),
            events: z.array(z.string()),
            filter: z.looseObject({ ignoreSelf: z.boolean().optional() }).optional(),
          }),
        )
        .default([]),
      scheduledTrigger: z
        .array(z.looseObject({ key: z.string(), function: z.string(), interval: z.enum(['fiveMinute', 'hour', 'day', 'week']) }))
        .default([]),
      consumer: z
        .array(
          z.looseObject({
            key: z.string(),
            queue: z.string(),
            function: z.string().optional(),
            resolver: z.looseObject({ function: z.string(), method: z.string().optional() }).optional(),
          }),
        )
        .default([]),
      webtrigger: z
        .array(
          z.looseObject({
            key: z.string(),
            function: z.string().optional(),
            response: z
              .looseObject({
                type: z.enum(['static', 'dynamic']),
                outputs: z
                  .array(z.looseObject({ key: z.string(), statusCode: z.number().int(), contentType: z.string().optional(), body: z.string().optional() }))
                  .optional(),
              })
              .optional(),
          }),
        )
        .default([]),
      'jira:adminPage': z
        .array(
          z.looseObject({
            key: z.string(),
            title: z.string().optional(),
            resource: z.string().optional(),
            resolver: z.looseObject({ function: z.string() }).optional(),
          }),
        )
        .default([]),
    })
    .default({ function: [], trigger: [], scheduledTrigger: [], consumer: [], webtrigger: [], 'jira:adminPage': [] }),
  resources: z.array(z.looseObject({ key: z.string(), path: z.string() })).default([]),
});

export type EgressEntry = z.infer<typeof egressEntry>;
export type ScheduleInterval = 'fiveMinute' | 'hour' | 'day' | 'week';

export interface FunctionDef {
  key: string;
  /** path of the module relative to the app's src/ (without extension) */
  file: string;
  exportName: string;
  timeoutSeconds?: number;
}
export interface TriggerDef { key: string; functionKey: string; events: string[]; ignoreSelf: boolean }
export interface ScheduledDef { key: string; functionKey: string; interval: ScheduleInterval }
export interface ConsumerDef { key: string; queue: string; functionKey: string }
export interface AdminPageDef { key: string; title: string; resource?: string; resolverFunctionKey?: string }
export interface ResourceDef { key: string; path: string }
export interface WebTriggerOutput { key: string; statusCode: number; contentType?: string; body?: string }
/** A `webtrigger` module: dynamic (the function answers anything) unless `response.type: static`. */
export interface WebTriggerDef { key: string; functionKey: string; responseType: 'static' | 'dynamic'; outputs: WebTriggerOutput[] }

export interface AppModel {
  appDir: string;
  appId: string;
  scopes: string[];
  egressBackend: EgressEntry[];
  functions: Map<string, FunctionDef>;
  triggers: TriggerDef[];
  scheduled: ScheduledDef[];
  consumers: ConsumerDef[];
  webTriggers: WebTriggerDef[];
  adminPages: AdminPageDef[];
  resources: ResourceDef[];
}

export const INTERVAL_SECONDS: Record<ScheduleInterval, number> = {
  fiveMinute: 300,
  hour: 3600,
  day: 86400,
  week: 604800,
};

export function loadManifest(appDir: string): AppModel {
  const file = path.join(appDir, 'manifest.yml');
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Forge local host: cannot read ${file}: ${(e as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Forge local host: ${file} does not look like a Forge manifest: ${parsed.error.message}`);
  }
  const m = parsed.data;
  const functions = new Map<string, FunctionDef>();
  for (const f of m.modules.function) {
    const dot = f.handler.lastIndexOf('.');
    if (dot <= 0) throw new Error(`Forge local host: function ${f.key} has handler "${f.handler}"; expected "<file>.<export>"`);
    functions.set(f.key, { key: f.key, file: f.handler.slice(0, dot), exportName: f.handler.slice(dot + 1), timeoutSeconds: f.timeoutSeconds });
  }
  const requireFunction = (moduleKey: string, functionKey: string | undefined): string => {
    if (!functionKey || !functions.has(functionKey)) {
      throw new Error(`Forge local host: module ${moduleKey} refers to function "${functionKey ?? ''}", which manifest.yml does not define`);
    }
    return functionKey;
  };
  return {
    appDir,
    appId: m.app.id.replace(/^ari:cloud:ecosystem::app\//, ''),
    scopes: m.permissions.scopes,
    egressBackend: m.permissions.external?.fetch?.backend ?? [],
    functions,
    triggers: m.modules.trigger.map((t) => ({
      key: t.key,
      functionKey: requireFunction(t.key, t.function),
      events: t.events,
      ignoreSelf: t.filter?.ignoreSelf === true,
    })),
    scheduled: m.modules.scheduledTrigger.map((s) => ({ key: s.key, functionKey: requireFunction(s.key, s.function), interval: s.interval })),
    consumers: m.modules.consumer.map((c) => ({ key: c.key, queue: c.queue, functionKey: requireFunction(c.key, c.function ?? c.resolver?.function) })),
    webTriggers: m.modules.webtrigger.map((w) => ({
      key: w.key,
      functionKey: requireFunction(w.key, w.function),
      responseType: w.response?.type ?? 'dynamic',
      outputs: (w.response?.outputs ?? []).map((o) => ({ key: o.key, statusCode: o.statusCode, contentType: o.contentType, body: o.body })),
    })),
    adminPages: m.modules['jira:adminPage'].map((p) => ({
      key: p.key,
      title: p.title ?? p.key,
      resource: p.resource,
      resolverFunctionKey: p.resolver ? requireFunction(p.key, p.resolver.function) : undefined,
    })),
    resources: m.resources.map((r) => ({ key: r.key, path: r.path })),
  };
}

export function egressAddress(entry: EgressEntry): string {
  if (typeof entry === 'string') return entry;
  return 'address' in entry ? String(entry.address) : String(entry.remote);
}
