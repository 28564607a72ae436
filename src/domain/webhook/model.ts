/** The vocabulary of a webhook's configuration, shared by the rules, the contract and the use cases. */
export { DESTINATION_KINDS as WEBHOOK_KINDS, type DestinationKindName as WebhookKind } from '../destinations/kinds';

export const HTTP_METHODS = ['POST', 'PUT'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * standard: Standard Webhooks (webhook-id / webhook-timestamp / webhook-signature, v1 HMAC over
 * id.timestamp.body). base64-list: base64 HMAC-SHA256 of the body, comma-joined, in one header (what
 * existing Jira security apps send). hub: GitHub style X-Hub-Signature-256: sha256=<hex>.
 */
export const SIGNING_MODES = ['standard', 'base64-list', 'hub'] as const;
export type SigningMode = (typeof SIGNING_MODES)[number];
export const DEFAULT_SIGNATURE_HEADER = 'X-Webhook-Signature';

export const MASK_MODES = ['none', 'query', 'path-and-query'] as const;
export type MaskMode = (typeof MASK_MODES)[number];

export const HEALTH_STATES = ['healthy', 'failing', 'disabled'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export interface WebhookHealth {
  state: HealthState;
  /** ISO date-time the state began. */
  since?: string;
  /** Why, in words an admin can act on; never contains a secret. */
  reason?: string;
}

/** Subscribing to ALL_EVENTS means every current and future event type. */
export const ALL_EVENTS = '*';

/** A problem with one input field; path is relative to the value the rule was given. */
export interface FieldProblem {
  path: (string | number)[];
  message: string;
}
