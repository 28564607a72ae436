import { MAX_CAPTURED_RESPONSE_BYTES } from '../../../src/domain/delivery';
import { compileCredentials, scrubCredentials } from '../../../src/domain/delivery/scrub-credentials';

/**
 * How long one scrub of a 20 KB answer takes (the most an attempt captures). A measurement, not a
 * check: run with SCRUB_BENCH=1 (`SCRUB_BENCH=1 npx jest test/unit/delivery/scrub-credentials.bench.test.ts`).
 */
const bench = process.env.SCRUB_BENCH ? it : it.skip;

const credentials = compileCredentials({
  secrets: ['Bearer bench-Q7v2Lm9Xk4Rt8Wz1aa', 'bench-Q7v2Lm9Xk4Rt8Wz1aa', 'hdr-Hn3Pz6Vb0Yc5Jd2Sbb', 'qtok-Fg4Ks7Nq1Mx8Bw3', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
  exact: ['https://siem.example.test/services/collector?token=qtok-Fg4Ks7Nq1Mx8Bw3'],
});
const fill = (unit: string): string => unit.repeat(Math.ceil(MAX_CAPTURED_RESPONSE_BYTES / unit.length)).slice(0, MAX_CAPTURED_RESPONSE_BYTES);
const BODIES: Record<string, string> = {
  'JSON prose': fill('{"event":"issue.created","key":"SEC-1","summary":"A normal answer, nothing echoed"},'),
  'one base64 blob (worst case: one run of 20,000 alphabet characters)': fill(Buffer.from('x'.repeat(15_000)).toString('base64')),
  'hex digits only': fill('0123456789abcdef'),
  '%-escapes only': fill('%41%42%43'),
  'echo of everything, encoded': fill(
    JSON.stringify({ a: 'Bearer bench-Q7v2Lm9Xk4Rt8Wz1aa', b: Buffer.from('hdr-Hn3Pz6Vb0Yc5Jd2Sbb').toString('base64'), c: Buffer.from('qtok-Fg4Ks7Nq1Mx8Bw3').toString('hex') }),
  ),
};

describe('scrubCredentials benchmark (20 KB)', () => {
  bench('reports the time per scrub', () => {
    const rows: string[] = [];
    for (const [label, body] of Object.entries(BODIES)) {
      for (let i = 0; i < 5; i += 1) scrubCredentials(body, credentials, { truncated: true });
      const runs = 50;
      const started = process.hrtime.bigint();
      for (let i = 0; i < runs; i += 1) scrubCredentials(body, credentials, { truncated: true });
      const ms = Number(process.hrtime.bigint() - started) / 1e6 / runs;
      rows.push(`${label}: ${ms.toFixed(2)} ms per scrub of ${Buffer.byteLength(body)} bytes`);
    }
    process.stdout.write(`${rows.join('\n')}\n`);
    expect(rows).toHaveLength(Object.keys(BODIES).length);
  });
});
