/**
 * The app's own configuration changes as audit events (app.webhook.*, app.settings.updated) through
 * the local Forge host and the in-process admin API: each change arrives once, with the acting admin,
 * source "app" and the webhook as object, never with a secret; changes made in the same instant (the
 * manual clock does not move between calls) are all delivered, none taken for a repeat of another.
 * (test/integration/admin-audit-events.test.ts covers the same over HTTP, with masking details.)
 */
import { ADMIN, secret, startTestBed, type TestBed } from './support/app-host';
import { createWebhook, deliveriesOf, documentedCatalogue, type EnvelopeBody } from './support/events-kit';
import { flush } from './support/delivery-bed';

const SINK = 'audit-sink.example.test';
const TARGET = 'siem.example.test';
const BEARER = 'bearer-token-7f3a91c2d4';
const HEADER_VALUE = 'x-api-key-value-5be0c1';
const QUERY_TOKEN = 'query-token-0a9d8e7f';

interface View {
  id: string;
  version: number;
  secrets: { id: string }[];
}

describe('configuration changes are audit events', () => {
  let bed: TestBed;
  beforeAll(async () => {
    bed = await startTestBed([SINK, TARGET], { startTime: new Date('2026-03-02T09:00:00.000Z') });
    await createWebhook(bed, { name: 'Audit sink', url: `https://${SINK}/in`, events: ['*'] });
    await flush(bed.host);
    bed.receivers[SINK]!.requests.length = 0;
  });
  afterAll(() => bed.close());

  const update = async (id: string, version: number, change: Record<string, unknown>): Promise<View> => {
    const answer = await bed.call<{ webhook: View }>('webhooks.update', { id, version, ...change });
    if (!answer.ok) throw new Error(`webhooks.update: ${answer.error.message}`);
    return answer.data.webhook;
  };

  it('delivers each change once, by the admin, without secrets, even when made in the same instant', async () => {
    const secrets = [secret(11), secret(12), secret(13)];
    const created = await createWebhook(bed, {
      name: 'Target',
      url: `https://${TARGET}/hook?token=${QUERY_TOKEN}`,
      maskUrl: 'query',
      events: ['issue.created'],
      secrets: [secrets[0] as string],
      authorization: { type: 'bearer', token: BEARER },
      headers: [{ name: 'X-Api-Key', value: HEADER_VALUE, sensitive: true }],
    });
    const id = created.id;
    // No clock movement and no settle between these: all in one virtual instant.
    let view = await update(id, created.version, { enabled: false });
    view = await update(id, view.version, { enabled: true });
    view = await update(id, view.version, { enabled: false });
    view = await update(id, view.version, { enabled: true });
    view = await update(id, view.version, { secretsAdd: [secrets[1] as string] });
    view = await update(id, view.version, { secretsAdd: [secrets[2] as string], secretsRemove: [{ id: created.secrets[0]!.id }] });
    await update(id, view.version, { name: 'Target 2' });
    const deleted = await bed.call('webhooks.delete', { id });
    expect(deleted.ok).toBe(true);
    const settings = await bed.call<{ settings: { version: number } }>('settings.get', {});
    await bed.call('settings.update', { version: settings.data.settings.version, auditPoll: { enabled: false } });
    await flush(bed.host);

    const appEvents: EnvelopeBody[] = deliveriesOf(bed.receivers[SINK]!)
      .map((d) => d.body)
      .filter((b) => b.type.startsWith('app.'));
    expect(appEvents.map((e) => e.type)).toEqual([
      'app.webhook.created',
      'app.webhook.disabled',
      'app.webhook.enabled',
      'app.webhook.disabled',
      'app.webhook.enabled',
      'app.webhook.secret_added',
      'app.webhook.secret_added',
      'app.webhook.secret_removed',
      'app.webhook.updated',
      'app.webhook.deleted',
      'app.settings.updated',
    ]);
    expect(new Set(appEvents.map((e) => e.id)).size).toBe(appEvents.length);
    const documented = new Set(documentedCatalogue().filter((row) => row.source === 'app').map((row) => row.type));
    for (const event of appEvents) {
      expect(documented.has(event.type)).toBe(true);
      expect(event.data.source).toBe('app');
      expect(event.data.actor.accountId).toBe(ADMIN);
      if (event.type.startsWith('app.webhook.')) expect(event.data.object).toMatchObject({ type: 'webhook', id });
    }
    const everything = bed.receivers[SINK]!.requests.map((r) => `${JSON.stringify(r.headers)}\n${r.body}`).join('\n');
    for (const value of [...secrets, ...secrets.map((s) => s.slice('whsec_'.length)), BEARER, HEADER_VALUE, QUERY_TOKEN]) {
      expect({ leaked: everything.includes(value) ? value : undefined }).toEqual({ leaked: undefined });
    }
  });
});
