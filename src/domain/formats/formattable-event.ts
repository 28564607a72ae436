/**
 * The part of a normalised event that the formats read. src/domain/events' AuditEvent is the full
 * model and conforms to this (a unit test checks it), so formats depend on a small, stable shape
 * rather than on every field of the normaliser.
 */
export interface FormattableActor {
  accountId?: string;
  displayName?: string;
}

export interface FormattableObject {
  type: string;
  id?: string;
  key?: string;
  name?: string;
}

export interface FormattableEvent {
  id: string;
  type: string;
  /** ISO 8601, UTC. */
  timestamp: string;
  data: Record<string, unknown> & {
    summary?: string;
    actor?: FormattableActor;
    object?: FormattableObject;
    source?: string;
  };
}
