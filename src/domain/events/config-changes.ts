/** Changes to the app's own configuration (webhooks, settings) -> AuditEvent, so they are audited too. */
import { z } from 'zod';
import { APP_CONFIG_EVENT_TYPES, type AppConfigEventType } from './catalogue';
import { stableId } from './ids';
import { AuditEventSchema, ChangeSchema, type AuditEvent, type Change, type NormaliseResult } from './model';
import { compact, describeIssues, parseWith, toIsoTimestamp } from './parse';

export interface ConfigChange {
  type: AppConfigEventType;
  /** The admin who made the change; absent when the app itself did it (e.g. auto-disable). */
  actorAccountId?: string;
  actorDisplayName?: string;
  /** Absent for app.settings.updated. */
  webhookId?: string;
  webhookName?: string;
  /** Never pass secret values: the secret's id or its 3-character preview only. */
  changes?: Change[];
  at: Date | string;
  /** Leave out for a deterministic id (a hash of type, webhook, time and changes). */
  id?: string;
  /** A free-form reason, e.g. "disabled after 50 consecutive failures". */
  reason?: string;
}

const ConfigChangeSchema = z.object({
  type: z.enum(APP_CONFIG_EVENT_TYPES),
  actorAccountId: z.string().min(1).optional(),
  actorDisplayName: z.string().min(1).optional(),
  webhookId: z.string().min(1).optional(),
  webhookName: z.string().min(1).optional(),
  changes: z.array(ChangeSchema).optional(),
  at: z.union([z.date(), z.string().min(1)]),
  id: z.string().min(1).optional(),
  reason: z.string().min(1).optional(),
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

export function fromConfigChange(change: ConfigChange): NormaliseResult {
  const parsed = parseWith(ConfigChangeSchema, change, 'App configuration change');
  if (!parsed.ok) return parsed;
  const value = parsed.value;
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
      ...(value.reason ? { details: { reason: value.reason } } : {}),
    },
  };
  const checked = AuditEventSchema.safeParse(candidate);
  if (!checked.success) return { ok: false, error: `App configuration change normalised to an invalid event: ${describeIssues(checked.error)}` };
  return { ok: true, event: checked.data };
}
