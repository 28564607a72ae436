import { buildAuthorization, authorizationScheme } from '../../../src/domain/webhook/authorization-rules';
import { headerListProblems, headerNameProblem, headerValueProblem } from '../../../src/domain/webhook/header-rules';
import { nameKey, nameProblem } from '../../../src/domain/webhook/name-rules';
import { checkEventSelection } from '../../../src/domain/webhook/event-selection';
import { normaliseSigning, signatureHeaderProblem } from '../../../src/domain/webhook/signing-rules';
import { egressNotAllowedMessage } from '../../../src/domain/webhook/egress-message';

describe('nameProblem', () => {
  it.each(['Splunk production', 'x', 'a'.repeat(100), 'Sécurité – SOC', 'Team "blue" & red'])('accepts %s', (name) => {
    expect(nameProblem(name)).toBeUndefined();
  });
  it.each<[string, string, RegExp]>([
    ['empty', '', /Enter a name/],
    ['101 chars', 'a'.repeat(101), /at most 100 characters \(it has 101\)/],
    ['markup', '<b>x</b>', /Remove < and >/],
    ['gt only', 'a > b', /Remove < and >/],
    ['newline', 'a\nb', /control characters/],
    ['tab', 'a\tb', /control characters/],
    ['NUL', 'a\u0000b', /control characters/],
    ['C1 control', 'a\u0085b', /control characters/],
  ])('refuses %s', (_label, name, message) => {
    expect(nameProblem(name)).toMatch(message);
  });
  it('compares names ignoring case, spaces around and compatibility forms', () => {
    expect(nameKey('  Splunk ')).toBe(nameKey('SPLUNK'));
    expect(nameKey('Ｓplunk')).toBe(nameKey('splunk'));
  });
});

describe('buildAuthorization', () => {
  it.each([
    [{ type: 'raw' as const, value: 'Splunk 1234-abcd' }, 'Splunk 1234-abcd', 'Splunk'],
    [{ type: 'raw' as const, value: 'Bearer a b c' }, 'Bearer a b c', 'Bearer'],
    [{ type: 'basic' as const, username: 'Aladdin', password: 'open sesame' }, 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==', 'Basic'],
    [{ type: 'basic' as const, username: 'ü', password: '' }, `Basic ${Buffer.from('ü:').toString('base64')}`, 'Basic'],
    [{ type: 'bearer' as const, token: 'eyJhbGciOi.x-y_z~+/=' }, 'Bearer eyJhbGciOi.x-y_z~+/=', 'Bearer'],
  ])('builds %j', (spec, value, scheme) => {
    expect(buildAuthorization(spec)).toEqual({ ok: true, value, scheme });
  });

  it.each<[string, Parameters<typeof buildAuthorization>[0], string, RegExp]>([
    ['raw empty', { type: 'raw', value: '' }, 'value', /"<scheme> <credentials>"/],
    ['raw no scheme', { type: 'raw', value: 'abcdef' }, 'value', /scheme is missing/],
    ['raw leading space', { type: 'raw', value: ' abc' }, 'value', /scheme is missing/],
    ['raw bad scheme', { type: 'raw', value: 'Bad(scheme) x' }, 'value', /scheme/],
    ['raw no credentials', { type: 'raw', value: 'Bearer ' }, 'value', /credentials/],
    ['raw CRLF', { type: 'raw', value: 'Bearer a\r\nX-Evil: 1' }, 'value', /line breaks/],
    ['raw NUL', { type: 'raw', value: 'Bearer a\u0000' }, 'value', /control/],
    ['raw too long', { type: 'raw', value: `Bearer ${'a'.repeat(4090)}` }, 'value', /4096 bytes/],
    ['basic colon user', { type: 'basic', username: 'a:b', password: 'p' }, 'username', /Remove ":"/],
    ['basic empty user', { type: 'basic', username: '', password: 'p' }, 'username', /Enter the user name/],
    ['basic CR password', { type: 'basic', username: 'a', password: 'p\r' }, 'password', /control/],
    ['bearer empty', { type: 'bearer', token: '' }, 'token', /Enter the token/],
    ['bearer prefixed', { type: 'bearer', token: 'Bearer abc' }, 'token', /without spaces/],
    ['bearer too long', { type: 'bearer', token: 'a'.repeat(4090) }, 'token', /Shorten/],
  ])('refuses %s', (_label, spec, path, message) => {
    const check = buildAuthorization(spec);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.problems[0]?.path).toEqual([path]);
      expect(check.problems[0]?.message).toMatch(message);
    }
  });

  it('never echoes credentials in problems', () => {
    const check = buildAuthorization({ type: 'raw', value: 'Bearer topsecret\n' });
    expect(JSON.stringify(check)).not.toContain('topsecret');
  });

  it('reports only the scheme of a stored value', () => {
    expect(authorizationScheme('Splunk abc')).toBe('Splunk');
  });
});

