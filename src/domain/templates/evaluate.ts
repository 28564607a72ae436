import type { FormattableEvent } from '../formats/formattable-event';
import { envelopeOf } from '../formats/envelope';
import { compileTemplate } from './compile';
import { TEMPLATE_LIMITS, type TemplateLimits } from './limits';
import { problemFromJsonata, type TemplateProblem } from './problem';

export type TemplateResult = { ok: true; body: string } | { ok: false; problem: TemplateProblem };

/** Thrown by our hooks to stop an evaluation; told apart from JSONata's own failures by its class. */
class TemplateLimitError extends Error {}

const ENTRY = Symbol.for('jsonata.__evaluate_entry');
const EXIT = Symbol.for('jsonata.__evaluate_exit');

const plural = (n: number): string => n.toLocaleString('en-US');

/** JSONata functions are plain objects marked by these flags; they must not reach a body as their internals. */
const isFunctionValue = (value: unknown): boolean =>
  typeof value === 'function' ||
  (typeof value === 'object' && value !== null && ('_jsonata_lambda' in value || '_jsonata_function' in value));

/** The first place in the output that JSON cannot carry, as a path an admin can read ("body.who"). */
const nonJsonAt = (value: unknown, path: string): string | undefined => {
  if (isFunctionValue(value)) return path;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const at = item === undefined ? `${path}[${index}]` : nonJsonAt(item, `${path}[${index}]`);
      if (at !== undefined) return at;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const at = nonJsonAt(item, `${path}.${key}`);
      if (at !== undefined) return at;
    }
  }
  return undefined;
};

/**
 * Runs a template over one event's envelope ({ id, type, timestamp, data }: the default custom body)
 * and answers the exact body to sign and send, or why not. Bounded: a step budget and a check on every
 * string and array built (our hooks, as the JSONata exerciser's timeboxExpression does), JSONata's own
 * deadline, nesting and sequence caps, then the size of the serialized body. Never throws for anything
 * the template does.
 */
export const evaluateTemplate = async (text: string, event: FormattableEvent, limits: TemplateLimits = TEMPLATE_LIMITS): Promise<TemplateResult> => {
  const compiled = compileTemplate(text, limits);
  if (!compiled.ok) return compiled;
  const expression = compiled.expression;
  let steps = 0;
  expression.assign(ENTRY as unknown as string, () => {
    steps += 1;
    if (steps > limits.maxSteps) {
      throw new TemplateLimitError(`The template took more than ${plural(limits.maxSteps)} steps: check for a loop (a function that calls itself without an end) or a very large range.`);
    }
  });
  expression.assign(EXIT as unknown as string, (_expr: unknown, _input: unknown, _env: unknown, result: unknown) => {
    if (typeof result === 'string' && result.length > limits.maxStringChars) {
      throw new TemplateLimitError(`The template built a text longer than ${plural(limits.maxStringChars)} characters: check for text that doubles or repeats.`);
    }
    if (Array.isArray(result) && result.length > limits.maxSequence) {
      throw new TemplateLimitError(`The template built a list of more than ${plural(limits.maxSequence)} items.`);
    }
  });
  let output: unknown;
  try {
    output = await expression.evaluate(envelopeOf(event));
  } catch (error) {
    if (error instanceof TemplateLimitError) return { ok: false, problem: { message: error.message } };
    return { ok: false, problem: problemFromJsonata(error, 'failed') };
  }
  if (output === undefined) {
    return { ok: false, problem: { message: 'The template gave no value for this event (a path that matched nothing?): make it return an object, e.g. { "summary": data.summary }.' } };
  }
  const badAt = nonJsonAt(output, 'body');
  if (badAt !== undefined) return { ok: false, problem: { message: `The template returns a function at ${badAt}, which JSON cannot carry: call it, or leave it out.` } };
  const body = JSON.stringify(output);
  const bytes = Buffer.byteLength(body);
  if (bytes > limits.maxOutputBytes) {
    return { ok: false, problem: { message: `The template built a body of ${plural(bytes)} bytes; a body may have at most ${plural(limits.maxOutputBytes)}.` } };
  }
  return { ok: true, body };
};
