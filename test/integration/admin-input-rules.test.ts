import { kvsSnapshot, readSecret, startAdminHttp, type AdminHttp } from './support/admin-http';
import { flush } from './support/delivery-bed';

/**
 * Acceptance (issue 9, "Input rules"), over HTTP as a client would call the admin API: URLs that read one
 * way and go another (a backslash, a host the URL standard rewrites), and invisible or text-direction
 * characters (every Default_Ignorable_Code_Point and bidi control) in names, header names and values and
 * URLs, in their plain and other spellings, are VALIDATION with a message that says what to fix, on create
 * and on update, and change nothing.
 */

interface Trick {
  label: string;
  set: Record<string, unknown>;
  field: string;
  says: RegExp;
}

const BACKSLASH = /^Remove the backslash \(\\\) from the URL: URL parsers read it as \/.*write it as %5C\.$/;
const SPELLING = (host: string): RegExp => new RegExp(`^Type the host name exactly as ${host.replace(/\./g, '\\.')}: .*xn-- form\\.$`);
const invisible = (code: string, where: string): RegExp =>
  new RegExp(`^Remove the (invisible|text-direction) character U\\+${code}( \\([A-Za-z -]+\\))? from ${where}`);

const url = (label: string, value: string, says: RegExp): Trick => ({ label: `url ${label}`, set: { url: value }, field: 'url', says });
const urlTricks: Trick[] = [
  url('evil.com\\@siem', 'https://evil.com\\@siem.example.test/', BACKSLASH),
  url('double backslash', 'https://evil.com\\\\@siem.example.test/hook', BACKSLASH),
  url('https:\\\\host', 'https:\\\\evil.com/hook', BACKSLASH),
  url('https:/\\host', 'https:/\\evil.com/hook', BACKSLASH),
  url('backslash in path', 'https://siem.example.test/a\\b', BACKSLASH),
  url('backslash in query', 'https://siem.example.test/hook?next=\\\\evil.com', BACKSLASH),
  url('backslash before port', 'https://siem.example.test:8443\\@evil.com/', BACKSLASH),
  url('soft hyphen in host', 'https://siem.ex\u00adample.test/hook', invisible('00AD', 'the URL')),
  url('zero-width space in host', 'https://siem\u200b.example.test/hook', invisible('200B', 'the URL')),
  url('zero-width joiner in host', 'https://si\u200dem.example.test/hook', invisible('200D', 'the URL')),
  url('word joiner in host', 'https://siem.example\u2060.test/hook', invisible('2060', 'the URL')),
  url('BOM in host', 'https://\ufeffsiem.example.test/hook', invisible('FEFF', 'the URL')),
  url('variation selector in host', 'https://siem\ufe0f.example.test/hook', invisible('FE0F', 'the URL')),
  url('tag character in host', 'https://siem\u{e0041}.example.test/hook', invisible('E0041', 'the URL')),
  url('Hangul filler in path', 'https://siem.example.test/\u3164/hook', invisible('3164', 'the URL')),
  url('percent-encoded soft hyphen in host', 'https://siem.ex%C2%ADample.test/hook', invisible('00AD', 'the URL \\(it is there percent-encoded, as %C2%AD\\)')),
  url('percent-encoded zero-width space in host', 'https://siem%e2%80%8b.example.test/hook', invisible('200B', 'the URL \\(it is there percent-encoded')),
  url('RLO in query', 'https://siem.example.test/hook?file=\u202egnp.exe', invisible('202E', 'the URL')),
  url('RLI in query', 'https://siem.example.test/hook?x=\u2067a\u2069', invisible('2067', 'the URL')),
  url('LRM in path', 'https://siem.example.test/ho\u200eok', invisible('200E', 'the URL')),
  url('ALM in query', 'https://siem.example.test/hook?x=\u061c', invisible('061C', 'the URL')),
  url('percent-encoded RLO in query', 'https://siem.example.test/hook?file=%E2%80%AEgnp.exe', invisible('202E', 'the URL \\(it is there percent-encoded, as %E2%80%AE\\)')),
  url('percent-encoded RLO after a bad escape', 'https://siem.example.test/hook?x=%FF%E2%80%AE', invisible('202E', 'the URL')),
  url('full-width host', 'https://ｓｉｅｍ.example.test/hook', SPELLING('siem.example.test')),
  url('full-width dot', 'https://siem．example.test/hook', SPELLING('siem.example.test')),
  url('ideographic full stop', 'https://siem。example.test/hook', SPELLING('siem.example.test')),
  url('percent-encoded host letters', 'https://%73iem.example.test/hook', SPELLING('siem.example.test')),
  url('percent-encoded dot', 'https://siem%2Eexample.test/hook', SPELLING('siem.example.test')),
  url('circled letter', 'https://\u24e2iem.example.test/hook', SPELLING('siem.example.test')),
  url('ligature', 'https://\ufb01le.example.test/hook', SPELLING('file.example.test')),
  url('Kelvin sign', 'https://\u212aey.example.test/hook', SPELLING('key.example.test')),
  url('Unicode letters', 'https://sïem.example.test/hook', SPELLING('xn--sem-zma.example.test')),
];

