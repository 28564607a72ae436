import { Webhook } from 'standardwebhooks';
import { secret, startTestBed, type TestBed } from './support/app-host';

/** The same slice as a new user drives it: over the host's HTTP endpoints, as with curl. */
describe('walking skeleton over HTTP (/__forge/invoke, /__forge/events, /__forge/settle)', () => {
  let bed: TestBed;
  let base: string;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    bed = await startTestBed(['siem.example.test']);
    base = (await bed.host.listen(0)).url.replace(/\/$/, '');
  });
  afterAll(() => bed.close());

  it('delivers one POST whose signature standardwebhooks verifies', async () => {
    const signingSecret = secret(42);
    const created = await post('/__forge/invoke', {
      functionKey: 'webhooks.create',
      payload: { kind: 'custom', name: 'SIEM over HTTP', url: 'https://siem.example.test/hook', events: ['*'], secrets: [signingSecret] },
    });
    expect(created.status).toBe(200);
    expect(created.body.result).toMatchObject({ ok: true });

    const fired = await post('/__forge/events', {
      eventType: 'avi:jira:created:issue',
      atlassianId: '5b10ac8d82e05b22cc7d4ef5',
      issue: { id: '10001', key: 'OPS-1', fields: { summary: 'Hello', project: { id: '1', key: 'OPS', name: 'Ops' } } },
    });
    expect(fired).toEqual({ status: 200, body: { invocations: 1 } });
    const settled = await post('/__forge/settle', {});
    expect(settled.status).toBe(200);

    const requests = bed.receivers['siem.example.test']!.requests;
    // Subscribed to everything, yet its own app.webhook.created is not sent to it: one POST.
    expect(requests).toHaveLength(1);
    const [request] = requests;
    const verified = new Webhook(signingSecret).verify(request!.body, {
      'webhook-id': String(request!.headers['webhook-id']),
      'webhook-timestamp': String(request!.headers['webhook-timestamp']),
      'webhook-signature': String(request!.headers['webhook-signature']),
    }) as { type: string; data: { object: { key: string } } };
    expect(verified.type).toBe('issue.created');
    expect(verified.data.object.key).toBe('OPS-1');
    expect(String(request!.headers['user-agent'])).toMatch(/AuditWebhooksForJira\/\d/);
  });

  it("tells every other webhook about a new one, but not the new one itself", async () => {
    const receiver = bed.receivers['siem.example.test']!;
    receiver.requests.length = 0;
    const created = await post('/__forge/invoke', {
      functionKey: 'webhooks.create',
      payload: { kind: 'custom', name: 'Second SIEM', url: 'https://siem.example.test/second', events: ['*'] },
    });
    expect(created.body.result).toMatchObject({ ok: true });
    await post('/__forge/settle', {});
    const seen = receiver.requests.map((r) => ({ path: r.path, type: (JSON.parse(r.body) as { type: string }).type }));
    expect(seen).toEqual([{ path: '/hook', type: 'app.webhook.created' }]);
  });
});
