import { Webhook } from 'standardwebhooks';
import { secret, startTestBed, type TestBed } from './support/app-host';
import { issueCreatedEvent } from './support/jira-events';
import { flush } from './support/delivery-bed';

const issueCreated = issueCreatedEvent({ id: '10073', key: 'SEC-42', summary: 'Rotate the SIEM token' });

describe('walking skeleton: a Jira event becomes one signed delivery', () => {
  let bed: TestBed;
  beforeAll(async () => {
    bed = await startTestBed(['siem.example.test']);
  });
  afterAll(() => bed.close());

  it('creates a webhook, delivers an issue-created event signed the Standard Webhooks way', async () => {
    const signingSecret = secret(7);
    const created = await bed.call<{ webhook: { id: string; secrets: { preview: string }[] } }>('webhooks.create', {
      kind: 'custom',
      name: 'SIEM',
      url: 'https://siem.example.test/hook',
      events: ['*'],
      secrets: [signingSecret],
    });
    expect(created.ok).toBe(true);
    expect(JSON.stringify(created)).not.toContain(signingSecret);
    expect(created.data.webhook.secrets[0]?.preview).toBe(signingSecret.slice(0, 3));

    const listed = await bed.call<{ webhooks: { id: string; url: string; events: string[]; enabled: boolean }[]; eventTypes: { type: string }[] }>('webhooks.list');
    expect(listed.ok).toBe(true);
    expect(listed.data.webhooks.map((w) => w.id)).toEqual([created.data.webhook.id]);
    expect(listed.data.eventTypes.map((t) => t.type)).toContain('issue.created');

    const receiver = bed.receivers['siem.example.test']!;
    receiver.requests.length = 0; // the webhook.created config event may already have been delivered
    await flush(bed.host);
    receiver.requests.length = 0;

    const fired = await bed.host.fireEvent(issueCreated);
    expect(fired.invocations).toBe(1);
    await flush(bed.host);

    const issueDeliveries = receiver.requests.filter((r) => JSON.parse(r.body).type === 'issue.created');
    expect(issueDeliveries).toHaveLength(1);
    const [request] = issueDeliveries;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/hook');
    const body = JSON.parse(request!.body);
    expect(Object.keys(body)).toEqual(['id', 'type', 'timestamp', 'data']);
    expect(body.data.object).toMatchObject({ type: 'issue', key: 'SEC-42' });

    const headers = {
      'webhook-id': String(request!.headers['webhook-id']),
      'webhook-timestamp': String(request!.headers['webhook-timestamp']),
      'webhook-signature': String(request!.headers['webhook-signature']),
    };
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    // The independent oracle: the standardwebhooks library verifies with the same secret. Its tolerance
    // check uses the real clock, while the host's manual clock started at the real time.
    expect(() => new Webhook(signingSecret).verify(request!.body, headers)).not.toThrow();
    expect(() => new Webhook(secret(8)).verify(request!.body, headers)).toThrow();
  });
});
