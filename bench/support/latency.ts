/** Event-to-delivery latency in virtual time: for every (webhook, event), the first request that carried
 * the event minus the moment the bench fired it. Kept as one number per delivery (8 bytes), not bodies. */

export interface LatencyFigures {
  /** (webhook, event) pairs measured: the first request for that event at that webhook */
  measured: number;
  /** pairs fired but never seen at a receiver */
  missing: number;
  /** event ids a receiver saw that match no fired event (the app's ids no longer match the bench's) */
  unmatched: number;
  p50Seconds: number;
  p99Seconds: number;
  maxSeconds: number;
  meanSeconds: number;
  /** first event fired → the last first-delivery (the time a burst takes to land everywhere) */
  lastDeliveryAfterFirstEventSeconds: number;
  /** last event fired → the last first-delivery (the tail after arrivals stop) */
  lastDeliveryAfterLastEventSeconds: number;
}

/** Nearest-rank percentile of ascending values. */
export const percentile = (sorted: Float64Array, p: number): number => {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
};

/**
 * @param firedAt virtual ms at which event i was fired
 * @param firstSeen per webhook: event id → virtual ms of its first request
 * @param idOf the event id the app gives event i (computed after the run, outside the measured part)
 */
export const measureLatency = (firedAt: Float64Array, firstSeen: readonly ReadonlyMap<string, number>[], idOf: (i: number) => string): LatencyFigures => {
  const samples = new Float64Array(firedAt.length * firstSeen.length);
  let measured = 0;
  let missing = 0;
  let lastSeen = -Infinity;
  for (let i = 0; i < firedAt.length; i++) {
    const id = idOf(i);
    const fired = firedAt[i] as number;
    for (const seen of firstSeen) {
      const at = seen.get(id);
      if (at === undefined) {
        missing += 1;
        continue;
      }
      samples[measured++] = (at - fired) / 1000;
      lastSeen = Math.max(lastSeen, at);
    }
  }
  const seenIds = firstSeen.reduce((sum, seen) => sum + seen.size, 0);
  const sorted = samples.subarray(0, measured).sort();
  let total = 0;
  for (const s of sorted) total += s;
  const first = firedAt.length > 0 ? (firedAt[0] as number) : NaN;
  const last = firedAt.length > 0 ? (firedAt[firedAt.length - 1] as number) : NaN;
  return {
    measured,
    missing,
    unmatched: seenIds - measured,
    p50Seconds: percentile(sorted, 50),
    p99Seconds: percentile(sorted, 99),
    maxSeconds: measured > 0 ? (sorted[measured - 1] as number) : NaN,
    meanSeconds: measured > 0 ? total / measured : NaN,
    lastDeliveryAfterFirstEventSeconds: measured > 0 ? (lastSeen - first) / 1000 : NaN,
    lastDeliveryAfterLastEventSeconds: measured > 0 ? (lastSeen - last) / 1000 : NaN,
  };
};
