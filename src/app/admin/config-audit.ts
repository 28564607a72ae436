/**
 * The app's own configuration changes are audit events too: an admin who adds a webhook to a SIEM, or
 * removes a signing secret, is exactly what an auditor asks about. Use cases record them through this
 * port; the event pipeline (wired by the entry layer) delivers them as app.<type> events.
 */
export type ConfigAuditType =
  | 'webhook.created'
  | 'webhook.updated'
  | 'webhook.deleted'
  | 'webhook.enabled'
  | 'webhook.disabled'
  | 'webhook.secret_added'
  | 'webhook.secret_removed';

/** JSON-safe, and never a secret: URLs are masked, authorization is a scheme, sensitive values are '•••'. */
export type ConfigValue = string | number | boolean | null | string[];

export interface ConfigChange {
  field: string;
  from?: ConfigValue;
  to?: ConfigValue;
}

export interface ConfigAuditEvent {
  type: ConfigAuditType;
  actorAccountId: string;
  webhookId: string;
  webhookName: string;
  /** ISO date-time of the change. */
  at: string;
  changes: ConfigChange[];
}

export interface ConfigAuditSink {
  record(event: ConfigAuditEvent): Promise<void>;
}
