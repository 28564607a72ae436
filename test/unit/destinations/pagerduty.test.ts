import {
  PAGERDUTY_EVENT_MAX_BYTES,
  dedupKeyOf,
  pagerdutyDestination as pagerduty,
} from '../../../src/domain/destinations/pagerduty';
import { PAGERDUTY_REGIONS, parseSeverityByType, severityOf } from '../../../src/domain/destinations/pagerduty/settings';
import type { BatchItem, Settings } from '../../../src/domain/destinations/contract';
import type { FormattableEvent } from '../../../src/domain/formats/formattable-event';
import { utf8Bytes } from '../../../src/domain/formats/utf8';
import { issueUpdated } from '../formats/fixtures';
import { PAGERDUTY_LIMITS, checkPagerDutyRequest } from '../../integration/support/vendors/pagerduty';
import { settingsKit } from './kit';

const KEY = 'R0ab12cd34ef56ab78cd90ef12ab34cd';
const NOW = new Date('2026-03-01T12:00:00Z');

const { problems, settingsOf } = settingsKit(pagerduty);
const one = (event: FormattableEvent = issueUpdated()): BatchItem[] => [{ msgId: 'msg_1', event }];
const permissions = (): FormattableEvent => ({
  id: 'audit-10543',
  type: 'audit.permissions',
  timestamp: '2024-05-21T09:15:40.002Z',
  data: {
    source: 'audit-log',
    actor: { accountId: '4ad9aa0c52dc1b420a791d12' },
    object: { type: 'permission_scheme', id: '10000', name: 'Default software scheme' },
    summary: 'Permission scheme updated: Default software scheme',
  },
});
type Body = {
  routing_key: string;
  event_action: string;
  dedup_key: string;
  payload: { summary: string; source: string; severity: string; timestamp: string; component?: string; group?: string; class: string; custom_details: Record<string, unknown> };
  links?: { href: string; text: string }[];
  client: string;
  client_url?: string;
};
const render = (settings: Settings, event: FormattableEvent = issueUpdated(), context = {}): Body => JSON.parse(pagerduty.render(one(event), settings, context)) as Body;

function classify(status: number, body?: unknown, headers?: Record<string, string>) {
  const answer = pagerduty.classify({ status, now: NOW, ...(headers ? { headers } : {}), ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) }, 1);
  if (!('whole' in answer)) throw new Error('PagerDuty answers for the whole request');
  return answer.whole;
}

