import { createHash } from 'node:crypto';
import { classifyResponse } from '../../delivery/outcome';
import { fitPayload } from '../../formats/fit-payload';
import type { FormattableEvent } from '../../formats/formattable-event';
import type { BatchItem, DestinationModule, RenderContext, Settings } from '../contract';
import { settingsSchemaOf, textSetting } from '../settings-schema';
import { singleEvent } from '../single-event';
import { pagerdutyAnswer } from './answers';
import { PAGERDUTY_DEFAULT_REGION, PAGERDUTY_FIELDS, PAGERDUTY_REGIONS, refinePagerDuty, severityOf } from './settings';

/**
 * Events API v2 limits (PagerDuty developer docs, "Events API v2 Overview" and "Send an Alert Event"):
 * a payload of at most 512 KB, payload.summary at most 1,024 characters, dedup_key at most 255. The
 * event's envelope is fitted to 400,000 bytes (longest strings first, what was cut listed in
 * data.trimmed), which leaves over 100 KB for the rest of the body (summary, links, names) under 512,000.
 */
export const PAGERDUTY_EVENT_MAX_BYTES = 400_000;
export const PAGERDUTY_SUMMARY_MAX_CHARS = 1_024;
export const PAGERDUTY_DEDUP_KEY_MAX_CHARS = 255;

/** The `client` of every alert: PagerDuty shows it as the tool that sent the alert. */
export const PAGERDUTY_CLIENT = 'Audit Webhooks for Jira';
export const PAGERDUTY_DEFAULT_SOURCE = 'jira';

export const pagerdutyEnqueueUrl = (settings: Settings): string => {
  const chosen = textSetting(settings, 'region') ?? PAGERDUTY_DEFAULT_REGION;
  const region = PAGERDUTY_REGIONS.find((option) => option.value === chosen) ?? PAGERDUTY_REGIONS[0];
  return `https://${region.host}/v2/enqueue`;
};

/** At most `max` UTF-16 units, never cutting a surrogate pair, with an ellipsis when cut. */
const cutChars = (text: string, max: number): string => {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
};

/**
 * The event id (events are deduplicated on it upstream, so a retried trigger lands on the same alert).
 * Our ids are short; one over 255 characters keeps its start and gets a SHA-256 of the whole, so two long
 * ids never share a key.
 */
export const dedupKeyOf = (eventId: string): string => {
  if (eventId.length <= PAGERDUTY_DEDUP_KEY_MAX_CHARS) return eventId;
  const digest = createHash('sha256').update(eventId).digest('hex');
  return `${eventId.slice(0, PAGERDUTY_DEDUP_KEY_MAX_CHARS - digest.length - 1)}~${digest}`;
};

/** A link into Jira: the issue for issue events, else the site; none when the site URL is not known. */
export const jiraLinkOf = (event: FormattableEvent, context: RenderContext): { href: string; text: string } | undefined => {
  if (context.siteUrl === undefined) return undefined;
  const site = context.siteUrl.replace(/\/+$/, '');
  const object = event.data.object;
  if (object?.type === 'issue' && object.key !== undefined && /^[A-Z][A-Z0-9_]*-\d+$/.test(object.key)) {
    return { href: `${site}/browse/${object.key}`, text: `Open ${object.key} in Jira` };
  }
  return { href: site, text: 'Open the Jira site' };
};

/**
 * One Events API v2 trigger for one event. payload.summary is the event's readable summary; class is
 * the event type; custom_details carries the event id and type, the link into Jira when known, and the
 * event's data (actor, object, changes ...), fitted so the body stays under PagerDuty's 512 KB.
 */
export function pagerdutyEvent(event: FormattableEvent, settings: Settings, context: RenderContext): Record<string, unknown> {
  const fitted = fitPayload(event, PAGERDUTY_EVENT_MAX_BYTES).event;
  const summary = typeof event.data.summary === 'string' && event.data.summary.trim() !== '' ? event.data.summary : event.type;
  const component = textSetting(settings, 'component');
  const group = textSetting(settings, 'group');
  const link = jiraLinkOf(event, context);
  return {
    // Never throws without the key (settings checked without their write-only secrets): PagerDuty then
    // answers 400 about routing_key, which turns the webhook failing with what to fix.
    routing_key: textSetting(settings, 'routingKey') ?? '',
    event_action: 'trigger',
    dedup_key: dedupKeyOf(event.id),
    payload: {
      summary: cutChars(summary, PAGERDUTY_SUMMARY_MAX_CHARS),
      source: textSetting(settings, 'source') ?? context.siteHost ?? PAGERDUTY_DEFAULT_SOURCE,
      severity: severityOf(settings, event.type),
      timestamp: event.timestamp,
      ...(component === undefined ? {} : { component }),
      ...(group === undefined ? {} : { group }),
      class: event.type,
      custom_details: {
        event_id: event.id,
        event_type: event.type,
        ...(link === undefined ? {} : { jira_url: link.href }),
        ...fitted.data,
      },
    },
    ...(link === undefined ? {} : { links: [link] }),
    client: PAGERDUTY_CLIENT,
    ...(context.adminPageUrl === undefined ? {} : { client_url: context.adminPageUrl }),
  };
}

export const renderPagerDuty = (items: readonly BatchItem[], settings: Settings, context: RenderContext): string =>
  JSON.stringify(pagerdutyEvent(singleEvent(items, 'PagerDuty'), settings, context));

/**
 * PagerDuty Events API v2: one trigger event per Jira event, to the region's enqueue endpoint, the
 * integration key in the body. Which events page someone is the webhook's event subscription (an admin
 * subscribes it to the alerting types only); the severity is per event type. PagerDuty allows about 120
 * events a minute per integration key ("Events API Rate Limits"), so sends are one at a time, 500 ms apart.
 */
export const pagerdutyDestination: DestinationModule = {
  kind: 'pagerduty',
  label: 'PagerDuty (Events API v2)',
  summary: 'An alert per event on a PagerDuty service, through an Events API v2 integration: subscribe it to the event types that should page.',
  common: {
    url: 'derived',
    urlLabel: 'Events API URL',
    urlHelp: "Built from PagerDuty region: https://events.pagerduty.com/v2/enqueue (EU: events.eu.pagerduty.com). Its host must be on the app's egress allowlist.",
    urlPlaceholder: 'https://events.pagerduty.com/v2/enqueue',
    method: false,
    signing: false,
    authorization: false,
    headers: false,
  },
  commonNotUsed: 'PagerDuty authenticates events by the integration key in the body and reads no other headers or signatures',
  fields: PAGERDUTY_FIELDS,
  settingsSchema: settingsSchemaOf('PagerDuty', PAGERDUTY_FIELDS, refinePagerDuty),
  derivedUrl: pagerdutyEnqueueUrl,
  urlProblems: () => [],
  egressUrls: (_url, settings) => [pagerdutyEnqueueUrl(settings)],
  pacing: { parallel: 1, spacingMs: 500 },
  contentType: 'application/json',
  requestUrl: (_url, settings) => pagerdutyEnqueueUrl(settings),
  render: renderPagerDuty,
  // The integration key travels in the body (routing_key); no header carries it.
  auth: () => ({ type: 'none' }),
  classify: (response) => ({ whole: classifyResponse(response, pagerdutyAnswer) }),
};
