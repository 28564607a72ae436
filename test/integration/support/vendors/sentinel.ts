/**
 * The Azure Monitor Logs Ingestion API as a real receiver checks it: method, path (rule, stream,
 * api-version), the bearer token the stand-in Entra endpoint issued, JSON content, an array of records
 * with exactly the declared stream columns, the 1 MB per call limit. Plus its 204 answer and errors.
 */
import { LOGS_INGESTION_API_VERSION, SENTINEL_COLUMNS, SENTINEL_MAX_BYTES } from '../../../../src/domain/destinations/sentinel';
import { header, type VendorCheck, type VendorRequest } from './elastic';

export type { VendorCheck, VendorRequest } from './elastic';

export interface SentinelExpectation {
  dcrImmutableId: string;
  streamName: string;
  /** The access token the token endpoint handed out. */
  token: string;
  maxEvents?: number;
}

/** The Logs Ingestion API's limit per call. */
const API_CALL_MAX_BYTES = 1_000_000;

export function checkSentinelRequest(request: VendorRequest, expected: SentinelExpectation): VendorCheck {
  const problems: string[] = [];
  const events: Array<{ id: string; type: string }> = [];
  if (request.method !== 'POST') problems.push(`method is ${request.method}, not POST`);
  const url = new URL(request.path, 'http://receiver.invalid');
  const wantedPath = `/dataCollectionRules/${expected.dcrImmutableId}/streams/${expected.streamName}`;
  if (url.pathname !== wantedPath) problems.push(`path is ${url.pathname}, not ${wantedPath}`);
  if (url.searchParams.get('api-version') !== LOGS_INGESTION_API_VERSION) problems.push(`api-version is ${String(url.searchParams.get('api-version'))}, not ${LOGS_INGESTION_API_VERSION}`);
  if (header(request.headers, 'authorization') !== `Bearer ${expected.token}`) problems.push('Authorization is not "Bearer <the issued token>"');
  const contentType = header(request.headers, 'content-type') ?? '';
  if (!/^application\/json\b/.test(contentType)) problems.push(`content-type is ${contentType}, not application/json`);
  const bytes = Buffer.byteLength(request.body, 'utf8');
  if (bytes > SENTINEL_MAX_BYTES) problems.push(`body is ${bytes} bytes, over the app's ${SENTINEL_MAX_BYTES}`);
  if (bytes > API_CALL_MAX_BYTES) problems.push(`body is ${bytes} bytes, over the API's 1 MB per call`);
  let records: unknown;
  try {
    records = JSON.parse(request.body);
  } catch {
    problems.push('body is not JSON');
    return { problems, events };
  }
  if (!Array.isArray(records)) {
    problems.push('body is not a JSON array of records');
    return { problems, events };
  }
  const columns = SENTINEL_COLUMNS.map((column) => column.name as string);
  records.forEach((record: unknown, index) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      problems.push(`record ${index} is not an object`);
      return;
    }
    const fields = record as Record<string, unknown>;
    const extra = Object.keys(fields).filter((key) => !columns.includes(key));
    const missing = columns.filter((column) => !(column in fields));
    if (extra.length > 0) problems.push(`record ${index} has undeclared columns ${extra.join(', ')}`);
    if (missing.length > 0) problems.push(`record ${index} lacks columns ${missing.join(', ')}`);
    for (const column of SENTINEL_COLUMNS) {
      const value = fields[column.name];
      if (value === undefined) continue;
      const ok =
        column.type === 'dynamic'
          ? typeof value === 'object' && value !== null
          : typeof value === 'string' && (column.type !== 'datetime' || !Number.isNaN(Date.parse(value)));
      if (!ok) problems.push(`record ${index} column ${column.name} is not a ${column.type}`);
    }
    if (typeof fields.EventId === 'string' && typeof fields.EventType === 'string') events.push({ id: fields.EventId, type: fields.EventType });
  });
  const maxEvents = expected.maxEvents ?? 100;
  if (events.length > maxEvents) problems.push(`${events.length} records in one call, over ${maxEvents}`);
  if (records.length === 0) problems.push('no records');
  return { problems, events };
}

/** The API's answer to an accepted call. */
export const sentinelAccepted = (): { status: number; headers: Record<string, string>; body: string } => ({ status: 204, headers: {}, body: '' });

/** An Azure error answer, `{"error":{"code","message"}}`, e.g. 403 when the role assignment is missing. */
export const sentinelError = (status: number, code: string, message: string, headers: Record<string, string> = {}): { status: number; headers: Record<string, string>; body: string } => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify({ error: { code, message } }),
});

/** 403 as the API answers an app registration without Monitoring Metrics Publisher on the rule. */
export const sentinelForbidden = (dcrImmutableId: string): { status: number; headers: Record<string, string>; body: string } =>
  sentinelError(403, 'OperationFailed', `The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '${dcrImmutableId}'.`);
