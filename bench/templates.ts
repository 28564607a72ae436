/**
 * Payload templates: CPU time to build one custom webhook body per event, without a template (the
 * envelope, JSON.stringify) and with typical JSONata templates (compiled and evaluated per event, as
 * delivery does). Not part of `npm run bench` (its micro-benchmarks are synchronous; JSONata 2.x
 * evaluates asynchronously): run `npx tsx bench/templates.ts`. Relative numbers: the machine is shared.
 */
import { envelopeBody } from '../src/domain/formats/envelope';
import { evaluateTemplate } from '../src/domain/templates/evaluate';
import { sampleEvent } from '../src/domain/templates/sample-event';

const event = sampleEvent('issue.updated');
if (!event) throw new Error('no sample for issue.updated');

const CASES: { name: string; template?: string }[] = [
  { name: 'no template (envelope)' },
  { name: 'three fields', template: '{ "summary": data.summary, "who": data.actor.accountId, "when": timestamp }' },
  {
    name: 'reshaped with a list',
    template: '{ "title": type & ": " & data.summary, "project": data.object.parent.key, "changes": [data.changes.(field & " " & from & " -> " & to)], "details": data.details }',
  },
];

/** CPU milliseconds of n sequential renders. */
const cpuMs = async (render: () => Promise<unknown>, n: number): Promise<number> => {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await render();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const main = async (): Promise<void> => {
  const n = Number(process.argv[2] ?? 2000);
  const rounds = 5;
  const rows: { name: string; usPerEvent: number; bytes: number }[] = [];
  for (const c of CASES) {
    const render = async (): Promise<string> => {
      if (c.template === undefined) return envelopeBody(event);
      const result = await evaluateTemplate(c.template, event);
      if (!result.ok) throw new Error(result.problem.message);
      return result.body;
    };
    await cpuMs(render, 200); // warm-up: JIT
    const perRound: number[] = [];
    for (let r = 0; r < rounds; r++) perRound.push(((await cpuMs(render, n)) * 1000) / n);
    perRound.sort((a, b) => a - b);
    rows.push({ name: c.name, usPerEvent: perRound[Math.floor(rounds / 2)] as number, bytes: Buffer.byteLength(await render()) });
  }
  const base = rows[0]?.usPerEvent ?? 1;
  console.log(`Payload templates: CPU per event, median of ${rounds} rounds of ${n} (sample issue.updated, ${Buffer.byteLength(envelopeBody(event))} bytes as an envelope)`);
  console.log('| case | µs per event | × no template | body bytes |');
  console.log('|---|---:|---:|---:|');
  for (const row of rows) console.log(`| ${row.name} | ${row.usPerEvent.toFixed(1)} | ${(row.usPerEvent / base).toFixed(1)} | ${row.bytes} |`);
};

void main();
