import { secret } from './support/app-host';
import { kvsSnapshot, readSecret, startAdminHttp, type AdminHttp, type Envelope } from './support/admin-http';

/**
 * Acceptance: the counted limits, reached one step at a time through HTTP: the 11th secret (counting
 * those in their grace period), the 26th header, a 101-character name, a duplicate name ignoring case,
 * and the 51st webhook. Each is refused with VALIDATION or LIMIT, says what to do, and changes nothing.
 */

interface View {
  id: string;
  version: number;
  name: string;
  secrets: { id: string; expiresAt?: string }[];
  headers: { name: string }[];
}

const headers = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `X-Header-${i + 1}`, value: `value ${i + 1}` }));

describe('admin API over HTTP: limits', () => {
  let api: AdminHttp;

  const state = async (id?: string) => ({
    list: await api.data('webhooks.list', {}),
    kvs: await kvsSnapshot(),
    material: id ? await readSecret(`webhook-secret:${id}`) : undefined,
  });

  const refused = async (key: string, payload: unknown, id: string | undefined, expected: { codes: string[]; field: string; says: RegExp; message?: RegExp }): Promise<void> => {
    const before = await state(id);
    const result: Envelope = await api.invoke(key, payload);
    if (result.ok) throw new Error(`${key} accepted ${JSON.stringify(payload).slice(0, 200)}`);
    expect(expected.codes).toContain(result.error.code);
    expect(result.error.fields?.[expected.field]).toMatch(expected.says);
    if (expected.message) expect(result.error.message).toMatch(expected.message);
    expect(await state(id)).toEqual(before);
  };

  beforeAll(async () => {
    api = await startAdminHttp(['siem.example.test']);
  });
  afterAll(() => api.close());
  beforeEach(() => api.bed.host.advance(61));

  it('10 secrets are fine; the 11th is LIMIT, also when one of the 10 is only in its grace period; removing one at once makes room', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => secret(i + 1));
    let view = (await api.data<{ webhook: View }>('webhooks.create', { kind: 'custom', name: 'Ten secrets', url: 'https://siem.example.test/ten', events: ['*'], secrets: ten })).webhook;
    expect(view.secrets).toHaveLength(10);

    const limit = { codes: ['LIMIT'], field: 'secretsAdd', says: /At most 10 active secrets, including those still in their grace period/, message: /would have 11 active secrets; at most 10 may sign at once\. Remove one first/ };
    await refused('webhooks.update', { id: view.id, version: view.version, secretsAdd: [secret(11)] }, view.id, limit);
    // A removal with a grace period still signs, so it still counts.
    await refused('webhooks.update', { id: view.id, version: view.version, secretsAdd: [secret(11)], secretsRemove: [{ id: view.secrets[0]!.id, graceHours: 24 }] }, view.id, limit);
    await refused('webhooks.update', { id: view.id, version: view.version, secretsAdd: [secret(11)], secretsRemove: [{ id: view.secrets[0]!.id }] }, view.id, limit);
    // Two at once is two over.
    await refused('webhooks.update', { id: view.id, version: view.version, secretsAdd: [secret(11), secret(12)] }, view.id, { ...limit, message: /would have 12 active secrets/ });

    view = (await api.data<{ webhook: View }>('webhooks.update', { id: view.id, version: view.version, secretsAdd: [secret(11)], secretsRemove: [{ id: view.secrets[0]!.id, graceHours: 0 }] })).webhook;
    expect(view.secrets).toHaveLength(10);

    // Grace expiry frees the slot: remove with 1 h grace, then an add is LIMIT until the hour has passed.
    view = (await api.data<{ webhook: View }>('webhooks.update', { id: view.id, version: view.version, secretsRemove: [{ id: view.secrets[0]!.id, graceHours: 1 }] })).webhook;
    expect(view.secrets.filter((s) => s.expiresAt)).toHaveLength(1);
    await refused('webhooks.update', { id: view.id, version: view.version, secretsAdd: [secret(12)] }, view.id, limit);
    await api.bed.host.advance(3601);
    view = (await api.data<{ webhook: View }>('webhooks.get', { id: view.id })).webhook;
    expect(view.secrets).toHaveLength(9);
    view = (await api.data<{ webhook: View }>('webhooks.update', { id: view.id, version: view.version, secretsAdd: [secret(12)] })).webhook;
    expect(view.secrets).toHaveLength(10);
  });

  it('11 secrets on create are refused', async () => {
    await refused(
      'webhooks.create',
      { kind: 'custom', name: 'Eleven', url: 'https://siem.example.test/eleven', events: ['*'], secrets: Array.from({ length: 11 }, (_, i) => secret(i + 30)) },
      undefined,
      { codes: ['VALIDATION', 'LIMIT'], field: 'secrets', says: /at most 10 secrets/ },
    );
  });

  it('25 headers are fine; a 26th is refused on create and on update', async () => {
    const view = (await api.data<{ webhook: View }>('webhooks.create', { kind: 'custom', name: 'Headers', url: 'https://siem.example.test/h', events: ['*'], headers: headers(25) })).webhook;
    expect(view.headers).toHaveLength(25);
    const expected = { codes: ['VALIDATION', 'LIMIT'], field: 'headers', says: /at most 25 headers/ };
    await refused('webhooks.create', { kind: 'custom', name: 'Headers 26', url: 'https://siem.example.test/h', events: ['*'], headers: headers(26) }, undefined, expected);
    await refused('webhooks.update', { id: view.id, version: view.version, headers: headers(26) }, view.id, expected);
  });

  it('a 100-character name is fine; 101 is refused on create and on update', async () => {
    const hundred = 'N'.repeat(100);
    const view = (await api.data<{ webhook: View }>('webhooks.create', { kind: 'custom', name: hundred, url: 'https://siem.example.test/n', events: ['*'] })).webhook;
    expect(view.name).toBe(hundred);
    const expected = { codes: ['VALIDATION'], field: 'name', says: /Shorten the name to at most 100 characters \(it has 101\)/ };
    await refused('webhooks.create', { kind: 'custom', name: 'M'.repeat(101), url: 'https://siem.example.test/n', events: ['*'] }, undefined, expected);
    await refused('webhooks.update', { id: view.id, version: view.version, name: 'M'.repeat(101) }, view.id, expected);
    // Trimmed first: 100 characters between spaces is 100.
    const padded = (await api.data<{ webhook: View }>('webhooks.update', { id: view.id, version: view.version, name: `  ${'P'.repeat(100)}  ` })).webhook;
    expect(padded.name).toBe('P'.repeat(100));
  });

  it('a duplicate name, ignoring case and width, is refused on create and on rename; deleting frees it', async () => {
    const splunk = (await api.data<{ webhook: View }>('webhooks.create', { kind: 'custom', name: 'Splunk Production', url: 'https://siem.example.test/s', events: ['*'] })).webhook;
    const other = (await api.data<{ webhook: View }>('webhooks.create', { kind: 'custom', name: 'Datadog', url: 'https://siem.example.test/d', events: ['*'] })).webhook;
    const expected = { codes: ['VALIDATION'], field: 'name', says: /Another webhook is already named .* \(names ignore case\); choose a different name/ };
    for (const name of ['splunk production', 'SPLUNK PRODUCTION', ' Splunk Production ', 'Ｓｐｌｕｎｋ Production']) {
      await refused('webhooks.create', { kind: 'custom', name, url: 'https://siem.example.test/s2', events: ['*'] }, undefined, expected);
      await refused('webhooks.update', { id: other.id, version: other.version, name }, other.id, expected);
    }
    // Renaming a webhook to its own name in another case is not a duplicate.
    const renamed = (await api.data<{ webhook: View }>('webhooks.update', { id: splunk.id, version: splunk.version, name: 'SPLUNK production' })).webhook;
    expect(renamed.name).toBe('SPLUNK production');
    await api.data('webhooks.delete', { id: renamed.id });
    const again = (await api.data<{ webhook: View }>('webhooks.create', { kind: 'custom', name: 'splunk production', url: 'https://siem.example.test/s2', events: ['*'] })).webhook;
    expect(again.name).toBe('splunk production');
  });

  it('50 webhooks per site; the 51st is LIMIT', async () => {
    const existing = (await api.data<{ webhooks: View[] }>('webhooks.list', {})).webhooks.length;
    for (let i = existing; i < 50; i++) {
      if (i % 10 === 0) await api.bed.host.advance(61);
      await api.data('webhooks.create', { kind: 'custom', name: `Bulk ${i}`, url: `https://siem.example.test/bulk/${i}`, events: ['*'] });
    }
    await api.bed.host.advance(61);
    expect((await api.data<{ webhooks: View[] }>('webhooks.list', {})).webhooks).toHaveLength(50);
    const before = await state();
    const result: Envelope = await api.invoke('webhooks.create', { kind: 'custom', name: 'One too many', url: 'https://siem.example.test/51', events: ['*'] });
    expect(result).toEqual({ ok: false, error: { code: 'LIMIT', message: expect.stringMatching(/already has 50 webhooks.*Delete one/) } });
    expect(await state()).toEqual(before);
  });
});
