import { ADMIN_FUNCTION_KEYS, parseAdminInput, recoverSinceProblem } from '../../../src/contract';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const validCreate = {
  kind: 'custom',
  name: '  Splunk  ',
  url: 'https://splunk.example.com:8443/services/collector',
  events: ['*'],
  secrets: [SECRET],
  authorization: { type: 'raw', value: 'Splunk 1234-abcd' },
  headers: [{ name: 'X-Env', value: 'prod' }],
};

const fieldsOf = (key: Parameters<typeof parseAdminInput>[0], raw: unknown): Record<string, string> => {
  const parsed = parseAdminInput(key, raw);
  if (parsed.ok) throw new Error('expected a validation failure');
  expect(parsed.error.code).toBe('VALIDATION');
  return parsed.error.fields ?? {};
};

describe('contract schemas', () => {
  it('lists every resolver key of the contract', () => {
    expect(ADMIN_FUNCTION_KEYS.sort()).toEqual(
      [
        'deliveries.get',
        'deliveries.list',
        'deliveries.recover',
        'deliveries.retry',
        'deliveries.stats',
        'events.setAside',
        'secrets.random',
        'settings.get',
        'settings.update',
        'slack.oauthComplete',
        'slack.oauthStart',
        'slack.oauthStatus',
        'webhooks.create',
        'webhooks.delete',
        'webhooks.get',
        'webhooks.list',
        'webhooks.oauthAuthorize',
        'webhooks.oauthStatus',
        'webhooks.previewTemplate',
        'webhooks.test',
        'webhooks.update',
      ].sort(),
    );
  });

  it('parses a valid create and trims the name', () => {
    const parsed = parseAdminInput('webhooks.create', validCreate);
    expect(parsed.ok && parsed.data.name).toBe('Splunk');
  });

  it('treats an absent payload as {}', () => {
    expect(parseAdminInput('webhooks.list', undefined).ok).toBe(true);
    expect(parseAdminInput('secrets.random', null).ok).toBe(true);
  });

  it('maps every problem to its input path with a message that says what to fix', () => {
    const fields = fieldsOf('webhooks.create', {
      ...validCreate,
      kind: 'fax',
      name: 'a'.repeat(101),
      url: 'http://10.0.0.1/x',
      events: [],
      timeoutSeconds: 31,
      method: 'GET',
      secrets: ['nope'],
      authorization: { type: 'basic', username: 'a:b', password: 'p' },
      headers: [{ name: 'Host', value: 'x' }, { name: 'X-A', value: 'a\r\nb' }],
      extra: 1,
    });
    expect(fields).toEqual({
      kind: "Choose the kind: 'custom', 'slack', 'teams', 'splunk', 'sentinel', 'datadog', 'elastic', 'qradar', 'pagerduty'.",
      name: 'Shorten the name to at most 100 characters (it has 101).',
      url: expect.stringMatching(/not an IP address/),
      events: 'Choose at least one event type, or ["*"] for all of them.',
      timeoutSeconds: 'Use at most 30 for the timeout in seconds.',
      method: "Choose the HTTP method: 'POST', 'PUT'.",
      'secrets.0': expect.stringMatching(/Start the secret with whsec_/),
      'authorization.username': expect.stringMatching(/Remove ":"/),
      'headers.0.name': expect.stringMatching(/sets Host itself/),
      'headers.1.value': expect.stringMatching(/no line breaks/),
      extra: expect.stringMatching(/Remove "extra"/),
    });
  });

  it('says what is missing', () => {
    // The URL is optional here: kinds that build it (Datadog) take none; the use case asks for it by kind.
    expect(fieldsOf('webhooks.create', {})).toMatchObject({ kind: expect.stringMatching(/Choose the kind/), name: 'Enter a name.' });
    expect(fieldsOf('webhooks.update', { id: 'wh_1' })).toEqual({ version: expect.stringMatching(/Send the version you last read/) });
    expect(fieldsOf('webhooks.get', { id: '../x' })).toEqual({ id: expect.stringMatching(/not a webhook id/) });
  });

  it('refuses a 26th header and an 11th secret', () => {
    const headers = Array.from({ length: 26 }, (_, i) => ({ name: `X-H${i}`, value: 'v' }));
    expect(fieldsOf('webhooks.create', { ...validCreate, headers })).toEqual({ headers: 'Use at most 25 headers.' });
    const secrets = Array.from({ length: 11 }, () => SECRET);
    expect(fieldsOf('webhooks.create', { ...validCreate, secrets })).toEqual({ secrets: 'Use at most 10 secrets per webhook.' });
  });

  it('signing header only with base64-list, and never an owned header', () => {
    expect(fieldsOf('webhooks.create', { ...validCreate, signing: { mode: 'standard', header: 'X-Sig' } })).toEqual({ 'signing.header': expect.stringMatching(/only base64-list/) });
    expect(fieldsOf('webhooks.create', { ...validCreate, signing: { mode: 'base64-list', header: 'webhook-signature' } })).toEqual({ 'signing.header': expect.stringMatching(/Choose another/) });
    expect(parseAdminInput('webhooks.create', { ...validCreate, signing: { mode: 'base64-list', header: 'X-Soteri-Signature' } }).ok).toBe(true);
  });

  it('never echoes a secret or credential in validation messages', () => {
    const badSecret = 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2Vj'; // made invalid below by a trailing '!'
    const parsed = parseAdminInput('webhooks.create', {
      ...validCreate,
      secrets: [`${badSecret}!`],
      authorization: { type: 'raw', value: 'Bearer hunter2hunter2\n' },
      headers: [{ name: 'X-Api-Key', value: 'topsecretvalue\n', sensitive: true }],
    });
    const json = JSON.stringify(parsed);
    expect(json).not.toContain('c2VjcmV0c2VjcmV0');
    expect(json).not.toContain('hunter2');
    expect(json).not.toContain('topsecretvalue');
  });

  it('deliveries and settings inputs', () => {
    expect(parseAdminInput('deliveries.list', { limit: 100, outcome: 'failed', test: false }).ok).toBe(true);
    expect(fieldsOf('deliveries.list', { limit: 101 })).toEqual({ limit: 'Use at most 100 for the page size.' });
    expect(fieldsOf('deliveries.recover', { webhookId: 'wh_1', since: 'yesterday' })).toEqual({ since: expect.stringMatching(/ISO date-time/) });
    expect(parseAdminInput('deliveries.recover', { webhookId: 'wh_1', since: '2026-11-02T08:00:00Z' }).ok).toBe(true);
    expect(fieldsOf('settings.update', { version: 1, backfillDays: 31 })).toEqual({ backfillDays: 'Use at most 30 for the backfill in days.' });
  });
});

