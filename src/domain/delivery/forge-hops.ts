/**
 * Forge async events take delayInSeconds 0..900, so a retry hours away is reached by re-queueing the
 * delivery in hops of at most 15 minutes. The engine stores the absolute due time and asks, at each
 * hop, how long to wait next: computing from the due time (not subtracting 900 each hop) keeps a
 * late-running queue from pushing the retry further and further back.
 */
export const MAX_FORGE_DELAY_SECONDS = 900;

/** The delayInSeconds for the next push: 0 when due (deliver now), else min(remaining, 900). */
export function nextHopDelaySeconds(dueAt: Date, now: Date): number {
  const remaining = Math.ceil((dueAt.getTime() - now.getTime()) / 1000);
  return Math.min(Math.max(remaining, 0), MAX_FORGE_DELAY_SECONDS);
}

/** The hops that make up a delay, e.g. 2000 -> [900, 900, 200]; 0 -> []. */
export function hopsFor(delaySeconds: number): number[] {
  const hops: number[] = [];
  let remaining = Math.max(0, Math.ceil(delaySeconds));
  while (remaining > 0) {
    const hop = Math.min(remaining, MAX_FORGE_DELAY_SECONDS);
    hops.push(hop);
    remaining -= hop;
  }
  return hops;
}