const name = (label: string, value: string, code: string): Trick => ({ label: `name ${label}`, set: { name: value }, field: 'name', says: invisible(code, 'the name') });
const nameTricks: Trick[] = [
  name('Hangul filler', 'SIEM\u3164', '3164'),
  name('halfwidth Hangul filler', 'SI\uffa0EM', 'FFA0'),
  name('tag character', 'SIEM\u{e0041}', 'E0041'),
  name('combining grapheme joiner', 'SI\u034fEM', '034F'),
  name('Mongolian vowel separator', 'SIEM\u180e', '180E'),
  name('variation selector', 'SIEM\ufe0f', 'FE0F'),
  name('Khmer inherent vowel', 'SIEM\u17b4', '17B4'),
  name('shorthand format control', 'SIEM\u{1bca0}', '1BCA0'),
  name('musical symbol begin beam', 'SIEM\u{1d173}', '1D173'),
  name('zero-width joiner', 'SI\u200dEM', '200D'),
  name('invisible times', 'SIEM\u2062', '2062'),
  name('LRE', '\u202aSIEM', '202A'),
  name('RLE', '\u202bSIEM', '202B'),
  name('PDF', 'SIEM\u202c', '202C'),
  name('LRO', '\u202dSIEM', '202D'),
  name('RLO', '\u202eMEIS', '202E'),
  name('LRI', '\u2066SIEM', '2066'),
  name('FSI', '\u2068SIEM', '2068'),
  name('PDI', 'SIEM\u2069', '2069'),
  name('ALM', 'SIEM\u061c', '061C'),
  name('LRM', 'SIEM\u200e', '200E'),
  name('RLM', 'SIEM\u200f', '200F'),
];

const headerName = (label: string, value: string, code: string): Trick => ({
  label: `header name ${label}`,
  set: { headers: [{ name: value, value: 'v' }] },
  field: 'headers.0.name',
  says: invisible(code, 'the header name'),
});
const headerValue = (label: string, value: string, code: string): Trick => ({
  label: `header value ${label}`,
  set: { headers: [{ name: 'X-Env', value }] },
  field: 'headers.0.value',
  says: invisible(code, 'the header value'),
});
const headerTricks: Trick[] = [
  headerName('zero-width space', 'X-Env\u200b', '200B'),
  headerName('soft hyphen', 'X-\u00adEnv', '00AD'),
  headerName('RLO', '\u202eX-Env', '202E'),
  headerName('tag character', 'X-Env\u{e0041}', 'E0041'),
  headerValue('zero-width space', 'prod\u200b', '200B'),
  headerValue('RLO', 'prod\u202e', '202E'),
  headerValue('BOM', '\ufeffprod', 'FEFF'),
  headerValue('Hangul filler', 'pr\u3164od', '3164'),
  { label: 'signature header with a zero-width space', set: { signing: { mode: 'base64-list', header: 'X-Sig\u200b' } }, field: 'signing.header', says: invisible('200B', 'the signature header name') },
];

const TRICKS = [...urlTricks, ...nameTricks, ...headerTricks];

describe('admin API over HTTP: input rules (issue 9)', () => {
  let api: AdminHttp;
  let existing: { id: string; version: number };

  const state = async (): Promise<unknown> => ({ list: await api.data('webhooks.list', {}), kvs: await kvsSnapshot(), material: await readSecret(`webhook-secret:${existing.id}`) });

  const expectRefused = async (functionKey: string, payload: Record<string, unknown>, trick: Trick): Promise<void> => {
    const before = await state();
    const result = await api.invoke(functionKey, payload);
    if (result.ok) throw new Error(`${functionKey} accepted ${trick.label}`);
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.fields?.[trick.field]).toMatch(trick.says);
    expect(result.error.message).toContain(result.error.fields?.[trick.field] ?? '(no field)');
    expect(await state()).toEqual(before);
  };

  beforeAll(async () => {
    api = await startAdminHttp(['siem.example.test']);
    const made = await api.data<{ webhook: { id: string; version: number } }>('webhooks.create', {
      kind: 'custom',
      name: 'Existing SIEM',
      url: 'https://siem.example.test/hook',
      events: ['*'],
    });
    existing = { id: made.webhook.id, version: made.webhook.version };
    await flush(api.bed.host);
  });
  afterAll(() => api.close());
  beforeEach(() => api.bed.host.advance(61));

  it.each(TRICKS)('webhooks.create refuses $label', async (trick) => {
    await expectRefused('webhooks.create', { kind: 'custom', name: 'New SIEM', url: 'https://siem.example.test/new', events: ['*'], ...trick.set }, trick);
  });

  it.each(TRICKS)('webhooks.update refuses $label', async (trick) => {
    await expectRefused('webhooks.update', { id: existing.id, version: existing.version, ...trick.set }, trick);
  });

  it.each([
    ['ASCII upper case in the host', 'https://SIEM.Example.TEST/hook?a=1'],
    ['ordinary percent-escapes in the path and query', 'https://siem.example.test/a%20b?q=%C3%A9%5C'],
  ])('accepts %s (case folding alone is harmless: DNS and Forge egress ignore ASCII case)', async (_label, value) => {
    const made = await api.data<{ webhook: { id: string; url: string } }>('webhooks.create', { kind: 'custom', name: `Accepted ${_label}`, url: value, events: ['*'] });
    expect(made.webhook.url).toBe(value);
    await api.data('webhooks.delete', { id: made.webhook.id });
  });
});
