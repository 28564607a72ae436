/**
 * Issue 14, part 5: secrets of your own. Seed 000 (Soteri) "adds the text in the field as a shared secret";
 * a receiver migrating from it keeps that secret. A webhook created through the admin API with a typed
 * 32-character secret delivers to a real receiver on 127.0.0.1 and is checked with seed 000's own
 * verifier code; hub mode with GitHub's documented check; standard mode refuses such a secret.
 */
import * as crypto from 'crypto';
import { secret as whsecSecret } from './support/app-host';
import { captureLogs } from './support/events-kit';
import { allDeliveries, createWebhook, flush, getWebhook, header, issueCreated, startBedWithReceiver, type DeliveryBed } from './support/delivery-bed';
import type { Receiver } from './support/receiver';

const HOST = 'siem.example.test';
const URL = `https://${HOST}/hook`;
/** 32 characters typed by the admin (as they were in Soteri): not base64, not whsec_. */
const TYPED = 'Tr0ub4dor&3-horse-staple-Battery';

/*
 * Seed 000's verifier, verbatim from /work/shared/seeds/000_*.txt except for one adaptation: the seed
 * calls `expectedHashes.contains(...)`, which JavaScript arrays do not have (it throws a TypeError); it
 * reads `includes` here. Everything else, the string key to createHmac above all, is the seed's.
 */
function isSoteriSignatureValid(secrets: string[], signatures: string[], rawBody: string) {
  if (secrets.length !== signatures.length) {
    return false;
  }
  const expectedHashes = secrets.map(secret => {
    const hash = crypto.createHmac('sha256', secret);
    hash.update(Buffer.from(rawBody, 'utf8'));
    return hash.digest('base64');
  });
  return signatures.every(signature => expectedHashes.includes(signature));
}

/** GitHub's documented check of X-Hub-Signature-256 (docs "Validating webhook deliveries", Node example). */
function verifyGitHubSignature(secret: string, payload: string, signatureHeader: string): boolean {
  const signature = crypto.createHmac('sha256', secret).update(payload).digest('hex');
  const trusted = Buffer.from(`sha256=${signature}`, 'ascii');
  const untrusted = Buffer.from(signatureHeader, 'ascii');
  return trusted.length === untrusted.length && crypto.timingSafeEqual(trusted, untrusted);
}