describe('contract edge cases', () => {
  it('says how to send the input when it is not an object', () => {
    expect(fieldsOf('webhooks.create', 'nope')).toEqual({ '': expect.stringMatching(/Send the input as a JSON object/) });
    expect(fieldsOf('webhooks.create', { ...validCreate, headers: ['X-A: b'] })).toEqual({ 'headers.0': 'Send each header as { name, value, sensitive? }.' });
  });

  it('keeps header items strict in updates too', () => {
    expect(fieldsOf('webhooks.update', { id: 'wh_1', version: 1, headers: [{ name: 'X-A', value: 'b', secret: true }] })).toEqual({
      'headers.0.secret': expect.stringMatching(/Remove "secret"/),
    });
  });

  it('refuses a secretsRemove grace beyond 7 days', () => {
    expect(fieldsOf('webhooks.update', { id: 'wh_1', version: 1, secretsRemove: [{ id: 'sec_1', graceHours: 169 }] })).toEqual({
      'secretsRemove.0.graceHours': 'Use at most 168 for the grace period in hours.',
    });
  });

  it('recoverSinceProblem bounds the window to 14 days in the past', () => {
    const now = new Date('2026-11-20T00:00:00Z');
    expect(recoverSinceProblem('2026-11-06T00:00:00Z', now)).toBeUndefined();
    expect(recoverSinceProblem('2026-11-05T23:59:59Z', now)).toMatch(/at most 14 days back/);
    expect(recoverSinceProblem('2026-11-21T00:00:00Z', now)).toMatch(/in the past/);
  });
});
