import { MAX_CAPTURED_RESPONSE_BYTES, captureResponse, summariseAttempt, type DeliveryOutcome } from '../../../src/domain/delivery';

const E503: DeliveryOutcome = { kind: 'retry', errorClass: 'http', httpStatus: 503, message: 'HTTP 503 from receiver.' };

describe('summariseAttempt', () => {
  it.each([
    ['delivered', { kind: 'delivered', httpStatus: 204 }, undefined, { outcome: 'delivered', httpStatus: 204 }],
    ['retry planned', E503, { retryInSeconds: 30 }, { outcome: 'retry', httpStatus: 503, errorClass: 'http', errorMessage: 'HTTP 503 from receiver.' }],
    ['schedule exhausted', E503, { giveUp: 'attempts-exhausted' }, { outcome: 'failed', httpStatus: 503, errorClass: 'http', errorMessage: 'HTTP 503 from receiver.' }],
    ['network error, no plan', { kind: 'retry', errorClass: 'dns', message: 'DNS lookup failed.' }, undefined, { outcome: 'failed', errorClass: 'dns', errorMessage: 'DNS lookup failed.' }],
    ['permanent', { kind: 'permanent', errorClass: 'http', httpStatus: 400, message: 'm' }, { giveUp: 'permanent-failure' }, { outcome: 'failed', httpStatus: 400, errorClass: 'http', errorMessage: 'm' }],
  ] as const)('%s', (_label, outcome, plan, expected) => {
    expect(summariseAttempt(outcome as DeliveryOutcome, plan)).toEqual(expected);
  });
});

describe('captureResponse', () => {
  it('keeps a small answer whole and redacts credential headers', () => {
    const captured = captureResponse({ status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="siem", error="invalid_token"', 'Content-Type': 'text/plain' }, body: 'nope' });
    expect(captured).toEqual({ status: 401, headers: { 'WWW-Authenticate': 'Bea…', 'Content-Type': 'text/plain' }, body: 'nope', truncated: false });
  });

  it('cuts a large body at 20,000 bytes without splitting a character', () => {
    const captured = captureResponse({ status: 500, headers: {}, body: 'é'.repeat(50_000) });
    expect(captured.truncated).toBe(true);
    expect(Buffer.byteLength(captured.body)).toBe(MAX_CAPTURED_RESPONSE_BYTES);
    expect(captured.body).not.toContain('\uFFFD');
  });
});
