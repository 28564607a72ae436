/**
 * KVS key layout of the event pipeline. Keys sort as strings, so times are zero-padded, and the delivery
 * log uses a reversed time so a prefix query returns the newest first.
 *
 *   outbox:<ms>:<seq>:<eventId>     an accepted audit event, kept 14 days (read once, behind the drain's
 *                                   mark, then left to expire: a delete would cost a write unit per event)
 *   drain:queued                    a drain is queued or running, and until when it promises to look
 *   drain:state                     the drain's mark (the outbox is drained up to it) and KVS write pace
 *   dedup:<minute>                  ids fanned out in that minute, 8 characters each (de-duplication)
 *   drain:journal                   the previous version's drain state, read once at the upgrade
 *   batch:<batchId>                 events of one fan-out, kept 14 days: payloads for retries and recovery
 *   dlog:<reversed ms><hash>        one delivery job: up to JOB_SIZE messages for one webhook, with attempts
 *   push-ledger                     queue events pushed in the last minute (stays under Forge's 500/min)
 *   setaside:<reversed ms><hash>    an event the pipeline could not accept, store, batch or render, with its
 *                                   reason: kept 14 days, listed newest first by events.setAside
 */
export const OUTBOX_PREFIX = 'outbox:';
export const DRAIN_MARKER_KEY = 'drain:queued';
/** The previous version's journal: a pending fan-out and recent ids, taken over once. */
export const DRAIN_JOURNAL_KEY = 'drain:journal';
export const DRAIN_STATE_KEY = 'drain:state';
export const DEDUP_PREFIX = 'dedup:';
/** Held by the one drain that runs: Forge may run a drain twice at once (at-least-once delivery). */
export const DRAIN_LEASE_KEY = 'drain:lease';
export const BATCH_PREFIX = 'batch:';
export const DELIVERY_LOG_PREFIX = 'dlog:';
export const PUSH_LEDGER_KEY = 'push-ledger';
export const SET_ASIDE_PREFIX = 'setaside:';

export const RETENTION_DAYS = 14;
export const RETENTION_SECONDS = RETENTION_DAYS * 24 * 3600;

const MAX_MS = 9_999_999_999_999;
export const pad13 = (ms: number): string => String(Math.max(0, Math.floor(ms))).padStart(13, '0');
export const reversedTime = (ms: number): string => pad13(MAX_MS - ms);
export const timeFromReversed = (reversed: string): number => MAX_MS - Number(reversed);

/** Event ids come from Jira payloads; keep keys within KVS's alphabet. */
export const keySafe = (value: string): string => value.replace(/[^a-zA-Z0-9._-]/g, '_').slice(0, 200);

/** Orders the events one runtime records in the same millisecond (keys sort as strings). */
let sequence = 0;
const nextSequence = (): string => {
  sequence = (sequence + 1) % 1_000_000;
  return String(sequence).padStart(6, '0');
};

/** `outbox:<ms>:<sequence>:<eventId>`: drained oldest first, in the order recorded. */
export const outboxKey = (acceptedAtMs: number, eventId: string): string => `${OUTBOX_PREFIX}${pad13(acceptedAtMs)}:${nextSequence()}:${keySafe(eventId)}`;
export const batchKey = (batchId: string): string => `${BATCH_PREFIX}${batchId}`;
export const deliveryLogKey = (jobId: string): string => `${DELIVERY_LOG_PREFIX}${jobId}`;
/** The token of the one queued hop of a job that may go on (a few bytes, so a hop costs one small write). */
export const deliveryHopKey = (jobId: string): string => `dhop:${jobId}`;
