/** Micro-benchmarks of the pure hot spots: signing a message (the three modes, as sendAttempt calls
 * it), normalising a product event (src/domain/events fromProductEvent) and scrubbing credentials out of
 * a 20 KB captured answer (src/domain/delivery/scrub-credentials). Relative numbers: the
 * machine is shared, so compare rows of one run, not runs. */
import { buildSignatureHeaders, type SigningMode } from '../src/domain/signing';
import { fromProductEvent } from '../src/domain/events';
import { MAX_CAPTURED_RESPONSE_BYTES } from '../src/domain/delivery';
import { compileCredentials, scrubCredentials } from '../src/domain/delivery/scrub-credentials';
import { benchEvent, eventBytes } from './support/events';

export interface MicroCase {
  name: string;
  /** median over rounds, CPU microseconds per operation */
  usPerOp: number;
  /** fastest round: the least disturbed by the rest of the machine */
  usPerOpMin: number;
  opsPerSecond: number;
  /** usPerOpMin / the group's first case's */
  relative: number;
  rounds: number;
  opsPerRound: number;
  detail: Record<string, string | number>;
}

export interface MicroResults {
  signing: MicroCase[];
  normalisation: MicroCase[];
  scrubbing: MicroCase[];
}

interface Budget {
  roundMs: number;
  rounds: number;
}

interface Case {
  name: string;
  op: (i: number) => unknown;
  detail: Record<string, string | number>;
}

let sink = 0;
/** CPU time (ms) of n calls: process CPU rather than wall time, so other processes on the shared
 * machine do not inflate it (their effect on caches remains). */
const timeLoop = (op: (i: number) => unknown, n: number): number => {
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) if (op(i) === undefined) sink++;
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000;
};

/**
 * Calibrates each case to rounds of about `roundMs`, then runs the rounds interleaved (case 1, case 2,
 * ..., case 1, ...) so that a burst of load from other processes hits every case alike, and keeps each
 * case's median CPU time per operation.
 */
const measureGroup = (cases: Case[], budget: Budget): Omit<MicroCase, 'relative'>[] => {
  const sizes = cases.map((c) => {
    timeLoop(c.op, 50); // warm-up: JIT, lazy imports
    let n = 16;
    while (timeLoop(c.op, n) < budget.roundMs / 4 && n < 1 << 24) n *= 2;
    const probe = timeLoop(c.op, n);
    return Math.max(1, Math.round((n * budget.roundMs) / Math.max(probe, 0.001)));
  });
  const perOp: number[][] = cases.map(() => []);
  for (let r = 0; r < budget.rounds; r++) {
    cases.forEach((c, i) => {
      const n = sizes[i] as number;
      perOp[i]?.push((timeLoop(c.op, n) * 1000) / n);
    });
  }
  if (sink < 0) throw new Error('unreachable');
  return cases.map((c, i) => {
    const sorted = [...(perOp[i] ?? [])].sort((a, b) => a - b);
    const usPerOp = sorted[Math.floor(sorted.length / 2)] as number;
    return { name: c.name, usPerOp, usPerOpMin: sorted[0] as number, opsPerSecond: 1e6 / usPerOp, rounds: budget.rounds, opsPerRound: sizes[i] as number, detail: c.detail };
  });
};

/** A JSON body of exactly `bytes` bytes, shaped like a delivery. */
const bodyOf = (bytes: number): string => {
  const head = '{"id":"pe-0123456789abcdef0123456789abcdef","type":"issue.updated","timestamp":"2026-03-02T09:00:00.000Z","data":{"summary":"';
  const tail = '"}}';
  return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
};

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const MODES: SigningMode[] = ['standard', 'base64-list', 'hub'];

/** Relative to the group's first case, from the fastest rounds (the steadiest figure on a shared machine). */
const withRelative = (cases: Omit<MicroCase, 'relative'>[]): MicroCase[] => {
  const base = cases[0]?.usPerOpMin ?? 1;
  return cases.map((c) => ({ ...c, relative: c.usPerOpMin / base }));
};

