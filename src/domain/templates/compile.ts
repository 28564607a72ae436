import jsonata from 'jsonata';
import { TEMPLATE_LIMITS, type TemplateLimits } from './limits';
import { problemFromJsonata, type TemplateProblem } from './problem';

export type CompiledTemplate = jsonata.Expression;

export type CompileResult = { ok: true; expression: CompiledTemplate } | { ok: false; problem: TemplateProblem };

/**
 * Parses a template with JSONata's own guardrails on (deadline, nesting, sequence length). Parsing
 * runs no user code: JSONata is an interpreter over its own syntax tree, with no `eval` and no access to
 * JS objects beyond the input it is given. Each evaluation gets its own compiled expression (see
 * evaluate.ts), so counters never leak between events evaluated side by side.
 */
export const compileTemplate = (text: string, limits: TemplateLimits = TEMPLATE_LIMITS): CompileResult => {
  if (text.trim() === '') return { ok: false, problem: { message: 'The template is empty: write a JSONata expression, or remove the template to send the default body.' } };
  if (text.length > limits.maxTemplateChars) {
    return { ok: false, problem: { message: `The template has ${text.length} characters; shorten it to at most ${limits.maxTemplateChars}.` } };
  }
  try {
    return { ok: true, expression: jsonata(text, { timeout: limits.deadlineMs, stack: limits.maxDepth, sequence: limits.maxSequence }) };
  } catch (error) {
    return { ok: false, problem: problemFromJsonata(error, 'is not valid') };
  }
};
