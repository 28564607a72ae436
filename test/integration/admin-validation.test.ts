import { secret } from './support/app-host';
import { kvsSnapshot, readSecret, startAdminHttp, type AdminHttp, type Envelope } from './support/admin-http';
import { flush } from './support/delivery-bed';

/**
 * Acceptance: every bad input to the admin API, sent over HTTP as a client would (POST /__forge/invoke),
 * answers { ok: false, error: { code: 'VALIDATION', fields } } with a message that says what to fix, and
 * changes nothing: webhooks.list, every KVS entry and every webhook's secret material are the same after.
 */

const SLACK_TOKEN = 'abcdEFGH1234ijklMNOP5678';
const SLACK_URL = `https://hooks.slack.com/services/T0001ABCD/B0002EFGH/${SLACK_TOKEN}`;
const b64 = (bytes: number, fill = 9): string => Buffer.alloc(bytes, fill).toString('base64');
const HUGE = 1_000_000;

const validCreate = { kind: 'custom', name: 'New SIEM', url: 'https://siem.example.test/hook', events: ['*'] };
// Slack webhooks here take no config audit events: Slack is paced to a message a second, in real time.
const validSlack = { kind: 'slack', name: 'New Slack', url: SLACK_URL.replace('B0002EFGH', 'B0009ZZZZ'), events: ['issue.created'] };

interface Case {
  label: string;
  /** Merged into the valid input; undefined removes the key. */
  set: Record<string, unknown>;
  /** The fields key that must carry the message. */
  field: string;
  /** What the message must say (so it tells the admin what to fix). */
  says: RegExp;
  only?: 'create' | 'update';
  /** Codes accepted besides VALIDATION (the issue allows LIMIT for counts). */
  codes?: string[];
}

const url = (value: unknown, says: RegExp, only?: Case['only']): Case => ({ label: `url ${JSON.stringify(value).slice(0, 70)}`, set: { url: value }, field: 'url', says, ...(only ? { only } : {}) });
const IP = /DNS host name, not an IP address/;
const PRIVATE = /public host name/;
/** The message for a port Forge's egress proxy never connects to: it names the port and every port a webhook may use. */
const unreachablePort = (port: number): RegExp =>
  new RegExp(`Forge cannot reach port ${port}: .*port 443 \\(leave the port out\\) and 7990, 8060, 8080, 8085, 8089, 8090, 8443 and 8444\\.`);

