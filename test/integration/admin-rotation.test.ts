import { createHmac } from 'node:crypto';
import { secret } from './support/app-host';
import { readSecret, startAdminHttp, type AdminHttp } from './support/admin-http';
import { issueCreatedEvent } from './support/jira-events';
import type { ReceivedRequest } from './support/receiver';

/**
 * Acceptance: secret rotation through the admin API over HTTP, with time moved only through the host's
 * manual clock (POST /__forge/clock/advance). Removing a secret with graceHours keeps it signing next to
 * the new one (two signatures on every message, test sends and real deliveries alike) until the grace
 * expires, then only the new one signs. Signatures are checked with independently computed HMACs.
 */

interface View {
  id: string;
  version: number;
  secrets: { id: string; preview: string; createdAt: string; expiresAt?: string }[];
}
interface TestResult {
  deliveryId: string;
  request: { headers: Record<string, string>; body: string };
}

const hmac = (key: Buffer | string, content: string, encoding: 'base64' | 'hex'): string => createHmac('sha256', key).update(content).digest(encoding);

/** What each mode must send for a message signed by `secrets`, computed here from the specs, not the app. */
const expectedSignatures = (mode: string, secrets: string[], request: ReceivedRequest): { header: string; entries: string[] } => {
  const id = String(request.headers['webhook-id']);
  const timestamp = String(request.headers['webhook-timestamp']);
  switch (mode) {
    case 'standard':
      // Standard Webhooks: key = base64-decoded part after whsec_, content = id.timestamp.body.
      return { header: 'webhook-signature', entries: secrets.map((s) => `v1,${hmac(Buffer.from(s.slice(6), 'base64'), `${id}.${timestamp}.${request.body}`, 'base64')}`) };
    case 'base64-list':
      // Seed 000's scheme: key = the whole secret string, content = the body.
      return { header: 'x-webhook-signature', entries: secrets.map((s) => hmac(s, request.body, 'base64')) };
    default:
      return { header: 'x-hub-signature-256', entries: secrets.map((s) => `sha256=${hmac(s, request.body, 'hex')}`) };
  }
};

const sentEntries = (mode: string, request: ReceivedRequest): string[] => {
  const header = expectedSignatures(mode, [], request).header;
  const value = String(request.headers[header] ?? '');
  return value === '' ? [] : value.split(mode === 'standard' ? ' ' : ',').map((entry) => entry.trim());
};

const issueEvent = (key: string) => issueCreatedEvent({ id: String(10_000 + Number(key.replace(/\D/g, ''))), key, summary: 'Rotation' });

