/**
 * The destination kinds, by name. Each has its module under src/domain/destinations/<kind>/ and its entry
 * in registry.ts (the registry's type makes a name without a module a compile error).
 */
export const DESTINATION_KINDS = ['custom', 'slack', 'elastic', 'sentinel', 'splunk', 'datadog', 'qradar'] as const;
export type DestinationKindName = (typeof DESTINATION_KINDS)[number];

export const isDestinationKind = (kind: string): kind is DestinationKindName => (DESTINATION_KINDS as readonly string[]).includes(kind);