describe('secrets of your own in base64-list and hub signing (issue 14)', () => {
  let bed: DeliveryBed;
  let receiver: Receiver;
  beforeEach(async () => {
    ({ bed, receiver } = await startBedWithReceiver(HOST));
  });
  afterEach(() => bed.close());

  /** Nothing the admin API answers, nor the app's log lines, holds the secret (the first 3 characters at most). */
  const expectNowhere = (text: string, secret: string): void => {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(3, 13));
    expect(text).not.toContain(secret.slice(-10));
  };

  it('base64-list: a typed 32-character secret verifies with seed 000\'s own verifier code, and shows only its first 3 characters', async () => {
    expect(TYPED).toHaveLength(32);
    // A careless receiver that echoes the secret back: the delivery log must not keep it.
    receiver.responder = () => ({ status: 200, body: `accepted, shared secret is ${TYPED}` });
    const { result: webhook, lines } = await captureLogs(async () => {
      const created = await createWebhook(bed, { url: URL, signing: { mode: 'base64-list', header: 'X-Soteri-Signature' }, secrets: [{ value: TYPED, label: 'From Soteri' }] });
      await bed.host.fireEvent(issueCreated(1));
      await flush(bed.host);
      return created;
    });
    expect(webhook.secrets).toEqual([expect.objectContaining({ preview: 'Tr0', label: 'From Soteri', fingerprint: crypto.createHash('sha256').update(TYPED, 'utf8').digest('hex').slice(0, 8) })]);

    const [request] = receiver.requests;
    expect(receiver.requests).toHaveLength(1);
    if (!request) return;
    const signatures = header(request, 'x-soteri-signature').split(',');
    expect(isSoteriSignatureValid([TYPED], signatures, request.body)).toBe(true);
    // The check can fail: another secret, or a changed body, does not verify.
    expect(isSoteriSignatureValid(['Tr0ub4dor&3-horse-staple-Battery!'], signatures, request.body)).toBe(false);
    expect(isSoteriSignatureValid([TYPED], signatures, request.body.replace('SEC-1', 'SEC-2'))).toBe(false);

    const [delivery] = await allDeliveries(bed, { webhookId: webhook.id });
    expect(delivery?.status).toBe('delivered');
    const answers = JSON.stringify([
      webhook,
      await getWebhook(bed, webhook.id),
      await bed.admin('webhooks.list', {}),
      await allDeliveries(bed, {}),
      await bed.admin('deliveries.get', { id: delivery?.id ?? '' }),
    ]);
    // The answer was logged (so the check below means something), with the secret cut out.
    expect(answers).toContain('accepted, shared secret is');
    expectNowhere(answers, TYPED);
    expectNowhere(JSON.stringify(lines), TYPED);
  });

  it('hub: the same typed secret verifies with GitHub\'s documented check of X-Hub-Signature-256', async () => {
    await createWebhook(bed, { url: URL, signing: { mode: 'hub' }, secrets: [TYPED] });
    await bed.host.fireEvent(issueCreated(2));
    await flush(bed.host);
    const [request] = receiver.requests;
    if (!request) throw new Error('no request');
    expect(verifyGitHubSignature(TYPED, request.body, header(request, 'x-hub-signature-256'))).toBe(true);
    expect(verifyGitHubSignature(TYPED.toLowerCase(), request.body, header(request, 'x-hub-signature-256'))).toBe(false);
  });

  it('standard refuses a typed secret, naming the field, and nothing is saved', async () => {
    const answer = await bed.result('webhooks.create', { kind: 'custom', name: 'Standard', url: URL, events: ['issue.created'], secrets: [TYPED] });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe('VALIDATION');
    expect(answer.error.fields?.['secrets.0']).toMatch(/^Start the secret with whsec_.*A text of your own works in base64-list or hub signing\.$/);
    expectNowhere(JSON.stringify(answer), TYPED);
    expect((await bed.admin('webhooks.list', {})).webhooks).toHaveLength(0);
  });

  it('weak texts are refused with the reason and never echoed', async () => {
    for (const [weak, says] of [
      ['changeme-changeme-changeme', /placeholder/],
      ['a'.repeat(32), /one character repeated/],
      ['short-text', /24 to 256 characters/],
    ] as const) {
      const answer = await bed.result('webhooks.create', { kind: 'custom', name: 'Weak', url: URL, events: ['issue.created'], signing: { mode: 'hub' }, secrets: [weak] });
      expect(answer.ok).toBe(false);
      if (answer.ok) continue;
      expect(answer.error.fields?.['secrets.0']).toMatch(says);
      expect(JSON.stringify(answer)).not.toContain(weak);
    }
  });

  it('update: a whsec_ secret moves to any mode; a webhook with a text secret cannot move to standard until that secret is gone', async () => {
    const key = whsecSecret(31);
    const webhook = await createWebhook(bed, { url: URL, signing: { mode: 'base64-list' }, secrets: [key, { value: TYPED, label: 'Typed' }] });
    const refused = await bed.result('webhooks.update', { id: webhook.id, version: webhook.version, signing: { mode: 'standard' } });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.fields?.['signing.mode']).toBe('Keep base64-list or hub signing, or first remove the secrets of your own (Typed) with graceHours 0: Standard Webhooks signing needs whsec_ secrets.');
    expect((await getWebhook(bed, webhook.id)).version).toBe(webhook.version);

    const toHub = await bed.admin('webhooks.update', { id: webhook.id, version: webhook.version, signing: { mode: 'hub' } });
    const typedId = toHub.webhook.secrets.find((s) => s.label === 'Typed')?.id ?? '';
    const { webhook: standard } = await bed.admin('webhooks.update', { id: webhook.id, version: toHub.webhook.version, signing: { mode: 'standard' }, secretsRemove: [{ id: typedId, graceHours: 0 }] });
    expect(standard.signing.mode).toBe('standard');
    expect(standard.secrets.map((s) => s.preview)).toEqual(['whs']);

    const addText = await bed.result('webhooks.update', { id: webhook.id, version: standard.version, secretsAdd: [TYPED] });
    expect(addText.ok).toBe(false);
    if (!addText.ok) expect(addText.error.fields?.['secretsAdd.0']).toMatch(/^Start the secret with whsec_/);
  });
});
