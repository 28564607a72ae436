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
