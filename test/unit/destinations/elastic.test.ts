import type { DeliveryOutcome } from '../../../src/domain/delivery/outcome';
import type { BatchItem } from '../../../src/domain/destinations/contract';
import { elasticDestination, ELASTIC_MAX_BYTES } from '../../../src/domain/destinations/elastic';
import { trimReason } from '../../../src/domain/destinations/elastic/answers';
import { DEFAULT_DATA_STREAM } from '../../../src/domain/destinations/elastic/settings';
import { utf8Bytes } from '../../../src/domain/formats/utf8';
import { issueUpdated } from '../formats/fixtures';
import { settingsKit } from './kit';

// An illustrative key (not a real credential): base64 of "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw".
const ENCODED = Buffer.from('VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw').toString('base64');
const now = new Date('2026-03-01T12:00:00Z');
const URL_BASE = 'https://my-deployment.es.us-east-1.aws.elastic.cloud';

const { messages, settingsOf } = settingsKit(elasticDestination);

const items = (count: number): BatchItem[] =>
  Array.from({ length: count }, (_, index) => {
    const event = issueUpdated();
    return { msgId: `msg_${index}`, event: { ...event, id: `evt_${index}` } };
  });

describe('Elasticsearch settings', () => {
  it('takes the Encoded API key and applies the default data stream', () => {
    expect(settingsOf({ apiKey: ENCODED })).toEqual({ apiKey: ENCODED, dataStream: DEFAULT_DATA_STREAM });
    expect(settingsOf({ apiKey: ENCODED, dataStream: 'logs-jira.audit-prod', pipeline: 'jira-audit' })).toEqual({
      apiKey: ENCODED,
      dataStream: 'logs-jira.audit-prod',
      pipeline: 'jira-audit',
    });
  });

  it('asks for the API key by its label', () => {
    expect(messages({})).toEqual([expect.stringMatching(/^Enter API key: /)]);
  });

  it.each([
    ['the api_key part alone', 'ui2lp2axTNmsyakw9tvNnw', /not an Encoded API key/],
    ['id:api_key in clear', 'VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw', /in clear text/],
    ['the whole header', `ApiKey ${ENCODED}`, /without the "ApiKey " prefix/],
    ['base64 of something without a colon', Buffer.from('no colon here').toString('base64'), /not an Encoded API key/],
  ])('refuses %s with a message saying what to paste', (_name, apiKey, expected) => {
    const found = messages({ apiKey });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
    expect(found[0]).not.toContain(apiKey);
  });

  it.each([
    ['Logs-Jira-Default', /lower case/],
    ['logs-jira audit', /Remove spaces/],
    ['logs/jira', /Remove \//],
    ['logs:jira', /Remove :/],
    ['_jira', /Start Data stream/],
    ['.ds-jira', /Start Data stream/],
    ['..', /"\." and "\.\."/],
    ['a'.repeat(256), /255 bytes/],
  ])('refuses the data stream %s under Elastic naming rules', (dataStream, expected) => {
    expect(messages({ apiKey: ENCODED, dataStream })).toEqual([expect.stringMatching(expected)]);
  });

  it('refuses an unknown field and a pipeline with spaces', () => {
    expect(messages({ apiKey: ENCODED, index: 'x' }).join(' ')).toMatch(/apiKey, dataStream, pipeline/);
    expect(messages({ apiKey: ENCODED, pipeline: 'my pipeline' })).toEqual([expect.stringMatching(/Ingest pipeline/)]);
  });
});

describe('Elasticsearch URL', () => {
  const problems = (raw: string): string[] => elasticDestination.urlProblems(new URL(raw), {});

  it('takes the endpoint base, with or without a trailing slash', () => {
    expect(problems(URL_BASE)).toEqual([]);
    expect(problems(`${URL_BASE}/`)).toEqual([]);
    expect(problems('https://search.example.com:8443')).toEqual([]);
  });

  it('refuses a path, a query and a Kibana address', () => {
    expect(problems(`${URL_BASE}/_bulk`)).toEqual([expect.stringMatching(/base URL of Elasticsearch without a path \(https:\/\/my-deployment/)]);
    expect(problems(`${URL_BASE}/?pretty`)).toEqual([expect.stringMatching(/Remove the query/)]);
    expect(problems('https://my-deployment.kb.us-east-1.aws.elastic.cloud')).toEqual([expect.stringMatching(/Kibana/)]);
  });

  it('posts to /_bulk with a filtered answer and the pipeline, and needs egress for that URL only', () => {
    const settings = settingsOf({ apiKey: ENCODED, pipeline: 'jira-audit/x' });
    const url = elasticDestination.requestUrl(`${URL_BASE}/`, settings);
    expect(url).toBe(`${URL_BASE}/_bulk?filter_path=errors,items.*.status,items.*.error.type,items.*.error.reason&pipeline=jira-audit%2Fx`);
    expect(elasticDestination.egressUrls(URL_BASE, settings)).toEqual([url]);
    expect(elasticDestination.requestUrl(URL_BASE, settingsOf({ apiKey: ENCODED }))).not.toContain('pipeline=');
  });

  it('authenticates with ApiKey <Encoded> and sends NDJSON', () => {
    expect(elasticDestination.auth(settingsOf({ apiKey: ENCODED }))).toEqual({ type: 'headers', headers: { Authorization: `ApiKey ${ENCODED}` } });
    expect(elasticDestination.contentType).toBe('application/x-ndjson');
  });
});

describe('Elasticsearch bulk body', () => {
  const settings = settingsOf({ apiKey: ENCODED });

  it('is a create action and a document per event, NDJSON ending with a newline', () => {
    const body = elasticDestination.render(items(3), settings, { siteHost: 'acme.atlassian.net' });
    expect(body.endsWith('\n')).toBe(true);
    const lines = body.slice(0, -1).split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(6);
    lines.forEach((line, index) => {
      if (index % 2 === 0) expect(line).toEqual({ create: { _index: DEFAULT_DATA_STREAM, _id: `evt_${index / 2}` } });
    });
    const event = issueUpdated();
    expect(lines[1]).toEqual({
      '@timestamp': event.timestamp,
      message: event.data.summary,
      event: { id: 'evt_0', action: 'issue.updated', kind: 'event', module: 'jira', provider: 'product-event', dataset: 'jira.audit' },
      user: { id: '5b10ac8d82e05b22cc7d4ef5', full_name: 'Mia Krystof' },
      jira: { site: 'acme.atlassian.net', object: event.data.object, data: event.data },
    });
  });

  it('leaves event.dataset out for a stream not named <type>-<dataset>-<namespace>, and user out without an actor', () => {
    const body = elasticDestination.render(
      [{ msgId: 'm', event: issueUpdated({ actor: undefined, summary: undefined }) }],
      settingsOf({ apiKey: ENCODED, dataStream: 'jira-audit' }),
      {},
    );
    const [action, document] = body.trim().split('\n').map((line) => JSON.parse(line) as Record<string, Record<string, unknown>>);
    expect(action).toEqual({ create: { _index: 'jira-audit', _id: 'evt_issue_10001_1700000000000' } });
    expect(document?.event).not.toHaveProperty('dataset');
    expect(document).not.toHaveProperty('user');
    expect(document?.message).toBe('issue.updated');
  });

  it('keeps a line break in event text inside its JSON line', () => {
    const body = elasticDestination.render([{ msgId: 'm', event: issueUpdated({ summary: 'two\nlines\r\n' }) }], settings, {});
    expect(body.split('\n')).toHaveLength(3);
  });

  it('batches 100 events within 5 MB', () => {
    expect(elasticDestination.batch).toEqual({ defaultEvents: 100, maxEvents: 100, maxBytes: ELASTIC_MAX_BYTES });
    expect(ELASTIC_MAX_BYTES).toBeLessThanOrEqual(5_000_000);
    // 100 events of 40 kB each fit one request; the engine splits larger batches by maxBytes.
    const big = issueUpdated({ details: { description: 'x'.repeat(40_000) } });
    const body = elasticDestination.render(Array.from({ length: 100 }, (_, i) => ({ msgId: `m${i}`, event: { ...big, id: `e${i}` } })), settings, {});
    expect(utf8Bytes(body)).toBeGreaterThan(4_000_000);
    expect(utf8Bytes(body)).toBeLessThan(ELASTIC_MAX_BYTES);
  });
});

describe('Elasticsearch answers', () => {
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    elasticDestination.classify({ status, headers, body: typeof body === 'string' ? body : JSON.stringify(body), now }, 4);
  const created = { create: { status: 201 } };

  it('delivers all on 200 with errors: false', () => {
    expect(answer(200, { errors: false, items: [created, created, created, created] })).toEqual({ whole: { kind: 'delivered', httpStatus: 200 } });
  });

  it('reads each item on errors: true: two failed, 409 delivered', () => {
    const result = answer(200, {
      errors: true,
      items: [
        created,
        { create: { status: 400, error: { type: 'mapper_parsing_exception', reason: "failed to parse field [jira.data.x] of type [long] in document with id 'evt_1'. Preview of field's value: 'secret text'" } } },
        { create: { status: 409, error: { type: 'version_conflict_engine_exception', reason: '[evt_2]: version conflict, document already exists' } } },
        { create: { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected execution' } } },
      ],
    });
    expect('perItem' in result).toBe(true);
    const perItem = (result as { perItem: DeliveryOutcome[] }).perItem;
    expect(perItem.map((outcome) => outcome.kind)).toEqual(['delivered', 'permanent', 'delivered', 'retry']);
    expect(perItem[1]).toEqual({
      kind: 'permanent',
      errorClass: 'http',
      httpStatus: 400,
      message: "Elasticsearch refused this event (HTTP 400 mapper_parsing_exception: failed to parse field [jira.data.x] of type [long] in document with id 'evt_1'.).",
    });
    expect(JSON.stringify(perItem)).not.toContain('secret text');
    expect(perItem[3]).toMatchObject({ kind: 'retry', httpStatus: 429 });
  });

  it('fails the endpoint at once when items are refused for privileges or a missing stream', () => {
    const result = answer(200, {
      errors: true,
      items: [
        { create: { status: 403, error: { type: 'security_exception', reason: 'action [indices:data/write/bulk[s]] is unauthorized for API key' } } },
        { create: { status: 404, error: { type: 'index_not_found_exception', reason: 'no such index [jira]' } } },
        { create: { status: 503, error: { type: 'unavailable_shards_exception' } } },
        created,
      ],
    }) as { perItem: DeliveryOutcome[] };
    expect(result.perItem[0]).toMatchObject({ kind: 'permanent', failsEndpoint: true, message: expect.stringMatching(/create_doc and auto_configure/) });
    expect(result.perItem[1]).toMatchObject({ kind: 'permanent', failsEndpoint: true });
    expect(result.perItem[2]).toMatchObject({ kind: 'retry', httpStatus: 503 });
  });

  it('retries the whole request when the answer does not line up or cannot be read', () => {
    expect(answer(200, { errors: true, items: [created, created] })).toMatchObject({ whole: { kind: 'retry', message: expect.stringMatching(/2 results for the 4 events/) } });
    expect(answer(200, '<html>proxy</html>')).toMatchObject({ whole: { kind: 'retry' } });
    expect(answer(200, { took: 3 })).toMatchObject({ whole: { kind: 'retry' } });
    expect(answer(200, { errors: true, items: [created, created, created, { create: { status: 201 }, index: { status: 201 } }] })).toMatchObject({ whole: { kind: 'retry' } });
  });

  it('fails the endpoint on 401 and 403, refuses 413, retries 429 and 5xx', () => {
    const unauthorized = { error: { type: 'security_exception', reason: 'unable to authenticate with provided credentials and anonymous access is not allowed for this request' }, status: 401 };
    expect(answer(401, unauthorized)).toMatchObject({ whole: { kind: 'permanent', failsEndpoint: true, httpStatus: 401, message: expect.stringMatching(/^Elasticsearch refused the API key \(HTTP 401, security_exception: unable/) } });
    expect(answer(403, { error: { type: 'security_exception', reason: 'unauthorized' }, status: 403 })).toMatchObject({ whole: { kind: 'permanent', failsEndpoint: true } });
    expect(answer(413, '')).toMatchObject({ whole: { kind: 'permanent', httpStatus: 413, message: expect.stringMatching(/Events per request/) } });
    expect(answer(429, '', { 'retry-after': '7' })).toEqual({ whole: { kind: 'retry', errorClass: 'http', httpStatus: 429, message: expect.any(String), retryAfterSeconds: 7 } });
    expect(answer(503, '')).toMatchObject({ whole: { kind: 'retry', httpStatus: 503 } });
    expect(answer(403, '', { 'forge-proxy-error': 'EGRESS' })).toMatchObject({ whole: { kind: 'permanent', errorClass: 'blocked-egress' } });
  });

  it('fails the endpoint when the ingest pipeline does not exist', () => {
    const body = { error: { type: 'illegal_argument_exception', reason: 'pipeline with id [jira-audit] does not exist' }, status: 400 };
    expect(answer(400, body)).toMatchObject({ whole: { kind: 'permanent', failsEndpoint: true, message: expect.stringMatching(/Ingest pipeline/) } });
  });

  it('trims reasons to one short line', () => {
    expect(trimReason('a\n  b')).toBe('a b');
    expect(trimReason('x'.repeat(500))?.length).toBe(200);
  });
});
