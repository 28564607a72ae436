import { classifyResponse } from '../../delivery/outcome';
import { fitPayload } from '../../formats/fit-payload';
import type { BatchItem, DestinationModule } from '../contract';
import { settingsSchemaOf } from '../settings-schema';

/**
 * QRadar's HTTP Receiver turns a POST body into events: the whole body is one event unless the log
 * source's Message Pattern (a regular expression marking where each event starts) splits it, and an
 * event longer than the log source's Max Payload Length is cut. 32,767 is the largest Max Payload Length
 * QRadar offers, so each line (one event) is fitted to it: QRadar never cuts one of our events in two.
 */
export const QRADAR_LINE_MAX_BYTES = 32_767;

/**
 * Bytes of one request body. IBM documents no body limit for the HTTP Receiver; Forge reaches QRadar
 * only through a proxy on port 443 or 8443 (the receiver listens on 12469), and a reverse proxy often
 * refuses bodies over 1 MiB (nginx's default client_max_body_size is 1m), so requests stay under that.
 */
export const QRADAR_MAX_BYTES = 900_000;

/**
 * The Message Pattern to enter in QRadar: the opening of our envelope, whose first keys are always id,
 * type and timestamp in that order. The three keys together, not `{"id":"` alone, because a Jira
 * payload inside data may hold objects whose first key is id, and whether QRadar anchors ^ at each line
 * is not documented.
 */
export const QRADAR_MESSAGE_PATTERN = '\\{"id":"[^"]*","type":"[^"]*","timestamp":"';

/** One compact JSON envelope per line, each fitted to QRadar's largest Max Payload Length, newline-terminated. */
export function renderQRadar(items: readonly BatchItem[]): string {
  return items.map((item) => `${fitPayload(item.event, QRADAR_LINE_MAX_BYTES).body}\n`).join('');
}

/**
 * IBM QRadar through a log source with the HTTP Receiver protocol: newline-delimited JSON envelopes,
 * 50 per request by default. The receiver authenticates nothing itself (it ignores Authorization), so
 * the Authorization and header fields serve a proxy in front of it. Two requests overlap at most, since
 * one event collector takes them all.
 */
export const qradarDestination: DestinationModule = {
  kind: 'qradar',
  label: 'IBM QRadar (HTTP Receiver)',
  summary: 'Events as newline-delimited JSON to a QRadar log source with the HTTP Receiver protocol.',
  common: {
    url: 'entered',
    urlLabel: 'Receiver URL',
    urlHelp:
      "The HTTPS address Forge reaches your QRadar HTTP Receiver at: the receiver listens on 12469, so use a proxy or load balancer on 443 or 8443 in front of it. Its host must be on the app's egress allowlist.",
    urlPlaceholder: 'https://qradar-ingest.example.com/',
    method: false,
    signing: false,
    authorization: true,
    headers: true,
  },
  commonNotUsed: "QRadar's HTTP Receiver checks no signatures and accepts only POST",
  fields: [],
  settingsSchema: settingsSchemaOf('QRadar', []),
  urlProblems: () => [],
  egressUrls: (url) => [url],
  // 50 by default: a QRadar event collector parses every line with its DSM, and smaller requests keep
  // each answer quick; a webhook may raise it to the 100 events of one delivery job.
  batch: { defaultEvents: 50, maxEvents: 100, maxBytes: QRADAR_MAX_BYTES },
  pacing: { parallel: 2, spacingMs: 0 },
  // IBM names no content type for the HTTP Receiver, which reads the body as text: plain text in UTF-8.
  contentType: 'text/plain; charset=utf-8',
  requestUrl: (url) => url,
  render: (items) => renderQRadar(items),
  auth: () => ({ type: 'none' }),
  classify: (response) => ({ whole: classifyResponse(response) }),
};
