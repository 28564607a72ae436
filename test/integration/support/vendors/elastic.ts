/**
 * Elasticsearch `_bulk` as a real receiver checks it (test/integration/support/receiver.ts records the
 * request): method, path, `Authorization: ApiKey <Encoded>`, NDJSON of create/document pairs into one
 * data stream, size limits. Plus the answers Elasticsearch gives, with chosen items failing.
 */
import { ELASTIC_MAX_BYTES } from '../../../../src/domain/destinations/elastic';
import { headerOf, type VendorCheck, type VendorRequest } from './request';

export type { VendorCheck, VendorRequest };

export interface ElasticExpectation {
  /** The Encoded API key the request must carry. */
  apiKey: string;
  dataStream: string;
  pipeline?: string;
  /** At most this many events per request (100 unless said). */
  maxEvents?: number;
}

export const header = (headers: VendorRequest['headers'], name: string): string | undefined => headerOf({ headers }, name);

export function checkElasticRequest(request: VendorRequest, expected: ElasticExpectation): VendorCheck {
  const problems: string[] = [];
  const events: Array<{ id: string; type: string }> = [];
  if (request.method !== 'POST') problems.push(`method is ${request.method}, not POST`);
  const url = new URL(request.path, 'http://receiver.invalid');
  if (url.pathname !== '/_bulk') problems.push(`path is ${url.pathname}, not /_bulk`);
  const pipeline = url.searchParams.get('pipeline') ?? undefined;
  if (pipeline !== expected.pipeline) problems.push(`pipeline parameter is ${String(pipeline)}, not ${String(expected.pipeline)}`);
  if (url.searchParams.get('filter_path') === null) problems.push('no filter_path parameter: the answer would not be read item by item cheaply');
  if (header(request.headers, 'authorization') !== `ApiKey ${expected.apiKey}`) problems.push('Authorization is not "ApiKey <the Encoded key>"');
  const contentType = header(request.headers, 'content-type') ?? '';
  if (!/^application\/x-ndjson\b/.test(contentType)) problems.push(`content-type is ${contentType}, not application/x-ndjson`);
  const bytes = Buffer.byteLength(request.body, 'utf8');
  if (bytes > ELASTIC_MAX_BYTES) problems.push(`body is ${bytes} bytes, over ${ELASTIC_MAX_BYTES}`);
  if (!request.body.endsWith('\n')) problems.push('body does not end with a newline');
  const lines = request.body.replace(/\n$/, '').split('\n');
  if (lines.length % 2 !== 0) problems.push(`body has ${lines.length} lines, not action/document pairs`);
  for (let index = 0; index + 1 < lines.length; index += 2) {
    let action: { create?: { _index?: unknown; _id?: unknown } };
    let document: { '@timestamp'?: unknown; event?: { id?: unknown; action?: unknown } };
    try {
      action = JSON.parse(lines[index] ?? '') as typeof action;
      document = JSON.parse(lines[index + 1] ?? '') as typeof document;
    } catch {
      problems.push(`lines ${index + 1}-${index + 2} are not JSON`);
      continue;
    }
    const keys = Object.keys(action);
    if (keys.length !== 1 || !action.create) problems.push(`line ${index + 1} is not a create action (data streams accept only create)`);
    if (action.create?._index !== expected.dataStream) problems.push(`line ${index + 1} writes to ${String(action.create?._index)}, not ${expected.dataStream}`);
    if (typeof document['@timestamp'] !== 'string' || Number.isNaN(Date.parse(document['@timestamp']))) problems.push(`line ${index + 2} has no @timestamp`);
    const id = document.event?.id;
    const type = document.event?.action;
    if (typeof id !== 'string' || typeof type !== 'string') {
      problems.push(`line ${index + 2} has no event.id and event.action`);
      continue;
    }
    if (action.create?._id !== id) problems.push(`line ${index + 1} has _id ${String(action.create?._id)}, not the event id ${id}`);
    events.push({ id, type });
  }
  const maxEvents = expected.maxEvents ?? 100;
  if (events.length > maxEvents) problems.push(`${events.length} events in one request, over ${maxEvents}`);
  if (events.length === 0 && problems.length === 0) problems.push('no events');
  return { problems, events };
}

export type ElasticItemFailure =
  | { status: 409 }
  | { status: number; type: string; reason?: string };

/**
 * Elasticsearch's answer to a bulk request of `count` creates, as filtered by the request's filter_path:
 * `failures` maps an item's index to its failure (409 is a version conflict: the document exists).
 */
export function elasticBulkAnswer(count: number, failures: Readonly<Record<number, ElasticItemFailure>> = {}): { status: number; headers: Record<string, string>; body: string } {
  const items = Array.from({ length: count }, (_, index) => {
    const failure = failures[index];
    if (failure === undefined) return { create: { status: 201 } };
    if (failure.status === 409 && !('type' in failure)) {
      return { create: { status: 409, error: { type: 'version_conflict_engine_exception', reason: 'version conflict, document already exists (current version [1])' } } };
    }
    return { create: { status: failure.status, error: { type: 'type' in failure ? failure.type : 'exception', ...('reason' in failure && failure.reason ? { reason: failure.reason } : {}) } } };
  });
  const errors = items.some((item) => item.create.status >= 300);
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errors, items }) };
}

/** Elasticsearch's 401 for a wrong or revoked API key. */
export const elasticUnauthorized = (): { status: number; headers: Record<string, string>; body: string } => ({
  status: 401,
  headers: { 'content-type': 'application/json', 'www-authenticate': 'ApiKey' },
  body: JSON.stringify({
    error: { type: 'security_exception', reason: 'unable to authenticate with provided credentials and anonymous access is not allowed for this request' },
    status: 401,
  }),
});
