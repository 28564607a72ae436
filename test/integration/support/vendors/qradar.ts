import type { Answer } from '../receiver';
import { headerOf, hint, type VendorCheck, type VendorRequest } from './request';

/** The HTTP Receiver's answer to a POST it turned into events. */
export const QRADAR_SUCCESS: Answer = { status: 200, body: '' };

/** QRadar's largest Max Payload Length: a longer event is cut. */
export const QRADAR_MAX_EVENT_BYTES = 32_767;

/** The Message Pattern docs/destinations/qradar.md tells admins to enter. */
export const QRADAR_DOC_PATTERN = '\\{"id":"[^"]*","type":"[^"]*","timestamp":"';

const header = headerOf;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a request as QRadar's HTTP Receiver reads it (IBM "HTTP Receiver protocol configuration
 * options"): a POST whose body the log source splits into events where the Message Pattern matches.
 * Each event must be one line, one JSON envelope (id, type, timestamp, data), at most 32,767 bytes, and
 * the pattern must find exactly the lines' starts. `authorization`, when given, is what a proxy in front
 * expects (QRadar itself ignores the header).
 */
export function checkQRadarRequest(request: VendorRequest, expected: { authorization?: string } = {}): VendorCheck {
  const problems: string[] = [];
  const events: VendorCheck['events'] = [];
  if (request.method !== 'POST') problems.push(`The HTTP Receiver turns POST bodies into events, got ${request.method}.`);
  if (expected.authorization !== undefined) {
    const authorization = header(request, 'authorization');
    if (authorization !== expected.authorization) problems.push(`Authorization is not the one the proxy expects: got ${hint(authorization)}.`);
  }
  const contentType = header(request, 'content-type');
  if (!contentType?.toLowerCase().startsWith('text/plain')) problems.push(`Content-Type is ${contentType ?? 'missing'}, not text/plain.`);
  if (!request.body.endsWith('\n')) problems.push('The body does not end with a newline.');
  const lines = request.body.split('\n').filter((line) => line.length > 0);
  if (lines.length === 0) problems.push('The body holds no event.');
  const starts = [...request.body.matchAll(new RegExp(QRADAR_DOC_PATTERN, 'g'))].map((match) => match.index);
  const lineStarts: number[] = [];
  let offset = 0;
  for (const line of request.body.split('\n')) {
    if (line.length > 0) lineStarts.push(offset);
    offset += line.length + 1;
  }
  if (starts.join(',') !== lineStarts.join(',')) {
    problems.push(`The Message Pattern finds ${starts.length} event starts, but the body has ${lineStarts.length} lines: QRadar would split events wrongly.`);
  }
  lines.forEach((line, index) => {
    const where = `Line ${index}`;
    const bytes = Buffer.byteLength(line, 'utf8');
    if (bytes > QRADAR_MAX_EVENT_BYTES) problems.push(`${where} has ${bytes} bytes: QRadar cuts events over ${QRADAR_MAX_EVENT_BYTES}.`);
    let envelope: unknown;
    try {
      envelope = JSON.parse(line);
    } catch {
      problems.push(`${where} is not one JSON object.`);
      return;
    }
    if (!isRecord(envelope) || typeof envelope.id !== 'string' || typeof envelope.type !== 'string' || typeof envelope.timestamp !== 'string' || !isRecord(envelope.data)) {
      problems.push(`${where} is not our envelope (id, type, timestamp, data).`);
      return;
    }
    events.push({ id: envelope.id, type: envelope.type });
  });
  return { problems, events };
}
