import { classifyNetworkError, classifyResponse } from '../../../src/domain/delivery';
import { destinationModule, type DestinationKindName } from '../../../src/domain/destinations';

const NOW = new Date('2026-03-01T12:00:00Z');

function classify(status: number, options: { headers?: Record<string, string>; body?: string; destination?: DestinationKindName } = {}) {
  const { destination, ...rest } = options;
  if (destination === undefined) return classifyResponse({ status, now: NOW, ...rest });
  // A destination reads its answers through its registry module.
  const answer = destinationModule(destination).classify({ status, now: NOW, ...rest }, 1);
  return 'whole' in answer ? answer.whole : answer.perItem[0];
}

describe('classifyResponse', () => {
  it.each([200, 201, 202, 204, 299])('%i is delivered', (status) => {
    expect(classify(status)).toEqual({ kind: 'delivered', httpStatus: status });
  });

  it.each([
    [301, 'retry', 'redirect'],
    [302, 'retry', 'redirect'],
    [308, 'retry', 'redirect'],
    [408, 'retry', 'http'],
    [425, 'retry', 'http'],
    [429, 'retry', 'http'],
    [500, 'retry', 'http'],
    [502, 'retry', 'http'],
    [503, 'retry', 'http'],
    [504, 'retry', 'http'],
    [400, 'permanent', 'http'],
    [401, 'permanent', 'http'],
    [403, 'permanent', 'http'],
    [404, 'permanent', 'http'],
    [413, 'permanent', 'http'],
    [422, 'permanent', 'http'],
    [410, 'disable', 'http'],
    [102, 'retry', 'other'],
  ])('%i -> %s (%s)', (status, kind, errorClass) => {
    expect(classify(status)).toMatchObject({ kind, errorClass, httpStatus: status });
  });

  it('does not put the redirect target (which may hold a token) in the message', () => {
    const outcome = classify(302, { headers: { Location: 'https://login.example.com/?token=abc' } });
    expect(JSON.stringify(outcome)).not.toContain('example.com');
  });

  it('reads Retry-After as seconds or HTTP-date, case-insensitively', () => {
    expect(classify(429, { headers: { 'Retry-After': '30' } })).toMatchObject({ kind: 'retry', retryAfterSeconds: 30 });
    expect(classify(503, { headers: { 'retry-after': 'Sun, 01 Mar 2026 12:05:00 GMT' } })).toMatchObject({ retryAfterSeconds: 300 });
    expect(classify(503)).not.toHaveProperty('retryAfterSeconds');
  });

  it('names a Forge egress block permanent blocked-egress, not a receiver 403', () => {
    expect(classify(403, { headers: { 'Forge-Proxy-Error': 'EGRESS_NOT_ALLOWED' } })).toMatchObject({ kind: 'permanent', errorClass: 'blocked-egress' });
    expect(classify(502, { headers: { 'forge-proxy-error': 'x' } })).toMatchObject({ kind: 'retry', errorClass: 'http' });
  });

  it('honours the receiver control header webhook-delivery on failures only', () => {
    expect(classify(500, { headers: { 'Webhook-Delivery': 'abort-message' } })).toMatchObject({ kind: 'permanent', errorClass: 'http' });
    expect(classify(503, { headers: { 'webhook-delivery': 'disable' } })).toMatchObject({ kind: 'disable' });
    expect(classify(200, { headers: { 'webhook-delivery': 'disable' } })).toEqual({ kind: 'delivered', httpStatus: 200 });
    expect(classify(503, { headers: { 'webhook-delivery': 'whatever' } })).toMatchObject({ kind: 'retry' });
  });

  it('gives a short human message', () => {
    expect(classify(503)).toMatchObject({ message: 'HTTP 503 from receiver.' });
    expect(classify(401)).toMatchObject({ message: "HTTP 401 from receiver: check the webhook's authorization header." });
  });

  describe('Slack destinations', () => {
    it.each([
      [404, 'channel_not_found'],
      [410, 'channel_is_archived'],
      [403, 'action_prohibited'],
      [403, 'invalid_token'],
      [404, 'no_service'],
      [403, '{"ok":false,"error":"invalid_token"}'],
    ])('%i %s disables the endpoint', (status, body) => {
      expect(classify(status, { body, destination: 'slack' })).toMatchObject({ kind: 'disable', httpStatus: status });
    });

    it('keeps other Slack errors as ordinary failures', () => {
      expect(classify(400, { body: 'invalid_payload', destination: 'slack' })).toMatchObject({ kind: 'permanent' });
      expect(classify(429, { body: 'rate_limited', destination: 'slack', headers: { 'retry-after': '1' } })).toMatchObject({ kind: 'retry', retryAfterSeconds: 1 });
      expect(classify(500, { body: 'rollup_error', destination: 'slack' })).toMatchObject({ kind: 'retry' });
    });

    it('does not read Slack strings from other destinations', () => {
      expect(classify(404, { body: 'channel_not_found', destination: 'custom' })).toMatchObject({ kind: 'permanent' });
    });
  });
});

function undiciError(code: string, name = 'Error'): TypeError {
  const cause = Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code, name });
  return new TypeError('fetch failed https://hooks.example.com/services/T000/B000/SECRETTOKEN', { cause });
}

describe('classifyNetworkError', () => {
  it.each([
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['EPIPE', 'reset'],
    ['UND_ERR_SOCKET', 'reset'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
    ['EHOSTUNREACH', 'other'],
  ])('undici cause %s -> %s, retryable', (code, errorClass) => {
    const outcome = classifyNetworkError(undiciError(code));
    expect(outcome).toMatchObject({ kind: 'retry', errorClass });
    expect(outcome.message).toContain(code);
  });

  it.each([
    ['AbortError', new DOMException('This operation was aborted', 'AbortError')],
    ['TimeoutError', new DOMException('The operation timed out', 'TimeoutError')],
  ])('%s is a timeout', (_label, error) => {
    expect(classifyNetworkError(error)).toMatchObject({ kind: 'retry', errorClass: 'timeout' });
  });

  it('never copies the error text, which can hold the URL and its token', () => {
    expect(JSON.stringify(classifyNetworkError(undiciError('ECONNREFUSED')))).not.toContain('SECRETTOKEN');
    expect(JSON.stringify(classifyNetworkError(new Error('boom https://x/?key=SECRETTOKEN')))).not.toContain('SECRETTOKEN');
  });

  it('copes with non-errors and cause cycles', () => {
    const cyclic: { code?: string; cause?: unknown } = {};
    cyclic.cause = cyclic;
    expect(classifyNetworkError(cyclic)).toMatchObject({ errorClass: 'other' });
    expect(classifyNetworkError('nope')).toEqual({ kind: 'retry', errorClass: 'other', message: 'Network error.' });
    expect(classifyNetworkError(undefined)).toMatchObject({ errorClass: 'other' });
  });
});
