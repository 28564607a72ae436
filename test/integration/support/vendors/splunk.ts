import type { Answer } from '../receiver';
import { headerOf, hint, type VendorCheck, type VendorRequest } from './request';

export { hint, type VendorCheck, type VendorRequest };


/** HEC's answer to a request it accepted (help.splunk.com, "Format events for HTTP Event Collector"). */
export const SPLUNK_SUCCESS: Answer = { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: '{"text":"Success","code":0}' };

/** Splunk Cloud Platform's limit on one HEC request; Splunk Enterprise allows more by default. */
export const SPLUNK_CLOUD_MAX_BYTES = 1_000_000;

const EVENT_PATH = /^(\/[^?]*)?\/services\/collector(\/event(\/1\.0)?)?\/?(\?.*)?$/;

const header = headerOf;

/**
 * Splits HEC's batch format: JSON objects one after another, optionally separated by whitespace, not
 * an array ("This request contains 2 top-level JSON objects"). Answers the objects' texts, or a problem.
 */
export function topLevelObjects(body: string): { objects: string[]; problem?: string } {
  const objects: string[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (depth === 0) {
      if (char === '{') {
        start = index;
        depth = 1;
      } else if (char !== undefined && !/\s/.test(char)) {
        return { objects, problem: `Between HEC objects only whitespace may come; found ${JSON.stringify(char)} at byte ${index}.` };
      }
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') {
      depth -= 1;
      if (depth === 0) objects.push(body.slice(start, index + 1));
    }
  }
  if (depth !== 0 || inString) return { objects, problem: 'The body ends inside a JSON object.' };
  return { objects };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a request against Splunk's documented HEC event protocol: POST to /services/collector[/event],
 * `Authorization: Splunk <token>`, JSON, at most 1 MB (Splunk Cloud), concatenated envelopes each with
 * an `event` (here our envelope object: id, type, timestamp, data) and optional numeric `time` and
 * string `host`, `source`, `sourcetype`, `index`.
 */
export function checkSplunkRequest(request: VendorRequest, expected: { token: string }): VendorCheck {
  const problems: string[] = [];
  const events: VendorCheck['events'] = [];
  if (request.method !== 'POST') problems.push(`HEC takes POST, got ${request.method}.`);
  if (!EVENT_PATH.test(request.path)) problems.push(`The path ${request.path} is not an HEC event endpoint (/services/collector/event).`);
  const authorization = header(request, 'authorization');
  if (authorization !== `Splunk ${expected.token}`) problems.push(`Authorization is not "Splunk <the HEC token>": got ${hint(authorization)}.`);
  const contentType = header(request, 'content-type');
  if (!contentType?.toLowerCase().startsWith('application/json')) problems.push(`Content-Type is ${contentType ?? 'missing'}, not application/json.`);
  const bytes = Buffer.byteLength(request.body, 'utf8');
  if (bytes > SPLUNK_CLOUD_MAX_BYTES) problems.push(`The body has ${bytes} bytes, over Splunk Cloud's ${SPLUNK_CLOUD_MAX_BYTES}.`);
  const { objects, problem } = topLevelObjects(request.body);
  if (problem) problems.push(problem);
  if (objects.length === 0) problems.push('The body holds no HEC event (HEC answers code 5, No data).');
  objects.forEach((text, index) => {
    const where = `HEC object ${index}`;
    let hec: unknown;
    try {
      hec = JSON.parse(text);
    } catch {
      problems.push(`${where} is not valid JSON.`);
      return;
    }
    if (!isRecord(hec)) return;
    for (const key of Object.keys(hec)) {
      if (!['time', 'host', 'source', 'sourcetype', 'index', 'fields', 'event'].includes(key)) problems.push(`${where} has a key HEC does not define: ${key}.`);
    }
    if (hec.time !== undefined && (typeof hec.time !== 'number' || !Number.isFinite(hec.time))) problems.push(`${where}: time must be epoch seconds (a number).`);
    for (const key of ['host', 'source', 'sourcetype', 'index'] as const) {
      if (hec[key] !== undefined && (typeof hec[key] !== 'string' || hec[key] === '')) problems.push(`${where}: ${key} must be a non-empty string.`);
    }
    const event = hec.event;
    if (!isRecord(event)) {
      problems.push(`${where} has no event object (HEC answers code 12/13 for a missing or blank event).`);
      return;
    }
    if (typeof event.id !== 'string' || typeof event.type !== 'string' || typeof event.timestamp !== 'string' || !isRecord(event.data)) {
      problems.push(`${where}: the event is not our envelope (id, type, timestamp, data).`);
      return;
    }
    if (typeof hec.time === 'number' && Math.abs(hec.time * 1000 - Date.parse(event.timestamp)) > 1) {
      problems.push(`${where}: time ${hec.time} is not the event's timestamp ${event.timestamp}.`);
    }
    events.push({ id: event.id, type: event.type });
  });
  return { problems, events };
}
