import fs from 'node:fs';
import path from 'node:path';
import { EgressFilteringService } from '@forge/egress';
import { FORGE_EGRESS } from '../../../forge-limits';
import { egressNotAllowedMessage } from '../../../src/domain/webhook/egress-message';
import { validateWebhookUrl } from '../../../src/domain/destinations/url-check';
import { isIpLiteralHost, rawHostOf } from '../../../src/domain/webhook/ip-literal';
import { WEBHOOK_PORTS, webhookPortProblem } from '../../../src/domain/webhook/ports';
import { egressEntryFor } from '../../../scripts/egress-entry';

const problemsOf = (raw: string, kind: 'custom' | 'slack' = 'custom'): string[] => {
  const check = validateWebhookUrl(raw, kind);
  return check.ok ? [] : check.problems;
};

const SLACK = 'https://hooks.slack.com/services/T0001ABCD/B0002EFGH/abcdEFGH1234ijklMNOP5678';

describe('validateWebhookUrl accepts', () => {
  it.each([
    'https://siem.example.com/hooks/jira',
    'https://http-inputs-acme.splunkcloud.com/services/collector/event',
    'https://splunk.example.com:8443/services/collector',
    'https://qradar.example.com:443/',
    'https://example.com',
    'https://xn--bcher-kva.example/hook',
    'https://SIEM.Example.COM/hook',
    'https://example.com/path?code=abc&x=1',
    'https://1example.com/',
    'https://example.co1m/',
  ])('%s', (url) => {
    expect(problemsOf(url)).toEqual([]);
  });

  it('gives the parsed URL and host', () => {
    const check = validateWebhookUrl('https://Siem.Example.com:443/a', 'custom');
    expect(check).toMatchObject({ ok: true, host: 'siem.example.com' });
  });

  it('accepts a Slack incoming webhook for the slack kind', () => {
    expect(problemsOf(SLACK, 'slack')).toEqual([]);
    expect(problemsOf(SLACK.replace('hooks.slack.com', 'hooks.slack-gov.com'), 'slack')).toEqual([]);
  });
});

