import { secret } from './support/app-host';
import { kvsSnapshot, readSecret, startAdminHttp, type AdminHttp } from './support/admin-http';
import { distinctMessages, header, issueCreated, requestsOfType, flush } from './support/delivery-bed';
import type { Receiver } from './support/receiver';

/**
 * Acceptance (issue 9, "Credentials bound to their origin"), over HTTP as a client would call the admin
 * API: changing only the host of a webhook's URL, while it has an Authorization and a sensitive header,
 * is VALIDATION naming both, and nothing changes (the list, every KVS entry, the secret material, and the
 * old receiver keeps getting the old credentials). With both restated the update succeeds, and a test send
 * and a real delivery reach the new host carrying only the new values; the old host gets nothing more.
 */

const OLD_AUTH = 'Splunk old-auth-0123456789abcdef';
const OLD_KEY = 'old-api-key-0123456789abcdef';
const NEW_AUTH = 'Splunk new-auth-fedcba9876543210';
const NEW_KEY = 'new-api-key-fedcba9876543210';
const SIGNING = secret(7);

interface View {
  id: string;
  version: number;
  url: string;
  authorization: { scheme: string } | null;
  headers: { name: string; value: string; sensitive: boolean }[];
}

describe('admin API over HTTP: credentials stay with their origin', () => {
  let api: AdminHttp;
  let view: View;
  const oldHost = (): Receiver => api.bed.receivers['siem.example.test']!;
  const newHost = (): Receiver => api.bed.receivers['collector.example.test']!;
  const state = async (): Promise<unknown> => ({
    list: await api.data('webhooks.list', {}),
    kvs: await kvsSnapshot(),
    material: await readSecret(`webhook-secret:${view.id}`),
  });

  beforeAll(async () => {
    api = await startAdminHttp(['siem.example.test', 'collector.example.test']);
    view = (
      await api.data<{ webhook: View }>('webhooks.create', {
        kind: 'custom',
        name: 'SIEM',
        url: 'https://siem.example.test/ingest?code=abc',
        maskUrl: 'query',
        events: ['issue.created'],
        secrets: [SIGNING],
        authorization: { type: 'raw', value: OLD_AUTH },
        headers: [
          { name: 'X-Env', value: 'prod' },
          { name: 'X-Api-Key', value: OLD_KEY },
        ],
      })
    ).webhook;
    await flush(api.bed.host);
  });
  afterAll(() => api.close());
  beforeEach(() => api.bed.host.advance(61));

  const moveOnly = [
    ['the host', 'https://collector.example.test/ingest?code=abc'],
    ['the host, path kept', 'https://collector.example.test/ingest'],
    ['the host, another query', 'https://collector.example.test/other?code=def&x=1'],
  ];
  it.each(moveOnly)('refuses moving %s while the saved Authorization and X-Api-Key would follow, naming both; nothing changes', async (_label, url) => {
    const before = await state();
    const result = await api.invoke('webhooks.update', { id: view.id, version: view.version, url });
    if (result.ok) throw new Error('a URL change to another origin kept the saved credentials');
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.fields).toEqual({
      authorization: expect.stringMatching(/^Enter the Authorization again for https:\/\/collector\.example\.test, or clear it: the URL moves from https:\/\/siem\.example\.test to /),
      'headers.1.value': expect.stringMatching(/^Enter the value of X-Api-Key again for .*, or remove the header: .*only to the origin \(scheme, host and port\) it was given for\.$/),
    });
    expect(result.error.message).toBe('Fix 2 fields: Authorization, Header 2 value.');
    expect(JSON.stringify(result)).not.toMatch(/old-auth|old-api-key/);
    expect(await state()).toEqual(before);
  });

  it('refuses when only one of them is restated, naming the other', async () => {
    const before = await state();
    const result = await api.invoke('webhooks.update', {
      id: view.id,
      version: view.version,
      url: 'https://collector.example.test/ingest',
      authorization: { type: 'raw', value: NEW_AUTH },
      headers: [
        { name: 'X-Env', value: 'prod' },
        { name: 'X-Api-Key', sensitive: true },
      ],
    });
    expect(result.ok ? undefined : result.error.fields).toEqual({ 'headers.1.value': expect.stringMatching(/X-Api-Key/) });
    expect(await state()).toEqual(before);
  });

  it('still sends the old credentials to the old host after a refused move', async () => {
    oldHost().requests.length = 0;
    await api.data('webhooks.test', { id: view.id });
    const [sent] = oldHost().requests;
    expect(header(sent!, 'authorization')).toBe(OLD_AUTH);
    expect(header(sent!, 'x-api-key')).toBe(OLD_KEY);
    expect(newHost().requests).toHaveLength(0);
  });

  it('with both restated, moves: a test send and a delivery reach only the new host, with only the new values', async () => {
    const moved = await api.data<{ webhook: View }>('webhooks.update', {
      id: view.id,
      version: view.version,
      url: 'https://collector.example.test/ingest?code=xyz',
      authorization: { type: 'raw', value: NEW_AUTH },
      headers: [
        { name: 'X-Env', value: 'prod' },
        { name: 'X-Api-Key', value: NEW_KEY },
      ],
    });
    view = moved.webhook;
    expect(view).toMatchObject({ url: 'https://collector.example.test/ingest?code=•••', authorization: { scheme: 'Splunk' } });
    expect(view.headers).toEqual([
      { name: 'X-Env', value: 'prod', sensitive: false },
      { name: 'X-Api-Key', value: '•••', sensitive: true },
    ]);
    await flush(api.bed.host);
    oldHost().requests.length = 0;
    newHost().requests.length = 0;

    await api.data('webhooks.test', { id: view.id });
    await api.host('/__forge/events', issueCreated(901));
    await api.host('/__forge/clock/advance', { seconds: 30 });

    const delivered = requestsOfType(newHost(), 'issue.created');
    expect(distinctMessages(delivered)).toHaveLength(1);
    for (const request of distinctMessages(newHost().requests)) {
      expect(request.path).toBe('/ingest?code=xyz');
      expect(header(request, 'authorization')).toBe(NEW_AUTH);
      expect(header(request, 'x-api-key')).toBe(NEW_KEY);
      expect(header(request, 'x-env')).toBe('prod');
      // The signing secret stayed: it is never sent, only used.
      expect(header(request, 'webhook-signature')).toMatch(/^v1,/);
    }
    // The test send and the event, each once at least (the host may deliver a queue event twice).
    expect(distinctMessages(newHost().requests).length).toBeGreaterThanOrEqual(2);
    expect(oldHost().requests).toHaveLength(0);
    const everything = JSON.stringify([newHost().requests, await readSecret(`webhook-secret:${view.id}`)]);
    expect(everything).not.toContain(OLD_AUTH);
    expect(everything).not.toContain(OLD_KEY);
  });

  it('a move with the credentials cleared succeeds and sends none', async () => {
    const moved = await api.data<{ webhook: View }>('webhooks.update', {
      id: view.id,
      version: view.version,
      url: 'https://siem.example.test/ingest',
      authorization: null,
      headers: [{ name: 'X-Env', value: 'prod' }],
    });
    view = moved.webhook;
    expect(view).toMatchObject({ authorization: null, headers: [{ name: 'X-Env', value: 'prod', sensitive: false }] });
    oldHost().requests.length = 0;
    await api.data('webhooks.test', { id: view.id });
    const [sent] = oldHost().requests;
    expect(header(sent!, 'authorization')).toBe('');
    expect(header(sent!, 'x-api-key')).toBe('');
    expect(JSON.stringify(oldHost().requests)).not.toMatch(/new-auth|new-api-key|old-auth|old-api-key/);
  });
});
