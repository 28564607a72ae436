import { splunkDestination as splunk, SPLUNK_MAX_BYTES } from '../../../src/domain/destinations/splunk';
import { utf8Bytes } from '../../../src/domain/formats/utf8';
import { issueUpdated } from '../formats/fixtures';
import { checkSplunkRequest } from '../../integration/support/vendors/splunk';
import { issueItems, settingsKit } from './kit';

const TOKEN = '12345678-90ab-cdef-1234-567890abcdef';
const NOW = new Date('2026-03-01T12:00:00Z');

const { parse, problems, settingsOf } = settingsKit(splunk);
const items = issueItems;

/** Splunk's batch format: HEC envelopes one after another; parses them back the way HEC reads them. */
function hecObjects(body: string): Record<string, unknown>[] {
  return body.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

function classify(status: number, body?: string, headers?: Record<string, string>) {
  const answer = splunk.classify({ status, now: NOW, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) }, 1);
  if (!('whole' in answer)) throw new Error('Splunk answers for the whole request');
  return answer.whole;
}

describe('Splunk settings', () => {
  it('accepts a GUID token and applies the defaults', () => {
    expect(settingsOf({ token: TOKEN })).toEqual({ token: TOKEN, source: 'jira:audit', sourcetype: '_json' });
  });

  it('keeps index, source, sourcetype and host when given', () => {
    expect(settingsOf({ token: TOKEN, index: 'jira_audit', source: 'jira', sourcetype: 'atlassian:jira:audit', host: 'acme' })).toEqual({
      token: TOKEN,
      index: 'jira_audit',
      source: 'jira',
      sourcetype: 'atlassian:jira:audit',
      host: 'acme',
    });
  });

  it('requires the token, naming the field', () => {
    expect(problems({}).token).toMatch(/^Enter HEC token: .*HTTP Event Collector/);
  });

  it('refuses a token that is not a GUID, without repeating it', () => {
    const message = problems({ token: 'abcdefghijklmnop' }).token;
    expect(message).toMatch(/Enter HEC token as Splunk shows it: .*GUID/);
    expect(message).not.toContain('abcdefghijklmnop');
  });

  it('explains a token pasted with the Splunk prefix', () => {
    expect(problems({ token: `Splunk ${TOKEN}` }).token).toMatch(/without the word "Splunk"/);
  });

  it('refuses an index name Splunk would not have', () => {
    expect(problems({ token: TOKEN, index: 'Jira Audit' }).index).toMatch(/^Enter Index as a Splunk index name/);
  });

  it('refuses unknown fields by name', () => {
    expect(parse({ token: TOKEN, channel: 'x' }).success).toBe(false);
  });

  it('marks the token as a secret field', () => {
    expect(splunk.fields.find((field) => field.key === 'token')).toMatchObject({ type: 'secret', required: true, label: 'HEC token' });
  });
});

