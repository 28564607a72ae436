import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { secret } from './support/app-host';
import {
  allDeliveries,
  createWebhook,
  flush,
  header,
  hubValid,
  issueCreated,
  requestsOfType,
  seed000Valid,
  standardEntries,
  startBedWithReceiver,
  type DeliveryBed,
} from './support/delivery-bed';
import type { Receiver, ReceivedRequest } from './support/receiver';

const HOST = 'siem.example.test';
const URL = `https://${HOST}/hook`;

/** The seed's own words: what its verifier does, so this test follows the document, not our code. */
const SEED_DIR = '/work/shared/seeds';
const seed000 = (): string => {
  const file = readdirSync(SEED_DIR).find((name) => name.startsWith('000_'));
  return file ? readFileSync(path.join(SEED_DIR, file), 'utf8') : '';
};

describe('delivery engine: signing modes on the wire', () => {
  let bed: DeliveryBed;
  let receiver: Receiver;
  beforeEach(async () => {
    ({ bed, receiver } = await startBedWithReceiver(HOST));
  });
  afterEach(() => bed.close());

  const deliverOne = async (n = 1): Promise<ReceivedRequest> => {
    await bed.host.fireEvent(issueCreated(n));
    await flush(bed.host);
    const [request] = requestsOfType(receiver, 'issue.created').slice(-1);
    if (!request) throw new Error('nothing arrived');
    return request;
  };

  it("base64-list: the header verifies with seed 000's check (one base64 HMAC of the raw body per secret, comma-joined)", async () => {
    const doc = seed000();
    if (doc) {
      // The scheme this test implements, as the seed states it.
      expect(doc).toContain("crypto.createHmac('sha256', secret)");
      expect(doc).toContain("digest('base64')");
      expect(doc).toMatch(/comma-delimited/);
    }
    const secrets = [secret(21), secret(22), secret(23)];
    await createWebhook(bed, { url: URL, signing: { mode: 'base64-list', header: 'X-Soteri-Signature' }, secrets });
    const request = await deliverOne();
    const signature = header(request, 'x-soteri-signature');
    expect(signature.split(',')).toHaveLength(3);
    // Newest first or not, the seed's check takes the secrets in any order.
    expect(seed000Valid(secrets, signature, request.body)).toBe(true);
    expect(seed000Valid([...secrets].reverse(), signature, request.body)).toBe(true);
    expect(seed000Valid([secrets[0] as string, secrets[1] as string, secret(24)], signature, request.body)).toBe(false);
    expect(seed000Valid(secrets, signature, `${request.body} `)).toBe(false);
    expect(header(request, 'webhook-id')).toMatch(/^msg_/);
    expect(header(request, 'webhook-signature')).toBe('');
  });

  it('base64-list with the default header name', async () => {
    const secrets = [secret(31)];
    await createWebhook(bed, { url: URL, signing: { mode: 'base64-list' }, secrets });
    const request = await deliverOne();
    expect(seed000Valid(secrets, header(request, 'x-webhook-signature'), request.body)).toBe(true);
  });

  it('hub: sha256=<hex HMAC of the raw body>, one per active secret', async () => {
    const secrets = [secret(41), secret(42)];
    await createWebhook(bed, { url: URL, signing: { mode: 'hub' }, secrets });
    const request = await deliverOne();
    const value = header(request, 'x-hub-signature');
    expect(value.split(',')).toHaveLength(2);
    for (const s of secrets) expect(hubValid(s, value, request.body)).toBe(true);
    expect(hubValid(secret(43), value, request.body)).toBe(false);
    // GitHub's header name carries the same value (the admin page and docs name X-Hub-Signature-256).
    const github = header(request, 'x-hub-signature-256');
    expect(github).toBe(value);
  });

  it('standard: one v1 signature per active secret, including a removed secret in its grace period', async () => {
    const first = secret(51);
    const webhook = await createWebhook(bed, { url: URL, secrets: [first] });
    const second = secret(52);
    const { webhook: rotated } = await bed.admin('webhooks.update', { id: webhook.id, version: webhook.version, secretsAdd: [second] });
    const oldId = rotated.secrets.find((s) => s.createdAt === webhook.secrets[0]?.createdAt && s.id === webhook.secrets[0]?.id)?.id ?? '';
    const { webhook: graced } = await bed.admin('webhooks.update', { id: webhook.id, version: rotated.version, secretsRemove: [{ id: oldId, graceHours: 1 }] });
    expect(graced.secrets).toHaveLength(2);

    const request = await deliverOne(1);
    const offered = header(request, 'webhook-signature').split(' ');
    expect(offered).toHaveLength(2);
    for (const s of [first, second]) expect(offered).toContain(standardEntries(s, request).expected);

    // After the grace period only the new secret signs.
    await bed.host.advance(3601);
    const later = await deliverOne(2);
    expect(header(later, 'webhook-signature').split(' ')).toEqual([standardEntries(second, later).expected]);
  });

  it('every mode sends webhook-id, webhook-timestamp and a User-Agent naming the app and its version', async () => {
    for (const [index, mode] of (['standard', 'base64-list', 'hub'] as const).entries()) {
      await createWebhook(bed, { url: `${URL}/${mode}`, name: `Mode ${mode}`, signing: { mode }, secrets: [secret(60 + index)] });
    }
    await bed.host.fireEvent(issueCreated(1));
    await flush(bed.host);
    const requests = requestsOfType(receiver, 'issue.created');
    expect(requests.map((r) => r.path).sort()).toEqual(['/hook/base64-list', '/hook/hub', '/hook/standard']);
    for (const request of requests) {
      expect(header(request, 'webhook-id')).toMatch(/^msg_[^.]+$/);
      expect(Math.abs(Number(header(request, 'webhook-timestamp')) - Math.floor(request.at / 1000))).toBeLessThanOrEqual(1);
      expect(header(request, 'user-agent')).toMatch(/^AuditWebhooksForJira\/\d+\.\d+(\.\d+)? /);
      expect(header(request, 'content-type')).toBe('application/json');
    }
    // One message per (event, webhook): three webhooks, three message ids.
    expect(new Set(requests.map((r) => header(r, 'webhook-id'))).size).toBe(3);
    const log = await allDeliveries(bed);
    expect(log.filter((d) => d.eventType === 'issue.created')).toHaveLength(3);
  });
});
