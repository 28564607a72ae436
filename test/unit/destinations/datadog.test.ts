import { datadogDestination as datadog, DATADOG_MAX_BYTES } from '../../../src/domain/destinations/datadog';
import { DATADOG_SITES } from '../../../src/domain/destinations/datadog/settings';
import { utf8Bytes } from '../../../src/domain/formats/utf8';
import { issueUpdated } from '../formats/fixtures';
import { checkDatadogRequest } from '../../integration/support/vendors/datadog';
import { issueItems, settingsKit } from './kit';

const KEY = '0123456789abcdef0123456789abcdef';
const NOW = new Date('2026-03-01T12:00:00Z');

const { problems, settingsOf } = settingsKit(datadog);
const items = issueItems;

function classify(status: number, headers?: Record<string, string>) {
  const answer = datadog.classify({ status, now: NOW, ...(headers ? { headers } : {}) }, 3);
  if (!('whole' in answer)) throw new Error('Datadog answers for the whole request');
  return answer.whole;
}

describe('Datadog settings', () => {
  it('accepts an API key and applies the defaults (US1, service jira)', () => {
    expect(settingsOf({ apiKey: KEY })).toEqual({ site: 'datadoghq.com', apiKey: KEY, service: 'jira', ddsource: 'audit-webhooks-for-jira' });
  });

  it('offers every documented site, US1 first and default', () => {
    expect(DATADOG_SITES.map((site) => site.value)).toEqual([
      'datadoghq.com',
      'us3.datadoghq.com',
      'us5.datadoghq.com',
      'datadoghq.eu',
      'ap1.datadoghq.com',
      'ap2.datadoghq.com',
      'uk1.datadoghq.com',
      'ddog-gov.com',
      'us2.ddog-gov.com',
    ]);
    expect(datadog.fields.find((field) => field.key === 'site')).toMatchObject({ type: 'select', defaultValue: 'datadoghq.com', label: 'Datadog site' });
    expect(DATADOG_SITES[0].label).toMatch(/^US1/);
  });

  it('refuses a site that is not on the list', () => {
    expect(problems({ apiKey: KEY, site: 'datadoghq.io' }).site).toMatch(/^Choose Datadog site: datadoghq.com, /);
  });

  it('requires the API key and checks its shape without repeating it', () => {
    expect(problems({}).apiKey).toMatch(/^Enter API key: .*Organization settings > API keys/);
    const appKey = 'a'.repeat(40);
    const message = problems({ apiKey: appKey }).apiKey;
    expect(message).toMatch(/32 characters.*application key/);
    expect(message).not.toContain(appKey);
  });

  it('accepts comma-separated tags and refuses malformed ones by name', () => {
    expect(settingsOf({ apiKey: KEY, ddtags: 'env:prod, team:security' }).ddtags).toBe('env:prod, team:security');
    expect(problems({ apiKey: KEY, ddtags: 'env:prod,1team:x,has space' }).ddtags).toMatch(/^Fix Tags: these tags \("1team:x", "has space"\) must start with a letter/);
  });

  it('refuses a service with spaces', () => {
    expect(problems({ apiKey: KEY, service: 'jira cloud' }).service).toMatch(/^Enter Service as one word/);
  });
});

describe('Datadog URL', () => {
  it('is derived from the site', () => {
    expect(datadog.common.url).toBe('derived');
    expect(datadog.derivedUrl?.(settingsOf({ apiKey: KEY }))).toBe('https://http-intake.logs.datadoghq.com/api/v2/logs');
    const eu = settingsOf({ apiKey: KEY, site: 'datadoghq.eu' });
    expect(datadog.derivedUrl?.(eu)).toBe('https://http-intake.logs.datadoghq.eu/api/v2/logs');
    expect(datadog.requestUrl('https://ignored.example.com/', eu)).toBe('https://http-intake.logs.datadoghq.eu/api/v2/logs');
    expect(datadog.egressUrls('https://ignored.example.com/', eu)).toEqual(['https://http-intake.logs.datadoghq.eu/api/v2/logs']);
  });

  it.each(DATADOG_SITES.map((site) => site.value))('%s gives an https intake URL under that site', (site) => {
    const url = new URL(datadog.derivedUrl?.(settingsOf({ apiKey: KEY, site })) ?? '');
    expect(url.protocol).toBe('https:');
    expect(url.hostname).toBe(`http-intake.logs.${site}`);
    expect(url.pathname).toBe('/api/v2/logs');
  });
});

