/** Event normalisation: Jira product events, audit records and the app's own config changes -> AuditEvent. */
export * from './model';
export * from './catalogue';
export { fromProductEvent, type ProductEventOptions } from './product-events';
export { fromAuditRecord, parseAuditRecordsPage, auditEventId, type AuditRecordsPage } from './audit-records';
export { fromConfigChange, type ConfigChange } from './config-changes';
export { AUDIT_EVENT_JSON_SCHEMA } from './json-schema';
export { stableId, canonicalJson } from './ids';
export { MAX_CHANGE_VALUE_LENGTH, MAX_CHANGES, MAX_ASSOCIATED_ITEMS, MAX_EVENT_DEPTH } from './limits';
export { boundDepth, boundEventDepth, flattenMarker, flattenedText, jsonDepth, type FlattenedField } from './depth';
export type { ConfigChangeType, ConfigChangeValue, ConfigFieldChange } from './config-changes';
export { fromHealthTransition, healthTransition, HEALTH_ALERT_TYPES, type AlertedWebhook, type HealthAlertType, type HealthTransition } from './health-alerts';
export { fromSetAside, SET_ASIDE_EVENT_TYPE, SET_ASIDE_STAGES, type SetAside, type SetAsideStage } from './set-aside';
