import { classifyResponse } from '../../delivery/outcome';
import { envelopeOf } from '../../formats/envelope';
import { fitPayload } from '../../formats/fit-payload';
import type { FormattableEvent } from '../../formats/formattable-event';
import type { BatchItem, DestinationModule, RenderContext, Settings } from '../contract';
import { settingsSchemaOf, textSetting } from '../settings-schema';
import { splunkAnswer } from './answers';
import { SPLUNK_DEFAULT_SOURCE, SPLUNK_DEFAULT_SOURCETYPE, SPLUNK_FIELDS, refineSplunk } from './settings';

/**
 * Bytes of one request body. Splunk Cloud Platform limits an HEC request to about 1 MB, and a reverse
 * proxy in front of Splunk Enterprise's port 8088 (Forge cannot reach 8088) often refuses bodies over
 * 1 MiB (nginx's default client_max_body_size is 1m); 900,000 stays under both with room for headers.
 */
export const SPLUNK_MAX_BYTES = 900_000;

/** One event's envelope is fitted below this, so a single event always fits a request with its HEC metadata. */
export const SPLUNK_EVENT_MAX_BYTES = SPLUNK_MAX_BYTES - 4_096;

/**
 * The HEC event endpoints that take the JSON event protocol, optionally under a proxy's path prefix:
 * /services/collector, /services/collector/event and /services/collector/event/1.0 (help.splunk.com,
 * "HTTP Event Collector REST API endpoints").
 */
const EVENT_PATH = /(^|\/)services\/collector(\/event(\/1\.0)?)?\/?$/;
const OTHER_HEC_PATH = /(^|\/)services\/collector\/(raw|ack|health)(\/.*)?$/;

export function splunkUrlProblems(url: URL): string[] {
  const path = url.pathname;
  const other = OTHER_HEC_PATH.exec(path);
  if (other) {
    const why =
      other[2] === 'raw'
        ? 'the raw endpoint takes plain text, and this app sends JSON events'
        : other[2] === 'ack'
          ? 'the ack endpoint only reports indexing status'
          : 'the health endpoint only reports whether HEC is up';
    return [`Use the HEC event endpoint, /services/collector/event, not /services/collector/${other[2]}: ${why}.`];
  }
  const problems: string[] = [];
  if (!EVENT_PATH.test(path)) {
    problems.push('End the URL with the HEC event endpoint, /services/collector/event, e.g. https://http-inputs-acme.splunkcloud.com/services/collector/event.');
  }
  if (url.searchParams.has('token')) {
    problems.push('Remove token= from the URL: enter the token in HEC token, which is sent in the Authorization header and never shown again.');
  }
  return problems;
}

/** HEC's `time`: epoch seconds with the milliseconds as a fraction (1700000000.123). */
export function hecTime(timestamp: string): number | undefined {
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : Math.round(ms) / 1000;
}

/** The HEC envelope of one event: its metadata, then our JSON envelope as the event object. */
export function hecEvent(event: FormattableEvent, settings: Settings, context: RenderContext): Record<string, unknown> {
  const fitted = fitPayload(event, SPLUNK_EVENT_MAX_BYTES).event;
  const time = hecTime(event.timestamp);
  const host = textSetting(settings, 'host') ?? context.siteHost;
  const index = textSetting(settings, 'index');
  return {
    ...(time === undefined ? {} : { time }),
    ...(host === undefined ? {} : { host }),
    source: textSetting(settings, 'source') ?? SPLUNK_DEFAULT_SOURCE,
    sourcetype: textSetting(settings, 'sourcetype') ?? SPLUNK_DEFAULT_SOURCETYPE,
    ...(index === undefined ? {} : { index }),
    event: envelopeOf(fitted),
  };
}

/** Several events are HEC envelopes one after the other (not a JSON array), one per line. */
export function renderSplunk(items: readonly BatchItem[], settings: Settings, context: RenderContext): string {
  return items.map((item) => JSON.stringify(hecEvent(item.event, settings, context))).join('\n');
}

/**
 * Splunk HTTP Event Collector: up to 100 events per request as HEC JSON envelopes, authenticated with
 * `Authorization: Splunk <token>`; HEC's answer codes say whether the token, the index or the events
 * are wrong. Up to 4 requests overlap once Splunk answers slowly.
 */
export const splunkDestination: DestinationModule = {
  kind: 'splunk',
  label: 'Splunk HTTP Event Collector',
  summary: 'Events as JSON to a Splunk HEC token (Splunk Cloud Platform or Splunk Enterprise).',
  common: {
    url: 'entered',
    urlLabel: 'HEC URL',
    urlHelp:
      "Your HEC address ending in /services/collector/event: on Splunk Cloud https://http-inputs-<stack>.splunkcloud.com/services/collector/event; on Splunk Enterprise, port 8088 needs a proxy on 443 or 8443. Its host must be on the app's egress allowlist.",
    urlPlaceholder: 'https://http-inputs-acme.splunkcloud.com/services/collector/event',
    method: false,
    signing: false,
    authorization: false,
    headers: true,
  },
  commonNotUsed: 'Splunk HEC is authenticated by the HEC token setting (the app sends Authorization: Splunk <token>) and does not check signatures',
  fields: SPLUNK_FIELDS,
  settingsSchema: settingsSchemaOf('Splunk', SPLUNK_FIELDS, refineSplunk),
  urlProblems: (url) => splunkUrlProblems(url),
  egressUrls: (url) => [url],
  batch: { defaultEvents: 100, maxEvents: 100, maxBytes: SPLUNK_MAX_BYTES },
  pacing: { parallel: 4, spacingMs: 0 },
  contentType: 'application/json',
  requestUrl: (url) => url,
  render: renderSplunk,
  // Without a token (settings checked without their write-only secrets) nothing is sent: Splunk then
  // answers code 2, Token is required, which turns the webhook failing with what to fix. Never throws.
  auth: (settings) => {
    const token = textSetting(settings, 'token');
    return token === undefined ? { type: 'none' } : { type: 'headers', headers: { Authorization: `Splunk ${token}` } };
  },
  classify: (response) => ({ whole: classifyResponse(response, splunkAnswer) }),
};
