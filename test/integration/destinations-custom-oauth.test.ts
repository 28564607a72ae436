/**
 * OAuth 2.0 client credentials on a custom webhook, end to end on the local Forge host: the token
 * endpoint and the receiver are real servers on 127.0.0.1. The token is asked for once for many
 * deliveries, sent as a bearer token next to the usual signature, and the client secret is write-only.
 */
import type { WebhookView } from '../../src/contract';
import { allDeliveries, distinctMessages, flush, issueCreated, startDeliveryBed, type DeliveryBed } from './support/delivery-bed';
import { secret } from './support/app-host';
import type { ReceivedRequest, Receiver } from './support/receiver';

const RECEIVER = 'siem.example.test';
const AUTH = 'auth.example.test';
const CLIENT_ID = 'jira-audit-webhooks';
const CLIENT_SECRET = 'cs_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const SCOPE = 'audit.write';
const AUDIENCE = 'https://siem.example.test/api';

/** A minimal RFC 6749 section 4.4 token endpoint: form-encoded client credentials in, a bearer token out. */
class TokenEndpoint {
  calls = 0;
  issued: string[] = [];
  secret = CLIENT_SECRET;
  handle = (request: ReceivedRequest) => {
    this.calls += 1;
    const form = new URLSearchParams(request.body);
    const formEncoded = String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded');
    if (!formEncoded || form.get('grant_type') !== 'client_credentials') return { status: 400, body: '{"error":"invalid_request"}' };
    if (form.get('client_id') !== CLIENT_ID || form.get('client_secret') !== this.secret) return { status: 401, body: '{"error":"invalid_client"}' };
    if (form.get('scope') !== SCOPE || form.get('audience') !== AUDIENCE) return { status: 400, body: '{"error":"invalid_scope"}' };
    const token = `tok-${this.issued.length + 1}-aaaaaaaaaaaaaaaa`;
    this.issued.push(token);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }) };
  };
}

describe('custom webhook with OAuth 2.0 client credentials', () => {
  let bed: DeliveryBed;
  let tokens: TokenEndpoint;
  let receiver: Receiver;
  const oauth = { oauthTokenUrl: `https://${AUTH}/oauth2/token`, oauthClientId: CLIENT_ID, oauthClientSecret: CLIENT_SECRET, oauthScope: SCOPE, oauthAudience: AUDIENCE };

  beforeEach(async () => {
    bed = await startDeliveryBed([RECEIVER, AUTH]);
    tokens = new TokenEndpoint();
    receiver = bed.receivers[RECEIVER] as Receiver;
    (bed.receivers[AUTH] as Receiver).responder = (request) => tokens.handle(request);
    receiver.responder = (request) => (tokens.issued.includes(String(request.headers.authorization).replace(/^Bearer /, '')) ? { status: 204 } : { status: 401 });
  });
  afterEach(() => bed.close());

  const create = async (): Promise<WebhookView> =>
    (await bed.admin('webhooks.create', { kind: 'custom', name: 'SIEM', url: `https://${RECEIVER}/hook`, events: ['issue.created'], secrets: [secret(1)], settings: oauth })).webhook;

  it('sends every event with a bearer token fetched once, and never shows the client secret', async () => {
    const webhook = await create();
    expect(webhook.secretSettings).toEqual(['oauthClientSecret']);
    expect(webhook.settings).toEqual({ oauthTokenUrl: oauth.oauthTokenUrl, oauthClientId: CLIENT_ID, oauthScope: SCOPE, oauthAudience: AUDIENCE });
    for (let n = 1; n <= 20; n += 1) await bed.host.fireEvent(issueCreated(n));
    await flush(bed.host);
    expect(distinctMessages(receiver.requests)).toHaveLength(20);
    expect(receiver.requests.every((r) => r.headers.authorization === 'Bearer tok-1-aaaaaaaaaaaaaaaa' && typeof r.headers['webhook-signature'] === 'string')).toBe(true);
    expect(tokens.calls).toBe(1);
    const test = await bed.admin('webhooks.test', { id: webhook.id });
    expect(test.response?.status).toBe(204);
    expect(tokens.calls).toBe(1);
    const answers = JSON.stringify([await bed.admin('webhooks.list', {}), await allDeliveries(bed), test]);
    expect(answers).not.toContain(CLIENT_SECRET);
    expect(answers).not.toContain('tok-1-aaaaaaaaaaaaaaaa');
  });

  it('a client secret the token endpoint refuses fails clearly and turns the webhook failing', async () => {
    const webhook = await create();
    tokens.secret = 'rotated';
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    const [delivery] = (await allDeliveries(bed, { webhookId: webhook.id })).filter((d) => d.eventType === 'issue.created');
    expect(delivery?.status).toBe('failed');
    expect(delivery?.attempts[0]?.errorMessage).toMatch(/invalid_client/);
    expect(receiver.requests).toHaveLength(0);
    expect((await bed.admin('webhooks.get', { id: webhook.id })).webhook.health.state).toBe('failing');
  });

  it('refuses OAuth settings given in part, and an Authorization header next to them, changing nothing', async () => {
    const partial = await bed.result('webhooks.create', { kind: 'custom', name: 'SIEM', url: `https://${RECEIVER}/hook`, events: ['*'], settings: { oauthTokenUrl: oauth.oauthTokenUrl } });
    expect(partial.ok).toBe(false);
    if (!partial.ok) expect(partial.error.fields).toMatchObject({ 'settings.oauthClientId': expect.stringMatching(/client ID/), 'settings.oauthClientSecret': expect.stringMatching(/client secret/) });
    const both = await bed.result('webhooks.create', {
      kind: 'custom',
      name: 'SIEM',
      url: `https://${RECEIVER}/hook`,
      events: ['*'],
      settings: oauth,
      authorization: { type: 'bearer', token: 'static-token-value' },
    });
    expect(both.ok).toBe(false);
    if (!both.ok) expect(both.error.fields?.authorization).toMatch(/OAuth 2.0 access token/);
    const unknown = await bed.result('webhooks.create', { kind: 'custom', name: 'SIEM', url: `https://${RECEIVER}/hook`, events: ['*'], settings: { token: 'x' } });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.fields?.['settings.token']).toMatch(/Remove token/);
    expect((await bed.admin('webhooks.list', {})).webhooks).toHaveLength(0);
  });

  it('keeps the client secret when an update leaves it out, and asks for it again when the URL moves to another origin', async () => {
    const webhook = await create();
    const renamed = await bed.admin('webhooks.update', { id: webhook.id, version: webhook.version, settings: { oauthScope: 'audit.write' } });
    expect(renamed.webhook.secretSettings).toEqual(['oauthClientSecret']);
    const moved = await bed.result('webhooks.update', { id: webhook.id, version: renamed.webhook.version, url: `https://${AUTH}/other` });
    expect(moved.ok).toBe(false);
    if (!moved.ok) expect(moved.error.fields?.['settings.oauthClientSecret']).toMatch(/another origin/);
  });
});
