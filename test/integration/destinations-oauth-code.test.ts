/**
 * OAuth 2.0 authorization code with PKCE on a custom webhook, end to end on the local Forge host: the
 * stand-in provider (dev/oauth-standin.ts) answers the token endpoint behind a real server on 127.0.0.1,
 * the receiver is another, the provider's redirect lands on the app's real `oauth-callback` web trigger.
 * Authorize, deliver with Bearer, refresh after expiry without losing an event, revocation failing the
 * webhook with a clear reason, events recovered after authorizing again, state replay refused, and no
 * token in any answer or log line.
 */
import type { OAuthCodeStatus, WebhookView } from '../../src/contract';
import { OAuthStandIn } from '../../dev/oauth-standin';
import { allDeliveries, distinctMessages, envelopeOf, flush, issueCreated, startDeliveryBed, type DeliveryBed } from './support/delivery-bed';
import { ADMIN, secret } from './support/app-host';
import { kvsSnapshot, readSecret } from './support/admin-http';
import { captureLogs } from './support/events-kit';
import type { Receiver } from './support/receiver';

const RECEIVER = 'siem.example.test';
const AUTH = 'auth.example.test';
const CLIENT_ID = 'jira-audit-webhooks';
const CLIENT_SECRET = 'cs_authcode_5f4e3d2c1b0a99887766';
const REVOKED = 'The authorization was revoked or expired: authorize again';

