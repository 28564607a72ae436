/** Changes to the app's own configuration (webhooks, settings) -> AuditEvent, so they are audited too. */
import { z } from 'zod';
import { APP_CONFIG_EVENT_TYPES, type AppConfigEventType } from './catalogue';
import { stableId } from './ids';
import { boundEventDepth } from './depth';
import { AuditEventSchema, type AuditEvent, type Change, type NormaliseResult } from './model';
import { compact, describeIssues, parseWith, toIsoTimestamp, truncate } from './parse';
import { MAX_CHANGE_VALUE_LENGTH } from './limits';

/** `app.webhook.created`, or `webhook.created` as src/app/admin/config-audit.ts names it. */
export type ConfigChangeType = AppConfigEventType | (AppConfigEventType extends `app.${infer Rest}` ? Rest : never);

/** JSON-safe values as the admin use cases record them (never a secret: masked URLs, previews only). */
export type ConfigChangeValue = string | number | boolean | null | readonly string[];

export interface ConfigFieldChange {
  field: string;
  from?: ConfigChangeValue;
  to?: ConfigChangeValue;
}

export interface ConfigChange {
  type: ConfigChangeType;
  /** The admin who made the change; absent when the app itself did it (e.g. auto-disable). */
  actorAccountId?: string;
  actorDisplayName?: string;
  /** Absent for app.settings.updated. */
  webhookId?: string;
  webhookName?: string;
  /** Never pass secret values: the secret's id or its 3-character preview only. */
  changes?: readonly ConfigFieldChange[];
  at: Date | string;
  /** Leave out for a deterministic id (a hash of type, webhook, time and changes). */
  id?: string;
  /** A free-form reason, e.g. "disabled after 50 consecutive failures". */
  reason?: string;
  /** More about the webhook for data.details (the app's auto-disable: kind, masked URL, failure run); never a secret. */
  details?: Readonly<Record<string, string | number>>;
}

const ChangeValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]).optional();

const ConfigChangeSchema = z.object({
  type: z
    .string()
    .transform((type) => (type.startsWith('app.') ? type : `app.${type}`))
    .pipe(z.enum(APP_CONFIG_EVENT_TYPES, { error: `expected one of ${APP_CONFIG_EVENT_TYPES.join(', ')} (the app. prefix may be left out)` })),
  actorAccountId: z.string().min(1).optional(),
  actorDisplayName: z.string().min(1).optional(),
  webhookId: z.string().min(1).optional(),
  webhookName: z.string().min(1).optional(),
  changes: z.array(z.object({ field: z.string().min(1), from: ChangeValueSchema, to: ChangeValueSchema })).optional(),
  at: z.union([z.date(), z.string().min(1)]),
  id: z.string().min(1).optional(),
  reason: z.string().min(1).optional(),
  details: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

const VERBS: Record<AppConfigEventType, string> = {
  'app.webhook.created': 'was created',
  'app.webhook.updated': 'was updated',
  'app.webhook.deleted': 'was deleted',
  'app.webhook.enabled': 'was enabled',
  'app.webhook.disabled': 'was disabled',
  'app.webhook.secret_added': 'got a new signing secret',
  'app.webhook.secret_removed': 'had a signing secret removed',
  'app.settings.updated': 'were updated',
};

function changeText(value: z.infer<typeof ChangeValueSchema>): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = Array.isArray(value) ? value.join(', ') : String(value);
  return text.length > 0 ? truncate(text, MAX_CHANGE_VALUE_LENGTH) : undefined;
}

export function fromConfigChange(change: ConfigChange): NormaliseResult {
  const parsed = parseWith(ConfigChangeSchema, change, 'App configuration change');
  if (!parsed.ok) return parsed;
  const value = {
    ...parsed.value,
    changes: parsed.value.changes?.map((c): Change => compact({ field: c.field, from: changeText(c.from), to: changeText(c.to) }) as Change),
  };
  const timestamp = toIsoTimestamp(value.at);
  if (!timestamp) return { ok: false, error: `App configuration change is malformed: at: "${String(value.at)}" is not a date` };
  const isSettings = value.type === 'app.settings.updated';
  if (!isSettings && !value.webhookId) {
    return { ok: false, error: `App configuration change is malformed: webhookId is required for ${value.type}` };
  }
  const subject = isSettings ? 'App settings' : `Webhook ${value.webhookName ? `"${value.webhookName}"` : value.webhookId}`;
  const changedFields = value.changes && value.changes.length > 0 && value.type === 'app.webhook.updated' ? `: ${value.changes.map((c) => c.field).join(', ')} changed` : '';
  const candidate: AuditEvent = {
    id: value.id ?? stableId('app', value.type, value.webhookId ?? null, timestamp, value.changes ?? []),
    type: value.type,
    timestamp,
    data: {
      source: 'app',
      actor: compact({ accountId: value.actorAccountId, displayName: value.actorDisplayName }),
      object: isSettings
        ? { type: 'settings', name: 'App settings' }
        : (compact({ type: 'webhook', id: value.webhookId, name: value.webhookName }) as AuditEvent['data']['object']),
      summary: `${subject} ${VERBS[value.type]}${changedFields}${value.reason ? ` (${value.reason})` : ''}`,
      ...(value.changes && value.changes.length > 0 ? { changes: value.changes } : {}),
      original: {},
      ...(value.reason || value.details ? { details: { ...value.details, ...(value.reason ? { reason: value.reason } : {}) } } : {}),
    },
  };
  const checked = AuditEventSchema.safeParse(candidate);
  if (!checked.success) return { ok: false, error: `App configuration change normalised to an invalid event: ${describeIssues(checked.error)}` };
  return { ok: true, event: boundEventDepth(checked.data) };
}