describe('Splunk URL rules', () => {
  const urlProblems = (raw: string) => splunk.urlProblems(new URL(raw), {});

  it.each([
    'https://http-inputs-acme.splunkcloud.com/services/collector/event',
    'https://http-inputs-acme.splunkcloud.com/services/collector',
    'https://splunk.example.com:8443/services/collector/event/',
    'https://splunk.example.com/services/collector/event/1.0',
    'https://gateway.example.com/splunk/services/collector/event',
  ])('accepts %s', (raw) => {
    expect(urlProblems(raw)).toEqual([]);
  });

  it.each([
    ['raw', /not \/services\/collector\/raw: the raw endpoint takes plain text/],
    ['ack', /not \/services\/collector\/ack/],
    ['health', /not \/services\/collector\/health/],
  ])('refuses /services/collector/%s with a reason', (endpoint, message) => {
    const found = urlProblems(`https://splunk.example.com/services/collector/${endpoint}`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it('asks for the event endpoint on another path', () => {
    expect(urlProblems('https://splunk.example.com/')[0]).toMatch(/End the URL with the HEC event endpoint, \/services\/collector\/event/);
  });

  it('refuses a token in the query string', () => {
    expect(urlProblems(`https://splunk.example.com/services/collector/event?token=${TOKEN}`)[0]).toMatch(/Remove token= from the URL/);
  });

  it('sends to the URL as entered and needs it on the egress allowlist', () => {
    const url = 'https://http-inputs-acme.splunkcloud.com/services/collector/event';
    expect(splunk.requestUrl(url, {})).toBe(url);
    expect(splunk.egressUrls(url, {})).toEqual([url]);
  });
});

describe('Splunk body', () => {
  it('is one HEC envelope per event, our envelope as the event object', () => {
    const settings = settingsOf({ token: TOKEN, index: 'jira_audit' });
    const body = splunk.render(items(1), settings, { siteHost: 'acme.atlassian.net' });
    const [hec] = hecObjects(body);
    const event = issueUpdated();
    expect(hec).toEqual({
      time: 1772368496,
      host: 'acme.atlassian.net',
      source: 'jira:audit',
      sourcetype: '_json',
      index: 'jira_audit',
      event: { id: `${event.id}_0`, type: event.type, timestamp: event.timestamp, data: event.data },
    });
    expect(Object.keys(hec ?? {})).toEqual(['time', 'host', 'source', 'sourcetype', 'index', 'event']);
  });

  it('gives time in epoch seconds with the milliseconds as a fraction', () => {
    const event = { ...issueUpdated(), timestamp: '2026-03-01T12:34:56.789Z' };
    const [hec] = hecObjects(splunk.render([{ msgId: 'm', event }], settingsOf({ token: TOKEN }), {}));
    expect(hec?.time).toBe(1772368496.789);
  });

  it('uses the Host setting over the site, and leaves host out when neither is known', () => {
    const withHost = hecObjects(splunk.render(items(1), settingsOf({ token: TOKEN, host: 'jira-prod' }), { siteHost: 'acme.atlassian.net' }));
    expect(withHost[0]?.host).toBe('jira-prod');
    const without = hecObjects(splunk.render(items(1), settingsOf({ token: TOKEN }), {}));
    expect(without[0]).not.toHaveProperty('host');
    expect(without[0]).not.toHaveProperty('index');
  });

  it('concatenates several events as separate top-level objects, in order, not an array', () => {
    const body = splunk.render(items(3), settingsOf({ token: TOKEN }), {});
    expect(body.startsWith('{')).toBe(true);
    const objects = hecObjects(body);
    expect(objects.map((hec) => (hec.event as { id: string }).id)).toEqual(items(3).map((item) => item.event.id));
  });

  it('keeps requests under the 1 MB of Splunk Cloud and fits a huge event into one request', () => {
    expect(splunk.batch).toEqual({ defaultEvents: 100, maxEvents: 100, maxBytes: SPLUNK_MAX_BYTES });
    expect(SPLUNK_MAX_BYTES).toBeLessThan(1_000_000);
    const huge = issueUpdated({ description: 'x'.repeat(2_000_000) } as never);
    const body = splunk.render([{ msgId: 'm', event: huge }], settingsOf({ token: TOKEN }), { siteHost: 'acme.atlassian.net' });
    expect(utf8Bytes(body)).toBeLessThanOrEqual(SPLUNK_MAX_BYTES);
    const [hec] = hecObjects(body);
    expect((hec?.event as { data: { trimmed?: unknown[] } }).data.trimmed).toEqual([expect.objectContaining({ path: 'data.description' })]);
  });

  it('authenticates with Authorization: Splunk <token>, and sends none without a token (never throws)', () => {
    expect(splunk.auth(settingsOf({ token: TOKEN }))).toEqual({ type: 'headers', headers: { Authorization: `Splunk ${TOKEN}` } });
    expect(splunk.auth({ source: 'jira:audit' })).toEqual({ type: 'none' });
    expect(splunk.contentType).toBe('application/json');
  });
});

describe('Splunk answers', () => {
  it('200 Success is delivered', () => {
    expect(classify(200, '{"text":"Success","code":0}')).toEqual({ kind: 'delivered', httpStatus: 200 });
  });

  it.each([
    [401, 2, 'Token is required'],
    [401, 3, 'Invalid authorization'],
    [403, 4, 'Invalid token'],
    [403, 1, 'Token disabled'],
    [400, 7, 'Incorrect index'],
  ])('HTTP %i code %i (%s) fails the endpoint with what to fix', (status, code, text) => {
    const outcome = classify(status, JSON.stringify({ text, code }));
    expect(outcome).toMatchObject({ kind: 'permanent', errorClass: 'http', httpStatus: status, failsEndpoint: true });
    expect('message' in outcome && outcome.message).toContain(`code ${code}`);
    expect('message' in outcome && outcome.message).toContain(text);
  });

  it('code 4 names the HEC token field', () => {
    expect(classify(403, '{"text":"Invalid token","code":4}')).toMatchObject({ kind: 'permanent', failsEndpoint: true, message: expect.stringMatching(/into HEC token/) });
  });

  it('code 7 names the Index field', () => {
    expect(classify(400, '{"text":"Incorrect index","code":7}')).toMatchObject({ message: expect.stringMatching(/Fix Index/) });
  });

  it('codes 5 and 6 are permanent for these events only, with the bad event number', () => {
    expect(classify(400, '{"text":"No data","code":5}')).toEqual(expect.objectContaining({ kind: 'permanent', httpStatus: 400 }));
    const six = classify(400, '{"text":"Invalid data format","code":6,"invalid-event-number":3}');
    expect(six).toMatchObject({ kind: 'permanent', message: expect.stringMatching(/code 6 .*event 3 of the request/) });
    expect(six).not.toHaveProperty('failsEndpoint');
  });

  it('503 and code 9 (server busy) are retried, with Retry-After', () => {
    expect(classify(503)).toMatchObject({ kind: 'retry', httpStatus: 503 });
    expect(classify(503, '{"text":"Server is busy","code":9}', { 'Retry-After': '30' })).toMatchObject({ kind: 'retry', httpStatus: 503, retryAfterSeconds: 30 });
  });

  it('a data channel answer fails the endpoint only when the text says so', () => {
    expect(classify(400, '{"text":"Data channel is missing","code":10}')).toMatchObject({ failsEndpoint: true, message: expect.stringMatching(/indexer acknowledgement/) });
    expect(classify(400, '{"text":"Something else","code":10}')).not.toHaveProperty('failsEndpoint');
  });

  it('never trusts the body: malformed or foreign JSON is read generically', () => {
    expect(classify(400, 'not json')).toMatchObject({ kind: 'permanent', httpStatus: 400 });
    expect(classify(400, '{"code":"4"}')).not.toHaveProperty('failsEndpoint');
    expect(classify(500, '{"text":"Internal server error","code":8}')).toMatchObject({ kind: 'retry' });
    expect(classify(404, '<html>Not found</html>')).toMatchObject({ kind: 'permanent', httpStatus: 404 });
  });

  it('401 without an HEC answer points at the token, without failing the endpoint', () => {
    const outcome = classify(401, '<html>login</html>');
    expect(outcome).toMatchObject({ kind: 'permanent', message: expect.stringMatching(/check HEC token/) });
    expect(outcome).not.toHaveProperty('failsEndpoint');
  });

  it('no outcome message carries the token', () => {
    for (const code of [1, 2, 3, 4, 5, 6, 7, 9, 10]) {
      const outcome = classify(400, JSON.stringify({ text: 'Data channel is missing', code }));
      expect(JSON.stringify(outcome)).not.toContain(TOKEN.slice(0, 8));
    }
  });
});

describe('Splunk vendor checker (integration support)', () => {
  it('accepts a request as the engine sends it, finds its events, and catches a wrong token without showing it', () => {
    const settings = settingsOf({ token: TOKEN });
    const request = {
      method: 'POST',
      path: '/services/collector/event',
      headers: { 'content-type': splunk.contentType, authorization: `Splunk ${TOKEN}` },
      body: splunk.render(items(3), settings, { siteHost: 'acme.atlassian.net' }),
    };
    const ok = checkSplunkRequest(request, { token: TOKEN });
    expect(ok.problems).toEqual([]);
    expect(ok.events.map((event) => event.id)).toEqual(items(3).map((item) => item.event.id));
    const wrong = checkSplunkRequest({ ...request, headers: { ...request.headers, authorization: 'Splunk 00000000-0000-0000-0000-000000000000' }, body: `[${request.body}]` }, { token: TOKEN });
    expect(wrong.problems).toEqual([expect.stringMatching(/^Authorization is not/), expect.stringMatching(/only whitespace/), expect.stringMatching(/no HEC event/)]);
    expect(wrong.problems.join(' ')).not.toContain('00000000-0000');
  });
});
