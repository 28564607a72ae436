/** Micro-benchmarks of the two pure hot spots: signing a message (the three modes, as sendAttempt calls
 * it) and normalising a product event (src/domain/events fromProductEvent). Relative numbers: the
 * machine is shared, so compare rows of one run, not runs. */
import { buildSignatureHeaders, type SigningMode } from '../src/domain/signing';
import { fromProductEvent } from '../src/domain/events';
import { benchEvent, eventBytes } from './support/events';

export interface MicroCase {
  name: string;
  /** median over rounds, microseconds per operation */
  usPerOp: number;
  opsPerSecond: number;
  /** usPerOp / the group's first case */
  relative: number;
  rounds: number;
  opsPerRound: number;
  detail: Record<string, string | number>;
}

export interface MicroResults {
  signing: MicroCase[];
  normalisation: MicroCase[];
}

interface Budget {
  roundMs: number;
  rounds: number;
}

/** Calibrates a round to about `roundMs`, runs `rounds` of them, keeps the median time per operation. */
const measure = (op: (i: number) => unknown, budget: Budget): { usPerOp: number; opsPerRound: number } => {
  let sink = 0;
  const run = (n: number): number => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) if (op(i) === undefined) sink++;
    return performance.now() - t0;
  };
  run(50); // warm-up: JIT, lazy imports
  let n = 16;
  while (run(n) < budget.roundMs / 4 && n < 1 << 24) n *= 2;
  const perOp: number[] = [];
  const probe = run(n);
  const opsPerRound = Math.max(1, Math.round((n * budget.roundMs) / Math.max(probe, 0.001)));
  for (let r = 0; r < budget.rounds; r++) perOp.push((run(opsPerRound) * 1000) / opsPerRound);
  perOp.sort((a, b) => a - b);
  if (sink < 0) throw new Error('unreachable');
  return { usPerOp: perOp[Math.floor(perOp.length / 2)] as number, opsPerRound };
};

/** A JSON body of exactly `bytes` bytes, shaped like a delivery. */
const bodyOf = (bytes: number): string => {
  const head = '{"id":"pe-0123456789abcdef0123456789abcdef","type":"issue.updated","timestamp":"2026-03-02T09:00:00.000Z","data":{"summary":"';
  const tail = '"}}';
  return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
};

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const MODES: SigningMode[] = ['standard', 'base64-list', 'hub'];

const withRelative = (cases: Omit<MicroCase, 'relative'>[]): MicroCase[] => {
  const base = cases[0]?.usPerOp ?? 1;
  return cases.map((c) => ({ ...c, relative: c.usPerOp / base }));
};

export const runMicro = (quick: boolean): MicroResults => {
  const budget: Budget = quick ? { roundMs: 30, rounds: 3 } : { roundMs: 120, rounds: 7 };
  const signing: Omit<MicroCase, 'relative'>[] = [];
  for (const size of [2 * 1024, 64 * 1024]) {
    const body = bodyOf(size);
    for (const mode of MODES) {
      const { usPerOp, opsPerRound } = measure(
        (i) => buildSignatureHeaders({ mode, msgId: `msg_${i}`, timestamp: 1_772_442_000 + i, body, secrets: [SECRET] }),
        budget,
      );
      signing.push({
        name: `${mode} ${size / 1024} KB`,
        usPerOp,
        opsPerSecond: 1e6 / usPerOp,
        rounds: budget.rounds,
        opsPerRound,
        detail: { mode, bodyBytes: size, secrets: 1, MBPerSecond: Number((size / usPerOp).toFixed(1)) },
      });
    }
  }

  const normalisation: Omit<MicroCase, 'relative'>[] = [];
  const receivedAt = new Date('2026-03-02T09:00:00.000Z');
  const POOL = 256;
  for (let t = 0; t < 4; t++) {
    // Distinct payloads per call (ids differ), built beforehand so cloning is not measured.
    const pool = Array.from({ length: POOL }, (_, k) => benchEvent(t + 4 * k));
    const first = pool[0] as Record<string, unknown>;
    const check = fromProductEvent(first, { receivedAt });
    if (!check.ok) throw new Error(`bench: fixture ${String(first.eventType)} does not normalise: ${check.error}`);
    const { usPerOp, opsPerRound } = measure((i) => fromProductEvent(pool[i % POOL], { receivedAt }), budget);
    normalisation.push({
      name: String(first.eventType),
      usPerOp,
      opsPerSecond: 1e6 / usPerOp,
      rounds: budget.rounds,
      opsPerRound,
      detail: { payloadBytes: eventBytes(first), normalisedBytes: Buffer.byteLength(JSON.stringify(check.event)) },
    });
  }
  return { signing: withRelative(signing), normalisation: withRelative(normalisation) };
};
