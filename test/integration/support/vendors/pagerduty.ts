import type { Answer } from '../receiver';
import { headerOf, hint, type VendorRequest } from './request';

/** PagerDuty's answer to an event it accepted (Events API v2 reference: 202, `{status, message, dedup_key}`). */
export const pagerdutyAccepted = (dedupKey: string): Answer => ({
  status: 202,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: dedupKey }),
});

/** The same answer for a request whose dedup_key is read from its body (a responder for every request). */
export const PAGERDUTY_ACCEPTED = (request: { body: string }): Answer => {
  let dedupKey = 'unknown';
  try {
    const body = JSON.parse(request.body) as { dedup_key?: unknown };
    if (typeof body.dedup_key === 'string') dedupKey = body.dedup_key;
  } catch {
    // An unreadable body gets the same 202: the checker reports it.
  }
  return pagerdutyAccepted(dedupKey);
};

/** PagerDuty's 400 for a malformed routing key, as it answers it. */
export const PAGERDUTY_BAD_KEY: Answer = {
  status: 400,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors: ["Length of 'routing_key' is incorrect (should be 32 characters)"] }),
};

/**
 * Events API v2's documented limits ("Events API v2 Overview": payloads up to 512 KB; "Send an Alert
 * Event": summary up to 1,024 characters, dedup_key up to 255, routing_key 32 characters).
 */
export const PAGERDUTY_LIMITS = { maxBodyBytes: 512_000, summaryMaxChars: 1_024, dedupKeyMaxChars: 255, routingKeyChars: 32 } as const;

const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const ACTIONS = ['trigger', 'acknowledge', 'resolve'];

export interface PagerDutyCheck {
  problems: string[];
  /** The alert events PagerDuty would take, with the event id and type this app puts in custom_details. */
  events: Array<{ id: string; type: string; severity: string }>;
}

const header = headerOf;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const isHttpUrl = (value: unknown): boolean => {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
};

/**
 * Checks a request against the Events API v2 "Send an Alert Event": POST /v2/enqueue, JSON, at most
 * 512 KB, one event object with routing_key (the expected key, 32 letters and digits), event_action,
 * dedup_key (≤ 255), payload.summary (≤ 1,024 characters), payload.source, payload.severity (one of the
 * four), an ISO 8601 timestamp, optional strings component/group/class, an object custom_details, links
 * with an href each, and client_url a URL when given. The routing key must not travel in a header.
 */
export function checkPagerDutyRequest(request: VendorRequest, expected: { routingKey: string }): PagerDutyCheck {
  const problems: string[] = [];
  const events: PagerDutyCheck['events'] = [];
  if (request.method !== 'POST') problems.push(`The Events API takes POST, got ${request.method}.`);
  if (request.path.split('?')[0] !== '/v2/enqueue') problems.push(`The path ${request.path} is not /v2/enqueue.`);
  const contentType = header(request, 'content-type');
  if (!contentType?.toLowerCase().startsWith('application/json')) problems.push(`Content-Type is ${contentType ?? 'missing'}, not application/json.`);
  for (const [name, value] of Object.entries(request.headers)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && v.includes(expected.routingKey))) problems.push(`The routing key travels in the ${name} header; it belongs in the body only.`);
  }
  const bytes = Buffer.byteLength(request.body, 'utf8');
  if (bytes > PAGERDUTY_LIMITS.maxBodyBytes) problems.push(`The body has ${bytes} bytes, over PagerDuty's 512 KB.`);
  let event: unknown;
  try {
    event = JSON.parse(request.body);
  } catch {
    problems.push('The body is not JSON (HTTP 400).');
    return { problems, events };
  }
  if (!isRecord(event)) {
    problems.push('The body is not one event object (PagerDuty takes no batches).');
    return { problems, events };
  }
  const key = event.routing_key;
  if (typeof key !== 'string' || key.length !== PAGERDUTY_LIMITS.routingKeyChars || !/^[A-Za-z0-9]+$/.test(key)) {
    problems.push(`routing_key must be 32 letters and digits: got ${hint(typeof key === 'string' ? key : undefined)}.`);
  } else if (key !== expected.routingKey) {
    problems.push(`routing_key is not the integration key: got ${hint(key)}.`);
  }
  if (typeof event.event_action !== 'string' || !ACTIONS.includes(event.event_action)) problems.push(`event_action must be one of ${ACTIONS.join(', ')}.`);
  if (event.dedup_key !== undefined && (typeof event.dedup_key !== 'string' || event.dedup_key === '' || event.dedup_key.length > PAGERDUTY_LIMITS.dedupKeyMaxChars)) {
    problems.push('dedup_key must be a non-empty string of at most 255 characters.');
  }
  for (const key of ['client', 'client_url'] as const) {
    if (event[key] !== undefined && typeof event[key] !== 'string') problems.push(`${key} must be a string.`);
  }
  if (event.client_url !== undefined && !isHttpUrl(event.client_url)) problems.push('client_url must be a URL.');
  if (event.links !== undefined) {
    if (!Array.isArray(event.links) || event.links.some((link) => !isRecord(link) || !isHttpUrl(link.href) || (link.text !== undefined && typeof link.text !== 'string'))) {
      problems.push('links must be an array of {href: URL, text?: string}.');
    }
  }
  const payload = event.payload;
  if (event.event_action === 'trigger' && !isRecord(payload)) {
    problems.push('A trigger event needs a payload object.');
    return { problems, events };
  }
  if (!isRecord(payload)) return { problems, events };
  if (typeof payload.summary !== 'string' || payload.summary === '') problems.push('payload.summary must be a non-empty string.');
  else if (payload.summary.length > PAGERDUTY_LIMITS.summaryMaxChars) problems.push(`payload.summary has ${payload.summary.length} characters, over PagerDuty's 1,024.`);
  if (typeof payload.source !== 'string' || payload.source === '') problems.push('payload.source must be a non-empty string.');
  if (typeof payload.severity !== 'string' || !SEVERITIES.includes(payload.severity)) problems.push(`payload.severity must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(payload.severity)}.`);
  if (payload.timestamp !== undefined && (typeof payload.timestamp !== 'string' || Number.isNaN(Date.parse(payload.timestamp)))) problems.push('payload.timestamp must be an ISO 8601 date.');
  for (const key of ['component', 'group', 'class'] as const) {
    if (payload[key] !== undefined && typeof payload[key] !== 'string') problems.push(`payload.${key} must be a string.`);
  }
  const details = payload.custom_details;
  if (details !== undefined && !isRecord(details)) problems.push('payload.custom_details must be an object.');
  if (!isRecord(details) || typeof details.event_id !== 'string' || typeof details.event_type !== 'string') {
    problems.push("custom_details does not carry the event's event_id and event_type.");
    return { problems, events };
  }
  events.push({ id: details.event_id, type: details.event_type, severity: String(payload.severity) });
  return { problems, events };
}