describe.each(['standard', 'base64-list', 'hub'])('secret rotation over HTTP (%s signing)', (mode) => {
  let api: AdminHttp;
  let view: View;
  let issue = 0;
  const OLD = secret(mode.length + 100);
  const NEW = secret(mode.length + 150);
  const receiver = () => api.bed.receivers['siem.example.test']!;

  beforeAll(async () => {
    api = await startAdminHttp(['siem.example.test']);
    view = (
      await api.data<{ webhook: View }>('webhooks.create', {
        kind: 'custom',
        name: `Rotating ${mode}`,
        url: 'https://siem.example.test/hook',
        events: ['issue.created'],
        signing: { mode },
        secrets: [OLD],
      })
    ).webhook;
    await api.host('/__forge/settle');
  });
  afterAll(() => api.close());

  /** One test send and one real delivery; answers the secrets each was signed with. */
  const signedWith = async (candidates: Record<string, string> = { old: OLD, new: NEW }): Promise<{ test: string[]; delivery: string[] }> => {
    receiver().requests.length = 0;
    const result = await api.data<TestResult>('webhooks.test', { id: view.id });
    const testRequest = receiver().requests.find((r) => r.headers['webhook-id'] === result.deliveryId)!;
    // The answer shows exactly the signature header that was sent.
    const header = expectedSignatures(mode, [], testRequest).header;
    const shown = Object.entries(result.request.headers).find(([name]) => name.toLowerCase() === header)?.[1];
    expect(shown).toBe(testRequest.headers[header]);

    issue += 1;
    await api.host('/__forge/events', issueEvent(`SEC-${issue}`));
    // A drain already queued (for the previous event) picks this one up when it runs again: give it time.
    await api.host('/__forge/clock/advance', { seconds: 30 });
    const delivered = receiver().requests.filter((r) => r.body.includes(`"SEC-${issue}"`));
    expect(delivered).toHaveLength(1);

    const which = (request: ReceivedRequest): string[] => {
      const sent = sentEntries(mode, request);
      const names = Object.entries(candidates)
        .filter(([, s]) => sent.includes(expectedSignatures(mode, [s], request).entries[0]!))
        .map(([name]) => name);
      // Every signature sent belongs to one of the candidates: nothing else signs.
      expect(sent).toHaveLength(names.length);
      return names;
    };
    return { test: which(testRequest), delivery: which(delivered[0]!) };
  };

  it('signs with the one secret it has', async () => {
    expect(await signedWith()).toEqual({ test: ['old'], delivery: ['old'] });
  });

  it('after adding a new secret and removing the old with graceHours 2, both sign until the grace expires, then only the new one', async () => {
    const removedAt = api.bed.host.now().getTime();
    view = (
      await api.data<{ webhook: View }>('webhooks.update', {
        id: view.id,
        version: view.version,
        secretsAdd: [NEW],
        secretsRemove: [{ id: view.secrets[0]!.id, graceHours: 2 }],
      })
    ).webhook;
    expect(view.secrets).toHaveLength(2);
    expect(view.secrets[0]!.expiresAt).toBe(new Date(removedAt + 2 * 3_600_000).toISOString());
    expect(view.secrets[1]!.expiresAt).toBeUndefined();

    // Two signatures, one per active secret.
    const during = await signedWith();
    expect(during.test.sort()).toEqual(['new', 'old']);
    expect(during.delivery.sort()).toEqual(['new', 'old']);

    // Five minutes before expiry (the check itself moves the clock 30 s): still both.
    const advanced = await api.host<{ now: string }>('/__forge/clock/advance', { seconds: 2 * 3600 - 300 - (api.bed.host.now().getTime() - removedAt) / 1000 });
    expect(Date.parse(advanced.now)).toBe(removedAt + 2 * 3_600_000 - 300_000);
    const nearly = await signedWith();
    expect(nearly.test.sort()).toEqual(['new', 'old']);
    expect(nearly.delivery.sort()).toEqual(['new', 'old']);

    // Past the grace: only the new secret signs, and the old one is gone from the view.
    await api.host('/__forge/clock/advance', { seconds: 300 });
    expect(api.bed.host.now().getTime()).toBeGreaterThan(removedAt + 2 * 3_600_000);
    expect(await signedWith()).toEqual({ test: ['new'], delivery: ['new'] });
    const after = (await api.data<{ webhook: View }>('webhooks.get', { id: view.id })).webhook;
    expect(after.secrets.map((s) => s.id)).toEqual([view.secrets[1]!.id]);
    expect(after.version).toBe(view.version);

    // The next write drops the expired secret's material for good.
    const renamed = (await api.data<{ webhook: View }>('webhooks.update', { id: view.id, version: view.version, name: `Rotated ${mode}` })).webhook;
    const material = await readSecret<{ secrets: { id: string; value: string }[] }>(`webhook-secret:${view.id}`);
    expect(material?.secrets.map((s) => s.id)).toEqual([view.secrets[1]!.id]);
    expect(JSON.stringify(material)).not.toContain(OLD);
    view = renamed;
  });

  it('removal without graceHours keeps the old secret 24 h (the default); graceHours 0 stops it at once', async () => {
    const third = secret(mode.length + 200);
    const start = api.bed.host.now().getTime();
    view = (await api.data<{ webhook: View }>('webhooks.update', { id: view.id, version: view.version, secretsAdd: [third], secretsRemove: [{ id: view.secrets[0]!.id }] })).webhook;
    expect(view.secrets.find((s) => s.expiresAt)?.expiresAt).toBe(new Date(start + 24 * 3_600_000).toISOString());
    // NEW is now the one in grace; drop it at once.
    view = (await api.data<{ webhook: View }>('webhooks.update', { id: view.id, version: view.version, secretsRemove: [{ id: view.secrets[0]!.id, graceHours: 0 }] })).webhook;
    expect(view.secrets).toHaveLength(1);
    expect(await signedWith({ old: OLD, new: NEW, third })).toEqual({ test: ['third'], delivery: ['third'] });
  });
});
