import { createHash } from 'node:crypto';
import { kvs } from '@forge/kvs';
import { secret } from './support/app-host';
import { startAdminHttp, type AdminHttp } from './support/admin-http';

/**
 * Secrets an admin can tell apart without seeing them: each has a label (given or "Secret N") and a
 * fingerprint, the first 8 hex characters of its SHA-256, computed here independently. secretsAdd takes
 * a string or { value, label? }; secretsLabel renames; labels are 1-60 printable characters, trimmed.
 * Secrets stored before labels answer "Secret N" and no fingerprint until the next update fills both in.
 */

interface SecretView {
  id: string;
  preview: string;
  label: string;
  fingerprint?: string;
  createdAt: string;
}
interface View {
  id: string;
  version: number;
  secrets: SecretView[];
}

const fingerprint = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 8);

describe('secret labels and fingerprints over HTTP', () => {
  let api: AdminHttp;
  const A = secret(201);
  const B = secret(202);
  const C = secret(203);

  beforeAll(async () => {
    api = await startAdminHttp(['siem.example.test']);
  });
  afterAll(() => api.close());

  const create = async (name: string, secrets: unknown[]): Promise<View> =>
    (await api.data<{ webhook: View }>('webhooks.create', { kind: 'custom', name, url: 'https://siem.example.test/hook', events: ['*'], secrets })).webhook;

  it('labels secrets "Secret N" or as given, with fingerprints that tell them apart and reveal nothing', async () => {
    const view = await create('Labelled', [A, { value: B, label: '  Rotation Nov 2026 ' }]);
    expect(view.secrets).toEqual([
      { id: expect.any(String), preview: 'whs', label: 'Secret 1', fingerprint: fingerprint(A), createdAt: expect.any(String) },
      { id: expect.any(String), preview: 'whs', label: 'Rotation Nov 2026', fingerprint: fingerprint(B), createdAt: expect.any(String) },
    ]);
    expect(view.secrets[0]!.fingerprint).not.toBe(view.secrets[1]!.fingerprint);
    const answers = api.answers.join('\n');
    for (const value of [A, B]) {
      expect(answers).not.toContain(value);
      expect(answers).not.toContain(value.slice(6, 20));
    }
  });

  it('adds with or without a label, and renames with secretsLabel', async () => {
    const view = await create('Renamed', [A]);
    const added = (await api.data<{ webhook: View }>('webhooks.update', { id: view.id, version: view.version, secretsAdd: [B, { value: C, label: 'Receiver v2' }] })).webhook;
    expect(added.secrets.map((s) => [s.label, s.fingerprint])).toEqual([
      ['Secret 1', fingerprint(A)],
      ['Secret 2', fingerprint(B)],
      ['Receiver v2', fingerprint(C)],
    ]);
    const first = added.secrets[0]!.id;
    const renamed = (await api.data<{ webhook: View }>('webhooks.update', { id: view.id, version: added.version, secretsLabel: [{ id: first, label: ' Old receiver ' }] })).webhook;
    expect(renamed.version).toBe(added.version + 1);
    expect(renamed.secrets.map((s) => s.label)).toEqual(['Old receiver', 'Secret 2', 'Receiver v2']);
    expect(renamed.secrets.map((s) => s.fingerprint)).toEqual(added.secrets.map((s) => s.fingerprint));
    // The next default skips a number another secret's label already uses.
    const again = await create('Numbering', [{ value: A, label: 'Secret 2' }, B]);
    expect(again.secrets.map((s) => s.label)).toEqual(['Secret 2', 'Secret 3']);
  });

  const refused = [
    ['an empty label', '   ', /^Enter a label for the secret \(1 to 60 characters/],
    ['a 61-character label', 'x'.repeat(61), /^Shorten the label to at most 60 characters \(it has 61\)\.$/],
    ['a line break', 'Rotation\nNov', /^Remove line breaks, tabs and control characters from the label\.$/],
    ['a zero-width space', 'Rota\u200btion', /^Remove the invisible character U\+200B/],
  ] as const;

  it.each(refused)('refuses %s on add and on rename, naming the field, and changes nothing', async (_what, label, says) => {
    const view = await create(`Refused ${String(_what)}`, [A]);
    const onAdd = await api.invoke('webhooks.update', { id: view.id, version: view.version, secretsAdd: [{ value: B, label }] });
    expect(onAdd).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { 'secretsAdd.0.label': expect.stringMatching(says) } } });
    if (!onAdd.ok) expect(onAdd.error.message).toMatch(/^Fix New secret 1 label: /);
    const onRename = await api.invoke('webhooks.update', { id: view.id, version: view.version, secretsLabel: [{ id: view.secrets[0]!.id, label }] });
    expect(onRename).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { 'secretsLabel.0.label': expect.stringMatching(says) } } });
    const stored = (await api.data<{ webhook: View }>('webhooks.get', { id: view.id })).webhook;
    expect(stored).toEqual(view);
  });

  it('accepts a 60-character label and refuses renaming a secret the webhook does not have', async () => {
    const view = await create('Limits', [{ value: A, label: 'y'.repeat(60) }]);
    expect(view.secrets[0]!.label).toBe('y'.repeat(60));
    const result = await api.invoke('webhooks.update', { id: view.id, version: view.version, secretsLabel: [{ id: 'sec_missing', label: 'New' }] });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { 'secretsLabel.0.id': expect.stringMatching(/No active secret has this id/) } } });
    const number = await api.invoke('webhooks.update', { id: view.id, version: view.version, secretsLabel: [{ id: view.secrets[0]!.id, label: 42 }] });
    expect(number).toMatchObject({ ok: false, error: { fields: { 'secretsLabel.0.label': 'Enter the secret label as text.' } } });
    const shape = await api.invoke('webhooks.update', { id: view.id, version: view.version, secretsAdd: [{ label: 'No value' }] });
    expect(shape).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { 'secretsAdd.0': expect.stringMatching(/\{ value: "whsec_\.\.\.", label\?/) } } });
  });

  it('a secret stored before labels answers "Secret N" without a fingerprint, and gets both on the next update', async () => {
    const view = await create('Old record', [A, B]);
    const key = `webhook:${view.id}`;
    const record = (await kvs.get<{ secrets: Record<string, unknown>[] }>(key))!;
    await kvs.set(key, { ...record, secrets: record.secrets.map(({ label: _label, fingerprint: _fingerprint, ...rest }) => rest) });
    const old = (await api.data<{ webhook: View }>('webhooks.get', { id: view.id })).webhook;
    expect(old.secrets.map((s) => [s.label, s.fingerprint])).toEqual([
      ['Secret 1', undefined],
      ['Secret 2', undefined],
    ]);
    // An update that changes nothing writes nothing, so the old record stays as it is.
    const unchanged = (await api.data<{ webhook: View }>('webhooks.update', { id: view.id, version: old.version })).webhook;
    expect(unchanged.version).toBe(old.version);
    const updated = (await api.data<{ webhook: View }>('webhooks.update', { id: view.id, version: old.version, name: 'Old record, updated' })).webhook;
    expect(updated.secrets.map((s) => [s.label, s.fingerprint])).toEqual([
      ['Secret 1', fingerprint(A)],
      ['Secret 2', fingerprint(B)],
    ]);
  });
});