describe('PagerDuty settings', () => {
  it('accepts an integration key and applies the defaults (US, warning)', () => {
    expect(settingsOf({ routingKey: KEY })).toEqual({ region: 'us', routingKey: KEY, severity: 'warning' });
  });

  it('accepts every optional setting', () => {
    const input = { region: 'eu', routingKey: KEY, severity: 'error', severityByType: 'audit.permissions=critical', source: 'acme.atlassian.net', component: 'jira-admin', group: 'atlassian' };
    expect(settingsOf(input)).toEqual(input);
  });

  it('requires the integration key and checks its shape without repeating it', () => {
    expect(problems({}).routingKey).toMatch(/^Enter Integration key: PagerDuty > Services > .*Events API V2/);
    const restKey = 'u+AbCdEfGhIjKlMnOpQr';
    const message = problems({ routingKey: restKey }).routingKey;
    expect(message).toMatch(/32 letters and digits; this value has 20 characters and other characters than letters and digits\. A REST API key/);
    expect(message).not.toContain(restKey);
    expect(problems({ routingKey: `${KEY}0` }).routingKey).toMatch(/this value has 33 characters\./);
  });

  it('refuses a region or severity not on the list', () => {
    expect(problems({ routingKey: KEY, region: 'ap' }).region).toBe('Choose PagerDuty region: us, eu.');
    expect(problems({ routingKey: KEY, severity: 'high' }).severity).toBe('Choose Default severity: critical, error, warning, info.');
  });

  it('reads severity per event type, commas or semicolons, any case', () => {
    const { map, problems: found } = parseSeverityByType(' audit.permissions = Critical ; audit.group_management=error,, issue.deleted=info ');
    expect(found).toEqual([]);
    expect([...map]).toEqual([
      ['audit.permissions', 'critical'],
      ['audit.group_management', 'error'],
      ['issue.deleted', 'info'],
    ]);
  });

  it('refuses bad severity entries, naming each', () => {
    const message = problems({ routingKey: KEY, severityByType: 'audit.permissions=high, Audit Perms=critical, issue.deleted, audit.permissions=info' }).severityByType;
    expect(message).toBe(
      'Fix Severity per event type: "audit.permissions=high": the severity must be critical, error, warning, info; ' +
        '"Audit Perms=critical": "Audit Perms" is not an event type (lowercase words joined by dots, e.g. audit.permissions); ' +
        '"issue.deleted" has no "=": write it as event.type=severity; ' +
        '"audit.permissions" is listed twice: keep one severity for it. ' +
        'Separate pairs with commas, e.g. audit.permissions=critical, audit.group_management=error.',
    );
  });

  it('refuses line breaks (one line of pairs)', () => {
    expect(problems({ routingKey: KEY, severityByType: 'audit.permissions=critical\naudit.group_management=error' }).severityByType).toMatch(/Remove line breaks/);
  });

  it('chooses the severity of a type: its entry, else the default', () => {
    const settings = settingsOf({ routingKey: KEY, severity: 'error', severityByType: 'audit.permissions=critical' });
    expect(severityOf(settings, 'audit.permissions')).toBe('critical');
    expect(severityOf(settings, 'audit.group_management')).toBe('error');
    expect(severityOf({}, 'audit.permissions')).toBe('warning');
  });
});

describe('PagerDuty URL', () => {
  it('is derived from the region', () => {
    expect(pagerduty.common.url).toBe('derived');
    expect(pagerduty.derivedUrl?.(settingsOf({ routingKey: KEY }))).toBe('https://events.pagerduty.com/v2/enqueue');
    const eu = settingsOf({ routingKey: KEY, region: 'eu' });
    expect(pagerduty.derivedUrl?.(eu)).toBe('https://events.eu.pagerduty.com/v2/enqueue');
    expect(pagerduty.requestUrl('https://ignored.example.com/', eu)).toBe('https://events.eu.pagerduty.com/v2/enqueue');
    expect(pagerduty.egressUrls('https://ignored.example.com/', eu)).toEqual(['https://events.eu.pagerduty.com/v2/enqueue']);
    expect(PAGERDUTY_REGIONS.map((region) => region.value)).toEqual(['us', 'eu']);
  });
});

