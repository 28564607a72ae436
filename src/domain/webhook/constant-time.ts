/**
 * Compares two secrets in time that depends only on their lengths, never on where they first differ,
 * so a caller cannot learn a stored secret byte by byte from response times. Pure, so domain/ and the
 * tests need no node:crypto (timingSafeEqual would also throw on different lengths).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  const length = Math.max(left.length, right.length);
  let difference = left.length ^ right.length;
  for (let i = 0; i < length; i++) {
    difference |= (left[i] ?? 0) ^ (right[i] ?? 0);
  }
  return difference === 0;
}
