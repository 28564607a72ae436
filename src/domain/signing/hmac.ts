import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of a UTF-8 message. The body is signed exactly as sent: callers pass the raw string. */
export function hmacSha256(key: Uint8Array, message: string): Buffer {
  return createHmac('sha256', key).update(message, 'utf8').digest();
}

/**
 * Constant-time string comparison. Signatures of one scheme have a fixed length, so revealing a
 * length mismatch through an early return leaks nothing about the expected value.
 */
export function constantTimeEqual(actual: string, expected: string): boolean {
  const a = Buffer.from(actual, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
