import { compileTemplate } from '../../../src/domain/templates/compile';
import { evaluateTemplate } from '../../../src/domain/templates/evaluate';
import { TEMPLATE_LIMITS } from '../../../src/domain/templates/limits';
import { sampleEvent } from '../../../src/domain/templates/sample-event';
import { renderSamples, templateProblemFor } from '../../../src/domain/templates/check';
import { envelopeBody } from '../../../src/domain/formats/envelope';
import { EVENT_CATALOGUE } from '../../../src/domain/events';

const issueCreated = sampleEvent('issue.created')!;

const failure = async (template: string): Promise<string> => {
  const result = await evaluateTemplate(template, issueCreated);
  if (result.ok) throw new Error(`expected a failure, got ${result.body.slice(0, 80)}`);
  return result.problem.message;
};

describe('payload templates', () => {
  it('reshapes an event into exactly the JSON it describes', async () => {
    const result = await evaluateTemplate('{ "summary": data.summary, "who": data.actor.displayName, "when": timestamp }', issueCreated);
    expect(result).toEqual({
      ok: true,
      body: JSON.stringify({ summary: issueCreated.data.summary, who: 'Mia Krystof', when: '2026-11-20T10:02:11.000Z' }),
    });
  });

  it('gives the same bytes every time for the same event, so a retried or twice-run delivery signs the same body', async () => {
    const template = '{ "summary": data.summary, "changes": [data.changes.(field & ": " & from & " -> " & to)], "details": data.details }';
    const updated = sampleEvent('issue.updated')!;
    const runs = await Promise.all([evaluateTemplate(template, updated), evaluateTemplate(template, updated)]);
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).toEqual({ ok: true, body: expect.stringContaining('"changes":["status: To Do -> In Progress"]') });
  });

  it('stops a template that calls itself forever (a tail call: no stack growth) at the step budget', async () => {
    // A generous deadline so the counted budget (the same on any machine) is what trips.
    const result = await evaluateTemplate('($f := function($x){ $f($x) }; $f(1))', issueCreated, { ...TEMPLATE_LIMITS, deadlineMs: 60_000 });
    expect(result).toEqual({ ok: false, problem: { message: expect.stringMatching(/more than 10,000 steps: check for a loop/) } });
  });

  it('stops a single slow evaluation at the deadline, in admin words', async () => {
    const result = await evaluateTemplate('($f := function($x){ $f($x) }; $f(1))', issueCreated, { ...TEMPLATE_LIMITS, maxSteps: Number.MAX_SAFE_INTEGER, deadlineMs: 50 });
    expect(result).toEqual({ ok: false, problem: { message: expect.stringMatching(/^The template failed at character \d+ \(near "f"\): it ran out of time: check for a loop/), position: expect.any(Number) } });
  });

  it('stops deep non-tail recursion at the nesting cap', async () => {
    expect(await failure('($f := function($x){ 1 + $f($x) }; $f(1))')).toMatch(/^The template failed at character \d+ \(near "f"\): it nests calls too deeply/);
  });

  it('refuses a huge range before allocating it', async () => {
    expect(await failure('[1..10000000]')).toMatch(/^The template failed at character \d+ \(near "\.\."\): it builds a (range|list) too large/);
  });

  it('stops string doubling at the text cap, long before V8 runs out of memory', async () => {
    expect(await failure('$reduce([1..40], function($acc, $i){ $acc & $acc }, "x")')).toMatch(/longer than 65,536 characters: check for text that doubles/);
  });

  it('refuses a body over the output cap', async () => {
    const result = await evaluateTemplate('$map([1..5000], function($i){ "0123456789abcdef" })', issueCreated, { ...TEMPLATE_LIMITS, maxOutputBytes: 1024 });
    expect(result).toEqual({ ok: false, problem: { message: expect.stringMatching(/body of [\d,]+ bytes; a body may have at most 1,024/) } });
  });

  it('names the character and token of a syntax error, without a stack trace', () => {
    const compiled = compileTemplate('{ "summary": data.summary ');
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.problem.message).toMatch(/^The template is not valid at character \d+/);
    expect(compiled.problem.position).toBeGreaterThan(0);
    expect(compiled.problem.message).not.toMatch(/\n\s+at /);
  });

  it('says what to do when the template gives nothing or a function', async () => {
    expect(await failure('data.nothing.here')).toMatch(/gave no value for this event/);
    expect(await failure('{ "f": function($x){ $x } }')).toMatch(/returns a function at body\.f/);
  });

  it('refuses an empty or over-long template text', () => {
    expect(compileTemplate('   ')).toEqual({ ok: false, problem: { message: expect.stringMatching(/empty/) } });
    expect(compileTemplate(`"${'x'.repeat(TEMPLATE_LIMITS.maxTemplateChars)}"`)).toEqual({ ok: false, problem: { message: expect.stringMatching(/shorten it to at most 8000/) } });
  });

  it('evaluates the same template side by side without sharing its step budget', async () => {
    const template = '$sum($map([1..6000], function($i){ $i }))';
    // Each takes well over a third of the budget: a shared counter would fail the later ones.
    const limits = { ...TEMPLATE_LIMITS, deadlineMs: 60_000 };
    const results = await Promise.all(Array.from({ length: 3 }, () => evaluateTemplate(template, issueCreated, limits)));
    expect(results).toEqual(Array.from({ length: 3 }, () => ({ ok: true, body: '18003000' })));
  });

  it('has a sample for every catalogue type, and with no template a sample renders as the default body', async () => {
    expect(EVENT_CATALOGUE.every((info) => sampleEvent(info.type)?.type === info.type)).toBe(true);
    const [rendered] = await renderSamples(undefined, ['issue.created']);
    expect(rendered).toEqual({ eventType: 'issue.created', result: { ok: true, body: envelopeBody(issueCreated) } });
  });

  it('names the subscribed event type a template fails for', async () => {
    // Issues have a key; audit records' objects do not.
    const template = '{ "key": data.object.key ? data.object.key : $error("this event has no key") }';
    expect(await templateProblemFor(template, ['issue.created'])).toBeUndefined();
    expect(await templateProblemFor(template, ['issue.created', 'audit.permissions'])).toMatch(/^For audit\.permissions events: The template failed.*this event has no key/);
    expect(await templateProblemFor('($f := function($x){ $f($x) }; $f(1))', ['*'])).toMatch(/^For issue\.created events: .*steps/);
  });
});
