/**
 * `npx tsx bench/burst-model.ts [W] [u]`: the largest burst a retry schedule absorbs, by simulation.
 *
 * Not the app: a per-second model of docs/benchmarks.md "Bursts". B trigger attempts at t = 0; each
 * records its event if the triggers' writes in the last 60 s plus u stay within the budget (W₀ = 4,000
 * units in the first minute, before any drain has run; W, default 2,000, after it: the drain keeps the
 * other half), else it asks for a retry after the schedule's delay, at most 4 times (Forge's product-event
 * rule). Pessimistic where the bench is not: the drain is taken to use its whole half at every moment.
 */

type Schedule = (retry: number, random: number) => number;

const BASES = [60, 120, 240, 480];
const SCHEDULES: Record<string, Schedule> = {
  '60/120/240/480 s + 0-30 s jitter': (k, r) => (BASES[k] as number) + Math.floor(r * 30),
  'retry k: uniform in [base k, 900 s]': (k, r) => (BASES[k] as number) + Math.floor(r * (900 - (BASES[k] as number))),
  'uniform in [1, 900 s]': (_k, r) => 1 + Math.floor(r * 900),
  'always 900 s': () => 900,
};
const MAX_RETRIES = 4;
const FIRST_MINUTE_UNITS = 4000;

const simulate = (burst: number, schedule: Schedule, w: number, u: number): { recorded: number; lost: number; lastMinute: number } => {
  let seed = 1;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const horizon = MAX_RETRIES * 900 + 60;
  const due: number[][] = Array.from({ length: horizon + 1 }, () => []);
  due[0] = new Array<number>(burst).fill(0);
  const written = new Float64Array(horizon + 1);
  let window = 0;
  let recorded = 0;
  let lost = 0;
  let last = 0;
  for (let t = 0; t <= horizon; t++) {
    if (t >= 60) window -= written[t - 60] as number;
    const budget = t < 60 ? FIRST_MINUTE_UNITS : w;
    for (const retries of due[t] as number[]) {
      if (window + u <= budget) {
        window += u;
        written[t] = (written[t] as number) + u;
        recorded += 1;
        last = t;
      } else if (retries < MAX_RETRIES) (due[Math.min(horizon, t + schedule(retries, random()))] as number[]).push(retries + 1);
      else lost += 1;
    }
    due[t] = [];
  }
  return { recorded, lost, lastMinute: last / 60 };
};

/** The largest burst with nothing lost, to the nearest 500 (the model's randomness makes the edge ragged). */
const largest = (schedule: Schedule, w: number, u: number): number => {
  let low = 0;
  let high = 500_000;
  while (high - low > 500) {
    const mid = Math.floor((low + high) / 2);
    if (simulate(mid, schedule, w, u).lost === 0) low = mid;
    else high = mid;
  }
  return low;
};

const w = Number(process.argv[2] ?? 2000);
const u = Number(process.argv[3] ?? 1);
if (!(w > 0 && w <= 4000) || !(u > 0)) throw new Error('usage: npx tsx bench/burst-model.ts [W write units per minute for triggers, 1..4000] [u units per event]');
process.stdout.write(`W₀ = ${FIRST_MINUTE_UNITS}, W = ${w}, u = ${u}; ceiling (W₀ + W × 3600/60) ÷ u = ${Math.floor((FIRST_MINUTE_UNITS + w * 60) / u)}\n`);
for (const [name, schedule] of Object.entries(SCHEDULES)) {
  const b = largest(schedule, w, u);
  process.stdout.write(`${name.padEnd(38)} largest burst absorbed ≈ ${b.toLocaleString('en-US')} (last recorded ${simulate(b, schedule, w, u).lastMinute.toFixed(1)} min after the burst)\n`);
}
