/**
 * The columns each record sent to Microsoft Sentinel has: the DCR stream declaration (input) and the
 * custom table (output) are the same, so the DCR's transformation can be `source`. One flat record per
 * event; absent text values are sent as "" so every record has every column.
 * docs/destinations/sentinel.md prints this as the JSON an admin pastes into the DCR.
 */
export type SentinelColumnType = 'string' | 'datetime' | 'dynamic';

export interface SentinelColumn {
  name: string;
  type: SentinelColumnType;
  description: string;
}

export const SENTINEL_COLUMNS = [
  { name: 'TimeGenerated', type: 'datetime', description: 'When the change happened in Jira (ISO 8601, UTC).' },
  { name: 'EventId', type: 'string', description: 'The event id, the same on every attempt: deduplicate on it.' },
  { name: 'EventType', type: 'string', description: 'The event type, e.g. issue.updated, audit.user_management.' },
  { name: 'Summary', type: 'string', description: 'One readable line about the change.' },
  { name: 'Source', type: 'string', description: 'Where the event came from: product-event, audit-log or app.' },
  { name: 'ActorAccountId', type: 'string', description: "The Atlassian account id of whoever made the change, when Jira says." },
  { name: 'ActorDisplayName', type: 'string', description: "That person's display name, when Jira says." },
  { name: 'ObjectType', type: 'string', description: 'What changed: issue, project, user, ...' },
  { name: 'ObjectId', type: 'string', description: 'Its id.' },
  { name: 'ObjectKey', type: 'string', description: 'Its key, e.g. SP-10.' },
  { name: 'ObjectName', type: 'string', description: 'Its name or title.' },
  { name: 'SiteHost', type: 'string', description: 'The Jira site, e.g. acme.atlassian.net.' },
  { name: 'Data', type: 'dynamic', description: 'The whole event data, as the generic webhook sends it (changes, original record, ...).' },
] as const satisfies readonly SentinelColumn[];

export type SentinelColumnName = (typeof SENTINEL_COLUMNS)[number]['name'];

/** The default stream: DCR custom streams are named `Custom-<name>`; this one feeds the table JiraAudit_CL. */
export const DEFAULT_SENTINEL_STREAM = 'Custom-JiraAudit_CL';
/** The table the docs create; custom tables end with _CL. */
export const DEFAULT_SENTINEL_TABLE = 'JiraAudit_CL';

/** The `streamDeclarations` entry of a DCR for this stream, as its JSON shows it. */
export const sentinelStreamDeclaration = (
  streamName: string = DEFAULT_SENTINEL_STREAM,
): Record<string, { columns: { name: string; type: SentinelColumnType }[] }> => ({
  [streamName]: { columns: SENTINEL_COLUMNS.map(({ name, type }) => ({ name, type })) },
});

/** The DCR transformation: the stream's columns are the table's, so the records pass as they are. */
export const SENTINEL_TRANSFORM_KQL = 'source';