describe('PagerDuty body', () => {
  it('is one Events API v2 trigger with the readable summary, the severity and the event in custom_details', () => {
    const settings = settingsOf({ routingKey: KEY, component: 'jira-admin', group: 'atlassian' });
    const event = issueUpdated();
    const context = { siteHost: 'acme.atlassian.net', siteUrl: 'https://acme.atlassian.net/', adminPageUrl: 'https://acme.atlassian.net/jira/settings/apps/x/y' };
    expect(render(settings, event, context)).toEqual({
      routing_key: KEY,
      event_action: 'trigger',
      dedup_key: event.id,
      payload: {
        summary: 'Issue SP-10 "A descriptive title" was updated',
        source: 'acme.atlassian.net',
        severity: 'warning',
        timestamp: '2026-03-01T12:34:56.000Z',
        component: 'jira-admin',
        group: 'atlassian',
        class: 'issue.updated',
        custom_details: { event_id: event.id, event_type: 'issue.updated', jira_url: 'https://acme.atlassian.net/browse/SP-10', ...event.data },
      },
      links: [{ href: 'https://acme.atlassian.net/browse/SP-10', text: 'Open SP-10 in Jira' }],
      client: 'Audit Webhooks for Jira',
      client_url: 'https://acme.atlassian.net/jira/settings/apps/x/y',
    });
  });

  it('takes the per-type severity, links the site for non-issue events, and carries actor and object', () => {
    const settings = settingsOf({ routingKey: KEY, severityByType: 'audit.permissions=critical' });
    const body = render(settings, permissions(), { siteUrl: 'https://acme.atlassian.net' });
    expect(body.payload).toMatchObject({ summary: 'Permission scheme updated: Default software scheme', severity: 'critical', class: 'audit.permissions', source: 'jira' });
    expect(body.payload.custom_details).toMatchObject({
      event_id: 'audit-10543',
      event_type: 'audit.permissions',
      actor: { accountId: '4ad9aa0c52dc1b420a791d12' },
      object: { type: 'permission_scheme', id: '10000', name: 'Default software scheme' },
      jira_url: 'https://acme.atlassian.net',
    });
    expect(body.links).toEqual([{ href: 'https://acme.atlassian.net', text: 'Open the Jira site' }]);
  });

  it('leaves out what is unknown: source falls back to jira, no links, no client_url, summary falls back to the type', () => {
    const body = render(settingsOf({ routingKey: KEY, source: 'jira-prod' }), issueUpdated({ summary: undefined }));
    expect(body.payload.source).toBe('jira-prod');
    expect(body.payload.summary).toBe('issue.updated');
    expect(body).not.toHaveProperty('links');
    expect(body).not.toHaveProperty('client_url');
    expect(body.payload).not.toHaveProperty('component');
    expect(body.payload.custom_details).not.toHaveProperty('jira_url');
    expect(render(settingsOf({ routingKey: KEY })).payload.source).toBe('jira');
  });

  it('cuts the summary to 1,024 characters and keeps the body under 512 KB, saying what was cut', () => {
    const huge = issueUpdated({ summary: `😀${'x'.repeat(5_000)}`, description: 'y'.repeat(2_000_000) } as never);
    const text = pagerduty.render(one(huge), settingsOf({ routingKey: KEY }), {});
    const body = JSON.parse(text) as Body;
    expect(body.payload.summary.length).toBeLessThanOrEqual(1_024);
    expect(body.payload.summary.endsWith('…')).toBe(true);
    expect(utf8Bytes(text)).toBeLessThan(PAGERDUTY_LIMITS.maxBodyBytes);
    expect(PAGERDUTY_EVENT_MAX_BYTES).toBeLessThan(512_000);
    expect(body.payload.custom_details.trimmed).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'data.description' })]));
  });

  it('derives the dedup_key from the event id, at most 255 characters', () => {
    expect(dedupKeyOf('audit-10543')).toBe('audit-10543');
    const long = `evt_${'a'.repeat(400)}`;
    const key = dedupKeyOf(long);
    expect(key).toHaveLength(255);
    expect(key.startsWith('evt_aaa')).toBe(true);
    expect(dedupKeyOf(`${long}b`)).not.toBe(key);
  });

  it('sends one event per request, authenticated by the key in the body only', () => {
    expect(pagerduty.batch).toBeUndefined();
    expect(() => pagerduty.render([...one(), ...one()], settingsOf({ routingKey: KEY }), {})).toThrow(/one event/);
    expect(pagerduty.auth(settingsOf({ routingKey: KEY }))).toEqual({ type: 'none' });
    expect(pagerduty.contentType).toBe('application/json');
    expect(pagerduty.pacing).toEqual({ parallel: 1, spacingMs: 500 });
    // Without the key (settings without their secrets) rendering still works; PagerDuty answers 400.
    expect(render({ region: 'us' }).routing_key).toBe('');
  });
});

