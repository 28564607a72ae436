import { classifyResponse, misconfigured, type DeliveryOutcome, type ReceiverResponse } from '../../delivery/outcome';
import { envelopeOf } from '../../formats/envelope';
import { fitPayload } from '../../formats/fit-payload';
import type { FormattableEvent } from '../../formats/formattable-event';
import { truncateUtf8 } from '../../formats/utf8';
import type { BatchItem, DestinationModule, RenderContext, Settings } from '../contract';
import { settingsSchemaOf, textSetting } from '../settings-schema';
import { DATADOG_DEFAULT_SERVICE, DATADOG_DEFAULT_SITE, DATADOG_DEFAULT_SOURCE, DATADOG_FIELDS, DATADOG_SITES, refineDatadog, tagsOf } from './settings';

/**
 * Datadog's limits per request (API reference "Send logs"): 5 MB uncompressed, 1,000 logs, 1 MB per log
 * (a larger log is truncated by Datadog and still answered 2xx). A request is kept to 4,500,000 bytes,
 * 10 % under 5 MB whichever megabyte Datadog means; one log's event is fitted to 900,000 bytes, so
 * Datadog never truncates it silently: our trimming says what was cut in data.trimmed.
 */
export const DATADOG_MAX_BYTES = 4_500_000;
export const DATADOG_EVENT_MAX_BYTES = 900_000;
/** The readable message is the event's summary, cut to this (the whole event is in the attributes anyway). */
export const DATADOG_MESSAGE_MAX_BYTES = 4_096;

export const datadogIntakeUrl = (settings: Settings): string => {
  const chosen = textSetting(settings, 'site');
  const site = DATADOG_SITES.find((option) => option.value === chosen)?.value ?? DATADOG_DEFAULT_SITE;
  return `https://http-intake.logs.${site}/api/v2/logs`;
};

/**
 * One Datadog log for one event. Datadog's reserved attributes first: ddsource, ddtags, hostname,
 * service, message (the summary, what Log Explorer shows) and timestamp (ISO 8601, one of the date
 * attributes Datadog reads as the log's official date). Then the rest of our envelope at the top level,
 * so its fields are attributes (@id, @type, @data.actor.accountId ...), plus Datadog's standard
 * attributes evt.name (the event type) and usr.id / usr.name (the actor) for Datadog's own views.
 */
export function datadogLog(event: FormattableEvent, settings: Settings, context: RenderContext): Record<string, unknown> {
  const fitted = envelopeOf(fitPayload(event, DATADOG_EVENT_MAX_BYTES).event);
  const ddtags = textSetting(settings, 'ddtags');
  const hostname = textSetting(settings, 'hostname') ?? context.siteHost;
  const actor = event.data.actor;
  const usr = {
    ...(actor?.accountId === undefined ? {} : { id: actor.accountId }),
    ...(actor?.displayName === undefined ? {} : { name: actor.displayName }),
  };
  const summary = typeof event.data.summary === 'string' && event.data.summary.length > 0 ? event.data.summary : event.type;
  return {
    ddsource: textSetting(settings, 'ddsource') ?? DATADOG_DEFAULT_SOURCE,
    ...(ddtags === undefined ? {} : { ddtags: tagsOf(ddtags).join(',') }),
    ...(hostname === undefined ? {} : { hostname }),
    service: textSetting(settings, 'service') ?? DATADOG_DEFAULT_SERVICE,
    message: truncateUtf8(summary, DATADOG_MESSAGE_MAX_BYTES),
    timestamp: fitted.timestamp,
    id: fitted.id,
    type: fitted.type,
    evt: { name: fitted.type },
    ...(Object.keys(usr).length === 0 ? {} : { usr }),
    data: fitted.data,
  };
}

/** Several events are one JSON array of logs. */
export function renderDatadog(items: readonly BatchItem[], settings: Settings, context: RenderContext): string {
  return JSON.stringify(items.map((item) => datadogLog(item.event, settings, context)));
}

/** 401/403 mean the API key or the site is wrong (the key belongs to another site); the rest is generic. */
export const datadogAnswer = (response: ReceiverResponse): DeliveryOutcome | undefined => {
  const { status } = response;
  if (status === 401 || status === 403) {
    return misconfigured(status, `Datadog refused the API key (HTTP ${status}): check API key (an API key from Organization settings > API keys, not an application key) and that Datadog site is the site of the organization that owns it.`);
  }
  return undefined;
};

/**
 * Datadog Logs: up to 100 events per request as a JSON array of logs to the site's HTTP intake,
 * authenticated by the DD-API-KEY header. Datadog answers 202 when it accepted the logs; 408, 429 and
 * 5xx are retried; 401/403 turn the webhook failing at once (the key or the site is wrong).
 */
export const datadogDestination: DestinationModule = {
  kind: 'datadog',
  label: 'Datadog Logs',
  summary: "Events as logs in Datadog, through its HTTP log intake for your organization's site.",
  common: {
    url: 'derived',
    urlLabel: 'Log intake URL',
    urlHelp: "Built from Datadog site: https://http-intake.logs.<site>/api/v2/logs. Its host must be on the app's egress allowlist.",
    urlPlaceholder: 'https://http-intake.logs.datadoghq.com/api/v2/logs',
    method: false,
    signing: false,
    authorization: false,
    headers: false,
  },
  commonNotUsed: 'Datadog authenticates logs by the API key setting (the DD-API-KEY header) and reads no other headers or signatures',
  fields: DATADOG_FIELDS,
  settingsSchema: settingsSchemaOf('Datadog', DATADOG_FIELDS, refineDatadog),
  derivedUrl: datadogIntakeUrl,
  urlProblems: () => [],
  egressUrls: (_url, settings) => [datadogIntakeUrl(settings)],
  batch: { defaultEvents: 100, maxEvents: 100, maxBytes: DATADOG_MAX_BYTES },
  pacing: { parallel: 4, spacingMs: 0 },
  contentType: 'application/json',
  requestUrl: (_url, settings) => datadogIntakeUrl(settings),
  render: renderDatadog,
  // Without a key (settings checked without their write-only secrets) nothing is sent: Datadog then
  // answers 403, which turns the webhook failing with what to fix. Never throws.
  auth: (settings) => {
    const apiKey = textSetting(settings, 'apiKey');
    return apiKey === undefined ? { type: 'none' } : { type: 'headers', headers: { 'DD-API-KEY': apiKey } };
  },
  classify: (response) => ({ whole: classifyResponse(response, datadogAnswer) }),
};
