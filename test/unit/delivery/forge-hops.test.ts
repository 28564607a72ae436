import { MAX_FORGE_DELAY_SECONDS, hopsFor, nextHopDelaySeconds } from '../../../src/domain/delivery';

describe('Forge re-queue hops', () => {
  it.each([
    [0, []],
    [30, [30]],
    [900, [900]],
    [2000, [900, 900, 200]],
    [57_600, Array.from({ length: 64 }, () => 900)],
    [12.2, [13]],
  ])('%d s becomes hops %j', (delay, hops) => {
    expect(hopsFor(delay)).toEqual(hops);
    expect(hopsFor(delay).every((hop) => hop <= MAX_FORGE_DELAY_SECONDS)).toBe(true);
  });

  it('computes the next hop from the due time, so a late queue does not drift', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const due = new Date('2026-01-01T01:00:00Z');
    expect(nextHopDelaySeconds(due, now)).toBe(900);
    expect(nextHopDelaySeconds(due, new Date('2026-01-01T00:50:00.500Z'))).toBe(600);
    expect(nextHopDelaySeconds(due, due)).toBe(0);
    expect(nextHopDelaySeconds(due, new Date('2026-01-01T02:00:00Z'))).toBe(0);
  });
});