describe('custom webhook with OAuth 2.0 authorization code (PKCE)', () => {
  let bed: DeliveryBed;
  let provider: OAuthStandIn;
  let receiver: Receiver;
  /** Receiver requests whose bearer token the provider accepted (answered 204). */
  let accepted: Set<unknown>;
  const settings = {
    oauthGrant: 'authorization-code',
    oauthTokenUrl: `https://${AUTH}/token`,
    oauthAuthorizeUrl: `https://${AUTH}/authorize`,
    oauthClientId: CLIENT_ID,
    oauthClientSecret: CLIENT_SECRET,
    oauthScope: 'audit.write offline_access',
  };

  beforeEach(async () => {
    bed = await startDeliveryBed([RECEIVER, AUTH]);
    provider = new OAuthStandIn({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, accessTokenSeconds: 3600 }, () => bed.host.now().getTime());
    receiver = bed.receivers[RECEIVER] as Receiver;
    accepted = new Set();
    (bed.receivers[AUTH] as Receiver).responder = (request) => provider.token(String(request.headers['content-type']), request.body);
    receiver.responder = (request) => {
      if (!provider.accepts(String(request.headers.authorization))) return { status: 401 };
      accepted.add(request);
      return { status: 204 };
    };
  });
  afterEach(() => bed.close());

  const create = async (extra: Record<string, string> = {}): Promise<WebhookView> =>
    (await bed.admin('webhooks.create', { kind: 'custom', name: 'SIEM', url: `https://${RECEIVER}/hook`, events: ['issue.created'], secrets: [secret(1)], settings: { ...settings, ...extra } })).webhook;

  const callback = (redirect: string) => {
    const url = new URL(redirect);
    return bed.host.callWebTrigger('oauth-callback', { method: 'GET', path: url.pathname, query: url.searchParams, headers: {}, body: '' });
  };

  /** Authorize as the admin page does: start, the provider's consent, the redirect to the web trigger. */
  const authorize = async (webhookId: string) => {
    const started = await bed.admin('webhooks.oauthAuthorize', { id: webhookId });
    const redirect = provider.authorize(started.authorizeUrl);
    const page = await callback(redirect);
    return { started, redirect, page };
  };

  const status = async (id: string): Promise<OAuthCodeStatus> => bed.admin('webhooks.oauthStatus', { id });
  const deliveredIds = () => [...accepted].map((request) => envelopeOf(request as never)?.id);

  it('authorizes with PKCE, delivers with Bearer, refreshes after expiry losing nothing, and shows no token anywhere', async () => {
    const { result, lines } = await captureLogs(async () => {
      const webhook = await create();
      expect(webhook.secretSettings).toEqual(['oauthClientSecret']);
      const redirectUrl = bed.host.webTriggerUrl('oauth-callback');
      expect(await status(webhook.id)).toEqual({ status: 'not-authorized', redirectUrl });

      const { started, redirect, page } = await authorize(webhook.id);
      const url = new URL(started.authorizeUrl);
      expect(`${url.origin}${url.pathname}`).toBe(`https://${AUTH}/authorize`);
      expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: redirectUrl, code_challenge_method: 'S256', scope: settings.oauthScope });
      expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(started.redirectUrl).toBe(redirectUrl);
      expect(page.status).toBe(200);
      expect(page.body).toContain('Authorized');
      expect(page.body).not.toContain(new URL(redirect).searchParams.get('code'));
      expect(Object.fromEntries(Object.entries(page.headers).map(([k, v]) => [k.toLowerCase(), v]))['cache-control']).toEqual(['no-store']);
      expect(provider.calls.authorization_code).toBe(1);
      expect(await status(webhook.id)).toMatchObject({ status: 'authorized', authorizedBy: ADMIN, redirectUrl });

      // "Verify": a test send with the bearer token.
      const verify = await bed.admin('webhooks.test', { id: webhook.id });
      expect(verify.response?.status).toBe(204);

      for (let n = 1; n <= 5; n += 1) await bed.host.fireEvent(issueCreated(n));
      await flush(bed.host);
      expect(provider.calls.refresh_token).toBe(0);

      // Past the access token's expiry (3600 s; the app refreshes 60 s early).
      await bed.host.advance(3_600);
      for (let n = 6; n <= 10; n += 1) await bed.host.fireEvent(issueCreated(n));
      await flush(bed.host);
      expect(provider.calls.refresh_token).toBe(1);
      expect(provider.issued).toHaveLength(2);

      const events = deliveredIds().filter((id) => id !== undefined);
      const issueDeliveries = (await allDeliveries(bed, { webhookId: webhook.id })).filter((d) => d.eventType === 'issue.created');
      expect(issueDeliveries).toHaveLength(10);
      expect(issueDeliveries.every((d) => d.status === 'delivered')).toBe(true);
      // Every event reached the receiver with an accepted token exactly once (plus the test send).
      expect(new Set(events).size).toBe(events.length);
      expect(events).toHaveLength(11);
      expect(distinctMessages(receiver.requests)).toHaveLength(11);
      expect([...accepted].slice(-5).every((r) => (r as { headers: Record<string, string> }).headers.authorization === `Bearer ${provider.issued[1]}`)).toBe(true);

      return JSON.stringify([await bed.admin('webhooks.list', {}), await allDeliveries(bed), verify, await status(webhook.id), page.body]);
    });
    const everything = `${result}\n${JSON.stringify(lines)}`;
    for (const token of [...provider.issued, ...provider.issuedRefresh, CLIENT_SECRET]) expect(everything).not.toContain(token);
  });

  it('a revoked refresh token turns the webhook failing with a clear reason; its events are kept and delivered after authorizing again', async () => {
    const webhook = await create();
    await authorize(webhook.id);
    const since = bed.host.now().toISOString();
    provider.revoke();
    await bed.host.advance(3_600);
    for (let n = 1; n <= 3; n += 1) await bed.host.fireEvent(issueCreated(n));
    await flush(bed.host);
    expect(accepted.size).toBe(0);
    const failed = (await allDeliveries(bed, { webhookId: webhook.id })).filter((d) => d.eventType === 'issue.created');
    expect(failed).toHaveLength(3);
    expect(failed.every((d) => d.status === 'failed')).toBe(true);
    expect(failed[0]?.attempts[0]?.errorMessage).toContain(REVOKED);
    // One refresh found the token revoked; later sends did not ask the provider again.
    expect(provider.calls.refresh_token).toBe(1);
    const health = (await bed.admin('webhooks.get', { id: webhook.id })).webhook.health;
    expect(health.state).toBe('failing');
    expect(health.reason).toContain(REVOKED);
    expect(await status(webhook.id)).toMatchObject({ status: 'needs-reauthorization', reason: expect.stringContaining(REVOKED) });

    const again = await authorize(webhook.id);
    expect(again.page.status).toBe(200);
    expect((await status(webhook.id)).status).toBe('authorized');
    await bed.admin('deliveries.recover', { webhookId: webhook.id, since, onlyFailed: true });
    await flush(bed.host);
    const events = deliveredIds();
    expect(events).toHaveLength(3);
    expect(new Set(events).size).toBe(3);
    expect((await allDeliveries(bed, { webhookId: webhook.id })).filter((d) => d.eventType === 'issue.created').every((d) => d.status === 'delivered')).toBe(true);
    expect((await bed.admin('webhooks.get', { id: webhook.id })).webhook.health.state).toBe('healthy');
  });

  it('refuses a replayed, tampered or stale state, and sends nothing before the webhook is authorized', async () => {
    const webhook = await create();
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    const [before] = (await allDeliveries(bed, { webhookId: webhook.id })).filter((d) => d.eventType === 'issue.created');
    expect(before?.attempts[0]?.errorMessage).toMatch(/not authorized yet: edit it and choose Authorize/);
    expect(receiver.requests).toHaveLength(0);

    const { redirect, page } = await authorize(webhook.id);
    expect(page.status).toBe(200);
    const replay = await callback(redirect);
    expect(replay.status).toBe(409);
    expect(replay.body).toContain('already used');
    expect(provider.calls.authorization_code).toBe(1);

    const started = await bed.admin('webhooks.oauthAuthorize', { id: webhook.id });
    const tampered = new URL(provider.authorize(started.authorizeUrl));
    const state = tampered.searchParams.get('state') as string;
    tampered.searchParams.set('state', `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`);
    expect((await callback(tampered.toString())).status).toBe(400);

    // Declined at the provider: a clear page, nothing exchanged, still authorized as before.
    const declined = await callback(provider.authorize((await bed.admin('webhooks.oauthAuthorize', { id: webhook.id })).authorizeUrl, { allow: false }));
    expect(declined.status).toBe(400);
    expect(declined.body).toContain('declined the access');
    expect((await status(webhook.id)).status).toBe('authorized');

    // Ten minutes to consent: a later redirect is refused.
    const late = provider.authorize((await bed.admin('webhooks.oauthAuthorize', { id: webhook.id })).authorizeUrl);
    await bed.host.advance(601);
    const expired = await callback(late);
    expect(expired.status).toBe(400);
    expect(expired.body).toContain('expired');

    // A state issued before the webhook was edited is refused: the consent was for the old settings.
    const stale = provider.authorize((await bed.admin('webhooks.oauthAuthorize', { id: webhook.id })).authorizeUrl);
    const current = (await bed.admin('webhooks.get', { id: webhook.id })).webhook;
    await bed.admin('webhooks.update', { id: webhook.id, version: current.version, name: 'SIEM renamed' });
    const refused = await callback(stale);
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('changed while you were authorizing');
    expect(provider.calls.authorization_code).toBe(1);
  });

  it('keeps the tokens only in the secret store, and deletes them with the webhook', async () => {
    const webhook = await create();
    await authorize(webhook.id);
    const grant = await readSecret<{ accessToken: string; refreshToken: string }>(`oauth-code-grant:${webhook.id}`);
    expect(grant).toMatchObject({ accessToken: provider.issued[0], refreshToken: provider.issuedRefresh[0] });
    const stored = JSON.stringify(await kvsSnapshot());
    expect(stored).toContain(`oauth-code:status:${webhook.id}`);
    for (const token of [...provider.issued, ...provider.issuedRefresh, CLIENT_SECRET]) expect(stored).not.toContain(token);
    await bed.admin('webhooks.delete', { id: webhook.id });
    expect(await readSecret(`oauth-code-grant:${webhook.id}`)).toBeUndefined();
    expect(JSON.stringify(await kvsSnapshot())).not.toContain(`oauth-code:status:${webhook.id}`);
  });

  it('refuses Authorize for a client-credentials webhook, and an authorization-code webhook without its authorize URL', async () => {
    const plain = (await bed.admin('webhooks.create', { kind: 'custom', name: 'Plain', url: `https://${RECEIVER}/plain`, events: ['issue.created'], secrets: [secret(2)] })).webhook;
    const refused = await bed.result('webhooks.oauthAuthorize', { id: plain.id });
    expect(refused.ok ? 'ok' : refused.error.message).toMatch(/does not use the OAuth authorization-code grant/);
    const missing = await bed.result('webhooks.create', { kind: 'custom', name: 'No URL', url: `https://${RECEIVER}/x`, events: ['issue.created'], secrets: [secret(3)], settings: { ...settings, oauthAuthorizeUrl: '' } });
    expect(missing.ok ? 'ok' : missing.error.message).toMatch(/Enter OAuth authorize URL/);
  });
});
