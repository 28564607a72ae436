/**
 * The destination kinds, by name. Each has its module under src/domain/destinations/<kind>/ and its entry
 * in registry.ts (the registry's type makes a name without a module a compile error).
 */
/** In the order the admin page offers them: the generic receiver, chat, then the SIEMs. */
export const DESTINATION_KINDS = ['custom', 'slack', 'teams', 'splunk', 'sentinel', 'datadog', 'elastic', 'qradar', 'pagerduty'] as const;
export type DestinationKindName = (typeof DESTINATION_KINDS)[number];

export const isDestinationKind = (kind: string): kind is DestinationKindName => (DESTINATION_KINDS as readonly string[]).includes(kind);