describe('PagerDuty answers', () => {
  it('202 is delivered', () => {
    expect(classify(202, { status: 'success', message: 'Event processed', dedup_key: 'x' })).toEqual({ kind: 'delivered', httpStatus: 202 });
  });

  it('400 about the routing key fails the endpoint: check the integration key', () => {
    const outcome = classify(400, { status: 'invalid event', message: 'Event object is invalid', errors: ["Length of 'routing_key' is incorrect (should be 32 characters)"] });
    expect(outcome).toEqual({
      kind: 'permanent',
      errorClass: 'http',
      httpStatus: 400,
      failsEndpoint: true,
      message:
        "PagerDuty refused the integration key (HTTP 400, invalid event: Event object is invalid (Length of 'routing_key' is incorrect (should be 32 characters))): check Integration key (the 32-character key of the service's Events API V2 integration, not a REST API key) and that PagerDuty region is your account's region.",
    });
    expect(classify(400, { status: 'invalid event', message: 'Invalid routing key' })).toMatchObject({ failsEndpoint: true });
  });

  it('another 400 fails this event only', () => {
    const outcome = classify(400, { status: 'invalid event', message: 'Event object is invalid', errors: ["'payload.severity' is invalid"] });
    expect(outcome).toEqual({ kind: 'permanent', errorClass: 'http', httpStatus: 400, message: "PagerDuty refused the event (HTTP 400, invalid event: Event object is invalid ('payload.severity' is invalid))." });
    expect(classify(400, 'Bad Request')).toMatchObject({ kind: 'permanent', httpStatus: 400, message: 'HTTP 400 from receiver: the receiver rejected the payload.' });
    expect(classify(400, 'Bad Request')).not.toHaveProperty('failsEndpoint');
  });

  it('429 is retried, honouring Retry-After when PagerDuty sends one', () => {
    expect(classify(429, undefined, { 'Retry-After': '30' })).toMatchObject({ kind: 'retry', httpStatus: 429, retryAfterSeconds: 30 });
    const plain = classify(429);
    expect(plain).toMatchObject({ kind: 'retry', httpStatus: 429 });
    expect(plain).not.toHaveProperty('retryAfterSeconds');
  });

  it.each([500, 502, 503])('%i is retried', (status) => {
    expect(classify(status, { status: 'error', message: 'Internal error' })).toMatchObject({ kind: 'retry', httpStatus: status });
  });

  it("403 from Forge's egress proxy stays an egress problem", () => {
    expect(classify(403, undefined, { 'forge-proxy-error': 'DENIED' })).toMatchObject({ kind: 'permanent', errorClass: 'blocked-egress' });
  });
});

describe('PagerDuty vendor checker (integration support)', () => {
  const settings = settingsOf({ routingKey: KEY, severityByType: 'audit.permissions=critical' });
  const request = (body: string) => ({ method: 'POST', path: new URL(pagerduty.requestUrl('', settings)).pathname, headers: { 'content-type': pagerduty.contentType }, body });

  it('accepts a request as the engine renders it and finds its event and severity', () => {
    const ok = checkPagerDutyRequest(request(pagerduty.render(one(permissions()), settings, { siteUrl: 'https://acme.atlassian.net', adminPageUrl: 'https://acme.atlassian.net/x' })), { routingKey: KEY });
    expect(ok).toEqual({ problems: [], events: [{ id: 'audit-10543', type: 'audit.permissions', severity: 'critical' }] });
  });

  it('finds a wrong key, a key in a header, a bad severity and a batch', () => {
    const body = JSON.parse(pagerduty.render(one(), settings, {})) as Body;
    const wrong = checkPagerDutyRequest(request(JSON.stringify({ ...body, routing_key: 'x'.repeat(32), payload: { ...body.payload, severity: 'high' } })), { routingKey: KEY });
    expect(wrong.problems).toEqual([expect.stringMatching(/^routing_key is not the integration key: got "xxx…"/), expect.stringMatching(/^payload.severity must be one of/)]);
    expect(checkPagerDutyRequest({ ...request(JSON.stringify(body)), headers: { 'content-type': 'application/json', 'x-routing-key': KEY } }, { routingKey: KEY }).problems).toEqual([
      'The routing key travels in the x-routing-key header; it belongs in the body only.',
    ]);
    expect(checkPagerDutyRequest(request(JSON.stringify([body])), { routingKey: KEY }).problems).toEqual(['The body is not one event object (PagerDuty takes no batches).']);
  });
});
