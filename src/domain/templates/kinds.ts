import type { DestinationModule } from '../destinations/contract';

/**
 * Kinds whose body a template may reshape. A custom webhook's body is our own JSON envelope, so a
 * receiver can ask for any JSON instead. Every other kind's body is a vendor format the vendor parses
 * (Splunk's HEC envelope, Elastic's bulk lines, Slack blocks...): a reshaped body would be refused or
 * silently mis-indexed, so those kinds refuse a template rather than apply it somewhere surprising.
 */
export const acceptsTemplate = (kind: Pick<DestinationModule, 'kind'>): boolean => kind.kind === 'custom';
