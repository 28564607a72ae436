/**
 * Size limits that keep one AuditEvent small: events travel through Forge queue pushes (200 KB per push,
 * up to 50 events) and KVS values (240 KiB), and a changelog for a description edit carries the whole text.
 */

/** A change's from/to, and other copied text values, are cut here (with an ellipsis). */
export const MAX_CHANGE_VALUE_LENGTH = 1000;

/** At most this many changes per event; the summary says how many were left out. */
export const MAX_CHANGES = 50;

/** At most this many associated items per audit record. */
export const MAX_ASSOCIATED_ITEMS = 50;

/**
 * No stored event is nested deeper than this (the event object itself is level 1). KVS refuses values
 * deeper than 32; the deepest wrapper an event is stored in (a fan-out batch: object + events array) adds
 * 2, so a bounded event stays at most 26 deep where it is stored, 6 levels inside the limit. What would
 * sit deeper is flattened to plain text behind a marker (src/domain/events/depth.ts).
 */
export const MAX_EVENT_DEPTH = 24;

/**
 * A Jira payload is flattened (the same marker) below this depth before it is read at all: far beyond any
 * real payload, and shallow enough that hashing and copying it never exhaust the stack.
 */
export const MAX_INPUT_DEPTH = 64;