describe('headers', () => {
  it.each(['X-Api-Key', 'DD-API-KEY', 'x_custom', "a!#$%&'*+-.^_`|~9"])('accepts name %s', (name) => {
    expect(headerNameProblem(name)).toBeUndefined();
  });
  it.each<[string, RegExp]>([
    ['', /Enter the header name/],
    ['X Api', /no spaces or colons/],
    ['X-Api:', /no spaces or colons/],
    ['Ünicode', /no spaces or colons/],
    ['Host', /sets Host itself/],
    ['content-length', /itself/],
    ['Content-Type', /itself/],
    ['Transfer-Encoding', /itself/],
    ['Connection', /itself/],
    ['User-Agent', /itself/],
    ['Authorization', /Authorization field/],
    ['webhook-id', /webhook-\*/],
    ['Webhook-Signature', /webhook-\*/],
    ['X-Hub-Signature-256', /X-Hub-Signature-256/],
    ['x-hub-signature', /X-Hub-Signature-256/],
    ['Proxy-Authorization', /proxy/],
  ])('refuses name %j', (name, message) => {
    expect(headerNameProblem(name)).toMatch(message);
  });
  it('refuses the configured signature header', () => {
    expect(headerNameProblem('x-soteri-signature', 'X-Soteri-Signature')).toMatch(/signature header configured/);
  });
  it.each<[string, RegExp | undefined]>([
    ['abc', undefined],
    ['a\tb', undefined],
    ['', /Enter the header value/],
    ['a\r\nX-Evil: 1', /no line breaks/],
    ['a\nb', /no line breaks/],
    ['a\u0000', /NUL/],
    ['é', /printable ASCII/],
    ['a'.repeat(4096), undefined],
    ['a'.repeat(4097), /4096 bytes/],
  ])('value %#', (value, message) => {
    const problem = headerValueProblem(value);
    if (message === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(message);
  });
  it('refuses a 26th header and duplicates ignoring case', () => {
    const many = Array.from({ length: 26 }, (_, i) => ({ name: `X-H${i}`, value: 'v' }));
    expect(headerListProblems(many)).toEqual([{ path: [], message: 'Use at most 25 headers (there are 26).' }]);
    expect(headerListProblems(many.slice(0, 25))).toEqual([]);
    expect(headerListProblems([{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }])).toEqual([
      { path: [1, 'name'], message: 'x-a is listed twice (names ignore case); keep one.' },
    ]);
  });
  it('paths name the header and field', () => {
    expect(headerListProblems([{ name: 'ok', value: 'v' }, { name: 'Host', value: '\n' }]).map((p) => p.path)).toEqual([
      [1, 'name'],
      [1, 'value'],
    ]);
  });
});

describe('events', () => {
  const catalogue = ['jira:issue_created', 'audit:group.created'];
  it('accepts ["*"] and catalogue types, dropping duplicates', () => {
    expect(checkEventSelection(['*'], catalogue)).toEqual({ ok: true, events: ['*'] });
    expect(checkEventSelection(['jira:issue_created', 'jira:issue_created'], catalogue)).toEqual({ ok: true, events: ['jira:issue_created'] });
  });
  it.each<[string[], RegExp, (string | number)[]]>([
    [[], /at least one/, []],
    [['*', 'jira:issue_created'], /\["\*"\] alone/, []],
    [['jira:issue_created', 'nope'], /Unknown event type "nope"/, [1]],
  ])('refuses %j', (events, message, path) => {
    const check = checkEventSelection(events, catalogue);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.problems[0]?.message).toMatch(message);
      expect(check.problems[0]?.path).toEqual(path);
    }
  });
});

describe('signing', () => {
  it('fills defaults', () => {
    expect(normaliseSigning(undefined)).toEqual({ mode: 'standard' });
    expect(normaliseSigning({ mode: 'base64-list' })).toEqual({ mode: 'base64-list', header: 'X-Webhook-Signature' });
    expect(normaliseSigning({ mode: 'hub', header: 'X-Ignored' })).toEqual({ mode: 'hub' });
  });
  it.each<[string, RegExp | undefined]>([
    ['X-Soteri-Signature', undefined],
    ['X Sig', /letters, digits/],
    ['webhook-signature', /Choose another/],
    ['Content-Type', /Choose another/],
  ])('signature header %s', (header, message) => {
    const problem = signatureHeaderProblem(header);
    if (message === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(message);
  });
});

it('the egress message names the host and the fix', () => {
  expect(egressNotAllowedMessage('siem.example.com')).toBe(
    "Ask whoever installed the app to allow siem.example.com (it must be added to the app's allowed hosts and the app redeployed); " +
      'until then the app may not send requests to it. For the person who deploys the app: Run `npm run egress:add -- siem.example.com` ' +
      '(adds it to manifest.yml permissions.external.fetch.backend), then `forge deploy` and `forge install --upgrade`.',
  );
});