describe('Datadog body', () => {
  it('is a JSON array of logs with the reserved attributes and the event as attributes', () => {
    const settings = settingsOf({ apiKey: KEY, ddtags: 'env:prod, team:security' });
    const logs = JSON.parse(datadog.render(items(2), settings, { siteHost: 'acme.atlassian.net' })) as Record<string, unknown>[];
    expect(Array.isArray(logs)).toBe(true);
    expect(logs).toHaveLength(2);
    const event = issueUpdated();
    expect(logs[0]).toEqual({
      ddsource: 'audit-webhooks-for-jira',
      ddtags: 'env:prod,team:security',
      hostname: 'acme.atlassian.net',
      service: 'jira',
      message: 'Issue SP-10 "A descriptive title" was updated',
      timestamp: '2026-03-01T12:34:56.000Z',
      id: `${event.id}_0`,
      type: 'issue.updated',
      evt: { name: 'issue.updated' },
      usr: { id: '5b10ac8d82e05b22cc7d4ef5', name: 'Mia Krystof' },
      data: event.data,
    });
    expect(logs[1]?.id).toBe(`${event.id}_1`);
  });

  it('falls back to the event type as message and leaves out what is unknown', () => {
    const event = issueUpdated({ summary: undefined, actor: undefined });
    const [log] = JSON.parse(datadog.render([{ msgId: 'm', event }], settingsOf({ apiKey: KEY }), {})) as Record<string, unknown>[];
    expect(log?.message).toBe('issue.updated');
    expect(log).not.toHaveProperty('hostname');
    expect(log).not.toHaveProperty('ddtags');
    expect(log).not.toHaveProperty('usr');
  });

  it('fits one huge event under Datadog\'s 1 MB per log, saying what was cut', () => {
    const huge = issueUpdated({ description: 'x'.repeat(3_000_000) } as never);
    const body = datadog.render([{ msgId: 'm', event: huge }], settingsOf({ apiKey: KEY }), {});
    expect(utf8Bytes(body)).toBeLessThan(1_000_000);
    const [log] = JSON.parse(body) as { data: { trimmed?: unknown[] } }[];
    expect(log?.data.trimmed).toEqual([expect.objectContaining({ path: 'data.description' })]);
  });

  it('batches up to 100 logs per request, under 5 MB', () => {
    expect(datadog.batch).toEqual({ defaultEvents: 100, maxEvents: 100, maxBytes: DATADOG_MAX_BYTES });
    expect(DATADOG_MAX_BYTES).toBeLessThan(5_000_000);
    expect(utf8Bytes(datadog.render(items(100), settingsOf({ apiKey: KEY }), {}))).toBeLessThan(DATADOG_MAX_BYTES);
  });

  it('authenticates with DD-API-KEY (none without a key, never throws) and sends JSON', () => {
    expect(datadog.auth(settingsOf({ apiKey: KEY }))).toEqual({ type: 'headers', headers: { 'DD-API-KEY': KEY } });
    expect(datadog.auth({ site: 'datadoghq.com' })).toEqual({ type: 'none' });
    expect(datadog.contentType).toBe('application/json');
  });
});

describe('Datadog answers', () => {
  it('202 is delivered', () => {
    expect(classify(202)).toEqual({ kind: 'delivered', httpStatus: 202 });
  });

  it.each([401, 403])('%i fails the endpoint: check the API key and site', (status) => {
    const outcome = classify(status);
    expect(outcome).toMatchObject({ kind: 'permanent', httpStatus: status, failsEndpoint: true, message: expect.stringMatching(/check API key .* Datadog site/) });
    expect(JSON.stringify(outcome)).not.toContain(KEY.slice(0, 4));
  });

  it('403 from Forge\'s egress proxy stays an egress problem', () => {
    expect(classify(403, { 'forge-proxy-error': 'DENIED' })).toMatchObject({ kind: 'permanent', errorClass: 'blocked-egress' });
  });

  it.each([400, 413])('%i is permanent for these events', (status) => {
    const outcome = classify(status);
    expect(outcome).toMatchObject({ kind: 'permanent', httpStatus: status });
    expect(outcome).not.toHaveProperty('failsEndpoint');
  });

  it.each([408, 429, 500, 503])('%i is retried', (status) => {
    expect(classify(status, { 'Retry-After': '5' })).toMatchObject({ kind: 'retry', httpStatus: status, retryAfterSeconds: 5 });
  });
});

describe('Datadog vendor checker (integration support)', () => {
  it('accepts a request as the engine sends it and finds its events', () => {
    const settings = settingsOf({ apiKey: KEY, ddtags: 'env:prod' });
    const request = {
      method: 'POST',
      path: new URL(datadog.requestUrl('', settings)).pathname,
      headers: { 'content-type': datadog.contentType, 'dd-api-key': KEY },
      body: datadog.render(items(2), settings, {}),
    };
    const ok = checkDatadogRequest(request, { apiKey: KEY });
    expect(ok.problems).toEqual([]);
    expect(ok.events.map((event) => event.id)).toEqual(items(2).map((item) => item.event.id));
    expect(checkDatadogRequest({ ...request, headers: { 'content-type': 'application/json' } }, { apiKey: KEY }).problems).toEqual([expect.stringMatching(/^DD-API-KEY is not/)]);
  });
});
