/**
 * The SIEM destinations end to end on the local Forge host: webhooks created through the admin API,
 * Jira events fired as product events, and real receivers on 127.0.0.1 (FORGE_LOCAL_ROUTES) that check
 * each vendor's documented request format (test/integration/support/vendors/) and answer as the vendor
 * does. 2,000 events must reach every SIEM in far fewer requests than events, each event once, every
 * request within the vendor's size limits.
 */
import { startTestBed, type TestBed } from './support/app-host';
import { issueCreated } from './support/delivery-bed';
import { runUntilQuiet } from './support/events-kit';
import type { ReceivedRequest } from './support/receiver';
import { DATADOG_SUCCESS, checkDatadogRequest } from './support/vendors/datadog';
import { checkElasticRequest, elasticBulkAnswer } from './support/vendors/elastic';
import { EntraTokenEndpoint } from './support/vendors/entra-token';
import { QRADAR_SUCCESS, checkQRadarRequest } from './support/vendors/qradar';
import { checkSentinelRequest, sentinelAccepted } from './support/vendors/sentinel';
import { SPLUNK_SUCCESS, checkSplunkRequest } from './support/vendors/splunk';
import { CLIENT, CLIENT_SECRET, DCR, ELASTIC, ELASTIC_KEY, ENTRA, SENTINEL, SPLUNK, SPLUNK_TOKEN, TENANT } from './support/vendors/test-credentials';

const EVENTS = 2_000;
const ROUND = 50;

const DATADOG = 'http-intake.logs.datadoghq.eu';
const QRADAR = 'qradar.example.test';

const DATADOG_KEY = '0123456789abcdef0123456789abcdef';
const STREAM = 'Custom-JiraAudit_CL';

type Check = (request: ReceivedRequest) => { problems: string[]; events: { id: string; type: string }[] };

/** The event ids of each distinct request (by webhook-id and timestamp: a queue redelivery may send one request twice). */
const eventsPerRequest = (requests: ReceivedRequest[], check: Check): { problems: string[]; requests: number; ids: string[] } => {
  const seen = new Set<string>();
  const problems: string[] = [];
  const ids: string[] = [];
  let count = 0;
  for (const request of requests) {
    const key = `${String(request.headers['webhook-id'])}|${String(request.headers['webhook-timestamp'])}`;
    const result = check(request);
    problems.push(...result.problems);
    if (seen.has(key)) continue;
    seen.add(key);
    count += 1;
    ids.push(...result.events.map((event) => event.id));
  }
  return { problems, requests: count, ids };
};

describe('SIEM destinations: 2,000 Jira events to Splunk HEC, Sentinel, Datadog, Elastic and QRadar', () => {
  let bed: TestBed;
  const entra = new EntraTokenEndpoint({ tenantId: TENANT, clientId: CLIENT, clientSecret: CLIENT_SECRET });

  beforeAll(async () => {
    bed = await startTestBed([SPLUNK, DATADOG, ELASTIC, QRADAR, SENTINEL, ENTRA], { startTime: new Date('2026-03-02T09:00:00.000Z') });
    const receiver = (host: string) => bed.receivers[host] as NonNullable<TestBed['receivers'][string]>;
    receiver(SPLUNK).responder = () => SPLUNK_SUCCESS;
    receiver(DATADOG).responder = () => DATADOG_SUCCESS;
    receiver(QRADAR).responder = () => QRADAR_SUCCESS;
    receiver(ELASTIC).responder = (request) => elasticBulkAnswer(request.body.split('\n').filter((line) => line !== '').length / 2);
    receiver(ENTRA).responder = (request) => entra.handle(request);
    receiver(SENTINEL).responder = (request) => {
      const token = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
      return entra.issuedToken(token) ? sentinelAccepted() : { status: 401, body: '{"error":{"code":"InvalidToken"}}' };
    };
    const create = async (input: Record<string, unknown>) => {
      const answer = await bed.call<{ webhook: { id: string } }>('webhooks.create', { events: ['issue.created'], ...input });
      if (!answer.ok) throw new Error(`webhooks.create failed: ${JSON.stringify(answer.error)}`);
    };
    await create({ kind: 'splunk', name: 'Splunk', url: `https://${SPLUNK}/services/collector/event`, settings: { token: SPLUNK_TOKEN, index: 'jira_audit' } });
    await create({ kind: 'datadog', name: 'Datadog', settings: { site: 'datadoghq.eu', apiKey: DATADOG_KEY } });
    await create({ kind: 'elastic', name: 'Elastic', url: `https://${ELASTIC}`, settings: { apiKey: ELASTIC_KEY } });
    await create({ kind: 'qradar', name: 'QRadar', url: `https://${QRADAR}/` });
    await create({
      kind: 'sentinel',
      name: 'Sentinel',
      url: `https://${SENTINEL}`,
      settings: { tenantId: TENANT, clientId: CLIENT, clientSecret: CLIENT_SECRET, dcrImmutableId: DCR, streamName: STREAM },
    });
    await runUntilQuiet(bed.host, { quietSteps: 2 });
    for (const receiver of Object.values(bed.receivers)) receiver.requests.length = 0;
  });
  afterAll(() => bed.close());

  it('delivers every event to every SIEM once, in far fewer requests than events, as each vendor documents', async () => {
    for (let round = 0; round * ROUND < EVENTS; round += 1) {
      await Promise.all(Array.from({ length: ROUND }, (_, i) => bed.host.fireEvent(issueCreated(round * ROUND + i + 1))));
      await bed.host.advance(1);
    }
    await runUntilQuiet(bed.host, { quietSteps: 3 });

    const checks: Record<string, Check> = {
      [SPLUNK]: (r) => checkSplunkRequest(r, { token: SPLUNK_TOKEN }),
      [DATADOG]: (r) => checkDatadogRequest(r, { apiKey: DATADOG_KEY }),
      [ELASTIC]: (r) => checkElasticRequest(r, { apiKey: ELASTIC_KEY, dataStream: 'logs-jira.audit-default' }),
      [QRADAR]: (r) => checkQRadarRequest(r),
      [SENTINEL]: (r) => checkSentinelRequest(r, { dcrImmutableId: DCR, streamName: STREAM, token: String(r.headers.authorization ?? '').replace(/^Bearer /, '') }),
    };
    const report: Record<string, unknown> = {};
    for (const [host, check] of Object.entries(checks)) {
      const { problems, requests, ids } = eventsPerRequest(bed.receivers[host]?.requests ?? [], check);
      report[host] = { requests, events: ids.length, distinct: new Set(ids).size, problems: problems.slice(0, 3) };
      expect({ host, problems: problems.slice(0, 5) }).toEqual({ host, problems: [] });
      // Each event exactly once across distinct requests, and batched: far fewer requests than events.
      expect(ids.length).toBe(EVENTS);
      expect(new Set(ids).size).toBe(EVENTS);
      expect(requests).toBeLessThanOrEqual(EVENTS / 10);
    }
    console.log(`SIEM delivery report ${JSON.stringify({ ...report, tokenCalls: entra.calls }, null, 2)}`);
    // One token for every Sentinel batch (it lives an hour; the run takes minutes).
    expect(entra.issued).toBe(1);
  });
});