describe('validateWebhookUrl refuses', () => {
  const table: [string, string, RegExp][] = [
    ['empty', '', /Enter the receiver URL/],
    ['plain http', 'http://siem.example.com/hook', /Use https:\/\//],
    ['ftp', 'ftp://siem.example.com/hook', /Use https:\/\//],
    ['no scheme', 'siem.example.com/hook', /starts with https:\/\//],
    ['userinfo', 'https://user:pass@siem.example.com/hook', /Authorization field/],
    ['user only', 'https://user@siem.example.com/hook', /Authorization field/],
    ['empty userinfo', 'https://@siem.example.com/hook', /Authorization field/],
    ['dotted IPv4', 'https://10.0.0.1/webhook', /not an IP address/],
    ['loopback', 'https://127.0.0.1/', /not an IP address/],
    ['decimal IPv4', 'https://2130706433/', /not an IP address/],
    ['decimal IPv4 over http', 'http://2130706433', /not an IP address/],
    ['hex dotted', 'https://0x7f.1/', /not an IP address/],
    ['hex whole', 'https://0x7f000001/', /not an IP address/],
    ['octal', 'https://0177.0.0.1/', /not an IP address/],
    ['short form', 'https://127.1/', /not an IP address/],
    ['trailing dot IPv4', 'https://127.0.0.1./', /not an IP address/],
    ['percent-encoded IPv4', 'https://%31%32%37.0.0.1/', /not an IP address/],
    ['full-width IPv4', 'https://１２７．０．０．１/', /not an IP address/],
    ['IPv4 with port', 'https://10.1.2.3:8443/', /not an IP address/],
    ['IPv6', 'https://[2001:db8::7]/webhook', /not an IP address/],
    ['IPv6 loopback', 'https://[::1]/', /not an IP address/],
    ['IPv4-mapped IPv6', 'https://[::ffff:127.0.0.1]/', /not an IP address/],
    ['IPv4-mapped IPv6 hex', 'https://[::ffff:7f00:1]/', /not an IP address/],
    ['out-of-range number', 'https://1.2.3.999999999999/', /not an IP address/],
    ['localhost', 'https://localhost/', /private network/],
    ['localhost trailing dot', 'https://localhost./', /trailing dot/],
    ['sub.localhost', 'https://app.localhost/', /private network/],
    ['LOCALHOST', 'https://LOCALHOST:8443/', /private network/],
    ['.local', 'https://printer.local/', /private network/],
    ['.internal', 'https://metadata.google.internal/', /private network/],
    ['.home.arpa', 'https://nas.home.arpa/', /private network/],
    ['single label', 'https://intranet-siem/', /fully qualified/],
    ['trailing dot', 'https://siem.example.com./', /trailing dot/],
    ['empty label', 'https://siem..example.com/', /empty label|not a valid URL/],
    ['too long', `https://example.com/${'a'.repeat(2030)}`, /at most 2048/],
    ['space', 'https://example.com/a b', /Remove spaces/],
    ['newline', 'https://example.com/a\nb', /Remove spaces/],
    ['leading space', ' https://example.com/', /Remove spaces/],
    ['low port', 'https://example.com:25/', /port 25/],
    ['port 80', 'https://example.com:80/', /port 80/],
    ['port 0', 'https://example.com:0/', /port 0/],
    ['fragment', 'https://example.com/hook#x', /fragment/],
    ['bad port', 'https://example.com:99999/', /not a valid URL/],
    ['backslash trick', 'https://127.0.0.1\\@example.com/', /Remove the backslash/],
    ['international name typed in Unicode', 'https://bücher.example/hook', /Type the host name exactly as xn--bcher-kva\.example/],
    ['slack url as custom', SLACK, /choose the Slack kind/],
    ['no slashes', 'https:0x7f.1/', /not an IP address/],
    ['one slash', 'https:/127.0.0.1/', /not an IP address/],
    ['upper-case scheme', 'HTTPS://0177.0.0.1/', /not an IP address/],
    ['IPv6 zone-less link-local', 'https://[fe80::1]/', /not an IP address/],
    ['unspecified', 'https://0.0.0.0/', /not an IP address/],
    ['zero', 'https://0/', /not an IP address/],
  ];
  it.each(table)('%s', (_label, url, message) => {
    const problems = problemsOf(url);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join(' ')).toMatch(message);
  });
});

/** Forge docs, Node.js runtime, "HTTPS only": the proxy connects to these ports and no others. */
const FORGE_DOC_PORTS = [80, 8080, 443, 8443, 8444, 7990, 8089, 8090, 8085, 8060];
const ALLOWED_PORTS_NAMED = /port 443 \(leave the port out\)(?: or| and) 7990, 8060, 8080, 8085, 8089, 8090, 8443 and 8444/;

describe('webhook URL ports: only those Forge egress connects to', () => {
  it('shares the one Forge port table, as the docs list it, less 80 (the app sends https only)', () => {
    expect([...FORGE_EGRESS.allowedPorts]).toEqual(FORGE_DOC_PORTS);
    expect([...WEBHOOK_PORTS].sort()).toEqual(FORGE_DOC_PORTS.filter((port) => port !== 80).sort());
    expect(WEBHOOK_PORTS[0]).toBe(443);
  });

  it.each(['https://siem.example.com/hook', 'https://siem.example.com:443/hook'])('accepts the default port: %s', (url) => {
    expect(problemsOf(url)).toEqual([]);
  });

  it.each(FORGE_DOC_PORTS.filter((port) => port !== 80))('accepts port %i', (port) => {
    expect(problemsOf(`https://siem.example.com:${port}/hook`)).toEqual([]);
  });

  it.each<[string, number]>([
    ['Splunk HEC', 8088],
    ['QRadar HTTP receiver', 12469],
    ['a low port', 25],
    ['plain HTTP', 80],
    ['one above 8443', 8444 + 1],
    ['the highest', 65535],
  ])('refuses %s on %i, naming the allowed ports and what to do', (_label, port) => {
    const problems = problemsOf(`https://siem.example.com:${port}/services/collector`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`port ${port}`);
    expect(problems[0]).toMatch(ALLOWED_PORTS_NAMED);
    expect(problems[0]).toMatch(/reverse proxy or load balancer on port 443 or 8443/);
  });

  it('is quoted word for word in docs/admin-api.md', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/admin-api.md'), 'utf8').replace(/\n\s*/g, ' ');
    expect(doc).toContain(webhookPortProblem(8088));
  });

  it('accepts 8443 once its egress entry is in the allowlist, as the egress message says', () => {
    const url = 'https://siem.example.com:8443/hook';
    const check = validateWebhookUrl(url, 'custom');
    if (!check.ok) throw new Error(check.problems.join(' '));
    const message = egressNotAllowedMessage(check.host, check.url.port);
    expect(message).toContain('`npm run egress:add -- siem.example.com:8443`');
    const entry = egressEntryFor('siem.example.com:8443');
    expect(entry).toBe('https://siem.example.com:8443');
    expect(message).toContain(`\`${entry}\``);
    expect(new EgressFilteringService(['siem.example.com']).isValidUrl(check.url.href)).toBe(false);
    expect(new EgressFilteringService(['siem.example.com', entry!]).isValidUrl(check.url.href)).toBe(true);
  });
});

describe('validateWebhookUrl for Slack refuses', () => {
  it.each<[string, string, RegExp]>([
    ['another host', 'https://example.com/services/T1/B1/x', /hooks\.slack\.com\/services/],
    ['workflow trigger', 'https://hooks.slack.com/triggers/T0001ABCD/1234567890/abcdef0123456789abcdef0123456789', /Workflow Builder/],
    ['short path', 'https://hooks.slack.com/services/T0001ABCD', /\/services\/T\.\.\.\/B/],
    ['bad token chars', 'https://hooks.slack.com/services/T0001ABCD/B0002EFGH/abcd-EFGH-1234-ijkl', /\/services\/T/],
    ['query', `${SLACK}?x=1`, /query/],
    ['port', SLACK.replace('.com/', '.com:8443/'), /port/],
    ['http', SLACK.replace('https', 'http'), /https/],
    ['lookalike host', SLACK.replace('hooks.slack.com', 'hooks.slack.com.evil.example'), /hooks\.slack\.com\/services/],
  ])('%s', (_label, url, message) => {
    expect(problemsOf(url, 'slack').join(' ')).toMatch(message);
  });
});

describe('IP literal detection on the raw host', () => {
  it.each(['127.0.0.1', '2130706433', '0x7f.1', '0x7f000001', '0177.0.0.1', '127.1', '[::1]', '::ffff:127.0.0.1', '0x', 'a.1'])('%s is an address', (host) => {
    expect(isIpLiteralHost(host)).toBe(true);
  });
  it.each(['example.com', '1example.com', 'x0.example', 'example.co1m'])('%s is a name', (host) => {
    expect(isIpLiteralHost(host)).toBe(false);
  });
  it('reads the host as typed, without userinfo and port', () => {
    expect(rawHostOf('https://u:p@0x7f.1:8443/x')).toBe('0x7f.1');
    expect(rawHostOf('https://[::1]:443/')).toBe('[::1]');
    expect(rawHostOf('nope')).toBeUndefined();
  });
});
