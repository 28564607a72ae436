import type { Answer } from '../receiver';
import { headerOf, hint, type VendorCheck, type VendorRequest } from './request';

/** Datadog's answer to logs it accepted (API reference "Send logs": 202 Accepted, body {}). */
export const DATADOG_SUCCESS: Answer = { status: 202, headers: { 'content-type': 'application/json' }, body: '{}' };

/** Datadog's documented limits per request (API reference "Send logs"). */
export const DATADOG_LIMITS = { maxBodyBytes: 5_000_000, maxLogBytes: 1_000_000, maxEntries: 1_000 } as const;

const header = headerOf;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a request against Datadog's documented log intake: POST /api/v2/logs, `DD-API-KEY`, JSON (not
 * compressed here), at most 5 MB, a JSON array of 1 to 1,000 logs of at most 1 MB each, each with the
 * attributes this app sets (ddsource, service, message, a timestamp Datadog reads as the log date) and
 * the event's id and type as attributes.
 */
export function checkDatadogRequest(request: VendorRequest, expected: { apiKey: string }): VendorCheck {
  const problems: string[] = [];
  const events: VendorCheck['events'] = [];
  if (request.method !== 'POST') problems.push(`The log intake takes POST, got ${request.method}.`);
  if (request.path.split('?')[0] !== '/api/v2/logs') problems.push(`The path ${request.path} is not /api/v2/logs.`);
  const apiKey = header(request, 'dd-api-key');
  if (apiKey !== expected.apiKey) problems.push(`DD-API-KEY is not the API key: got ${hint(apiKey)}.`);
  const contentType = header(request, 'content-type');
  if (!contentType?.toLowerCase().startsWith('application/json')) problems.push(`Content-Type is ${contentType ?? 'missing'}, not application/json.`);
  const encoding = header(request, 'content-encoding');
  if (encoding !== undefined && encoding !== 'identity') problems.push(`Content-Encoding ${encoding}: this checker reads uncompressed bodies only.`);
  const bytes = Buffer.byteLength(request.body, 'utf8');
  if (bytes > DATADOG_LIMITS.maxBodyBytes) problems.push(`The body has ${bytes} bytes, over Datadog's ${DATADOG_LIMITS.maxBodyBytes} uncompressed (HTTP 413).`);
  let logs: unknown;
  try {
    logs = JSON.parse(request.body);
  } catch {
    problems.push('The body is not JSON (HTTP 400).');
    return { problems, events };
  }
  if (!Array.isArray(logs)) {
    problems.push('The body is not a JSON array of logs.');
    return { problems, events };
  }
  if (logs.length === 0 || logs.length > DATADOG_LIMITS.maxEntries) problems.push(`The array has ${logs.length} logs; Datadog takes 1 to ${DATADOG_LIMITS.maxEntries}.`);
  logs.forEach((log, index) => {
    const where = `Log ${index}`;
    if (!isRecord(log)) {
      problems.push(`${where} is not an object.`);
      return;
    }
    const logBytes = Buffer.byteLength(JSON.stringify(log), 'utf8');
    if (logBytes > DATADOG_LIMITS.maxLogBytes) problems.push(`${where} has ${logBytes} bytes: Datadog truncates logs over ${DATADOG_LIMITS.maxLogBytes}.`);
    for (const key of ['ddsource', 'service', 'message'] as const) {
      if (typeof log[key] !== 'string' || log[key] === '') problems.push(`${where}: ${key} must be a non-empty string.`);
    }
    for (const key of ['ddtags', 'hostname'] as const) {
      if (log[key] !== undefined && typeof log[key] !== 'string') problems.push(`${where}: ${key} must be a string.`);
    }
    if (typeof log.timestamp !== 'string' || Number.isNaN(Date.parse(log.timestamp))) {
      problems.push(`${where}: timestamp must be an ISO 8601 date, which Datadog reads as the log's date.`);
    }
    if (typeof log.id !== 'string' || typeof log.type !== 'string' || !isRecord(log.data)) {
      problems.push(`${where}: the event's id, type and data are not attributes of the log.`);
      return;
    }
    events.push({ id: log.id, type: log.type });
  });
  return { problems, events };
}