export const runMicro = (quick: boolean): MicroResults => {
  const budget: Budget = quick ? { roundMs: 20, rounds: 5 } : { roundMs: 60, rounds: 15 };
  const signingCases: Case[] = [];
  for (const size of [2 * 1024, 64 * 1024]) {
    const body = bodyOf(size);
    for (const mode of MODES) {
      signingCases.push({
        name: `${mode} ${size / 1024} KB`,
        op: (i) => buildSignatureHeaders({ mode, msgId: `msg_${i}`, timestamp: 1_772_442_000 + i, body, secrets: [SECRET] }),
        detail: { mode, bodyBytes: size, secrets: 1 },
      });
    }
  }
  const signing = measureGroup(signingCases, budget).map((c) => ({ ...c, detail: { ...c.detail, MBPerSecond: Number(((c.detail.bodyBytes as number) / c.usPerOpMin).toFixed(1)) } }));

  const receivedAt = new Date('2026-03-02T09:00:00.000Z');
  const POOL = 256;
  const normalisationCases: Case[] = [];
  for (let t = 0; t < 4; t++) {
    // Distinct payloads per call (ids differ), built beforehand so cloning is not measured.
    const pool = Array.from({ length: POOL }, (_, k) => benchEvent(t + 4 * k));
    const first = pool[0] as Record<string, unknown>;
    const check = fromProductEvent(first, { receivedAt });
    if (!check.ok) throw new Error(`bench: fixture ${String(first.eventType)} does not normalise: ${check.error}`);
    normalisationCases.push({
      name: String(first.eventType),
      op: (i) => fromProductEvent(pool[i % POOL], { receivedAt }),
      detail: { payloadBytes: eventBytes(first), normalisedBytes: Buffer.byteLength(JSON.stringify(check.event)) },
    });
  }
  return { signing: withRelative(signing), normalisation: withRelative(measureGroup(normalisationCases, budget)), scrubbing: withRelative(measureGroup(scrubCases(), budget)) };
};

/** Scrubbing a captured answer of the most an attempt keeps (20 KB): the bodies that cost it most. */
const scrubCases = (): Case[] => {
  const credentials = compileCredentials({
    secrets: ['Bearer bench-Q7v2Lm9Xk4Rt8Wz1aa', 'bench-Q7v2Lm9Xk4Rt8Wz1aa', 'hdr-Hn3Pz6Vb0Yc5Jd2Sbb', 'qtok-Fg4Ks7Nq1Mx8Bw3', SECRET],
    exact: ['https://siem.example.test/services/collector?token=qtok-Fg4Ks7Nq1Mx8Bw3'],
  });
  const fill = (unit: string): string => unit.repeat(Math.ceil(MAX_CAPTURED_RESPONSE_BYTES / unit.length)).slice(0, MAX_CAPTURED_RESPONSE_BYTES);
  const bodies: Record<string, string> = {
    'JSON prose': fill('{"event":"issue.created","key":"SEC-1","summary":"A normal answer, nothing echoed"},'),
    'one base64 blob': fill(Buffer.from('x'.repeat(15_000)).toString('base64')),
    'hex digits only': fill('0123456789abcdef'),
    '%-escapes only': fill('%41%42%43'),
    'echo of everything, encoded': fill(
      JSON.stringify({ a: 'Bearer bench-Q7v2Lm9Xk4Rt8Wz1aa', b: Buffer.from('hdr-Hn3Pz6Vb0Yc5Jd2Sbb').toString('base64'), c: Buffer.from('qtok-Fg4Ks7Nq1Mx8Bw3').toString('hex') }),
    ),
  };
  return Object.entries(bodies).map(([name, body]) => ({
    name,
    op: () => scrubCredentials(body, credentials, { truncated: true }),
    detail: { bodyBytes: Buffer.byteLength(body) },
  }));
};
