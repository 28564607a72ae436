import type { FormattableEvent } from '../../formats/formattable-event';
import type { BatchItem, RenderContext } from '../contract';

/**
 * The document one event becomes, ECS-friendly where ECS has a field for it:
 *
 * | field              | value                                                            |
 * |--------------------|------------------------------------------------------------------|
 * | `@timestamp`       | when it happened (ISO 8601 UTC; data streams require it)         |
 * | `message`          | the event's one-line summary (its type when it has none)         |
 * | `event.id`         | the event id (also the document `_id`)                           |
 * | `event.action`     | the event type, e.g. `issue.updated`                             |
 * | `event.kind`       | `event`                                                          |
 * | `event.module`     | `jira`                                                           |
 * | `event.provider`   | where it came from: `product-event`, `audit-log` or `app`        |
 * | `event.dataset`    | the dataset part of a `<type>-<dataset>-<namespace>` stream name |
 * | `user.id`          | the actor's Atlassian account id, when known                     |
 * | `user.full_name`   | the actor's display name, when known                             |
 * | `jira.site`        | the Jira site, e.g. `acme.atlassian.net`, when known             |
 * | `jira.object`      | the object that changed: `type`, `id`, `key`, `name`             |
 * | `jira.data`        | the whole event data as the generic webhook sends it             |
 *
 * `event.dataset` is left out for other stream names: in the built-in `logs-*-*` template the
 * data_stream fields are constant, and a document must not contradict the stream it is written to.
 */
export interface ElasticDocument {
  '@timestamp': string;
  message: string;
  event: { id: string; action: string; kind: 'event'; module: 'jira'; provider?: string; dataset?: string };
  user?: { id?: string; full_name?: string };
  jira: { site?: string; object?: Record<string, unknown>; data: FormattableEvent['data'] };
}

/** The dataset of a stream named by Elastic's scheme, `logs-jira.audit-default` -> `jira.audit`. */
export function datasetOf(stream: string): string | undefined {
  const match = /^(?:logs|metrics|traces|synthetics)-([^-]+)-[^-]+$/.exec(stream);
  return match?.[1];
}

export function elasticDocument(event: FormattableEvent, stream: string, context: RenderContext): ElasticDocument {
  const { data } = event;
  const dataset = datasetOf(stream);
  const actor = data.actor;
  const user = actor && (actor.accountId || actor.displayName) ? { ...(actor.accountId ? { id: actor.accountId } : {}), ...(actor.displayName ? { full_name: actor.displayName } : {}) } : undefined;
  const object = data.object ? { ...data.object } : undefined;
  return {
    '@timestamp': event.timestamp,
    message: data.summary ?? event.type,
    event: {
      id: event.id,
      action: event.type,
      kind: 'event',
      module: 'jira',
      ...(data.source ? { provider: data.source } : {}),
      ...(dataset ? { dataset } : {}),
    },
    ...(user ? { user } : {}),
    jira: { ...(context.siteHost ? { site: context.siteHost } : {}), ...(object ? { object } : {}), data },
  };
}

/**
 * The `_bulk` body: per event a `create` action line (data streams accept only `create`) naming the
 * stream and the event id as `_id`, then the document line; NDJSON, ending with a newline as the bulk
 * API requires. The event id as `_id` makes a resent batch harmless: an event already indexed answers
 * 409 version conflict, which the answer reading counts as delivered.
 */
export function bulkBody(items: readonly BatchItem[], stream: string, context: RenderContext): string {
  if (items.length === 0) throw new Error('An Elasticsearch bulk request carries at least one event');
  const lines: string[] = [];
  for (const { event } of items) {
    lines.push(JSON.stringify({ create: { _index: stream, _id: event.id } }));
    lines.push(JSON.stringify(elasticDocument(event, stream, context)));
  }
  return `${lines.join('\n')}\n`;
}
