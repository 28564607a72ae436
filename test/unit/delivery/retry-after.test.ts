import { parseRetryAfter } from '../../../src/domain/delivery';

const NOW = new Date('1994-11-06T08:49:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120],
    [' 0 ', 0],
    ['Sun, 06 Nov 1994 08:49:37 GMT', 37],
    ['Sunday, 06-Nov-94 08:49:37 GMT', 37],
    ['Sun Nov  6 08:49:37 1994', 37],
    ['Sun, 06 Nov 1994 08:48:00 GMT', 0],
  ])('%j -> %d s', (value, seconds) => {
    expect(parseRetryAfter(value, NOW)).toBe(seconds);
  });

  it.each([undefined, '', '-5', '1.5', '2024-01-01', 'soon', 'Sun, 06 Nov 1994 08:49:37'])('%j is ignored', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});
