import { createHmac } from 'node:crypto';
import { buildSignatureHeaders, verifyBase64List, verifyHub } from '../../../src/domain/signing';

const BODY = '{"id":"evt_1","type":"jira:issue_updated","data":{"summary":"Zażółć gęślą jaźń"}}';
const SECRETS = ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'lb+PrQunzcHAzWPY0/vYhUi0040DGrpOLiwH4M8XQYM='];

/**
 * Seed 000's documented verifier, re-written here independently of src/: HMAC-SHA256 keyed by the
 * secret *string* (createHmac with a string key uses its UTF-8 bytes), base64 digest, one signature
 * per secret, comma-separated in one header.
 */
function seed000Verify(secrets: string[], header: string, rawBody: string): boolean {
  const signatures = header.split(',');
  if (secrets.length !== signatures.length) return false;
  const expected = secrets.map((secret) => createHmac('sha256', secret).update(Buffer.from(rawBody, 'utf8')).digest('base64'));
  return signatures.every((signature) => expected.includes(signature));
}

describe('base64-list mode (seed 000 compatible)', () => {
  it('passes the seed vendor verifier, with the whsec_ prefix used as key bytes, not decoded', () => {
    const headers = buildSignatureHeaders({ mode: 'base64-list', msgId: 'msg_1', timestamp: 1700000000, body: BODY, secrets: SECRETS });
    const header = headers['X-Webhook-Signature'];
    expect(header).toBeDefined();
    expect(seed000Verify(SECRETS, header ?? '', BODY)).toBe(true);
    expect(seed000Verify(SECRETS, header ?? '', `${BODY} `)).toBe(false);
  });

  it('uses the configured header name and still sends webhook-id and webhook-timestamp (unsigned)', () => {
    const headers = buildSignatureHeaders({ mode: 'base64-list', header: 'X-Soteri-Signature', msgId: 'msg_1', timestamp: 1700000000, body: BODY, secrets: SECRETS });
    expect(Object.keys(headers).sort()).toEqual(['X-Soteri-Signature', 'webhook-id', 'webhook-timestamp']);
    expect(headers['webhook-id']).toBe('msg_1');
  });

  it('verifyBase64List accepts a receiver that knows only one of the secrets', () => {
    const header = buildSignatureHeaders({ mode: 'base64-list', msgId: 'msg_1', timestamp: 1, body: BODY, secrets: SECRETS })['X-Webhook-Signature'];
    expect(verifyBase64List({ signatureHeader: header, body: BODY, secrets: [SECRETS[1] ?? ''] })).toEqual({ valid: true, matchedSecretIndex: 0 });
    expect(verifyBase64List({ signatureHeader: header, body: BODY, secrets: ['another'] }).valid).toBe(false);
    expect(verifyBase64List({ signatureHeader: undefined, body: BODY, secrets: SECRETS }).valid).toBe(false);
  });

  it('refuses a header name that is not an HTTP token', () => {
    expect(() => buildSignatureHeaders({ mode: 'base64-list', header: 'X Sig', msgId: 'm', timestamp: 1, body: BODY, secrets: SECRETS })).toThrow(/signature header/);
  });
});

describe('hub mode (Jira webhook style)', () => {
  it('sends sha256=<hex> of the body keyed by the secret string, comma-joined per secret', () => {
    const headers = buildSignatureHeaders({ mode: 'hub', msgId: 'msg_1', timestamp: 1, body: BODY, secrets: SECRETS });
    const expected = SECRETS.map((secret) => `sha256=${createHmac('sha256', secret).update(BODY).digest('hex')}`).join(',');
    expect(headers['X-Hub-Signature']).toBe(expected);
  });

  it('matches the Outpost-style hex vector from webhook-anchors.md 1.5 (derived)', () => {
    const headers = buildSignatureHeaders({ mode: 'hub', msgId: 'm', timestamp: 1, body: '{"test": 2432232314}', secrets: ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] });
    expect(headers['X-Hub-Signature']).toBe('sha256=5ee0e8e3d564cf9cbeea807e97cecc6cccf0b0e20aa28073cc267a2881a839fc');
  });

  it('verifyHub accepts either secret and rejects a tampered body', () => {
    const header = buildSignatureHeaders({ mode: 'hub', msgId: 'm', timestamp: 1, body: BODY, secrets: SECRETS })['X-Hub-Signature'];
    expect(verifyHub({ signatureHeader: header, body: BODY, secrets: [SECRETS[1] ?? ''] }).valid).toBe(true);
    expect(verifyHub({ signatureHeader: header, body: BODY.replace('1', '2'), secrets: SECRETS }).valid).toBe(false);
  });
});

describe('buildSignatureHeaders', () => {
  it.each(['standard', 'base64-list', 'hub'] as const)('%s mode without secrets sends only webhook-id and webhook-timestamp', (mode) => {
    expect(buildSignatureHeaders({ mode, msgId: 'msg_1', timestamp: 5, body: BODY, secrets: [] })).toEqual({ 'webhook-id': 'msg_1', 'webhook-timestamp': '5' });
  });

  it('refuses a header name outside base64-list mode', () => {
    expect(() => buildSignatureHeaders({ mode: 'hub', header: 'X-Sig', msgId: 'm', timestamp: 1, body: BODY, secrets: SECRETS })).toThrow(/base64-list/);
  });
});
