import { fitPayload } from '../../formats/fit-payload';
import type { FormattableEvent } from '../../formats/formattable-event';
import type { BatchItem, RenderContext } from '../contract';
import type { SentinelColumnName } from './stream';

/**
 * The Data column holds at most this much of the event (its envelope, in bytes): Log Analytics
 * truncates longer field values (64 KB per value), which would cut the JSON of the dynamic column.
 * Larger events are trimmed the way every format trims them (data.trimmed says what was cut).
 */
export const SENTINEL_DATA_MAX_BYTES = 60_000;

export type SentinelRecord = Record<SentinelColumnName, string | FormattableEvent['data']>;

export function sentinelRecord(event: FormattableEvent, context: RenderContext): SentinelRecord {
  const data = fitPayload(event, SENTINEL_DATA_MAX_BYTES).event.data;
  const { actor, object } = event.data;
  return {
    TimeGenerated: event.timestamp,
    EventId: event.id,
    EventType: event.type,
    Summary: event.data.summary ?? '',
    Source: event.data.source ?? '',
    ActorAccountId: actor?.accountId ?? '',
    ActorDisplayName: actor?.displayName ?? '',
    ObjectType: object?.type ?? '',
    ObjectId: object?.id ?? '',
    ObjectKey: object?.key ?? '',
    ObjectName: object?.name ?? '',
    SiteHost: context.siteHost ?? '',
    Data: data,
  };
}

/** The body of a Logs Ingestion API call: a JSON array of records, in the order of the events. */
export function sentinelBody(items: readonly BatchItem[], context: RenderContext): string {
  if (items.length === 0) throw new Error('A Logs Ingestion API call carries at least one event');
  return JSON.stringify(items.map(({ event }) => sentinelRecord(event, context)));
}