const urlCases: Case[] = [
  url('', /Enter the receiver URL/),
  url('http://siem.example.test/hook', /Use https:\/\//),
  url('HTTP://siem.example.test/hook', /Use https:\/\//),
  url('ftp://siem.example.test/hook', /https/),
  url('ws://siem.example.test/hook', /https/),
  url('javascript:alert(1)', /https:\/\//),
  url('file:///etc/passwd', /https/),
  url('data:text/plain,hello', /https/),
  url('siem.example.test/hook', /starts with https:\/\//),
  url('//siem.example.test/hook', /https:\/\//),
  url('https://', /not a valid URL|https:\/\//),
  url('https:///hook', /not a valid URL|host/),
  url('https://user:pass@siem.example.test/hook', /Authorization/),
  url('https://user@siem.example.test/hook', /Authorization/),
  url('https://:secret@siem.example.test/hook', /Authorization/),
  url('https://siem.example.test@evil.example.com/hook', /Authorization/),
  url('https://10.0.0.1/hook', IP),
  url('https://127.0.0.1/hook', IP),
  url('https://169.254.169.254/latest/meta-data/', IP),
  url('https://1.1.1.1:8443/hook', IP),
  url('https://0.0.0.0/hook', IP),
  url('https://2130706433/hook', IP),
  url('https://2852039166/hook', IP),
  url('https://0x7f000001/hook', IP),
  url('https://0x7f.1/hook', IP),
  url('https://0x7F.0x0.0x0.0x1/hook', IP),
  url('https://0177.0.0.1/hook', IP),
  url('https://0251.0376.0251.0376/hook', IP),
  url('https://127.1/hook', IP),
  url('https://10.1/hook', IP),
  url('https://0/hook', IP),
  url('https://127.0.0.1./hook', IP),
  url('https://%31%32%37.0.0.1/hook', IP),
  url('https://１２７．０．０．１/hook', IP),
  url('https://①②⑦.0.0.1/hook', IP),
  url('https://[::1]/hook', IP),
  url('https://[::]/hook', IP),
  url('https://[0:0:0:0:0:0:0:1]/hook', IP),
  url('https://[fe80::1]/hook', IP),
  url('https://[::ffff:127.0.0.1]/hook', IP),
  url('https://[::ffff:7f00:1]/hook', IP),
  url('https://[::ffff:169.254.169.254]:8443/hook', IP),
  url('https://[2001:db8::1]/hook', IP),
  url('https://localhost/hook', PRIVATE),
  url('https://LOCALHOST:8443/hook', PRIVATE),
  url('https://localhost./hook', /trailing dot|public host name/),
  url('https://api.localhost/hook', PRIVATE),
  url('https://ｌｏｃａｌｈｏｓｔ/hook', PRIVATE),
  url('https://%6c%6f%63%61%6c%68%6f%73%74/hook', PRIVATE),
  url('https://printer.local/hook', PRIVATE),
  url('https://metadata.google.internal/computeMetadata/v1/', PRIVATE),
  url('https://box.localdomain/hook', PRIVATE),
  url('https://nas.home.arpa/hook', PRIVATE),
  url('https://router.lan/hook', PRIVATE),
  url('https://wiki.intranet/hook', PRIVATE),
  url('https://siem/hook', /fully qualified/),
  url('https://siem:8443/hook', /fully qualified/),
  url('https://siem.example.test./hook', /trailing dot/),
  url('https://siem..example.test/hook', /empty label|not a valid URL/),
  url(`https://siem.example.test/${'a'.repeat(2030)}`, /at most 2048 characters/),
  url(`https://siem.example.test/${'a'.repeat(HUGE)}`, /at most 2048 characters/),
  url('https://siem.example.test:22/hook', /port/),
  // A port Forge's egress proxy connects to, on an allowed host: Forge's egress allowlist (the SDK's
  // EgressFilteringService) matches host:port, so the entry must carry the port.
  url('https://siem.example.test:8443/services/collector', /siem\.example\.test:8443.*https:\/\/siem\.example\.test:8443/),
  // Ports Forge's egress proxy never connects to: refused whatever the allowlist says, naming the allowed ports.
  url('https://siem.example.test:8088/services/collector', unreachablePort(8088)),
  url('https://siem.example.test:65535/hook', unreachablePort(65535)),
  url('https://siem.example.test:80/hook', /port/),
  url('https://siem.example.test:0/hook', /port/),
  url('https://siem.example.test:99999/hook', /not a valid URL|port/),
  url('https://siem.example.test/hook#section', /fragment/),
  url('https://siem.example.test/my hook', /spaces/),
  url(' https://siem.example.test/hook', /spaces/),
  url('https://siem.example.test/hook\r\nX-Injected: 1', /line breaks/),
  url('https://siem.example.test/\u0000', /control characters/),
  url('https://sïem.example.test/hook', /Type the host name exactly as xn--sem-/),
  url('https://not-allowed.example.com/hook', /^Ask whoever installed the app to allow not-allowed\.example\.com .*npm run egress:add -- not-allowed\.example\.com.*deploy/),
  url('https://siem.example.test.evil.example/hook', /npm run egress:add -- siem\.example\.test\.evil\.example/),
  url('https://127.0.0.1.nip.io/hook', /npm run egress:add -- 127\.0\.0\.1\.nip\.io/),
  url(SLACK_URL, /Slack kind/),
  url('https://siem.example.test/hook?code=•••', /masked|hidden/),
  url('https://siem.example.test/services/•••?token=•••', /masked|hidden/),
  url('https://siem.example.test/hook?code=%E2%80%A2%E2%80%A2%E2%80%A2', /masked|hidden/),
  url(42, /Enter the receiver URL as text/),
  url(null, /receiver URL/),
  url(['https://siem.example.test/hook'], /receiver URL/),
  url({ href: 'https://siem.example.test/hook' }, /receiver URL/),
];

const name = (value: unknown, says: RegExp, label?: string): Case => ({ label: `name ${label ?? JSON.stringify(value).slice(0, 60)}`, set: { name: value }, field: 'name', says });
const nameCases: Case[] = [
  name('', /Enter a name/),
  name('    ', /Enter a name/),
  name('\u3000\t ', /Enter a name|Remove line breaks/),
  name('a'.repeat(101), /at most 100 characters/),
  name(' ' + 'a'.repeat(101) + ' ', /at most 100 characters/),
  name('n'.repeat(HUGE), /at most 100 characters/, '1 MB'),
  name('<b>SIEM</b>', /Remove < and >/),
  name('<!channel> alert', /Remove < and >/),
  name('a > b', /Remove < and >/),
  name('line\nbreak', /line breaks/),
  name('tab\there', /tabs/),
  name('bell\u0007', /control characters/),
  name('esc\u001b[31m', /control characters/),
  name('c1\u0085', /control characters/),
  name('sep\u2028arator', /line breaks/),
  name('\u202eevil\u202c', /invisible|direction/),
  name('zero\u200bwidth', /invisible|direction/),
  name('\u200b', /invisible|direction|Enter a name/),
  name('b\ufeffom', /invisible|direction/),
  name('soft\u00adhyphen', /invisible|direction/),
  name('SOC \u{1f469}\u200d\u{1f4bb}', /Remove the invisible character U\+200D \(zero-width joiner\) from the name/),
  name('\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645', /Remove the invisible character U\+200C \(zero-width non-joiner\)/),
  { ...name('EXISTING siem', /Another webhook is already named "EXISTING siem" \(names ignore case\)/), only: 'create' },
  { ...name('  existing SIEM  ', /already named/), only: 'create' },
  { ...name('Ｅｘｉｓｔｉｎｇ ＳＩＥＭ', /already named/), only: 'create' },
  { ...name('OTHER siem', /Another webhook is already named "OTHER siem"/), only: 'update' },
  { ...name(' other siem ', /already named/), only: 'update' },
  { ...name('ｏｔｈｅｒ ｓｉｅｍ', /already named/), only: 'update' },
  name(42, /as text/),
  name(null, /name/),
  name(true, /as text/),
  name(['SIEM'], /as text/),
  name({ text: 'SIEM' }, /as text/),
];

const events = (value: unknown, field: string, says: RegExp, label?: string): Case => ({ label: `events ${label ?? JSON.stringify(value).slice(0, 60)}`, set: { events: value }, field, says });
const eventCases: Case[] = [
  events([], 'events', /at least one event type/),
  events('*', 'events', /list of event types/),
  events('issue.created', 'events', /list of event types/),
  events(null, 'events', /list of event types/),
  events({ '*': true }, 'events', /list of event types/),
  events(['*', 'issue.created'], 'events', /\["\*"\] alone/),
  events(['no.such.event'], 'events.0', /Unknown event type "no\.such\.event".*webhooks\.list/),
  events(['issue.created', 'ISSUE.CREATED'], 'events.1', /Unknown event type/),
  events(['avi:jira:created:issue'], 'events.0', /Unknown event type/),
  events([''], 'events.0', /Remove the empty event type/),
  events([42], 'events.0', /as text/),
  events([null], 'events.0', /event type/),
  events([['issue.created']], 'events.0', /as text/),
  events(['x'.repeat(201)], 'events.0', /at most 200 characters/),
  events(['e'.repeat(HUGE)], 'events.0', /at most 200 characters/, '[1 MB]'),
  events(Array.from({ length: 501 }, () => 'issue.created'), 'events', /at most 500/, '501 items'),
];

const choice = (key: string, value: unknown, says: RegExp): Case => ({ label: `${key} ${JSON.stringify(value)}`, set: { [key]: value }, field: key, says });
const METHOD = /Choose the HTTP method: 'POST', 'PUT'/;
const TIMEOUT = /timeout in seconds/;
const scalarCases: Case[] = [
  ...['GET', 'DELETE', 'PATCH', 'post', 'Put', '', ' POST', 42, null, true, ['POST']].map((m) => choice('method', m, METHOD)),
  choice('timeoutSeconds', 0, /at least 1/),
  choice('timeoutSeconds', 31, /at most 30/),
  choice('timeoutSeconds', 60, /at most 30/),
  choice('timeoutSeconds', -5, /at least 1/),
  choice('timeoutSeconds', 1e12, /at most 30/),
  choice('timeoutSeconds', 1.5, /whole number from 1 to 30/),
  choice('timeoutSeconds', '15', /whole number from 1 to 30/),
  choice('timeoutSeconds', null, TIMEOUT),
  choice('timeoutSeconds', true, TIMEOUT),
  choice('timeoutSeconds', [15], TIMEOUT),
  ...['yes', 1, 0, 'true', null, []].map((v) => choice('enabled', v, /true or false/)),
  ...['all', 'full', '', 'QUERY', null, 1].map((v) => choice('maskUrl', v, /Choose what to mask in the URL: 'none', 'query', 'path-and-query'/)),
  ...(['fax', 'Custom', '', null, 1] as unknown[]).map((v): Case => ({ ...choice('kind', v, /Choose the kind: 'custom', 'slack'/), only: 'create' })),
  { label: 'kind missing', set: { kind: undefined }, field: 'kind', says: /Choose the kind/, only: 'create' },
  { label: 'name missing', set: { name: undefined }, field: 'name', says: /Enter a name/, only: 'create' },
  { label: 'url missing', set: { url: undefined }, field: 'url', says: /Enter the receiver URL/, only: 'create' },
  { label: 'events missing', set: { events: undefined }, field: 'events', says: /list of event types|Choose at least one/, only: 'create' },
  { label: 'kind cannot change', set: { kind: 'slack' }, field: 'kind', says: /Remove "kind"/, only: 'update' },
];

const signing = (value: unknown, field: string, says: RegExp, extra: Record<string, unknown> = {}): Case => ({
  label: `signing ${JSON.stringify(value).slice(0, 60)}${Object.keys(extra).length ? ' + headers' : ''}`,
  set: { signing: value, ...extra },
  field,
  says,
});
const signingCases: Case[] = [
  signing('standard', 'signing', /signing as \{ mode/),
  signing(['standard'], 'signing', /signing as \{ mode/),
  signing(null, 'signing', /signing as \{ mode/),
  signing({}, 'signing.mode', /Choose the signing mode: 'standard', 'base64-list', 'hub'/),
  signing({ mode: 'hmac' }, 'signing.mode', /Choose the signing mode/),
  signing({ mode: 'STANDARD' }, 'signing.mode', /Choose the signing mode/),
  signing({ mode: 'svix' }, 'signing.mode', /Choose the signing mode/),
  signing({ mode: 'standard', header: 'X-Sig' }, 'signing.header', /only base64-list signing uses a header/),
  signing({ mode: 'hub', header: 'X-Hub-Signature-256' }, 'signing.header', /only base64-list/),
  signing({ mode: 'base64-list', header: '' }, 'signing.header', /letters, digits/),
  signing({ mode: 'base64-list', header: 'X Signature' }, 'signing.header', /letters, digits/),
  signing({ mode: 'base64-list', header: 'X-Sig:' }, 'signing.header', /letters, digits/),
  signing({ mode: 'base64-list', header: 'X-Sïg' }, 'signing.header', /letters, digits/),
  signing({ mode: 'base64-list', header: 'Content-Type' }, 'signing.header', /Choose another signature header/),
  signing({ mode: 'base64-list', header: 'webhook-signature' }, 'signing.header', /Choose another signature header/),
  signing({ mode: 'base64-list', header: 'Webhook-Id' }, 'signing.header', /Choose another signature header/),
  signing({ mode: 'base64-list', header: 'Authorization' }, 'signing.header', /Choose another signature header/),
  signing({ mode: 'base64-list', header: 'X-Hub-Signature' }, 'signing.header', /Choose another signature header/),
  signing({ mode: 'base64-list', header: 'Host' }, 'signing.header', /Choose another signature header/),
  signing({ mode: 'base64-list', header: 'X'.repeat(10_000) }, 'signing.header', /Shorten the signature header name/),
  signing({ mode: 'base64-list', header: 42 }, 'signing.header', /as text/),
  signing({ mode: 'standard', secret: 'x' }, 'signing.secret', /Remove "secret"/),
  signing({ mode: 'base64-list' }, 'headers.0.name', /signature header/, { headers: [{ name: 'x-webhook-signature', value: 'v' }] }),
  signing({ mode: 'base64-list', header: 'X-Sig' }, 'headers.1.name', /signature header/, {
    headers: [
      { name: 'X-Env', value: 'prod' },
      { name: 'X-SIG', value: 'v' },
    ],
  }),
];

const h = (headers: unknown, field: string, says: RegExp, label?: string): Case => ({ label: `headers ${label ?? JSON.stringify(headers).slice(0, 70)}`, set: { headers }, field, says });
const owned = (headerName: string, says: RegExp = /The app sets .* itself/): Case => h([{ name: headerName, value: 'v' }], 'headers.0.name', says);
const headerCases: Case[] = [
  h('X-Env: prod', 'headers', /list of \{ name, value/),
  h({ 'X-Env': 'prod' }, 'headers', /list of \{ name, value/),
  h(null, 'headers', /list of \{ name, value/),
  h(['X-Env: prod'], 'headers.0', /Send each header as \{ name, value, sensitive\? \}/),
  h([['X-Env', 'prod']], 'headers.0', /Send each header as/),
  h([{ name: '', value: 'v' }], 'headers.0.name', /Enter the header name/),
  h([{ name: 'X Env', value: 'v' }], 'headers.0.name', /letters, digits/),
  h([{ name: 'X-Env:', value: 'v' }], 'headers.0.name', /letters, digits/),
  h([{ name: 'X-Énv', value: 'v' }], 'headers.0.name', /letters, digits/),
  h([{ name: 'X-Env\r\nX-Evil', value: 'v' }], 'headers.0.name', /letters, digits/),
  h([{ name: 'X'.repeat(10_000), value: 'v' }], 'headers.0.name', /Shorten the header name/, '10 KB name'),
  h([{ name: 42, value: 'v' }], 'headers.0.name', /header name as text/),
  h([{ value: 'v' }], 'headers.0.name', /Enter the header name/),
  owned('Host'),
  owned('host'),
  owned('Content-Length'),
  owned('Content-Type'),
  owned('Transfer-Encoding'),
  owned('Connection'),
  owned('Keep-Alive'),
  owned('TE'),
  owned('Trailer'),
  owned('Upgrade'),
  owned('Expect'),
  owned('User-Agent'),
  owned('Cookie'),
  owned('AUTHORIZATION', /Authorization field/),
  owned('webhook-id'),
  owned('Webhook-Signature'),
  owned('webhook-timestamp'),
  owned('X-Hub-Signature-256'),
  owned('x-hub-signature'),
  owned('Proxy-Authorization'),
  owned('Sec-Fetch-Site'),
  owned('Content-Encoding'),
  h([{ name: 'X-Env', value: '' }], 'headers.0.value', /Enter the header value/),
  h([{ name: 'X-Env', value: 'a\r\nX-Evil: 1' }], 'headers.0.value', /no line breaks/),
  h([{ name: 'X-Env', value: 'a\nb' }], 'headers.0.value', /no line breaks/),
  h([{ name: 'X-Env', value: 'a\rb' }], 'headers.0.value', /no line breaks/),
  h([{ name: 'X-Env', value: 'nul\u0000' }], 'headers.0.value', /NUL/),
  h([{ name: 'X-Env', value: 'déjà' }], 'headers.0.value', /printable ASCII/),
  h([{ name: 'X-Env', value: '😀' }], 'headers.0.value', /printable ASCII/),
  h([{ name: 'X-Env', value: 'v'.repeat(4097) }], 'headers.0.value', /at most 4096 bytes/),
  h([{ name: 'X-Env', value: 'v'.repeat(HUGE) }], 'headers.0.value', /at most 4096 bytes/, '1 MB value'),
  h([{ name: 'X-Env', value: 42 }], 'headers.0.value', /header value as text/),
  h([{ name: 'X-Env', value: null }], 'headers.0.value', /header value/),
  h([{ name: 'X-Env', value: 'v', sensitive: 'yes' }], 'headers.0.sensitive', /true or false/),
  h([{ name: 'X-Env', value: 'v', secret: true }], 'headers.0.secret', /Remove "secret"/),
  h(
    [
      { name: 'X-Env', value: 'a' },
      { name: 'x-env', value: 'b' },
    ],
    'headers.1.name',
    /listed twice/,
  ),
  { ...h([{ name: 'X-Env' }], 'headers.0.value', /Enter the header value/), only: 'create' },
  { ...h([{ name: 'X-Api-Key', sensitive: true }], 'headers.0.value', /Enter the header value/), only: 'create' },
  { ...h([{ name: 'X-New', sensitive: true }], 'headers.0.value', /only a saved sensitive header may be sent without one/), only: 'update' },
  { ...h([{ name: 'X-Env' }], 'headers.0.value', /only a saved sensitive header/), only: 'update' },
  { ...h([{ name: 'X-Tenant', sensitive: false }], 'headers.0.value', /Enter the value again to make this header non-sensitive/), only: 'update' },
  { ...h(Array.from({ length: 26 }, (_, i) => ({ name: `X-H${i}`, value: 'v' })), 'headers', /at most 25 headers/, '26 headers'), codes: ['LIMIT'] },
];

const a = (value: unknown, field: string, says: RegExp, label?: string): Case => ({ label: `authorization ${label ?? JSON.stringify(value).slice(0, 70)}`, set: { authorization: value }, field, says });
const authCases: Case[] = [
  a('Bearer abc123', 'authorization', /Choose the authorization type: 'raw', 'basic' or 'bearer'/),
  a(['raw', 'Bearer x'], 'authorization', /Choose the authorization type/),
  a({}, 'authorization.type', /Choose the authorization type/),
  a({ type: 'oauth', token: 'x' }, 'authorization.type', /Choose the authorization type/),
  a({ type: 'Bearer', token: 'x' }, 'authorization.type', /Choose the authorization type/),
  a({ type: 'raw' }, 'authorization.value', /Enter the Authorization value/),
  a({ type: 'raw', value: 42 }, 'authorization.value', /as text/),
  a({ type: 'raw', value: '' }, 'authorization.value', /<scheme> <credentials>/),
  a({ type: 'raw', value: 'Bearer' }, 'authorization.value', /scheme is missing/),
  a({ type: 'raw', value: 'abcdef0123456789' }, 'authorization.value', /scheme is missing/),
  a({ type: 'raw', value: 'Bearer ' }, 'authorization.value', /Add the credentials after the scheme/),
  a({ type: 'raw', value: 'Bearer    ' }, 'authorization.value', /Add the credentials/),
  a({ type: 'raw', value: ' Bearer abc' }, 'authorization.value', /scheme is missing/),
  a({ type: 'raw', value: 'B@d abc' }, 'authorization.value', /The scheme .* may contain only/),
  a({ type: 'raw', value: 'Bearer abc\r\nX-Evil: 1' }, 'authorization.value', /no line breaks/),
  a({ type: 'raw', value: 'Bearer abc\n' }, 'authorization.value', /no line breaks/),
  a({ type: 'raw', value: 'Bearer\tabc' }, 'authorization.value', /tabs/),
  a({ type: 'raw', value: 'Bearer t\u00f6ken' }, 'authorization.value', /printable ASCII/),
  a({ type: 'raw', value: `Bearer ${'x'.repeat(4090)}` }, 'authorization.value', /at most 4096 bytes/),
  a({ type: 'raw', value: `Bearer ${'x'.repeat(HUGE)}` }, 'authorization.value', /at most 4096 bytes/, '1 MB raw'),
  a({ type: 'raw', value: 'Bearer abc', scheme: 'Bearer' }, 'authorization.scheme', /Remove "scheme"/),
  a({ type: 'basic', username: 'a:b', password: 'p' }, 'authorization.username', /Remove ":" from the user name/),
  a({ type: 'basic', username: '', password: 'p' }, 'authorization.username', /Enter the user name/),
  a({ type: 'basic', username: 'u\n', password: 'p' }, 'authorization.username', /control characters/),
  a({ type: 'basic', username: 'u', password: 'p\r\n' }, 'authorization.password', /control characters/),
  a({ type: 'basic', username: 'u' }, 'authorization.password', /Enter the password/),
  a({ type: 'basic', password: 'p' }, 'authorization.username', /Enter the user name/),
  a({ type: 'basic', username: 'u', password: 'p'.repeat(4000) }, 'authorization.password', /Shorten the user name and password/),
  a({ type: 'basic', username: 'u', password: 7 }, 'authorization.password', /as text/),
  a({ type: 'basic', username: 'u', password: 'p', token: 't' }, 'authorization.token', /Remove "token"/),
  a({ type: 'bearer', token: '' }, 'authorization.token', /Enter the token/),
  a({ type: 'bearer' }, 'authorization.token', /Enter the token/),
  a({ type: 'bearer', token: 'Bearer abc' }, 'authorization.token', /without spaces .*remove a "Bearer " prefix/),
  a({ type: 'bearer', token: 'abc\r\ndef' }, 'authorization.token', /printable ASCII without spaces/),
  a({ type: 'bearer', token: 'tökén' }, 'authorization.token', /printable ASCII/),
  a({ type: 'bearer', token: 't'.repeat(5000) }, 'authorization.token', /Shorten the token/),
  { ...a(null, 'authorization', /Choose the authorization type/), only: 'create' },
];

/** Secrets are `secrets` on create and `secretsAdd` on update. */
const s = (value: unknown, index: number | undefined, says: RegExp, label?: string): Case[] =>
  (['create', 'update'] as const).map((only) => {
    const key = only === 'create' ? 'secrets' : 'secretsAdd';
    return { label: `${key} ${label ?? JSON.stringify(value).slice(0, 60)}`, set: { [key]: value }, field: index === undefined ? key : `${key}.${index}`, says, only };
  });
const secretCases: Case[] = [
  ...s('whsec_' + b64(32), undefined, /list of whsec_/),
  ...s({ value: 'whsec_' + b64(32) }, undefined, /list of whsec_/),
  ...s(null, undefined, /list of whsec_/),
  ...s(['abc'], 0, /Start the secret with whsec_/),
  ...s([b64(32)], 0, /Start the secret with whsec_/, '[base64 without whsec_]'),
  ...s([' whsec_' + b64(32)], 0, /Start the secret with whsec_/, '[leading space]'),
  ...s(['WHSEC_' + b64(32)], 0, /Start the secret with whsec_/, '[WHSEC_]'),
  ...s(['whsec_'], 0, /24 to 64 random bytes/),
  ...s(['whsec_!!!!notbase64'], 0, /standard base64/),
  ...s(['whsec_' + Buffer.alloc(32, 251).toString('base64url')], 0, /standard base64/, '[base64url]'),
  ...s(['whsec_' + b64(32).replace(/=+$/, '')], 0, /padded with =/, '[unpadded]'),
  ...s(['whsec_' + b64(32) + '\n'], 0, /standard base64/, '[trailing newline]'),
  ...s(['whsec_' + b64(16)], 0, /24 to 64 random bytes .* decodes to 16/, '[16 bytes]'),
  ...s(['whsec_' + b64(23)], 0, /24 to 64 random bytes/, '[23 bytes]'),
  ...s(['whsec_' + b64(65)], 0, /24 to 64 random bytes/, '[65 bytes]'),
  ...s(['whsec_' + 'A'.repeat(HUGE)], 0, /24 to 64 random bytes|standard base64/, '[1 MB]'),
  ...s([42], 0, /as text/),
  ...s([secret(3), secret(3)], 1, /listed twice/, '[same secret twice]'),
  ...s(
    Array.from({ length: 11 }, (_, i) => secret(i + 20)),
    undefined,
    /at most 10/,
    '[11 secrets]',
  ).map((c) => ({ ...c, codes: ['LIMIT'] })),
  { label: 'secretsAdd the secret it already has', set: { secretsAdd: [secret(1)] }, field: 'secretsAdd.0', says: /already has this secret/, only: 'update' },
];

const updateOnlyCases: Case[] = [
  { label: 'version missing', set: { version: undefined }, field: 'version', says: /Send the version you last read/, only: 'update' },
  { label: 'version 0', set: { version: 0 }, field: 'version', says: /whole number from 1/, only: 'update' },
  { label: 'version -1', set: { version: -1 }, field: 'version', says: /Send the version/, only: 'update' },
  { label: 'version "1"', set: { version: '1' }, field: 'version', says: /Send the version/, only: 'update' },
  { label: 'version 1.5', set: { version: 1.5 }, field: 'version', says: /Send the version/, only: 'update' },
  { label: 'version null', set: { version: null }, field: 'version', says: /Send the version/, only: 'update' },
  { label: 'id missing', set: { id: undefined }, field: 'id', says: /Enter the webhook id/, only: 'update' },
  { label: 'id empty', set: { id: '' }, field: 'id', says: /Enter the webhook id/, only: 'update' },
  { label: 'id with a slash', set: { id: 'wh_../../secret' }, field: 'id', says: /not a webhook id/, only: 'update' },
  { label: 'id with a colon', set: { id: 'webhook:wh_1' }, field: 'id', says: /not a webhook id/, only: 'update' },
  { label: 'id 101 chars', set: { id: 'w'.repeat(101) }, field: 'id', says: /at most 100 characters/, only: 'update' },
  { label: 'id number', set: { id: 7 }, field: 'id', says: /as text/, only: 'update' },
  { label: 'secretsRemove unknown id', set: { secretsRemove: [{ id: 'sec_doesnotexist' }] }, field: 'secretsRemove.0.id', says: /No active secret has this id/, only: 'update' },
  { label: 'secretsRemove id missing', set: { secretsRemove: [{ graceHours: 1 }] }, field: 'secretsRemove.0.id', says: /Enter the secret id/, only: 'update' },
  { label: 'secretsRemove as ids', set: { secretsRemove: ['sec_1'] }, field: 'secretsRemove.0', says: /Send each removal as \{ id, graceHours\? \}/, only: 'update' },
  { label: 'secretsRemove not a list', set: { secretsRemove: { id: 'sec_1' } }, field: 'secretsRemove', says: /list of \{ id, graceHours\? \}/, only: 'update' },
  { label: 'secretsRemove extra key', set: { secretsRemove: [{ id: 'sec_1', grace: 1 }] }, field: 'secretsRemove.0.grace', says: /Remove "grace"/, only: 'update' },
  { label: 'maskUrl weaker without the URL', set: { maskUrl: 'none' }, field: 'maskUrl', says: /Enter the URL again/, only: 'update' },
  { label: 'authorization null is not for create', set: { authorization: null }, field: 'authorization', says: /Choose the authorization type/, only: 'create' },
];

const shapeCases: Case[] = [
  { label: 'unknown key', set: { color: 'blue' }, field: 'color', says: /Remove "color": it is not part of this function's input/ },
  { label: 'typo timeout', set: { timeout: 15 }, field: 'timeout', says: /Remove "timeout"/ },
  { label: 'typo Name', set: { Name: 'x' }, field: 'Name', says: /Remove "Name"/ },
  { label: 'constructor key', set: { constructor: 'x' }, field: 'constructor', says: /Remove "constructor"/ },
  { label: 'toString key', set: { toString: 'x' }, field: 'toString', says: /Remove "toString"/ },
  { label: 'secrets on update', set: { secrets: [secret(40)] }, field: 'secrets', says: /Remove "secrets"/, only: 'update' },
  { label: 'secretsAdd on create', set: { secretsAdd: [secret(40)] }, field: 'secretsAdd', says: /Remove "secretsAdd"/, only: 'create' },
  { label: 'id on create', set: { id: 'wh_mine' }, field: 'id', says: /Remove "id"/, only: 'create' },
  { label: 'version on create', set: { version: 1 }, field: 'version', says: /Remove "version"/, only: 'create' },
  { label: 'health', set: { health: { state: 'healthy' } }, field: 'health', says: /Remove "health"/ },
  { label: 'createdAt', set: { createdAt: '2020-01-01T00:00:00Z' }, field: 'createdAt', says: /Remove "createdAt"/ },
];

const slackCases: Case[] = [
  url('https://hooks.slack.com/triggers/T0001ABCD/1234567890/abcdef0123456789abcdef0123456789', /Workflow Builder trigger URL/, 'create'),
  url('https://hooks.slack.com/services/T0001ABCD', /\/services\/T\.\.\.\/B\.\.\./, 'create'),
  url('https://hooks.slack.com/services/T0001ABCD/B0002EFGH/short', /\/services\/T\.\.\.\/B\.\.\./, 'create'),
  url('https://hooks.slack.com/services/T0001ABCD/B0002EFGH/abcd-EFGH-1234-ijkl', /\/services\/T/, 'create'),
  url('https://hooks.slack.com/services/x0001ABCD/B0002EFGH/abcdEFGH1234ijklMNOP5678', /\/services\/T/, 'create'),
  url(`${SLACK_URL}?channel=general`, /Remove the \?query/, 'create'),
  url(`${SLACK_URL}#x`, /fragment/, 'create'),
  url(SLACK_URL.replace('hooks.slack.com', 'hooks.slack.com:8443'), /Remove the port/, 'create'),
  url(SLACK_URL.replace('https:', 'http:'), /Use https/, 'create'),
  url(SLACK_URL.replace('hooks.slack.com', 'hooks.slack.com.evil.example'), /hooks\.slack\.com\/services/, 'create'),
  url(SLACK_URL.replace('hooks.slack.com', 'slack.com'), /hooks\.slack\.com\/services/, 'create'),
  url(SLACK_URL.replace('hooks.slack.com', 'evilhooks.slack.com'), /hooks\.slack\.com\/services/, 'create'),
  url('https://siem.example.test/hook', /Slack incoming webhook URL/, 'create'),
  url('https://user:pw@hooks.slack.com/services/T0001ABCD/B0002EFGH/abcdEFGH1234ijklMNOP5678', /Authorization/, 'create'),
  { label: 'slack secrets', set: { secrets: [secret(30)] }, field: 'secrets', says: /Remove the secrets: Slack/, only: 'create' },
  { label: 'slack authorization', set: { authorization: { type: 'bearer', token: 'abc' } }, field: 'authorization', says: /Remove authorization: Slack/, only: 'create' },
  { label: 'slack headers', set: { headers: [{ name: 'X-Env', value: 'prod' }] }, field: 'headers', says: /Remove the headers: Slack/, only: 'create' },
  { label: 'slack signing', set: { signing: { mode: 'hub' } }, field: 'signing', says: /Remove signing: Slack/, only: 'create' },
  { label: 'slack method PUT', set: { method: 'PUT' }, field: 'method', says: /Use POST: Slack/, only: 'create' },
  { label: 'slack duplicate name', set: { name: 'slack ALERTS' }, field: 'name', says: /already named/, only: 'create' },
  url('https://siem.example.test/hook', /Slack incoming webhook URL/, 'update'),
  url('https://hooks.slack.com/triggers/T0001ABCD/1234567890/abcdef0123456789abcdef0123456789', /Workflow Builder/, 'update'),
  { label: 'slack secretsAdd', set: { secretsAdd: [secret(30)] }, field: 'secretsAdd', says: /Remove the secrets: Slack/, only: 'update' },
  { label: 'slack authorization', set: { authorization: { type: 'bearer', token: 'abc' } }, field: 'authorization', says: /Remove authorization: Slack/, only: 'update' },
  { label: 'slack headers', set: { headers: [{ name: 'X-Env', value: 'prod' }] }, field: 'headers', says: /Remove the headers: Slack/, only: 'update' },
  { label: 'slack signing', set: { signing: { mode: 'base64-list' } }, field: 'signing', says: /Remove signing: Slack/, only: 'update' },
  { label: 'slack method PUT', set: { method: 'PUT' }, field: 'method', says: /Use POST: Slack/, only: 'update' },
];

const fieldCases: Case[] = [...urlCases, ...nameCases, ...eventCases, ...scalarCases, ...signingCases, ...headerCases, ...authCases, ...secretCases, ...updateOnlyCases, ...shapeCases];

const merge = (base: Record<string, unknown>, set: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(set)) {
    if (value === undefined) delete out[key];
    else Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
};

/** Zod's stock messages name types, not fixes; none may reach an admin. */
const STOCK_MESSAGE = /Invalid input|expected .*received|^Required$|Unrecognized key|Too (big|small)|Invalid (option|enum)/;

describe('admin API over HTTP: every bad input is VALIDATION and changes nothing', () => {
  let api: AdminHttp;
  let existing: { id: string; version: number; secretId: string };
  let slack: { id: string; version: number };
  const ids: string[] = [];

  /** Everything an admin change could touch: the list, every KVS entry, every webhook's secret material. */
  const state = async (): Promise<unknown> => ({
    list: await api.data('webhooks.list', {}),
    kvs: await kvsSnapshot(),
    secrets: await Promise.all(ids.map((id) => readSecret(`webhook-secret:${id}`))),
  });

  const expectRefused = async (functionKey: string, payload: unknown, field: string, says: RegExp, codes: string[] = []): Promise<Envelope> => {
    const before = await state();
    const result = await api.invoke(functionKey, payload);
    if (result.ok) {
      // Undo an accepted create, so one missing rule fails one case and not every case after it.
      const made = (result.data as { webhook?: { id?: string; version?: number } }).webhook;
      if (functionKey === 'webhooks.create' && made?.id) await api.invoke('webhooks.delete', { id: made.id });
      for (const target of [existing, slack]) if (made?.id === target.id && made.version) target.version = made.version;
      await flush(api.bed.host);
      throw new Error(`${functionKey} accepted ${JSON.stringify(payload).slice(0, 300)}`);
    }
    expect([...codes, 'VALIDATION']).toContain(result.error.code);
    if (result.error.code === 'VALIDATION') {
      expect(result.error.fields).toBeDefined();
      expect(Object.keys(result.error.fields ?? {})).toContain(field);
      expect(result.error.fields?.[field]).toMatch(says);
      for (const message of Object.values(result.error.fields ?? {})) {
        expect(message).not.toMatch(STOCK_MESSAGE);
        expect(message.length).toBeLessThan(600);
      }
    }
    expect(result.error.message).toMatch(/\S/);
    expect(result.error.message).not.toMatch(STOCK_MESSAGE);
    // A huge input is never echoed back.
    expect(JSON.stringify(result).length).toBeLessThan(4000);
    expect(await state()).toEqual(before);
    return result;
  };

  beforeAll(async () => {
    api = await startAdminHttp(['siem.example.test', 'hooks.slack.com']);
    const created = await api.data<{ webhook: { id: string; version: number; secrets: { id: string }[] } }>('webhooks.create', {
      kind: 'custom',
      name: 'Existing SIEM',
      url: 'https://siem.example.test/hook?code=querytoken-123456',
      maskUrl: 'query',
      events: ['issue.created'],
      secrets: [secret(1)],
      authorization: { type: 'raw', value: 'Splunk 7f3c9e1a-aaaa-bbbb' },
      headers: [
        { name: 'X-Env', value: 'prod' },
        { name: 'X-Api-Key', value: 'api-key-0123456789', sensitive: true },
        { name: 'X-Tenant', value: 'tenant-0123456789', sensitive: true },
      ],
    });
    existing = { id: created.webhook.id, version: created.webhook.version, secretId: created.webhook.secrets[0]!.id };
    const other = await api.data<{ webhook: { id: string } }>('webhooks.create', { kind: 'custom', name: 'Other SIEM', url: 'https://siem.example.test/other', events: ['*'] });
    const slackCreated = await api.data<{ webhook: { id: string; version: number } }>('webhooks.create', { kind: 'slack', name: 'Slack alerts', url: SLACK_URL, events: ['issue.created'] });
    slack = { id: slackCreated.webhook.id, version: slackCreated.webhook.version };
    ids.push(existing.id, other.webhook.id, slack.id);
    // Deliver the config audit events of the setup, so nothing is pending while cases run.
    await flush(api.bed.host);
  });
  afterAll(() => api.close());
  // KVS allows 4000 read units a rolling minute and the clock is manual: each case reads the whole store
  // twice, so move a minute on before each one (outside what the case compares).
  beforeEach(() => api.bed.host.advance(61));

  const createCases = fieldCases.filter((c) => c.only !== 'update');
  const updateCases = fieldCases.filter((c) => c.only !== 'create');

  it.each(createCases)('webhooks.create refuses $label', async (c) => {
    await expectRefused('webhooks.create', merge(validCreate, c.set), c.field, c.says, c.codes);
  });

  it.each(updateCases)('webhooks.update refuses $label', async (c) => {
    await expectRefused('webhooks.update', merge({ id: existing.id, version: existing.version }, c.set), c.field, c.says, c.codes);
  });

  it.each(slackCases.filter((c) => c.only === 'create'))('webhooks.create (slack) refuses $label', async (c) => {
    await expectRefused('webhooks.create', merge(validSlack, c.set), c.field, c.says, c.codes);
  });

  it.each(slackCases.filter((c) => c.only === 'update'))('webhooks.update (slack) refuses $label', async (c) => {
    await expectRefused('webhooks.update', merge({ id: slack.id, version: slack.version }, c.set), c.field, c.says, c.codes);
  });

  const notObjects: [string, unknown][] = [
    ['a string', 'hello'],
    ['a number', 42],
    ['true', true],
    ['an empty array', []],
    ['an array of the input', [validCreate]],
  ];
  const everyKey = ['webhooks.list', 'webhooks.get', 'webhooks.create', 'webhooks.update', 'webhooks.delete', 'webhooks.test', 'secrets.random', 'deliveries.list', 'deliveries.retry', 'deliveries.recover', 'settings.get', 'settings.update'];
  it.each(everyKey.flatMap((key) => notObjects.map(([label, payload]) => ({ key, label, payload }))))('$key refuses $label as payload', async ({ key, payload }) => {
    await expectRefused(key, payload, '', /Send the input as a JSON object/);
  });

  it('refuses a __proto__ key by name (JSON.parse makes it an own key), sent as raw JSON', async () => {
    const before = await state();
    const body = `{"functionKey":"webhooks.create","accountId":"local-admin","payload":{"kind":"custom","name":"Proto","url":"https://siem.example.test/p","events":["*"],"__proto__":{"enabled":false}}}`;
    const { status, json } = await api.post(body);
    expect(status).toBe(200);
    const result = (json as { result: Envelope }).result;
    if (result.ok) throw new Error('a __proto__ key was accepted');
    expect(result.error.code).toBe('VALIDATION');
    expect(Object.entries(result.error.fields ?? {})).toEqual([['__proto__', expect.stringMatching(/^Remove "__proto__"/)]]);
    expect(await state()).toEqual(before);
  });

  it('names a huge unknown key without echoing all of it', async () => {
    const before = await state();
    const result = await api.invoke('webhooks.create', { ...validCreate, ['k'.repeat(100_000)]: 1 });
    if (result.ok) throw new Error('a 100 KB unknown key was accepted');
    expect(result.error.code).toBe('VALIDATION');
    const entries = Object.entries(result.error.fields ?? {});
    expect(entries).toHaveLength(1);
    expect(entries[0]![0]).toMatch(/^k+/);
    expect(entries[0]![1]).toMatch(/^Remove "k+/);
    expect(JSON.stringify(result).length).toBeLessThan(4000);
    expect(await state()).toEqual(before);
  });

  const otherCases: { key: string; payload: unknown; field: string; says: RegExp }[] = [
    { key: 'webhooks.list', payload: { all: true }, field: 'all', says: /Remove "all"/ },
    { key: 'webhooks.get', payload: {}, field: 'id', says: /Enter the webhook id/ },
    { key: 'webhooks.get', payload: { id: '' }, field: 'id', says: /Enter the webhook id/ },
    { key: 'webhooks.get', payload: { id: 42 }, field: 'id', says: /as text/ },
    { key: 'webhooks.get', payload: { id: 'wh_1 OR 1=1' }, field: 'id', says: /not a webhook id/ },
    { key: 'webhooks.get', payload: { id: 'x'.repeat(HUGE) }, field: 'id', says: /at most 100 characters/ },
    { key: 'webhooks.get', payload: { id: 'wh_1', version: 1 }, field: 'version', says: /Remove "version"/ },
    { key: 'webhooks.delete', payload: {}, field: 'id', says: /Enter the webhook id/ },
    { key: 'webhooks.delete', payload: { id: 'webhook:wh_1' }, field: 'id', says: /not a webhook id/ },
    { key: 'webhooks.delete', payload: { id: ['wh_1'] }, field: 'id', says: /as text/ },
    { key: 'webhooks.test', payload: {}, field: 'id', says: /Enter the webhook id/ },
    { key: 'webhooks.test', payload: { id: 'wh/../x' }, field: 'id', says: /not a webhook id/ },
    { key: 'webhooks.test', payload: { id: 'wh_1', event: 'issue.created' }, field: 'event', says: /Remove "event"/ },
    { key: 'secrets.random', payload: { bytes: 64 }, field: 'bytes', says: /Remove "bytes"/ },
    { key: 'deliveries.list', payload: { limit: 0 }, field: 'limit', says: /at least 1/ },
    { key: 'deliveries.list', payload: { limit: 101 }, field: 'limit', says: /at most 100/ },
    { key: 'deliveries.list', payload: { limit: '10' }, field: 'limit', says: /whole number/ },
    { key: 'deliveries.list', payload: { outcome: 'ok' }, field: 'outcome', says: /Choose the delivery status/ },
    { key: 'deliveries.list', payload: { test: 'yes' }, field: 'test', says: /true or false/ },
    { key: 'deliveries.list', payload: { webhookId: 'not an id' }, field: 'webhookId', says: /not a webhook id/ },
    { key: 'deliveries.list', payload: { cursor: 'not-a-cursor' }, field: 'cursor', says: /nextCursor/ },
    { key: 'deliveries.list', payload: { cursor: 'c'.repeat(1001) }, field: 'cursor', says: /nextCursor/ },
    { key: 'deliveries.retry', payload: {}, field: 'id', says: /Enter the delivery id/ },
    { key: 'deliveries.retry', payload: { id: 'dl 1' }, field: 'id', says: /not a delivery id/ },
    { key: 'deliveries.recover', payload: { since: '2026-01-01T00:00:00Z' }, field: 'webhookId', says: /Enter the webhook id/ },
    { key: 'deliveries.recover', payload: { webhookId: 'wh_1' }, field: 'since', says: /ISO date-time/ },
    { key: 'deliveries.recover', payload: { webhookId: 'wh_1', since: 'yesterday' }, field: 'since', says: /ISO date-time/ },
    { key: 'deliveries.recover', payload: { webhookId: 'wh_1', since: '2026-11-02' }, field: 'since', says: /ISO date-time/ },
    { key: 'deliveries.recover', payload: { webhookId: 'wh_1', since: 1_700_000_000_000 }, field: 'since', says: /ISO date-time/ },
    { key: 'settings.get', payload: { version: 1 }, field: 'version', says: /Remove "version"/ },
    { key: 'settings.update', payload: {}, field: 'version', says: /Send the version you last read/ },
    { key: 'settings.update', payload: { version: 0 }, field: 'version', says: /version you last read/ },
    { key: 'settings.update', payload: { version: 1, backfillDays: 31 }, field: 'backfillDays', says: /at most 30/ },
    { key: 'settings.update', payload: { version: 1, backfillDays: -1 }, field: 'backfillDays', says: /at least 0/ },
    { key: 'settings.update', payload: { version: 1, backfillDays: 1.5 }, field: 'backfillDays', says: /whole number/ },
    { key: 'settings.update', payload: { version: 1, auditPoll: true }, field: 'auditPoll', says: /auditPoll as \{ enabled: true \}/ },
    { key: 'settings.update', payload: { version: 1, auditPoll: { enabled: 'no' } }, field: 'auditPoll.enabled', says: /true or false/ },
    { key: 'settings.update', payload: { version: 1, auditPoll: { enabled: true, interval: 5 } }, field: 'auditPoll.interval', says: /Remove "interval"/ },
    { key: 'settings.update', payload: { version: 1, pollMinutes: 1 }, field: 'pollMinutes', says: /Remove "pollMinutes"/ },
  ];
  it.each(otherCases)('$key refuses $payload', async ({ key, payload, field, says }) => {
    await expectRefused(key, payload, field, says);
  });

  it('deliveries.recover refuses a time in the future or older than 14 days, naming since', async () => {
    const now = api.bed.host.now().getTime();
    await expectRefused('deliveries.recover', { webhookId: existing.id, since: new Date(now + 3_600_000).toISOString() }, 'since', /Choose a time in the past/);
    await expectRefused('deliveries.recover', { webhookId: existing.id, since: new Date(now - 15 * 86_400_000).toISOString() }, 'since', /at most 14 days back/);
  });

  it('reports every problem of one request at once', async () => {
    const result = await expectRefused(
      'webhooks.create',
      {
        kind: 'custom',
        name: '<script>',
        url: 'http://10.0.0.1/',
        events: [],
        method: 'GET',
        timeoutSeconds: 0,
        headers: [{ name: 'Host', value: 'x' }],
        secrets: ['nope'],
        authorization: { type: 'bearer', token: '' },
        extra: 1,
      },
      'url',
      /IP address|https/,
    );
    if (result.ok) throw new Error('unreachable');
    expect(Object.keys(result.error.fields ?? {}).sort()).toEqual(
      ['authorization.token', 'events', 'extra', 'headers.0.name', 'method', 'name', 'secrets.0', 'timeoutSeconds', 'url'].sort(),
    );
    expect(result.error.message).toMatch(/^Fix 9 fields: /);
  });

  it('the same checks run after the stored state changes: a stale version is CONFLICT, not a partial save', async () => {
    const before = await state();
    const result = await api.invoke('webhooks.update', { id: existing.id, version: existing.version + 1, name: 'Renamed' });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/Reload it and apply your change again/) } });
    expect(await state()).toEqual(before);
    const missing = await api.invoke('webhooks.update', { id: 'wh_doesnotexist', version: 1, name: 'Renamed' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await state()).toEqual(before);
  });

  const boundaries: [string, Record<string, unknown>][] = [
    ['a URL of exactly 2048 characters', { url: `https://siem.example.test/${'a'.repeat(2048 - 'https://siem.example.test/'.length)}` }],
    ['a 100-character name', { name: 'n'.repeat(100) }],
    // Zero-width joiners are Default_Ignorable and refused (issue 9); visible non-ASCII text is not.
    ['a name with emoji, accents, Persian and CJK', { name: 'SOC 👩💻 Sécurité میخواهم 日本' }],
    ['timeout 1', { timeoutSeconds: 1 }],
    ['timeout 30', { timeoutSeconds: 30 }],
    ['PUT', { method: 'PUT' }],
    ['500 event types (duplicates dropped)', { events: Array.from({ length: 500 }, () => 'issue.created') }],
    ['a 4096-byte header value', { headers: [{ name: 'X-Big', value: 'v'.repeat(4096) }] }],
    ['a 100-character header name', { headers: [{ name: 'X'.repeat(100), value: 'v' }] }],
    ['a 100-character signature header', { signing: { mode: 'base64-list', header: 'S'.repeat(100) } }],
    ['a 4096-byte Authorization', { authorization: { type: 'raw', value: `Splunk ${'x'.repeat(4096 - 7)}` } }],
    ['a 24-byte and a 64-byte secret', { secrets: [`whsec_${b64(24)}`, `whsec_${b64(64, 7)}`] }],
    ['10 secrets', { secrets: Array.from({ length: 10 }, (_, i) => secret(i + 60)) }],
    ['disabled', { enabled: false }],
    ['every mask mode', { maskUrl: 'path-and-query' }],
  ];
  it.each(boundaries)('accepts the boundary: %s', async (_label, set) => {
    const made = await api.data<{ webhook: { id: string } }>('webhooks.create', merge({ ...validCreate, name: `Boundary ${_label}`.slice(0, 100) }, set));
    await api.data('webhooks.delete', { id: made.webhook.id });
  });

  it('applies the documented defaults', async () => {
    const made = await api.data<{ webhook: Record<string, unknown> & { id: string } }>('webhooks.create', { ...validCreate, name: 'Defaults' });
    expect(made.webhook).toMatchObject({
      version: 1,
      enabled: true,
      method: 'POST',
      timeoutSeconds: 15,
      signing: { mode: 'standard' },
      secrets: [],
      authorization: null,
      headers: [],
      maskUrl: 'none',
      urlMasked: false,
      // Nothing has been sent yet (issue 13): not "healthy" until a delivery says so.
      health: { state: 'never-delivered' },
    });
    const b64list = await api.data<{ webhook: { id: string; signing: unknown } }>('webhooks.create', { ...validCreate, name: 'Default header', signing: { mode: 'base64-list' } });
    expect(b64list.webhook.signing).toEqual({ mode: 'base64-list', header: 'X-Webhook-Signature' });
    await api.data('webhooks.delete', { id: made.webhook.id });
    await api.data('webhooks.delete', { id: b64list.webhook.id });
  });

  it('still accepts the valid inputs the cases were built from (the cases fail for the reason they name)', async () => {
    const made = await api.data<{ webhook: { id: string } }>('webhooks.create', { ...validCreate, name: 'Control' });
    ids.push(made.webhook.id);
    await api.data('webhooks.update', { id: existing.id, version: existing.version, timeoutSeconds: 20 });
    const slackMade = await api.data<{ webhook: { id: string } }>('webhooks.create', validSlack);
    ids.push(slackMade.webhook.id);
  });
});
