import type { BatchItem } from '../../../src/domain/destinations/contract';
import {
  DEFAULT_SENTINEL_STREAM,
  SENTINEL_COLUMNS,
  SENTINEL_MAX_BYTES,
  SENTINEL_TRANSFORM_KQL,
  sentinelDestination,
  sentinelStreamDeclaration,
} from '../../../src/domain/destinations/sentinel';
import { SENTINEL_DATA_MAX_BYTES } from '../../../src/domain/destinations/sentinel/records';
import { utf8Bytes } from '../../../src/domain/formats/utf8';
import { issueUpdated } from '../formats/fixtures';
import { settingsKit } from './kit';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const SECRET = 'illustrative~not-a-real-secret.0123456789abcd';
const DCR = 'dcr-0123456789abcdef0123456789abcdef';
const BASE = 'https://jira-dce-a1b2.westeurope-1.ingest.monitor.azure.com';
const now = new Date('2026-03-01T12:00:00Z');

const valid = { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, dcrImmutableId: DCR };
const { messages, settingsOf } = settingsKit(sentinelDestination);
const items = (count: number): BatchItem[] => Array.from({ length: count }, (_, index) => ({ msgId: `m${index}`, event: { ...issueUpdated(), id: `evt_${index}` } }));

describe('Microsoft Sentinel settings', () => {
  it('takes the app registration, the rule and the default stream', () => {
    expect(settingsOf(valid)).toEqual({ ...valid, streamName: DEFAULT_SENTINEL_STREAM });
    expect(settingsOf({ ...valid, streamName: 'Custom-Jira_Audit2' }).streamName).toBe('Custom-Jira_Audit2');
  });

  it('asks for each required field by its label', () => {
    expect(messages({})).toEqual([
      expect.stringMatching(/^Enter Directory \(tenant\) ID: /),
      expect.stringMatching(/^Enter Application \(client\) ID: /),
      expect.stringMatching(/^Enter Client secret: /),
      expect.stringMatching(/^Enter DCR immutable ID: /),
    ]);
  });

  it.each([
    ['a tenant domain name', { tenantId: 'contoso.onmicrosoft.com' }, /Directory \(tenant\) ID as the GUID.*not a domain name/],
    ['a client id that is no GUID', { clientId: 'jira-audit' }, /Application \(client\) ID as the GUID/],
    ["the secret's ID", { clientSecret: CLIENT }, /secret's ID: paste its Value/],
    ['a DCR resource id', { dcrImmutableId: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Insights/dataCollectionRules/jira' }, /resource ID/],
    ['a short DCR id', { dcrImmutableId: 'dcr-1234' }, /dcr- followed by 32 hex digits/],
    ['a stream without Custom-', { streamName: 'JiraAudit_CL' }, /Start Stream name with Custom-/],
    ['a stream with a hyphen', { streamName: 'Custom-Jira-Audit' }, /letters, digits and underscores/],
    ['a Microsoft- stream', { streamName: 'Microsoft-CommonSecurityLog' }, /Start Stream name with Custom-/],
  ])('refuses %s', (_name, change, expected) => {
    expect(messages({ ...valid, ...change })).toEqual([expect.stringMatching(expected)]);
  });
});

describe('Microsoft Sentinel URL, request and token', () => {
  const problems = (raw: string): string[] => sentinelDestination.urlProblems(new URL(raw), {});
  const settings = settingsOf(valid);

  it('takes a public-cloud logs ingestion endpoint without a path', () => {
    expect(problems(BASE)).toEqual([]);
    expect(problems(`${BASE}/`)).toEqual([]);
    expect(problems('https://jira-dcr-x1y2.westeurope-1.logs.z1.ingest.monitor.azure.com')).toEqual([]);
  });

  it('refuses a path, a query, sovereign clouds, the handler endpoint and other hosts', () => {
    expect(problems(`${BASE}/dataCollectionRules/${DCR}/streams/Custom-JiraAudit_CL`)).toEqual([expect.stringMatching(/without a path/)]);
    expect(problems(`${BASE}/?api-version=2023-01-01`)).toEqual([expect.stringMatching(/Remove the query/)]);
    expect(problems('https://jira-dce.usgovvirginia-1.ingest.monitor.azure.us')).toEqual([expect.stringMatching(/Azure public cloud.*Azure Government/)]);
    expect(problems('https://jira-dce.chinaeast2-1.ingest.monitor.azure.cn')).toEqual([expect.stringMatching(/21Vianet/)]);
    expect(problems('https://jira-dce-a1b2.westeurope-1.handler.control.monitor.azure.com')).toEqual([expect.stringMatching(/configuration access endpoint/)]);
    expect(problems('https://siem.example.com')).toEqual([expect.stringMatching(/ends in \.ingest\.monitor\.azure\.com/)]);
  });

  it('posts to the stream of the rule with api-version 2023-01-01, and needs egress for it and the token endpoint', () => {
    const url = sentinelDestination.requestUrl(`${BASE}/`, settings);
    expect(url).toBe(`${BASE}/dataCollectionRules/${DCR}/streams/Custom-JiraAudit_CL?api-version=2023-01-01`);
    const { clientSecret: _omitted, ...saved } = settings;
    expect(sentinelDestination.egressUrls(BASE, saved)).toEqual([url, `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`]);
  });

  it('authenticates with an Entra ID client-credentials token for Azure Monitor', () => {
    expect(sentinelDestination.auth(settings)).toEqual({
      type: 'oauth-client-credentials',
      client: { tokenUrl: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, clientId: CLIENT, clientSecret: SECRET, scope: 'https://monitor.azure.com//.default' },
    });
    expect(sentinelDestination.contentType).toBe('application/json');
  });
});

describe('Microsoft Sentinel records', () => {
  const settings = settingsOf(valid);
  const typeMatches = (type: string, value: unknown): boolean =>
    type === 'string' ? typeof value === 'string' : type === 'datetime' ? typeof value === 'string' && !Number.isNaN(Date.parse(value)) && value.endsWith('Z') : typeof value === 'object' && value !== null;

  it('is a JSON array of records whose columns are exactly the stream declaration', () => {
    const events = [
      ...items(2),
      { msgId: 'bare', event: { id: 'evt_bare', type: 'app.webhook.created', timestamp: '2026-03-01T00:00:00.000Z', data: { source: 'app' } } },
    ];
    const records = JSON.parse(sentinelDestination.render(events, settings, { siteHost: 'acme.atlassian.net' })) as Record<string, unknown>[];
    expect(records).toHaveLength(3);
    const declared = sentinelStreamDeclaration()[DEFAULT_SENTINEL_STREAM]?.columns ?? [];
    for (const record of records) {
      expect(Object.keys(record)).toEqual(declared.map((column) => column.name));
      for (const column of declared) expect([column.name, typeMatches(column.type, record[column.name])]).toEqual([column.name, true]);
    }
    const event = issueUpdated();
    expect(records[0]).toEqual({
      TimeGenerated: event.timestamp,
      EventId: 'evt_0',
      EventType: 'issue.updated',
      Summary: event.data.summary,
      Source: 'product-event',
      ActorAccountId: '5b10ac8d82e05b22cc7d4ef5',
      ActorDisplayName: 'Mia Krystof',
      ObjectType: 'issue',
      ObjectId: '10001',
      ObjectKey: 'SP-10',
      ObjectName: 'A descriptive title',
      SiteHost: 'acme.atlassian.net',
      Data: event.data,
    });
    expect(records[2]).toMatchObject({ Summary: '', ActorAccountId: '', ObjectType: '', SiteHost: 'acme.atlassian.net', Data: { source: 'app' } });
  });

  it('declares the stream with Log Analytics column types and TimeGenerated, passed through by the transformation', () => {
    expect(SENTINEL_COLUMNS.map((column) => column.name)).toContain('TimeGenerated');
    for (const column of SENTINEL_COLUMNS) {
      expect(column.name).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,44}$/);
      expect(['string', 'datetime', 'dynamic']).toContain(column.type);
    }
    expect(Object.keys(sentinelStreamDeclaration('Custom-Other'))).toEqual(['Custom-Other']);
    expect(SENTINEL_TRANSFORM_KQL).toBe('source');
  });

  it('trims an event over the Data limit, never dropping it', () => {
    const big = issueUpdated({ details: { description: 'x'.repeat(200_000) } });
    const [record] = JSON.parse(sentinelDestination.render([{ msgId: 'm', event: big }], settings, {})) as { Data: { trimmed?: unknown[] } }[];
    expect(utf8Bytes(JSON.stringify(record?.Data))).toBeLessThan(SENTINEL_DATA_MAX_BYTES);
    expect(record?.Data.trimmed).toEqual([expect.objectContaining({ path: 'data.details.description' })]);
    expect(big.data.details).toEqual({ description: 'x'.repeat(200_000) });
  });

  it('batches 100 events below the 1 MB per call limit', () => {
    expect(sentinelDestination.batch).toEqual({ defaultEvents: 100, maxEvents: 100, maxBytes: SENTINEL_MAX_BYTES });
    expect(SENTINEL_MAX_BYTES).toBeLessThan(1_000_000);
    expect(utf8Bytes(sentinelDestination.render(items(100), settings, {}))).toBeLessThan(SENTINEL_MAX_BYTES);
  });
});

describe('Microsoft Sentinel answers', () => {
  const answer = (status: number, body = '', headers: Record<string, string> = {}) => sentinelDestination.classify({ status, headers, body, now }, 3);
  const azureError = (code: string, message: string): string => JSON.stringify({ error: { code, message } });

  it('delivers 204 and 200', () => {
    expect(answer(204)).toEqual({ whole: { kind: 'delivered', httpStatus: 204 } });
    expect(answer(200)).toEqual({ whole: { kind: 'delivered', httpStatus: 200 } });
  });

  it('fails the endpoint on 403 (role missing) and 404 (rule, stream or endpoint wrong)', () => {
    const forbidden = azureError('OperationFailed', 'The authentication token provided does not have access to ingest data for the data collection rule with immutable Id dcr-x');
    expect(answer(403, forbidden)).toEqual({
      whole: {
        kind: 'permanent',
        errorClass: 'http',
        httpStatus: 403,
        failsEndpoint: true,
        message: expect.stringMatching(/^Azure Monitor refused the app registration \(HTTP 403, OperationFailed: The authentication token .*Monitoring Metrics Publisher/),
      },
    });
    expect(answer(404, azureError('NotFound', 'Data collection rule not found'))).toMatchObject({ whole: { kind: 'permanent', failsEndpoint: true, message: expect.stringMatching(/DCR immutable ID and Stream name/) } });
  });

  it('refuses 400 and 413 without failing the endpoint', () => {
    const bad = answer(400, azureError('InvalidStream', 'x'.repeat(1_000)));
    expect(bad).toMatchObject({ whole: { kind: 'permanent', httpStatus: 400 } });
    expect(bad).not.toHaveProperty('whole.failsEndpoint');
    expect((bad as { whole: { message: string } }).whole.message.length).toBeLessThan(400);
    expect(answer(413)).toMatchObject({ whole: { kind: 'permanent', httpStatus: 413, message: expect.stringMatching(/Events per request/) } });
  });

  it('retries 429 and 503 after Retry-After, and leaves 401 to the generic rules', () => {
    expect(answer(429, '', { 'Retry-After': '30' })).toMatchObject({ whole: { kind: 'retry', httpStatus: 429, retryAfterSeconds: 30 } });
    expect(answer(503, '', { 'retry-after': '5' })).toMatchObject({ whole: { kind: 'retry', httpStatus: 503, retryAfterSeconds: 5 } });
    expect(answer(401)).toEqual({ whole: { kind: 'permanent', errorClass: 'http', httpStatus: 401, message: expect.stringMatching(/^HTTP 401 from receiver/) } });
    expect(answer(403, '', { 'forge-proxy-error': 'EGRESS' })).toMatchObject({ whole: { kind: 'permanent', errorClass: 'blocked-egress' } });
  });
});
